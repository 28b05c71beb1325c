"""Inline `#tags` as Obsidian reads them.

A tag starts after whitespace or at the start of a line, runs over letters, digits, `_`, `-`,
`/` and other non-ASCII symbols (emoji), and needs one character that is not a digit
(`#1984` is no tag). The rule runs after code spans, so `` `#x` `` is never a tag.
"""

from __future__ import annotations

import unicodedata

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

_ASCII_EXTRA = set("_-/")


def _is_tag_char(ch: str) -> bool:
    if ch.isascii():
        return ch.isalnum() or ch in _ASCII_EXTRA
    # Letters, marks, digits and symbols (emoji) of any script; not punctuation or spaces.
    return unicodedata.category(ch)[0] in "LMNS"


def tag_end(text: str, start: int, limit: int | None = None) -> int:
    """The end of the tag name that starts at `start` (after the `#`), or `start` if none."""
    limit = len(text) if limit is None else limit
    pos = start
    while pos < limit and _is_tag_char(text[pos]):
        pos += 1
    name = text[start:pos]
    return pos if name and not name.replace("/", "").isdigit() and not name.isdigit() else start


def _tag_rule(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    if state.src[pos] != "#" or (pos > 0 and not state.src[pos - 1].isspace()):
        return False
    end = tag_end(state.src, pos + 1, state.posMax)
    if end == pos + 1 or not any(not c.isdigit() for c in state.src[pos + 1 : end]):
        return False
    if not silent:
        token = state.push("garden_tag", "", 0)
        token.content = state.src[pos + 1 : end]
        token.meta = {"start": pos, "end": end}
    state.pos = end
    return True


def tag_plugin(md: MarkdownIt) -> None:
    """Register the tag rule."""
    md.inline.ruler.after("backticks", "garden_tag", _tag_rule)
