"""The markdown-it parser that reads a note the way Obsidian does."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from .comments import comment_plugin
from .footnotes import footnote_plugin
from .html import html_span_plugin
from .links import link_span_plugin
from .tags import tag_plugin
from .text import text_plugin
from .wikilink import split_wikilink, wikilink_plugin

__all__ = ["garden_parser", "split_wikilink"]


@lru_cache(maxsize=2)
def garden_parser(*, emphasis: bool = False) -> MarkdownIt:
    """CommonMark + tables, math (pandoc `$` rules), footnotes, comments, wikilinks, tags and
    the spans of inline raw HTML.

    Only parsing is used; the parser never renders a note (MkDocs does that). Emphasis changes
    no link, tag or span, and skipping it makes a vault parse a third faster; headings, whose
    ids depend on their rendered text, are read again `emphasis=True`.
    """
    # The commonmark preset stops reading blocks nested past 20 levels; callouts nest deeper.
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": 200}).enable("table")
    if emphasis:
        md.enable("strikethrough")
    else:
        md.disable("emphasis")
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.use(footnote_plugin)  # ours: an inline footnote may hold footnotes of its own
    md.use(comment_plugin)
    md.use(link_span_plugin)
    md.use(wikilink_plugin)
    md.use(tag_plugin)
    md.use(html_span_plugin)  # last: its stray `<` rule runs after every other rule
    md.use(text_plugin, emphasis)  # plain text stops only where a rule above can start
    return md
