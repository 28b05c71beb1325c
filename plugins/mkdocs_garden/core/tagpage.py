"""The tag index: every tag of the published notes (nested tags under their parents too)."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Callable
from urllib.parse import quote

from .vault import Vault


def tag_anchor(tag: str, slugify: Callable[[str, str], str], separator: str) -> str:
    """The id of a tag's section: tags group case-insensitively, so the key is lower case."""
    return "tag" + separator + (slugify(tag.lower().replace("/", separator), separator) or "x")


def notes_by_tag(vault: Vault) -> dict[str, list[str]]:
    """Tag key -> published note paths; `#a/b` also counts for `#a` (Obsidian's `tag:a`)."""
    found: dict[str, set[str]] = defaultdict(set)
    for note in vault.published_notes():
        for tag in note.all_tags:
            parts = tag.lower().split("/")
            for depth in range(1, len(parts) + 1):
                found["/".join(parts[:depth])].add(note.path)
    return {key: sorted(paths) for key, paths in sorted(found.items())}


def tags_page_markdown(vault: Vault, page_path: str, slugify: Callable[[str, str], str],
                       separator: str = "-") -> str:
    """Markdown for the tag index page at `page_path`."""
    here = posixpath.dirname(page_path)
    lines = ["# Tags", ""]
    by_tag = notes_by_tag(vault)
    if not by_tag:
        lines.append("No note has a tag yet.")
    for key, paths in by_tag.items():
        lines += [f"## #{key} {{ #{tag_anchor(key, slugify, separator)} }}", ""]
        for path in paths:
            note = vault.notes[path]
            href = quote(posixpath.relpath(path, here) if here else path)
            lines.append(f"- [{note.title.replace('[', '&#91;').replace(']', '&#93;')}]({href})")
        lines.append("")
    return "\n".join(lines)
