"""The whole vault, scanned once per build: notes, attachments, what is private, every link.

`Vault` is the index of STYLE.md §2: backlinks, the graph, tag pages and the timeline are all
functions of it. Parsing is cached by content across builds (`ParseCache`), so a `mkdocs serve`
rebuild re-parses only the notes whose text changed.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from .build_cache import BuildCache, digest
from .frontmatter import read_frontmatter
from .model import Link, Note, Problem
from .resolve import Namespace, Resolution, Resolver, namespace_key
from .scan import Slugify, default_slugify, scan_note

PublishMode = Literal["all", "opt-in"]

# Comments in a note published as plain text: to the closing mark, or to the end if unclosed
# (more is hidden than Obsidian hides, never less).
_COMMENTS = re.compile(r"%%.*?(?:%%|\Z)|<!--.*?(?:-->|\Z)", re.DOTALL)


def decode_note(path: str, data: bytes) -> tuple[str, Problem | None]:
    """UTF-8 text with LF newlines. MkDocs would abort the whole build on other bytes, so a
    legacy file is read as Windows-1252 (Latin-1 as a last resort) and reported by line."""
    try:
        text, problem = data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        try:
            text, encoding = data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "Latin-1"
        problem = Problem(path, line, f"not valid UTF-8; read as {encoding}")
    return text.replace("\r\n", "\n").replace("\r", "\n"), problem


Pairs = list[tuple[Link, Resolution]]  # a note's links, each with where it goes; never mutated


@dataclass
class ParseCache:
    """Scanned notes by path, with the text each was scanned from, kept across `serve`
    rebuilds: a text equal to the kept one (a memcmp, cheaper than hashing it) is not
    scanned again. A note not kept here may be in `disk`, the last build's (build_cache.py),
    whose version names the slugify function."""

    entries: dict[str, tuple[str, Note]] = field(default_factory=dict)
    parsed: list[str] = field(default_factory=list)  # paths parsed (not cached) in the last build
    disk: BuildCache | None = None
    # The resolver made from one namespace (`resolve.namespace_key`), with the link paths it
    # resolved: kept while the namespace holds.
    namespace: Namespace | None = None
    resolver: Resolver | None = None
    # Under that namespace too, each note's resolved links: path -> (the note, its pairs, the
    # notes whose headings or blocks they name). Valid while the note object and those are.
    links: dict[str, tuple[Note, Pairs, tuple[tuple[str, Note | None], ...]]] = field(default_factory=dict)
    resolved: list[str] = field(default_factory=list)  # notes whose links the last build resolved
    # Each note's pairs with the attachments they reference: the same pairs object is the same
    # namespace, so the same set of attachments to look them up in.
    attachment_refs: dict[str, tuple[Pairs, list[str]]] = field(default_factory=dict)

    def resolved_links(self, note: Note, notes: dict[str, Note], resolver: Resolver) -> Pairs:
        """`note`'s links resolved, kept from the last build when nothing they read changed:
        not the note (an unchanged note keeps its object), not the namespace (the caller
        empties `links` when it moves), not the headings and blocks of the notes they name."""
        kept = self.links.get(note.path)
        if kept is not None and kept[0] is note and all(notes.get(path) is named for path, named in kept[2]):
            return kept[1]
        pairs = [(link, resolver.resolve(link, note)) for link in note.links]
        # A subpath is looked up in the note it resolves to (in `note` itself for `[[#x]]`).
        named = {target.path: notes.get(target.path) for link, target in pairs
                 if target.path is not None and link.subpath.strip().strip("#")}
        self.links[note.path] = (note, pairs, tuple(named.items()))
        self.resolved.append(note.path)
        return pairs

    def note(self, path: str, text: str, slugify: Slugify, separator: str) -> Note:
        kept = self.entries.get(path)
        if kept is not None and kept[0] == text:
            return kept[1]
        key = digest("note", path, text) if self.disk is not None else b""
        if self.disk is not None and (state := self.disk.get(key)) is not None:
            found = _note_with_text(state, text)
        else:
            found = _scan_or_plain(path, text, slugify, separator)
            self.parsed.append(path)
            if self.disk is not None:  # the text is the key's: kept once, in the vault, unless the
                # note holds another (published as plain text; a NUL replaced)
                self.disk.put(key, {**vars(found), "text": None if found.text == text else found.text})
        self.entries[path] = (text, found)
        return found

    def keep_only(self, live: Iterable[Note]) -> None:
        """Evict every entry but these notes: deleted notes go."""
        wanted = {id(note) for note in live}
        for path in [p for p, (_, note) in self.entries.items() if id(note) not in wanted]:
            del self.entries[path]


def _note_with_text(state: dict[str, object], text: str) -> Note:
    """A note kept without its text (`ParseCache.note`), with it again."""
    note = object.__new__(Note)
    vars(note).update(state, text=text if state["text"] is None else state["text"])
    return note


def _scan_or_plain(path: str, text: str, slugify: Slugify, separator: str) -> Note:
    """`scan_note`; a note it fails on is reported and published as plain text, so a bug the
    note's text runs into costs that note alone, not the build."""
    try:
        return scan_note(path, text, slugify=slugify, separator=separator)
    except Exception as error:  # noqa: BLE001 - any fault in the scanner: the build goes on
        return plain_text_note(path, text, f"{type(error).__name__}: {error}"[:100])


