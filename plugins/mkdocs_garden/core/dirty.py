"""What a page's HTML depends on, as one hash: `--dirty` rebuilds every page whose hash moved.

MkDocs' `--dirty` rebuilds a page only when its own source is newer than its output, but a
garden page also shows other notes: who links to it, what it embeds, whether its link targets
exist. The signature covers all of that, so when note A starts or stops linking B, B's page is
rebuilt too, and pages nothing touched are left alone.

`SignatureMemo` keeps the signatures across `serve` rebuilds with what each was computed from
(note objects and link lists, which the parse cache keeps while unchanged), so a rebuild
hashes again only the pages whose inputs moved.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter

from .backlinks import Mention
from .model import Note
from .vault import Pairs, Vault


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


def content_signature(vault: Vault, path: str, *, embed_depth: int, context: str,
                      embedded: list[str] | None = None, shown: Mapping[str, str] | None = None) -> str:
    """A hash of what the page's own Markdown renders to: its text, where its links and those
    of the notes it embeds point, the embedded text; `context` adds build-wide inputs (the
    options), `shown` what a note shows that is not in its text (how long each of its open
    tasks is overdue, which moves with the day) for it and each note it embeds. `embedded`:
    `_embedded`'s answer, if the caller has it."""
    shown = shown or {}
    digest = hashlib.sha256(context.encode())
    note = vault.notes[path]
    digest.update(note.text.encode("utf-8", "surrogatepass"))
    digest.update(f"\0shown\0{shown.get(path, '')}".encode())
    _add_link_targets(digest, vault, path)
    for embedded in embedded if embedded is not None else _embedded(vault, path, embed_depth):
        digest.update(b"\0embed\0" + vault.notes[embedded].text.encode("utf-8", "surrogatepass"))
        digest.update(f"\0shown\0{shown.get(embedded, '')}".encode())
        _add_link_targets(digest, vault, embedded)  # an embedded link's target moves too
    return digest.hexdigest()


def _add_link_targets(digest: hashlib._Hash, vault: Vault, path: str) -> None:
    """Where each link of the note at `path` points, and whether that is published; for an
    embed, the title of the note it names, which labels it where it is shown as a link (past
    the embed depth, in a cycle)."""
    for link, target in vault.links.get(path, ()):
        named = vault.notes.get(target.path) if link.embed and target.path else None
        title = named.title if named is not None else ""
        digest.update(f"\0{link.raw}>{target.path}#{target.anchor}:{vault.is_public(target.path)}:{title}".encode())


def page_signature(vault: Vault, content: str, *, mentions: Iterable[Mention], graph_degree: int) -> str:
    """A hash of everything the page shows: its `content_signature`, who mentions it (the
    section names each source note by its title) and whether it has a local graph."""
    digest = hashlib.sha256(content.encode())
    for mention in mentions:
        title = vault.notes[mention.source].title if mention.source in vault.notes else ""
        digest.update(f"\0{mention.source}:{title}:{mention.line}:{mention.anchor}:{mention.context_html}".encode())
    digest.update(f"\0degree:{min(graph_degree, 1)}".encode())
    return digest.hexdigest()


_Read = tuple[tuple[str, Note | None, Pairs | None], ...]  # (path, its note, its links) as read
_SOURCE = attrgetter("source")


class SignatureMemo:
    """`content_signature` and `page_signature` kept across `serve` rebuilds.

    A content signature reads the note, the notes it embeds (found through its links) and
    their links, and whether each link target is published. It is kept with the note and link
    list objects it read: the parse cache keeps both while a note and the namespace are
    unchanged, and any other object is a change. Publication can only move when the private
    set or the namespace does; a new private set empties the memo, a new namespace gives every
    note new link lists. A page signature is kept under its inputs (`page`).
    """

    def __init__(self) -> None:
        self._private: frozenset[str] = frozenset()
        self._content: dict[str, tuple[str, int, _Read, tuple[str, ...], str]] = {}
        self._page: dict[str, tuple[Sequence[Mention], Sequence[Mention], str, int, str, tuple[object, ...]]] = {}
        self.computed: list[str] = []  # paths whose content signature the last build hashed

    def begin(self, vault: Vault) -> None:
        """Start a build of `vault`: signatures of notes no longer in it go."""
        private = frozenset(vault.private)
        if private != self._private:
            self._private, self._content, self._page = private, {}, {}
        self._content = {p: kept for p, kept in self._content.items() if p in vault.notes}
        self._page = {p: kept for p, kept in self._page.items() if p in vault.notes}
        self.computed = []

    def content(self, vault: Vault, path: str, *, embed_depth: int, context: str,
                shown: Mapping[str, str] | None = None) -> str:
        shown = shown or {}
        kept = self._content.get(path)
        if (kept is not None and kept[1] == embed_depth and kept[0] == context
                and all(vault.notes.get(p) is note and vault.links.get(p) is links for p, note, links in kept[2])
                and kept[3] == tuple(shown.get(p, "") for p, _, _ in kept[2])):
            return kept[4]
        embedded = _embedded(vault, path, embed_depth)
        signature = content_signature(vault, path, embed_depth=embed_depth, context=context, embedded=embedded,
                                      shown=shown)
        names = [path, *embedded]
        # and the notes the embeds name, whose titles label the ones shown as links
        titled = [target.path for p in names for link, target in vault.links.get(p, ())
                  if link.embed and target.path in vault.notes and target.path not in names]
        read = tuple((p, vault.notes.get(p), vault.links.get(p)) for p in [*names, *dict.fromkeys(titled)])
        self._content[path] = (context, embed_depth, read, tuple(shown.get(p, "") for p, _, _ in read), signature)
        self.computed.append(path)
        return signature

    def page(self, vault: Vault, path: str, content: str, *, linked: Sequence[Mention],
             unlinked: Sequence[Mention], graph_degree: int) -> str:
        """The page signature: kept while the mentions and each mentioning note are the same
        (the section shows each one's title: its note object stands for it). Without unlinked
        mentions, the same `linked` list as last time says so at once: while serving,
        `linked_mentions` keeps a target's list as long as none of the notes in it changed."""
        degree = min(graph_degree, 1)
        kept = self._page.get(path)
        if (kept is not None and kept[0] is linked and not unlinked and not kept[1] and kept[2] == content
                and kept[3] == degree):
            return kept[4]
        mentions = [*linked, *unlinked]
        key = (content, tuple(mentions), tuple(map(vault.notes.get, map(_SOURCE, mentions))), degree)
        if kept is not None and kept[5] == key:
            signature = kept[4]
        else:
            signature = page_signature(vault, content, mentions=mentions, graph_degree=graph_degree)
        self._page[path] = (linked, unlinked, content, degree, signature, key)
        return signature
