"""Link resolution, exactly by Obsidian's rules (spec §1.3, §1.4, §3): one policy, one module.

Order: the vault path as written, then relative to the linking note, then every file whose
path ends with the link (same folder first, then the shortest path, then alphabetical).
Case-insensitive (an exact-case match first), Unicode NFC, folders never targets. Aliases
are only a reported fallback, since the Obsidian app does not resolve them.
"""

from __future__ import annotations

import copy
import posixpath
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from .model import BlockId, Heading, Link, Note

TargetKind = Literal["note", "attachment", "missing", "outside"]

_HEADING_NOISE = re.compile(r"[#|^:%\[\]\\`]")
_NOT_WORD = re.compile(r"[^\w\s]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where a link goes: the file, and inside it the heading or block it names."""

    kind: TargetKind
    path: str | None = None
    heading: Heading | None = None
    block: BlockId | None = None
    via_alias: bool = False
    candidates: tuple[str, ...] = ()  # more than one: the link was ambiguous
    broken_anchor: bool = False

    @property
    def anchor(self) -> str:
        """The fragment to link to: a heading's id or a block's `^id`, else empty."""
        if self.block is not None:
            return "^" + self.block.id
        return self.heading.anchor if self.heading is not None else ""


def normalise_path(text: str) -> str:
    """NFC, forward slashes, no leading slash: the key every path is compared by."""
    return unicodedata.normalize("NFC", text.replace("\\", "/")).lstrip("/")


class Resolver:
    """Resolves link paths against one vault's files."""

    def __init__(self, paths: Iterable[str], notes: Mapping[str, Note]) -> None:
        self.notes = notes
        # Which file a link path names from a folder: valid for as long as `namespace_key`
        # is, so a caller may keep the resolver (`with_notes`) across rebuilds.
        self._memo: dict[tuple[str, str], Resolution] = {}
        self._by_lower: dict[str, list[str]] = defaultdict(list)
        self._by_name: dict[str, list[str]] = defaultdict(list)
        for path in sorted(paths):
            key = normalise_path(path).lower()
            self._by_lower[key].append(path)
            self._by_name[key.rsplit("/", 1)[-1]].append(path)
        self._aliases: dict[str, list[str]] = defaultdict(list)
        self._notebook_titles: dict[str, list[str]] = defaultdict(list)
        for path in sorted(notes):
            for alias in notes[path].aliases:
                self._aliases[normalise_path(alias).lower()].append(path)
            if path.endswith(".ipynb"):  # a notebook has no aliases; its H1 title names it
                self._notebook_titles[normalise_path(notes[path].title).lower()].append(path)

    def with_notes(self, notes: Mapping[str, Note]) -> Resolver:
        """This resolver for a vault of the same `namespace_key` whose notes changed: the
        path and name tables are shared, headings and blocks are read from `notes`."""
        again = copy.copy(self)
        again.notes = notes
        return again

    def resolve(self, link: Link, source: Note) -> Resolution:
        """Resolve a link written in `source`, subpath included."""
        if not link.target:
            return self._inside(source.path, link.subpath)
        found = self.resolve_path(link.target, source.path)
        if found.kind in ("note",) and found.path is not None:
            return self._inside(found.path, link.subpath, found)
        return found

    def resolve_path(self, linkpath: str, source_path: str) -> Resolution:
        """The file a link path names, seen from the note at `source_path`."""
        key = (linkpath, posixpath.dirname(source_path))  # nothing else of the source matters
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._resolve_path(linkpath, source_path)
        return found

    def _resolve_path(self, linkpath: str, source_path: str) -> Resolution:
        wanted = normalise_path(linkpath.strip())
        if not wanted:
            return Resolution("missing")
        for form in (wanted, wanted + ".md") if not wanted.lower().endswith(".md") else (wanted,):
            found = self._exact(form) or self._relative(form, source_path)
            if found is None and not _escapes(form):
                found = self._suffix(form, source_path)
            if found is not None:
                return found
        if _escapes(posixpath.join(posixpath.dirname(source_path), wanted)):
            return Resolution("outside")
        titled = self._notebook_titles.get(wanted.lower())
        if titled:
            return Resolution("note", titled[0], candidates=tuple(titled) if len(titled) > 1 else ())
        return self._alias(wanted)

    def _kind(self, path: str) -> TargetKind:
        return "note" if path in self.notes else "attachment"

    def _pick_case(self, paths: list[str], wanted: str) -> str:
        exact = [p for p in paths if normalise_path(p) in (wanted, wanted + ".md")]
        return (exact or paths)[0]

    def _exact(self, form: str) -> Resolution | None:
        paths = self._by_lower.get(form.lower())
        if not paths:
            return None
        path = self._pick_case(paths, form)
        return Resolution(self._kind(path), path, candidates=tuple(paths) if len(paths) > 1 else ())

    def _relative(self, form: str, source_path: str) -> Resolution | None:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source_path), form))
        if joined.startswith("../") or joined == "..":
            return None
        return self._exact(joined)

    def _suffix(self, form: str, source_path: str) -> Resolution | None:
        key = form.lower()
        name = key.rsplit("/", 1)[-1]
        candidates = [p for p in self._by_name.get(name, ())
                      if normalise_path(p).lower() == key or normalise_path(p).lower().endswith("/" + key)]
        if not candidates:
            return None
        folder = posixpath.dirname(source_path)
        same = [p for p in candidates if posixpath.dirname(p) == folder]
        best = (same or sorted(candidates, key=lambda p: (len(p), p)))[0]
        return Resolution(self._kind(best), best, candidates=tuple(sorted(candidates)) if len(candidates) > 1 and not same else ())

    def _alias(self, wanted: str) -> Resolution:
        paths = self._aliases.get(wanted.lower())
        if not paths:
            return Resolution("missing")
        return Resolution("note", paths[0], via_alias=True, candidates=tuple(paths) if len(paths) > 1 else ())

    def _inside(self, path: str, subpath: str, found: Resolution | None = None) -> Resolution:
        base = found or Resolution("note", path)
        note = self.notes.get(path)
        subpath = subpath.strip().strip("#")
        if note is None or not subpath:
            return base
        if subpath.startswith("^"):
            block = find_block(note, subpath[1:])
            return _replace(base, block=block, broken_anchor=block is None)
        heading = find_heading(note, subpath)
        return _replace(base, heading=heading, broken_anchor=heading is None)