def plain_text_note(path: str, text: str, reason: str) -> Note:
    """The note as one indented code block of its body, comments taken out: nothing in it is
    read as a link, tag, HTML or Markdown. Its frontmatter still decides whether it is
    published; a note whose frontmatter cannot be read either is not published at all."""
    try:
        fm = read_frontmatter(path, text)
    except Exception:  # noqa: BLE001
        problem = Problem(path, 1, f"could not be scanned ({reason}); not published")
        return Note(path, text, {"publish": False}, len(text), text.count("\n") + 1, problems=(problem,))
    head, body = text[: fm.body_start], _COMMENTS.sub("", text[fm.body_start :])
    code = "\n".join("    " + line if line.strip() else "" for line in body.split("\n"))
    body_line = head.count("\n") + 1
    problem = Problem(path, 1, f"could not be scanned ({reason}); read as plain text")
    return Note(path, head + code, fm.data, fm.body_start, body_line,
                verbatim=((body_line, body_line + code.count("\n")),), problems=(*fm.problems, problem))


@dataclass(frozen=True)
class PrivacyRules:
    """What is never published: the files the site generator leaves out (`excluded`, whatever
    their frontmatter says), `publish: false` notes, folder globs, or (opt-in) all but
    `publish: true` notes."""

    globs: tuple[str, ...] = ()
    mode: PublishMode = "all"
    excluded: frozenset[str] = frozenset()

    def is_private_note(self, note: Note) -> bool:
        if note.path in self.excluded:
            return True
        flag = note.frontmatter.get("publish")
        if isinstance(flag, str):
            flag = {"true": True, "false": False}.get(flag.strip().lower())
        if flag is True:
            return False
        if flag is False or self.mode == "opt-in":
            return True
        return self.matches(note.path)

    def matches(self, path: str) -> bool:
        return path in self.excluded or any(fnmatch.fnmatchcase(path, glob) or path.startswith(glob.rstrip("*/") + "/")
                   for glob in self.globs)


@dataclass
class Vault:
    """Every note and attachment of one build, with each link resolved once."""

    notes: dict[str, Note]
    attachments: set[str]
    private: set[str]
    resolver: Resolver
    links: dict[str, list[tuple[Link, Resolution]]]
    problems: list[Problem]
    namespace: Namespace = ((), ())  # what `resolver` answers from (`namespace_key`)

    def is_public(self, path: str | None) -> bool:
        return path is not None and path not in self.private and (path in self.notes or path in self.attachments)

    def published_notes(self) -> list[Note]:
        """Published notes in path order, the order everything emitted is sorted by."""
        return [self.notes[p] for p in sorted(self.notes) if p not in self.private]



