"""Record where inline raw HTML sits, and every `<` that other parsers could read as a tag.

markdown-it keeps no positions for inline tokens; wrapping its `html_inline` rule lets the
scanner sanitise a tag by exact span. A `<` that markdown-it reads as text but that starts
markup for a browser (`<img/src=x onerror=...>` is no CommonMark tag, yet Python-Markdown
passes it through and a browser runs it) becomes a `garden_lt` token, as does `\\<`, which
Python-Markdown does not unescape.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.html_inline import html_inline

_MARKUP_START = re.compile(r"[A-Za-z!/?]")


def _html_with_span(state: StateInline, silent: bool) -> bool:
    start, before = state.pos, len(state.tokens)
    if state.src[start] != "<" or not html_inline(state, silent):  # bail out before the call
        return False
    if not silent and len(state.tokens) > before:
        token = state.tokens[-1]
        token.meta = {**(token.meta or {}), "start": start, "end": state.pos}
    return True


def _lt_token(state: StateInline, silent: bool, width: int) -> bool:
    """A `garden_lt` token for the `<` at the end of `width` characters, when a letter, `!`,
    `/` or `?` follows it."""
    pos = state.pos
    if pos + width >= state.posMax or not _MARKUP_START.match(state.src[pos + width]):
        return False
    if not silent:
        token = state.push("garden_lt", "", 0)
        token.content = "<"
        token.meta = {"start": pos, "end": pos + width}
    state.pos += width
    return True


def _escaped_lt(state: StateInline, silent: bool) -> bool:
    return state.src.startswith("\\<", state.pos) and _lt_token(state, silent, 2)


def _stray_lt(state: StateInline, silent: bool) -> bool:
    return state.src[state.pos] == "<" and _lt_token(state, silent, 1)


def html_span_plugin(md: MarkdownIt) -> None:
    """Note the span of each `html_inline` token; make stray `<` tokens of their own (the
    `\\<` rule runs before backslash escapes, the `<` one after every other rule)."""
    md.inline.ruler.at("html_inline", _html_with_span)
    md.inline.ruler.before("escape", "garden_escaped_lt", _escaped_lt)
    md.inline.ruler.push("garden_lt", _stray_lt)
