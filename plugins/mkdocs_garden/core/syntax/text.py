"""Plain text runs on to the next character where one of the garden parser's inline rules
can start.

markdown-it's own `text` rule stops at every character some extension might use (`-`, `:`,
`=`, `@` ...), and at each stop every inline rule is tried in turn; a fifth of a vault's stops
are dashes that no rule here reads. A stop where no rule matches only adds its character to the
pending text, so stopping at fewer characters yields the same tokens, as long as every rule's
first character is a stop. A rule added to the parser must add its first character here.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

# newline `\n`; math `$`; escapes and `\<` `\`; code spans `` ` ``; tags `#`; comments `%`;
# wikilinks, links and footnote references `[`; embeds and images `!`; inline footnotes `^`;
# autolinks, raw HTML and stray `<`; entities `&`. And `]`, where markdown-it looks for the end
# of a link label while it skips over tokens.
_STOPS = "\n$\\`#%[!^<&]"
_EMPHASIS_STOPS = "*_~"  # emphasis and strikethrough


def _concat_pending(state: StateInline, text: str) -> None:
    state.pending += text


# markdown-it-py 4 buffers pending text (where `+=` would copy all of it each time); 3 has none.
_append_pending = getattr(StateInline, "append_pending", _concat_pending)


def text_plugin(md: MarkdownIt, emphasis: bool, stops: str = _STOPS) -> None:
    """Replace the `text` rule; `emphasis` says the parser reads emphasis and strikethrough;
    `stops` are the first characters of its other inline rules."""
    found = re.compile("[" + re.escape(stops + (_EMPHASIS_STOPS if emphasis else "")) + "]")

    def text(state: StateInline, silent: bool) -> bool:
        stop = found.search(state.src, state.pos, state.posMax)
        end = stop.start() if stop else state.posMax
        if end == state.pos:
            return False
        if not silent:
            _append_pending(state, state.src[state.pos : end])
        state.pos = end
        return True

    md.inline.ruler.at("text", text)