def build_vault(texts: dict[str, str], attachments: Iterable[str], *, privacy: PrivacyRules,
                cache: ParseCache | None = None, slugify: Slugify = default_slugify,
                separator: str = "-", extra_problems: Iterable[Problem] = ()) -> Vault:
    """Scan every note (cached by content), decide privacy, resolve every link."""
    cache = cache if cache is not None else ParseCache()
    cache.parsed = []
    notes = {path: cache.note(path, texts[path], slugify, separator) for path in sorted(texts)}
    attachment_set = set(attachments)
    paths = [*notes, *attachment_set]
    namespace = namespace_key(paths, notes)
    if cache.resolver is None or cache.namespace != namespace:
        cache.namespace, cache.links, cache.resolver = namespace, {}, Resolver(paths, notes)
    else:
        cache.resolver = cache.resolver.with_notes(notes)
    resolver = cache.resolver
    cache.resolved = []
    links = {path: cache.resolved_links(note, notes, resolver) for path, note in notes.items()}
    cache.links = {path: cache.links[path] for path in notes}  # deleted notes go
    private = {path for path, note in notes.items() if privacy.is_private_note(note)}
    private |= _private_attachments(attachment_set, links, private, privacy.matches, cache.attachment_refs)
    problems = list(extra_problems)
    for note in notes.values():
        problems.extend(note.problems)
    return Vault(notes, attachment_set, private, resolver, links, problems, cache.namespace)


def _private_attachments(attachments: set[str], links: dict[str, list[tuple[Link, Resolution]]],
                         private_notes: set[str], in_private_folder: Callable[[str], bool],
                         refs: dict[str, tuple[Pairs, list[str]]]) -> set[str]:
    """Attachments in private folders, and those that only private notes reference. `refs`
    keeps what each note's pairs reference (`ParseCache.attachment_refs`)."""
    used_by_public: set[str] = set()
    used_by_private: set[str] = set()
    kept = {}
    for source, pairs in links.items():
        hit = refs.get(source)
        if hit is None or hit[0] is not pairs:
            hit = (pairs, [r.path for _, r in pairs if r.path in attachments])
        kept[source] = hit
        if hit[1]:
            (used_by_private if source in private_notes else used_by_public).update(hit[1])
    refs.clear()
    refs.update(kept)
    return {a for a in attachments if in_private_folder(a)} | (used_by_private - used_by_public)


LinkProblemMemo = dict[str, tuple[Pairs, list[Problem]]]  # source -> (its pairs, their problems)


def link_problems(vault: Vault, memo: LinkProblemMemo | None = None) -> list[Problem]:
    """One message per doubtful link of a published note: unresolved, outside the vault,
    ambiguous, resolved only through an alias, or naming a heading or block that is missing.
    `memo` (kept while serving) holds each note's messages with its link list, which the
    parse cache keeps while the note and what its links read are unchanged."""
    found: list[Problem] = []
    kept: LinkProblemMemo = {}
    for source in sorted(vault.links):
        if source in vault.private:
            continue
        pairs = vault.links[source]
        hit = memo.get(source) if memo is not None else None
        if hit is None or hit[0] is not pairs:
            hit = (pairs, [Problem(source, link.line, message) for link, target in pairs
                           if (message := _link_message(link, target))])
        kept[source] = hit
        found.extend(hit[1])
    if memo is not None:
        memo.clear()
        memo.update(kept)
    return found


def _link_message(link: Link, target: Resolution) -> str | None:
    raw = link.raw
    if target.kind == "outside":
        return f"link points outside the vault, not followed: '{raw}'"
    if target.kind == "missing":
        if link.kind == "markdown":  # MkDocs reports a missing relative link; not an absolute one
            return f"absolute link to a file not in the vault: '{raw}'" if link.target.startswith("/") else None
        return f"unresolved link (not written yet): '{raw}'"
    if target.via_alias:
        return f"resolved only through an alias of '{target.path}' (Obsidian would not): '{raw}'"
    if target.candidates:
        names = ", ".join(target.candidates)
        return f"ambiguous link '{raw}' resolved to '{target.path}'; candidates: {names}"
    if target.broken_anchor:
        return f"no heading or block '{link.subpath}' in '{target.path}': '{raw}'"
    return None
