"""Footnotes: mdit-py-plugins' rules, with an inline footnote `^[...]` that may hold footnotes.

The plugin's `footnote_inline` (like markdown-it-footnote, which it ports) takes the next
footnote number, parses the text inside, then stores the footnote under that number. A footnote
made while parsing the inside (a nested `^[...]`, or a first reference `[^1]`) was given the
same number, and is overwritten. Its tokens are lost, and what is left names the wrong entry:
`^[^[]]` leaves a footnote whose tokens refer to itself (a reader following them never
returns), and `^[[^1]][^1]` with `[^1]:` defined leaves `[^1]` pointing at an entry without
its `count` (a `KeyError` inside the plugin). The rule here stores the entry first and parses
the inside after, so a nested footnote always takes a later number.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin as _mdit_footnote_plugin

# Each level of `^[^[...]]` parses its inside with a new inline state, a few Python frames
# deeper. markdown-it alone stops only at `maxNesting` (200 here) levels, some 750 frames: too
# close to Python's limit of 1,000 under a build's own stack. Past this depth `^[` is plain
# text; a reader nests footnotes a level or two, if at all.
MAX_FOOTNOTE_DEPTH = 8
_DEPTH = "garden_footnote_depth"  # in `env`: how many inline footnotes are being parsed


def footnote_plugin(md: MarkdownIt) -> None:
    """Footnote definitions, references `[^1]` and inline footnotes `^[...]`. Each inline
    footnote's `footnote_ref` token notes its source span, `inline_start` (the `^`) and
    `inline_end` (after the `]`), in the text of the inline token it belongs to."""
    _mdit_footnote_plugin(md)
    md.inline.ruler.at("footnote_inline", inline_footnote)


def inline_footnote(state: StateInline, silent: bool) -> bool:
    """`^[text]`: a footnote numbered before its text is parsed (see the module docstring)."""
    start, maximum = state.pos, state.posMax
    if start + 2 >= maximum or state.src[start] != "^" or state.src[start + 1] != "[":
        return False
    depth = state.env.get(_DEPTH, 0)
    if depth >= MAX_FOOTNOTE_DEPTH:
        return False
    label_end = state.md.helpers.parseLinkLabel(state, start + 1)
    if label_end < 0:
        return False
    if not silent:
        footnotes = state.env.setdefault("footnotes", {})
        footnotes.setdefault("refs", {})
        entries = footnotes.setdefault("list", {})
        footnote_id = len(entries)
        content = state.src[start + 2 : label_end]
        tokens: list[Token] = []
        entries[footnote_id] = {"content": content, "tokens": tokens}  # taken before parsing inside
        state.env[_DEPTH] = depth + 1
        try:
            state.md.inline.parse(content, state.md, state.env, tokens)
        finally:
            state.env[_DEPTH] = depth
        token = state.push("footnote_ref", "", 0)
        token.meta = {"id": footnote_id, "inline_start": start, "inline_end": label_end + 1}
    state.pos = label_end + 1
    state.posMax = maximum
    return True
