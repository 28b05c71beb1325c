"""Linked and unlinked mentions: who points at a note, with the sentence around each link.

Computed from the whole-vault index only (never from pages rendered earlier), so they stay
right in `serve` rebuilds and `--dirty` builds. Context snippets are rendered with markdown-it
with raw HTML off, so nothing a note says can inject markup into another note's page.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from markdown_it import MarkdownIt

from .model import Link, Note
from .rewrite import display_text
from .vault import Pairs, Vault

# Where the mention goes in a context while it is rendered. Control characters survive
# markdown-it untouched (it replaces only NUL) and, unlike the private-use characters this
# once was, keep a context a one-byte-per-character string: a page holding a two-byte string
# anywhere is written out as one, and encoding that to UTF-8 cost more than making the mentions.
_HIT = "\x02HIT\x03"
_ELLIPSIS = "&#8230;"  # `…`, as a character reference for the same reason
_PREFIX = re.compile(r"^(?:[ \t]*>)*[ \t]*(?:[-*+]|\d+[.)])?[ \t]*(?:\[.\][ \t]+)?")
_MAX_CONTEXT = 280


@dataclass(frozen=True, slots=True)
class Mention:
    """One place in `source` that mentions the target: its line and rendered context."""

    source: str
    line: int
    context_html: str
    anchor: str  # the nearest heading above, to link straight to the place


@lru_cache(maxsize=1)
def _inline_renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("strikethrough")


Made = list[tuple[str, "Mention"]]  # (target, mention) for each link of a note with a target


@dataclass
class MentionMemo:
    """`linked_mentions` kept across `serve` rebuilds: each source note's mentions with the
    note and resolved links they were made from, and the last answer with what decided which
    targets are published in it."""

    made: dict[str, tuple[Note, Pairs, Made]] = field(default_factory=dict)
    found: dict[str, list[Mention]] = field(default_factory=dict)
    published: tuple[frozenset[str], ...] = ()


def linked_mentions(vault: Vault, memo: MentionMemo | None = None) -> dict[str, list[Mention]]:
    """Target path -> mentions from published notes, sorted by source path then line.

    A mention depends only on its source note and link, and where it goes on the note's
    resolved links, so `memo` (kept by the caller across `serve` rebuilds, where an unchanged
    note and its unchanged resolution are the same objects) keeps each note's mentions: a
    rebuild makes only the edited note's again. While the published set holds, it also
    regroups only the targets those notes mention or mentioned; every other target keeps its
    list, the same object.
    """
    kept: dict[str, tuple[Note, Pairs, Made]] = {}
    changed: list[str] = []
    for source in sorted(vault.links):
        if source in vault.private:
            continue
        note, pairs = vault.notes[source], vault.links[source]
        hit = memo.made.get(source) if memo is not None else None
        if hit is not None and hit[0] is note and hit[1] is pairs:
            kept[source] = hit
            continue
        lines = _pieces_by_line(note) if pairs else {}
        kept[source] = (note, pairs, [(target.path, _mention(note, link, lines)) for link, target in pairs
                                      if target.path is not None and target.path != source])
        changed.append(source)
    published = (frozenset(vault.private), frozenset(vault.notes), frozenset(vault.attachments))
    if memo is None or memo.published != published:
        found = _grouped(vault, kept.values())
    else:  # the same published notes: each changed source was in the last build too
        found = _regrouped(vault, memo, kept, changed)
    if memo is not None:  # only this build's notes stay
        memo.made, memo.found, memo.published = kept, found, published
    return found


def _grouped(vault: Vault, made: Iterable[tuple[Note, Pairs, Made]]) -> dict[str, list[Mention]]:
    found: dict[str, list[Mention]] = defaultdict(list)
    for _, _, mentions in made:
        for target, mention in mentions:
            if vault.is_public(target):  # privacy can change without this note changing
                found[target].append(mention)
    return dict(found)


def _regrouped(vault: Vault, memo: MentionMemo, kept: dict[str, tuple[Note, Pairs, Made]],
               changed: list[str]) -> dict[str, list[Mention]]:
    """The last answer with the mentions of the `changed` sources (in path order) made again:
    a target's list keeps its order (by source, then place in the source) by a stable sort on
    the source."""
    if not changed:
        return memo.found
    found = dict(memo.found)
    made = [pair for source in changed for pair in kept[source][2]]
    touched = {target for target, _ in made}
    touched.update(target for source in changed for target, _ in memo.made[source][2])
    redone = set(changed)
    for target in sorted(touched):  # new keys in the same order in every process
        if not vault.is_public(target):
            continue
        mentions = [m for m in found.get(target, ()) if m.source not in redone]
        mentions += [mention for to, mention in made if to == target]
        mentions.sort(key=_SOURCE)
        if mentions:
            found[target] = mentions
        else:
            found.pop(target, None)
    return found


_SOURCE = attrgetter("source")


def _mention(note: Note, link: Link, lines: dict[int, list[_Piece]]) -> Mention:
    if link.kind == "frontmatter":
        context = f"property: <mark>{html.escape(display_text(link))}</mark>"
        return Mention(note.path, link.line, context, "")
    context = context_html(note, link.span.start, link.span.end, display_text(link), lines)
    return Mention(note.path, link.line, context, heading_anchor_above(note, link.line))


# A span of the note, what a context shows in its place, and whether it must end on the line
# (a link does; a comment or block id starting on the line is dropped wherever it ends).
_Piece = tuple[int, int, str, bool]


def _pieces_by_line(note: Note) -> dict[int, list[_Piece]]:
    """What `context_html` replaces in each line, keyed by the offset where the line starts,
    in order: links by their display text, comments and block ids by nothing. Computed once
    per note, not once per mention of one of its links."""
    found: dict[int, list[_Piece]] = {}
    text = note.text
    pieces = [(link.span.start, link.span.end, _escape_md(display_text(link)), True) for link in note.links]
    pieces += [(c.start, c.end, "", False) for c in note.comments]
    pieces += [(b.marker.start, b.marker.end, "", False) for b in note.block_ids]
    for piece in sorted(pieces):
        found.setdefault(text.rfind("\n", 0, piece[0]) + 1, []).append(piece)
    return found


def context_html(note: Note, start: int, end: int, shown: str, lines: dict[int, list[_Piece]] | None = None) -> str:
    """The line around `note.text[start:end]`, rendered inline, that span shown as `<mark>`.

    Other links show their display text, comments and block ids disappear (a piece that
    overlaps one before it is left as it is), and a long line is cut to a window around the
    mention. `lines`: the note's `_pieces_by_line`, when the caller has them.
    """
    text = note.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    on_line = (_pieces_by_line(note) if lines is None else lines).get(line_start, ())
    out: list[str] = []
    pos, hit = line_start, True
    for piece_start, piece_end, replacement, bounded in on_line:
        if piece_start == start or piece_start >= line_end or (bounded and piece_end > line_end):
            continue
        if hit and piece_start > start:
            hit = False
            if start >= pos:
                out += [text[pos:start], _HIT]
                pos = end
        if piece_start >= pos:
            out += [text[pos:piece_start], replacement]
            pos = piece_end
    if hit and start >= pos:
        out += [text[pos:start], _HIT]
        pos = end
    out.append(text[pos:line_end])
    before, shortened, after = _window(_PREFIX.sub("", "".join(out), count=1).strip())
    rendered = render_inline(shortened).replace(_HIT, f'<mark class="garden-mention">{_escaped(shown)}</mark>')
    return before + rendered + after


# What can start inline syntax. Not `>`: without block parsing it is only ever text, which
# markdown-it renders as `&gt;` (so does the shortcut below), and `_escape_md` leaves it be.
_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]!<&~\n\r\x00]")


def render_inline(text: str) -> str:
    """`text` rendered as inline Markdown (raw HTML off). Most contexts are plain prose, where
    that is only escaping, so markdown-it runs only when a character could start syntax."""
    if _INLINE_SYNTAX.search(text):
        return _inline_renderer().renderInline(text)
    return text.replace('"', "&quot;").replace(">", "&gt;")


def _window(text: str) -> tuple[str, str, str]:
    """At most `_MAX_CONTEXT` characters, centred on the mention, cut at spaces, and the
    ellipses (HTML) that show where it was cut."""
    if len(text) <= _MAX_CONTEXT:
        return "", text, ""
    hit = text.find(_HIT)
    start = max(0, hit - _MAX_CONTEXT // 2)
    end = min(len(text), start + _MAX_CONTEXT)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    space = text.find(" ", end)
    end = space if space > 0 else len(text)
    return (f"{_ELLIPSIS} " if start else ""), text[start:end], (f" {_ELLIPSIS}" if end < len(text) else "")


# Escaped: what could start inline syntax, and a leading `>`, which `_PREFIX` would take for
# a quote. Any other `>` needs no escape (see `_INLINE_SYNTAX`).
_MD_SPECIAL = re.compile(r"[\\`*_\[\]<]|^[ \t]*>")


def _escape_md(text: str) -> str:
    """`text` as inline Markdown that renders as itself. Most display texts, a heading
    link's `Note > Heading` among them, need no escape at all."""
    if not _MD_SPECIAL.search(text):
        return text
    return _MD_SPECIAL.sub(lambda found: found.group()[:-1] + "\\" + found.group()[-1], text)


