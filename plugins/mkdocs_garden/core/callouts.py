"""Obsidian callouts as Material admonitions (spec §5), by editing line prefixes only.

A callout `> [!tip]- Title` becomes `??? tip "Title"` and each of its lines trades one `>`
for four spaces of indentation, so nested callouts, lazy continuation lines and the links in
the body keep their exact spans for the other edits.
"""

from __future__ import annotations

from .model import Callout, Note

# Obsidian's types and aliases; each alias is also a Material admonition type.
CALLOUT_TYPES = {
    "note": "note", "abstract": "abstract", "summary": "abstract", "tldr": "abstract",
    "info": "info", "todo": "info", "tip": "tip", "hint": "tip", "important": "tip",
    "success": "success", "check": "success", "done": "success", "question": "question",
    "help": "question", "faq": "question", "warning": "warning", "caution": "warning",
    "attention": "warning", "failure": "failure", "fail": "failure", "missing": "failure",
    "danger": "danger", "error": "danger", "bug": "bug", "example": "example",
    "quote": "quote", "cite": "quote",
}

Edit = tuple[int, int, str]


def callout_edits(note: Note, callout: Callout, line_starts: list[int]) -> list[Edit]:
    """Edits that turn one callout (at blockquote depth `callout.depth`) into an admonition."""
    first, last = callout.lines
    edits: list[Edit] = []
    for line_no in range(first, last + 1):
        start = line_starts[line_no - 1]
        end = line_starts[line_no] - 1 if line_no < len(line_starts) else len(note.text)
        marker = _nth_marker(note.text, start, end, callout.depth)
        if line_no == first:
            if marker is None:
                return []
            edits.append(_header_edit(note.text, marker, end, callout))
        elif marker is None:
            edits.append((start, start, "    "))  # a lazy continuation line
        else:
            cut = marker + 2 if note.text[marker + 1 : marker + 2] == " " else marker + 1
            edits.append((marker, cut, "    "))
    return edits


def _nth_marker(text: str, start: int, end: int, depth: int) -> int | None:
    """Offset of the `>` that opens blockquote level `depth` (0-based) on this line."""
    seen = 0
    pos = start
    while pos < end:
        char = text[pos]
        if char == ">":
            if seen == depth:
                return pos
            seen += 1
        elif char not in " \t":
            return None
        pos += 1
    return None


def _header_edit(text: str, marker: int, end: int, callout: Callout) -> Edit:
    """`> [!type]± ` up to the title becomes `!!! type "` and the line end gets `"`."""
    close = text.index("]", marker)
    title_start = close + 1 + len(callout.fold)
    while title_start < end and text[title_start] in " \t":
        title_start += 1
    words = callout.type.split()
    kind = CALLOUT_TYPES.get(callout.type, "note")
    classes = [kind] + ([] if callout.type == kind else ["-".join(words)])
    classes += [c for c in callout.metadata.replace(",", " ").split() if c.isidentifier()]
    opener = {"": "!!!", "+": "???+", "-": "???"}[callout.fold]
    default_title = callout.type.title() if callout.title is None else ""
    return (marker, title_start, f'{opener} {" ".join(classes)} "{default_title}')


def closing_quote_edit(note: Note, callout: Callout, line_starts: list[int]) -> Edit:
    """The `"` that ends the admonition title, at the end of the callout's first line."""
    first = callout.lines[0]
    end = line_starts[first] - 1 if first < len(line_starts) else len(note.text)
    while end > line_starts[first - 1] and note.text[end - 1] in " \t\r":
        end -= 1
    return (end, end, '"')


def plain_callout_edit(note: Note, callout: Callout, line_starts: list[int]) -> Edit:
    """For renderers without admonitions: `> [!tip]- Title` becomes `> **Title**`."""
    first = callout.lines[0]
    start = note.text.index("[!", line_starts[first - 1])
    end = line_starts[first] - 1 if first < len(line_starts) else len(note.text)
    title = callout.title or callout.type.title()
    return (start, end, f"**{title}**")
