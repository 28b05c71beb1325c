"""The text of a journal entry: its body, the links in it, and a short summary of it.

Positions come from the scanner (`Note.headings`, `Note.links`, `Note.comments`), so nothing
here re-parses Markdown: a body is a slice of the source between two known lines with the
comment spans cut out, and its links are the note's links that fall on those lines.
"""

from __future__ import annotations

import re

from .model import Note

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # http:, mailto:, obsidian: ... not notes
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")


def line_offsets(text: str) -> list[int]:
    """The offset where each line starts (index 0 is line 1), plus len(text) at the end."""
    offsets = [0]
    for match in re.finditer("\n", text):
        offsets.append(match.end())
    return offsets + [len(text)] if offsets[-1] != len(text) else offsets


def section_body(note: Note, heading_line: int, end_line: int) -> str:
    """The source of lines heading_line+1 .. end_line (1-based, inclusive), comments removed.

    A setext heading's underline is the heading's, not the body's; Obsidian `%%` and HTML
    comments (`Note.comments`) are private notes to self and must not reach a summary.
    """
    lines = note.text.split("\n")
    first = heading_line + 1
    if heading_line - 1 < len(lines) and not lines[heading_line - 1].lstrip().startswith("#") \
            and first - 1 < len(lines) and _SETEXT_UNDERLINE.match(lines[first - 1]):
        first += 1
    offsets = line_offsets(note.text)
    start = offsets[min(first - 1, len(offsets) - 1)]
    end = offsets[min(end_line, len(offsets) - 1)]
    pieces, cursor = [], start
    for span in sorted(note.comments, key=lambda s: s.start):
        if span.end <= cursor or span.start >= end:
            continue
        pieces.append(note.text[cursor:max(span.start, cursor)])
        cursor = span.end
    pieces.append(note.text[cursor:end] if cursor < end else "")
    return "".join(pieces)


def body_links(note: Note, after_line: int, end_line: int) -> tuple[str, ...]:
    """Raw targets of wiki and Markdown links on lines after_line+1 .. end_line, first seen first.

    External URLs and same-note links (`[[#Heading]]`) are not notes the entry links to.
    """
    targets: dict[str, None] = {}
    for link in sorted(note.links, key=lambda k: (k.line, k.span.start)):
        if after_line < link.line <= end_line and link.target and not _SCHEME.match(link.target):
            targets.setdefault(link.target, None)
    return tuple(targets)


def summarize(body: str, limit: int = 200) -> str:
    """About `limit` characters of the body as Markdown: whole lines, blank runs collapsed.

    A first line longer than the limit is cut at a word boundary, backing off so that no link,
    wikilink or code span is left open (an open `[[` would swallow the rest of the page).
    The cut is marked with an ellipsis.
    """
    kept: list[str] = []
    size = 0
    truncated = False
    for raw in body.strip("\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            if kept and kept[-1]:
                kept.append("")
            continue
        if size + len(line) > limit:
            truncated = True
            if not kept:
                kept.append(_cut(line, limit))
            break
        kept.append(line)
        size += len(line)
    while kept and not kept[-1]:
        kept.pop()
    if truncated and kept:
        kept[-1] = kept[-1].rstrip() + " …"
    return "\n".join(kept)


def _cut(line: str, limit: int) -> str:
    """`line` cut at the last space before `limit`, never inside a link or code span."""
    cut = line[:limit]
    if not line[limit].isspace() and " " in cut:  # the last word is cut through: drop it
        cut = cut[: cut.rfind(" ")]
    if cut.count("[[") > cut.count("]]"):
        cut = cut[: cut.rfind("[[")]
    if cut.count("`") % 2:
        cut = cut[: cut.rfind("`")]
    opened = cut.rfind("](")
    if opened > cut.rfind(")"):  # a Markdown link cut inside its URL
        cut = cut[: cut.rfind("[", 0, opened)]
    elif cut.count("[") > cut.count("]"):  # or inside its text
        cut = cut[: cut.rfind("[")]
    return cut.rstrip()
