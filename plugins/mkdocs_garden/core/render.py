"""A note page's HTML, rendered by markdown-it from the rewritten Markdown.

Obsidian reads a note as CommonMark (with GFM tables and strikethrough); Python-Markdown does
not. It needs a blank line before a list and four spaces to nest one, so the two-space nested
lists and the lists straight after a line of text that vaults are full of come out flat or as
text. It is also the largest cost of a build: at 1,000 notes it took 7.8 s of CPU where
markdown-it takes 2.4 s for the same Markdown. So the garden renders its notes here, and
writes what Material styles: the markup of Python-Markdown's `toc` (ids, permalinks),
`admonition`, `pymdownx.details`, `footnotes`, `pymdownx.highlight`, `pymdownx.arithmatex`
(generic), `pymdownx.mark` and `pymdownx.tilde`, and the attribute lists the rewriter writes.

`render_note` takes the function that turns a link written relative to the note's source
(`../a%20b.md#x`, `img.png`) into a URL, which only the adapter knows (prerender.py's `Href`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .prerender import Href, common_rules
from .scan import unique_id
from .syntax.text import text_plugin

Slugify = Callable[[str, str], str]
_TAG = re.compile(r"<[^>]*>")
# Python-Markdown's admonition line, and pymdownx.details' `???` / `???+`.
_ADMONITION = re.compile(r'(!!!|\?\?\?\+?)[ \t]*([\w-]+(?:[ \t]+[\w-]+)*)(?:[ \t]+"(.*?)")?[ \t]*$')
# A relative URL of characters that percent-encoding keeps (and whole `%XX` escapes): the
# rewriter's links, already encoded. markdown-it's normalising would return it unchanged.
_KEPT_AS_IS = re.compile(r"(?:[A-Za-z0-9\-._~/?#@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
_ID = re.compile(r"""<[a-zA-Z][^>]*?\sid=["']([^"']*)["']""")


@dataclass(frozen=True)
class HeadingOptions:
    """How headings get ids and permalinks: the page's `toc` settings (Python-Markdown's)."""

    slugify: Slugify
    separator: str = "-"
    permalink: bool | str = False
    permalink_class: str = "headerlink"
    permalink_title: str = "Permanent link"
    toc_levels: tuple[int, int] = (1, 6)  # `toc_depth`: the levels the table of contents lists


@dataclass
class RenderedNote:
    """`html`; `toc`, Python-Markdown's nested `toc_tokens` (level, id, name, children);
    `title`, the text of an `<h1>` that opens the page; `anchors`, every id the page holds."""

    html: str
    toc: list[dict[str, Any]] = field(default_factory=list)
    title: str | None = None
    anchors: set[str] = field(default_factory=set)


def render_note(markdown: str, href: Href, headings: HeadingOptions) -> RenderedNote:
    """The HTML of one note page's Markdown."""
    md = note_parser()
    env: dict[str, Any] = {"href": href, "headings": headings}
    tokens = md.parse(markdown, env)
    entries = _name_headings(md, tokens, env, headings)
    title = None
    if tokens and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        title = html.unescape(entries[0]["name"])
    rendered = md.renderer.render(tokens, md.options, env)
    # Every id, the author's raw HTML and block anchors included: links from other pages
    # are checked against them (MkDocs' anchor validation).
    top, bottom = headings.toc_levels
    listed = [entry for entry in entries if top <= entry["level"] <= bottom]
    return RenderedNote(rendered, _nest(listed), title, set(_ID.findall(rendered)))


def _normalized_link(url: str) -> str:
    """markdown-it's `normalizeLink`, skipped for a relative link it would leave unchanged."""
    if ":" not in url and not url.startswith("//") and _KEPT_AS_IS.fullmatch(url):
        return url
    return normalizeLink(url)


