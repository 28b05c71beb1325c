"""Obsidian `%%comments%%`: a block rule for `%%` fences and an inline rule for the rest.

Comments are visible only while editing, so everything inside them (links, tags, tasks) is
invisible to the garden. Inside code and math, `%%` is literal: the rules run after those.
An unclosed `%%` stays literal text (Obsidian's own behaviour is unverified; see the spec).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _comment_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    # Tried at the start of every block, so it looks at the line before copying it out.
    line_start = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("%%", line_start) or state.sCount[start] - state.blkIndent >= 4:
        return False
    first = _line(state, start)
    # A one-line block comment `%% ... %%`.
    if len(first.rstrip()) > 2 and first.rstrip().endswith("%%") and first.count("%%") >= 2:
        last = start
    else:
        last = next((n for n in range(start + 1, end) if "%%" in _line(state, n)), -1)
        if last < 0:
            return False
        if not _line(state, last).rstrip().endswith("%%"):
            return False
    if silent:
        return True
    token = state.push("garden_comment", "", 0)
    token.map = [start, last + 1]
    token.block = True
    state.line = last + 1
    return True


def _comment_inline(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("%%", state.pos):
        return False
    close = state.src.find("%%", state.pos + 2, state.posMax)
    if close < 0:
        return False
    if not silent:
        token = state.push("garden_comment_inline", "", 0)
        token.meta = {"start": state.pos, "end": close + 2}
    state.pos = close + 2
    return True


def comment_plugin(md: MarkdownIt) -> None:
    """Register both comment rules."""
    md.block.ruler.before(
        "fence", "garden_comment", _comment_block, {"alt": ["paragraph", "blockquote", "list"]}
    )
    md.inline.ruler.after("backticks", "garden_comment_inline", _comment_inline)
