"""Link destinations read with one regular expression where markdown-it loops over characters.

markdown-it's `parseLinkDestination` walks a destination a character at a time in Python,
and the pages the garden renders are full of destinations: every wikilink becomes a Markdown
link (`[Title](folder/Some%20note.md)`) before the page is rendered. Most are plain: no space,
control character, parenthesis, backslash or `<`, up to a space, a control character, `)` or
the end. For those, markdown-it's loop ends where the expression does and returns the same
text, so the expression answers; any other destination goes to markdown-it. (5% of the render
parse at 1,000 notes; the scan reads wikilinks with a rule of its own and would gain nothing.)
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from markdown_it import MarkdownIt, helpers
from markdown_it.common.utils import unescapeAll

_PLAIN = re.compile(r"[^\x00-\x20\x7f()\\<]+")


class _Destination:
    """What markdown-it's link rules read of a parsed destination."""

    __slots__ = ("ok", "pos", "str")

    def __init__(self, text: str, end: int) -> None:
        self.ok, self.pos, self.str = True, end, text


def parse_link_destination(string: str, pos: int, maximum: int) -> object:
    """markdown-it's `parseLinkDestination(string, pos, maximum)`, answered at once for a
    plain destination."""
    found = _PLAIN.match(string, pos, maximum)
    if found is not None:
        end = found.end()
        if end == maximum or string[end] <= " " or string[end] == ")":
            return _Destination(unescapeAll(found.group()), end)
    return helpers.parseLinkDestination(string, pos, maximum)


def fast_destinations(md: MarkdownIt) -> None:
    """Let `md`'s link, image and reference rules read destinations with the fast path."""
    found = {name: getattr(helpers, name) for name in helpers.__all__}
    md.helpers = SimpleNamespace(**found | {"parseLinkDestination": parse_link_destination})  # type: ignore[assignment]