def _replace(base: Resolution, **changes: object) -> Resolution:
    from dataclasses import replace

    return replace(base, **changes)  # type: ignore[arg-type]


def _escapes(path: str) -> bool:
    """A path that leaves the vault (`../x`, a drive letter, an absolute path)."""
    normal = posixpath.normpath(path.replace("\\", "/"))
    return normal.startswith("../") or normal == ".." or bool(re.match(r"^[A-Za-z]:", path))


def heading_key(text: str) -> str:
    """Lenient heading comparison (spec §1.4): Obsidian's link-breaking characters to spaces,
    whitespace collapsed, lower case."""
    return " ".join(_HEADING_NOISE.sub(" ", unicodedata.normalize("NFC", text)).split()).lower()


def _loose_key(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", heading_key(text)).split())


def find_heading(note: Note, subpath: str) -> Heading | None:
    """The heading a `#A#B` subpath names: B within the section of A (the last one wins)."""
    chain = [part for part in subpath.split("#") if part.strip()]
    candidates = list(note.headings)
    for depth, part in enumerate(chain):
        match = _match_heading(candidates, part)
        if match is None:
            return None
        if depth == len(chain) - 1:
            return match
        candidates = _section_headings(note.headings, match)
    return None


def _match_heading(headings: list[Heading], wanted: str) -> Heading | None:
    for key in (heading_key, _loose_key):
        target = key(wanted)
        for heading in headings:
            if key(heading.text) == target:
                return heading
    return None


def _section_headings(headings: tuple[Heading, ...], parent: Heading) -> list[Heading]:
    """The headings under `parent`, up to the next heading of the same or a higher level."""
    inside: list[Heading] = []
    after = False
    for heading in headings:
        if heading is parent:
            after = True
        elif after:
            if heading.level <= parent.level:
                break
            inside.append(heading)
    return inside


def find_block(note: Note, block_id: str) -> BlockId | None:
    """A block by its id, exact first, then ignoring case."""
    for block in note.block_ids:
        if block.id == block_id:
            return block
    lowered = block_id.lower()
    return next((b for b in note.block_ids if b.id.lower() == lowered), None)


Namespace = tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]


def namespace_key(paths: Iterable[str], notes: Mapping[str, Note]) -> Namespace:
    """What `Resolver` is made from and `Resolver.resolve_path` answers from: the vault's
    paths, the notes' aliases and the notebooks' titles. Headings and blocks are looked up
    afresh each time. Compared whole (a few thousand short strings), not hashed."""
    named = []
    for path in sorted(notes):
        names = notes[path].aliases + ((notes[path].title,) if path.endswith(".ipynb") else ())
        if names:
            named.append((path, names))
    return tuple(sorted(paths)), tuple(named)