def _name_headings(md: MarkdownIt, tokens: list[Token], env: dict, options: HeadingOptions) -> list[dict[str, Any]]:
    """Give every heading its id, as Python-Markdown's `toc` does: from the text it shows,
    made unique in document order (`x`, `x_1`, ...). Returns the flat table of contents."""
    used: set[str] = set()
    entries: list[dict[str, Any]] = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        inner = md.renderer.renderInline(_without_footnote_refs(inline.children or []), md.options, env).strip()
        name = _TAG.sub("", inner)
        anchor = unique_id(options.slugify(html.unescape(name), options.separator), used)
        token.attrs["id"] = anchor
        entries.append({"level": int(token.tag[1]), "id": anchor, "name": name, "html": inner, "children": []})
    return entries


def _without_footnote_refs(children: list[Token]) -> list[Token]:
    return [child for child in children if child.type != "footnote_ref"]


def _nest(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flat heading entries as a tree: each entry holds the deeper ones that follow it."""
    roots: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []
    for entry in entries:
        while stack and stack[-1]["level"] >= entry["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(entry)
        stack.append(entry)
    return roots


@lru_cache(maxsize=1)
def note_parser() -> MarkdownIt:
    """CommonMark + tables, strikethrough, math, footnotes, admonitions and attribute lists
    after links and images (what the rewriter writes), rendered as Material expects."""
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": 200})
    common_rules(md)
    md.use(footnote_plugin, inline=False)  # the rewriter made inline footnotes numbered ones
    md.block.ruler.before("fence", "admonition", _admonition_block, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    for kind in ("admonition_open", "admonition_close", "admonition_title_open", "admonition_title_close"):
        md.add_render_rule(kind, _admonition)
    md.use(attrs_plugin, after=("image", "link_close"))
    # Plain text runs to the next character a rule here starts with: math `$`, escapes `\`,
    # code `` ` ``, links and footnote references `[` (and `]`), images `!`, autolinks and HTML
    # `<`, entities `&`, attribute lists `{`, line ends; emphasis and strikethrough.
    md.use(text_plugin, True, "\n$\\`[]!<&{")
    md.normalizeLink = _normalized_link  # type: ignore[method-assign]
    rules: Any = md.add_render_rule
    rules("heading_close", _heading_close)
    rules("fence", _fence)
    rules("code_block", lambda self, tokens, i, options, env: f"<pre><code>{html.escape(tokens[i].content, quote=False)}</code></pre>\n")
    rules("footnote_ref", _footnote_ref)
    rules("footnote_block_open", lambda self, tokens, i, options, env: '<div class="footnote">\n<hr />\n<ol>\n')
    rules("footnote_block_close", lambda self, tokens, i, options, env: "</ol>\n</div>\n")
    rules("footnote_open", lambda self, tokens, i, options, env: f'<li id="fn:{_footnote_label(tokens[i])}">\n')
    rules("footnote_close", lambda self, tokens, i, options, env: "</li>\n")
    rules("footnote_anchor", _footnote_anchor)
    return md


def _heading_close(self: Any, tokens: Sequence[Token], index: int, options: Any, env: dict) -> str:
    """The closing tag, after a permalink when the `toc` settings ask for one."""
    settings: HeadingOptions = env["headings"]
    opener = tokens[index - 2]
    link = ""
    if settings.permalink and opener.attrs.get("id"):
        text = "&para;" if settings.permalink is True else html.escape(str(settings.permalink), quote=False)
        title = f' title="{html.escape(settings.permalink_title, quote=True)}"' if settings.permalink_title else ""
        link = (f'<a class="{html.escape(settings.permalink_class, quote=True)}" '
                f'href="#{html.escape(str(opener.attrs["id"]), quote=True)}"{title}>{text}</a>')
    return f"{link}</{tokens[index].tag}>\n"


def _admonition_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """`!!! type "title"` and its body indented four spaces, as Python-Markdown reads it: blank
    lines inside do not end it (the sanitiser may leave several where raw HTML was), the first
    line indented less does."""
    indent = state.sCount[start]
    if indent - state.blkIndent >= 4:
        return False  # indented code
    found = _ADMONITION.match(state.src, state.bMarks[start] + state.tShift[start], state.eMarks[start])
    if found is None:
        return False
    if silent:
        return True
    last, line = start, start + 1
    while line < end and (state.isEmpty(line) or state.sCount[line] >= indent + 4):
        last = line if not state.isEmpty(line) else last
        line += 1
    marker, classes, title = found.group(1), found.group(2).split(), found.group(3)
    title = classes[0].capitalize() if title is None else title
    opener = state.push("admonition_open", "div", 1)
    opener.markup, opener.block, opener.map = marker, True, [start, last + 1]
    opener.attrs = {"class": " ".join(["admonition", *classes])}
    if title:
        state.push("admonition_title_open", "p", 1).markup = marker
        inline = state.push("inline", "", 0)
        inline.content, inline.map, inline.children = title, [start, start + 1], []
        state.push("admonition_title_close", "p", -1).markup = marker
    saved = state.parentType, state.lineMax, state.blkIndent
    state.parentType, state.lineMax, state.blkIndent = "admonition", last + 1, indent + 4  # type: ignore[assignment]
    state.md.block.tokenize(state, start + 1, last + 1)
    state.parentType, state.lineMax, state.blkIndent = saved
    state.push("admonition_close", "div", -1).markup = marker
    state.line = last + 1
    return True


def _admonition(self: Any, tokens: Sequence[Token], index: int, options: Any, env: dict) -> str:
    """`!!!` as Python-Markdown's admonition writes it; `???` and `???+` as pymdownx.details.
    Every token of an admonition carries the marker in its `markup`."""
    token = tokens[index]
    collapsible = token.markup.startswith("?")
    if token.type == "admonition_open":
        classes = str(token.attrs["class"]).split()
        if collapsible:
            opened = ' open="open"' if token.markup == "???+" else ""
            # pymdownx.details always writes a summary, empty when the title is `""`.
            summary = "" if tokens[index + 1].type == "admonition_title_open" else "<summary></summary>\n"
            return f'<details class="{" ".join(c for c in classes if c != "admonition")}"{opened}>\n{summary}'
        return f'<div class="{" ".join(classes)}">\n'
    if token.type == "admonition_close":
        return "</details>\n" if collapsible else "</div>\n"
    if token.type == "admonition_title_open":
        return "<summary>" if collapsible else '<p class="admonition-title">'
    return "</summary>\n" if collapsible else "</p>\n"


def _fence(self: Any, tokens: Sequence[Token], index: int, options: Any, env: dict) -> str:
    """A fenced block as pymdownx.highlight writes it (Pygments classes Material styles)."""
    token = tokens[index]
    language = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
    return f'<div class="highlight"><pre><span></span><code>{_highlighted(token.content, language)}</code></pre></div>\n'


def _highlighted(code: str, language: str) -> str:
    lexer = _lexer(language.lower()) if language else None
    if lexer is None:
        return html.escape(code, quote=False)
    from pygments import highlight
    from pygments.formatters import HtmlFormatter

    return highlight(code, lexer, HtmlFormatter(nowrap=True))


@lru_cache(maxsize=64)
def _lexer(language: str) -> Any:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language)
    except ClassNotFound:
        return None


def _footnote_label(token: Token) -> str:
    label = token.meta.get("label")
    return html.escape(str(label if label is not None else token.meta["id"] + 1), quote=True)


def _footnote_ref(self: Any, tokens: Sequence[Token], index: int, options: Any, env: dict) -> str:
    """`<sup id="fnref:x">`, `fnref2:x` for the second reference, as Python-Markdown numbers them."""
    token = tokens[index]
    label, sub = _footnote_label(token), token.meta["subId"]
    ref = f"fnref{sub + 1 if sub else ''}:{label}"
    return f'<sup id="{ref}"><a class="footnote-ref" href="#fn:{label}">{token.meta["id"] + 1}</a></sup>'


def _footnote_anchor(self: Any, tokens: Sequence[Token], index: int, options: Any, env: dict) -> str:
    token = tokens[index]
    label, sub = _footnote_label(token), token.meta["subId"]
    space = "&#160;" if sub == 0 else ""
    return (f'{space}<a class="footnote-backref" href="#fnref{sub + 1 if sub else ""}:{label}" '
            f'title="Jump back to footnote {token.meta["id"] + 1} in the text">&#8617;</a>')
