"""What a page's HTML depends on, as one hash: `--dirty` rebuilds every page whose hash moved.

MkDocs' `--dirty` rebuilds a page only when its own source is newer than its output, but a
garden page also shows other notes: who links to it, what it embeds, whether its link targets
exist. The signature covers all of that, so when note A starts or stops linking B, B's page is
rebuilt too, and pages nothing touched are left alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from .backlinks import Mention
from .vault import Vault


def _embedded(vault: Vault, path: str, depth: int) -> list[str]:
    """Notes `path` embeds, transitively up to `depth` levels, in a stable order."""
    seen: list[str] = []
    frontier = [path]
    for _ in range(depth):
        following = []
        for source in frontier:
            for link, target in vault.links.get(source, ()):
                if link.embed and target.path in vault.notes and target.path not in seen and target.path != path:
                    seen.append(target.path)
                    following.append(target.path)
        frontier = following
    return seen


def content_signature(vault: Vault, path: str, *, embed_depth: int, context: str) -> str:
    """A hash of what the page's own Markdown renders to: its text, where its links and those
    of the notes it embeds point, the embedded text; `context` adds build-wide inputs (the
    options, and today's date for pages with tasks)."""
    digest = hashlib.sha256(context.encode())
    note = vault.notes[path]
    digest.update(note.text.encode("utf-8", "surrogatepass"))
    _add_link_targets(digest, vault, path)
    for embedded in _embedded(vault, path, embed_depth):
        digest.update(b"\0embed\0" + vault.notes[embedded].text.encode("utf-8", "surrogatepass"))
        _add_link_targets(digest, vault, embedded)  # an embedded link's target moves too
    return digest.hexdigest()


def _add_link_targets(digest: hashlib._Hash, vault: Vault, path: str) -> None:
    """Where each link of the note at `path` points, and whether that is published."""
    for link, target in vault.links.get(path, ()):
        digest.update(f"\0{link.raw}>{target.path}#{target.anchor}:{vault.is_public(target.path)}".encode())


def page_signature(vault: Vault, content: str, *, mentions: Iterable[Mention], graph_degree: int) -> str:
    """A hash of everything the page shows: its `content_signature`, who mentions it (the
    section names each source note by its title) and whether it has a local graph."""
    digest = hashlib.sha256(content.encode())
    for mention in mentions:
        title = vault.notes[mention.source].title if mention.source in vault.notes else ""
        digest.update(f"\0{mention.source}:{title}:{mention.line}:{mention.anchor}:{mention.context_html}".encode())
    digest.update(f"\0degree:{min(graph_degree, 1)}".encode())
    return digest.hexdigest()
