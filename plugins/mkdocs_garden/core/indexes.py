"""Index pages: the tag index (nested tags under their parents too) and folder pages.

Headings are Markdown; the lists under them are HTML (`prerender.html_body`), which the
plugin publishes without a Markdown pass, links made relative to the page as MkDocs would.
"""

from __future__ import annotations

import html
import posixpath
from collections import defaultdict
from collections.abc import Callable
from urllib.parse import quote

from .prerender import html_body
from .text import md_text
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
        lines += [f"## {md_text('#' + key)} {{ #{tag_anchor(key, slugify, separator)} }}", ""]
        lines += [_link_list([(vault.notes[p].title, posixpath.relpath(p, here) if here else p, "") for p in paths]), ""]
    return "\n".join(lines)


def _link_list(items: list[tuple[str, str, str]]) -> str:
    """(title, path relative to the page, text after the link) as an HTML list body."""
    return html_body("<ul>\n" + "".join(f'<li><a href="{quote(path)}">{html.escape(title)}</a>{after}</li>\n'
                                        for title, path, after in items) + "</ul>")


def folder_tree(vault: Vault) -> dict[str, tuple[list[str], list[str]]]:
    """Folder -> (published notes in it, its direct subfolders), '' for the vault root.
    Every folder holding a published note somewhere below it is listed."""
    tree: dict[str, tuple[list[str], list[str]]] = {"": ([], [])}
    for note in vault.published_notes():
        folder = note.folder
        tree.setdefault(folder, ([], []))[0].append(note.path)
        while folder:
            parent = posixpath.dirname(folder)
            siblings = tree.setdefault(parent, ([], []))[1]
            if folder not in siblings:
                siblings.append(folder)
            tree.setdefault(folder, ([], []))
            folder = parent
    for notes, folders in tree.values():
        notes.sort()
        folders.sort()
    return dict(sorted(tree.items()))


def folder_page_markdown(vault: Vault, folder: str, page_path: str, page_of: Callable[[str], str],
                         tree: dict[str, tuple[list[str], list[str]]]) -> str:
    """A folder's page: its subfolders (with counts) and its notes, linked by title."""
    here = posixpath.dirname(page_path)

    def relative(path: str) -> str:
        return posixpath.relpath(path, here) if here else path

    notes, subfolders = tree[folder]
    title = md_text(posixpath.basename(folder)) if folder else "All notes"
    lines = [f"# {title}", ""]
    if subfolders:
        counts = [sum(len(tree[f][0]) for f in tree if f == sub or f.startswith(sub + "/")) for sub in subfolders]
        lines += ["## Folders", "", _link_list([(posixpath.basename(sub), relative(page_of(sub)), f" ({count})")
                                                for sub, count in zip(subfolders, counts, strict=True)]), ""]
    if notes:
        by_title = sorted(notes, key=lambda p: (vault.notes[p].title.lower(), p))
        lines += ["## Notes", "", _link_list([(vault.notes[p].title, relative(p), "") for p in by_title]), ""]
    return "\n".join(lines)