def heading_anchor_above(note: Note, line: int) -> str:
    """The id of the last heading at or before `line`, or '' at the top of the note."""
    above = bisect_right(note.heading_lines, line)
    return note.headings[above - 1].anchor if above else ""


def unlinked_mentions(vault: Vault) -> dict[str, list[Mention]]:
    """Published notes naming another note's title or alias in plain text without linking it.

    Names are matched case-insensitively as whole words, leftmost first and the longest name
    at a place; code, math, comments, headings and existing links are masked out first.
    """
    names: dict[str, str] = {}
    for note in vault.published_notes():
        for name in (note.title, *note.aliases):
            if len(name) >= 3:
                names.setdefault(name.lower(), note.path)
    if not names:
        return {}
    finder = NameFinder(names)
    found: dict[str, list[Mention]] = {}
    for note in vault.published_notes():
        linked = {r.path for _, r in vault.links.get(note.path, ())}
        seen: set[str] = set()
        lines: dict[int, list[_Piece]] | None = None
        for start, end in finder.find(_masked_body(note)):
            target = names[note.text[start:end].lower()]
            if target in (note.path, *linked) or target in seen:
                continue
            seen.add(target)
            line = note.line_of(start)
            lines = _pieces_by_line(note) if lines is None else lines
            context = context_html(note, start, end, note.text[start:end], lines)
            found.setdefault(target, []).append(Mention(note.path, line, context, heading_anchor_above(note, line)))
    return found


_WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")


class NameFinder:
    """Finds whole-word, case-insensitive occurrences of many names in one pass.

    One regex alternation of every name would try each name at each character (a thousand
    titles made that minutes of work); instead each word of the text looks up the names that
    start with it. The few names that start with punctuation use a small alternation.
    """

    def __init__(self, names: Iterable[str]) -> None:
        by_word: dict[str, dict[int, set[str]]] = {}
        other = []
        for name in {n.lower() for n in names}:
            first = _WORD.match(name)
            if first:
                by_word.setdefault(first.group(), {}).setdefault(len(name), set()).add(name)
            else:
                other.append(name)
        # first word -> (length, names of that length), longest first
        self._by_word = {word: sorted(sizes.items(), reverse=True) for word, sizes in by_word.items()}
        alternation = "|".join(re.escape(n) for n in sorted(other, key=lambda n: (-len(n), n)))
        self._other = re.compile(rf"(?<!\w)(?=({alternation})(?!\w))", re.IGNORECASE) if other else None

    def find(self, text: str) -> list[tuple[int, int]]:
        """Non-overlapping (start, end) spans, leftmost first, the longest name at a start."""
        lowered = text.lower()
        if len(lowered) != len(text):  # a few letters lengthen when lowered: compare one by one
            lowered = "".join(c.lower()[:1] for c in text)
        candidates: dict[int, int] = {}
        for word in _WORD.finditer(lowered):
            start = word.start()  # always a word's start: `\w+` is greedy
            for length, same_length in self._by_word.get(word.group(), ()):
                end = start + length
                if lowered[start:end] in same_length and not _WORD_CHAR.match(lowered, end):
                    candidates[start] = end
                    break
        if self._other is not None:
            for match in self._other.finditer(text):
                end = match.start() + len(match.group(1))
                candidates[match.start()] = max(end, candidates.get(match.start(), 0))
        spans, last_end = [], 0
        for start in sorted(candidates):
            if start >= last_end:
                spans.append((start, candidates[start]))
                last_end = candidates[start]
        return spans


def _masked_body(note: Note) -> str:
    """The note with frontmatter, code, math, comments, headings and links blanked out (same
    length, so offsets still point into the note)."""
    chars = list(note.text)

    def blank(start: int, end: int) -> None:
        for index in range(start, min(end, len(chars))):
            if chars[index] != "\n":
                chars[index] = " "

    blank(0, note.body_start)
    starts = [0] + [m.end() for m in re.finditer("\n", note.text)]
    for first, last in note.verbatim:
        blank(starts[first - 1], starts[last] if last < len(starts) else len(chars))
    for heading in note.headings:
        blank(starts[heading.line - 1], starts[heading.line] if heading.line < len(starts) else len(chars))
    for span in [link.span for link in note.links] + list(note.comments):
        blank(span.start, span.end)
    return "".join(chars)


def mentions_html(title: str, mentions: list[Mention], url_of: Callable[[str], str | None],
                  title_of: Callable[[str], str], css: str) -> str:
    """A `<section>` of mentions grouped per source note, in source-path order. `url_of` gives
    a source note's URL relative to the page (None if it has none: its links become `#`)."""
    if not mentions:
        return ""
    groups: dict[str, list[Mention]] = {}
    for mention in sorted(mentions, key=lambda m: (m.source, m.line)):
        groups.setdefault(mention.source, []).append(mention)
    items = []
    for source, group in groups.items():
        url = url_of(source)
        page = _escaped(url) if url is not None else "#"
        title_there = _escaped(title_of(source))
        # The context may hold external links of its own, so the jump link sits beside it.
        contexts = "".join(f'<li class="garden-mention-context">{m.context_html} <a class="garden-mention-jump" '
                           f'href="{_jump(page, m.anchor)}" aria-label="Go to line {m.line} of {title_there}">&#8617;</a></li>'
                           for m in group)
        items.append(f'<li><a class="garden-mention-source" href="{page}">{title_there}</a><ul>{contexts}</ul></li>')
    count = len(groups)
    return (f'<section class="garden-mentions {css}"><h2 class="garden-mentions__title">{html.escape(title)} '
            f'<span class="garden-mentions__count">{count}</span></h2><ul>{"".join(items)}</ul></section>')


def _jump(page: str, anchor: str) -> str:
    """The escaped URL of a place in a source page (its heading), or of the page."""
    return f"{page}#{_escaped(anchor)}" if anchor and page != "#" else page


# Every page's mentions escape the same titles, anchors and URLs again: html.escape is five
# passes over the text, and most of these strings need none.
_SPECIAL = re.compile(r"[&<>\"']")


def _escaped(text: str) -> str:
    """`html.escape(text)`."""
    return html.escape(text) if _SPECIAL.search(text) else text
