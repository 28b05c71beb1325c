"""The bulk of a generated page, rendered here instead of by Python-Markdown.

The tag index, folder pages, tasks page and timeline are long lists of links and small inline
HTML that the garden writes itself. Any Markdown parser spends tens of microseconds on each
link or tag (Python-Markdown took 3.9 s CPU for the generated pages of a 1,000-note garden,
and the timeline's `<div markdown>` days made `md_in_html` run over every note page too). So
the generators write those lists as HTML (`html_body`), and a generated page is split: its
headings stay Markdown for the page renderer (ids, permalinks, table of contents and title come
out as on any page), and each stretch between two headings becomes a placeholder paragraph
whose HTML is made here. HTML bodies are kept as written; the little Markdown left (the
timeline's progress table and charts) is rendered by markdown-it, as are the author's words
quoted on these pages (`inline_html`, `block_html`): CommonMark, which is how Obsidian reads
them too.

`split_page` works on the Markdown alone; `render_body` takes the function that turns a link
written relative to the page's source (`../a%20b.md#x`) into a URL, which only the adapter
knows; `fill` puts the bodies into the rendered page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin

from .syntax.destinations import fast_destinations

Href = Callable[[str], str]

_PLACEHOLDER = "garden-prerendered-{}"
_FILLED = re.compile(r"<p(?: [^>]*)?>garden-prerendered-(\d+)</p>")  # attributes: other extensions
_HTML_OPEN, _HTML_CLOSE = "<!-- garden:html -->\n", "\n<!-- /garden:html -->"
_STASHED = re.compile(r"garden-html-body-(\d+)")
# Not `\b(href|src)`: a pattern that starts with a literal is found by a fast scan, which
# takes a third of the time on the timeline page; `_relinked_attribute` checks the boundary.
# A value never spans lines, so the garden may relink an HTML body line by line.
_URL_ATTRIBUTE = re.compile(r'(href|src)="([^"\n]*)"')
_WORD = re.compile(r"\w")
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#|/)")
_MARK = re.compile(r"==([^\s=](?:[^=\n]{0,498}[^\s=])?)==")  # linear: no `=` inside
_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]!<>&~=$\n]")


def html_body(markup: str) -> str:
    """HTML the garden wrote (links relative to the page's source, as in its Markdown), marked
    as one body of a generated page: split off whole, never read as Markdown. A renderer that
    does not split pages still shows it, as raw HTML."""
    return f"{_HTML_OPEN}{markup}{_HTML_CLOSE}"


def inline_html(markdown: str) -> str:
    """Inline Markdown (the author's words quoted on a generated page) as HTML. Most of it is
    plain prose, where that is only escaping, so markdown-it runs only when it has to."""
    if not _INLINE_SYNTAX.search(markdown):
        return html.escape(markdown, quote=False)
    return _parser().renderInline(markdown)


def block_html(markdown: str) -> str:
    """Block Markdown (a journal entry's summary on the timeline) as HTML; its links stay as
    written, for `render_body` to make relative to the page."""
    return _parser().render(markdown)


@dataclass(frozen=True)
class SplitPage:
    """A generated page: `skeleton` is what the page renderer still reads (the headings, and
    one placeholder paragraph per body); `bodies[i]` is body `i`, HTML or parsed Markdown."""

    skeleton: str
    bodies: tuple[str | tuple[Token, ...], ...]


def split_page(markdown: str) -> SplitPage:
    """Split generated Markdown at its top-level headings; `html_body` parts stay whole."""
    stashed: list[str] = []
    kept, cursor = [], 0
    while (start := markdown.find(_HTML_OPEN, cursor)) >= 0:
        end = markdown.find(_HTML_CLOSE, start)
        if end < 0:
            break
        kept.append(markdown[cursor:start] + f"garden-html-body-{len(stashed)}")
        stashed.append(markdown[start + len(_HTML_OPEN) : end])
        cursor = end + len(_HTML_CLOSE)
    markdown = "".join(kept) + markdown[cursor:]
    lines = markdown.split("\n")
    tokens = _parser().parse(markdown)
    skeleton: list[str] = []
    bodies: list[str | tuple[Token, ...]] = []
    pending: list[Token] = []

    def add(body: str | tuple[Token, ...]) -> None:
        skeleton.extend(["", _PLACEHOLDER.format(len(bodies)), ""])
        bodies.append(body)

    def close_markdown() -> None:
        if pending:
            add(tuple(pending))
            pending.clear()

    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and token.level == 0 and token.map:
            close_markdown()
            skeleton.extend(lines[token.map[0] : token.map[1]])
            index += 3  # heading_open, inline, heading_close
            continue
        found = _STASHED.fullmatch(tokens[index + 1].content) if token.type == "paragraph_open" and token.level == 0 else None
        if found:
            close_markdown()
            add(stashed[int(found.group(1))])
            index += 3  # paragraph_open, inline, paragraph_close
            continue
        pending.append(token)
        index += 1
    close_markdown()
    return SplitPage("\n".join(skeleton) + "\n", tuple(bodies))


def render_body(body: str | tuple[Token, ...], href: Href) -> str:
    """A body's HTML, every relative link and image source passed through `href`. The body is
    left as it was, so it can be rendered again for another URL."""
    if isinstance(body, str):
        return _URL_ATTRIBUTE.sub(lambda m: _relinked_attribute(m, href), body)
    md = _parser()
    return md.renderer.render(list(body), md.options, {"href": href})


def _relinked_attribute(match: re.Match[str], href: Href) -> str:
    if match.start() and _WORD.match(match.string, match.start() - 1):
        return match.group(0)  # `xhref="..."`: another attribute
    written = html.unescape(match.group(2))
    if not written or _EXTERNAL.match(written):
        return match.group(0)
    return f'{match.group(1)}="{html.escape(href(written), quote=True)}"'


def _relinked(attrs: dict[str, Any], attr: str, env: dict) -> dict[str, Any]:
    """`attrs` with the link target `attr` passed through the page's `href` (if `render_body`
    gave one; elsewhere links stay as written), if it is relative. The token is left as it was,
    so a body can be rendered again for another URL."""
    value = attrs.get(attr)
    if "href" not in env or not isinstance(value, str) or not value or _EXTERNAL.match(value):
        return attrs
    return {**attrs, attr: env["href"](value)}


def _attributes(attrs: dict[str, Any]) -> str:
    """Attributes in name order, as Python-Markdown writes them."""
    return "".join(f' {name}="{escapeHtml(str(value))}"' for name, value in sorted(attrs.items()))


def _link_open(self: Any, tokens: Sequence[Token], index: int, options: Any, env: dict) -> str:
    return f"<a{_attributes(_relinked(tokens[index].attrs, 'href', env))}>"


def _image(self: Any, tokens: Sequence[Token], index: int, options: Any, env: dict) -> str:
    token = tokens[index]
    attrs = {**_relinked(token.attrs, "src", env), "alt": self.renderInlineAsText(token.children or [], options, env)}
    return f"<img{_attributes(attrs)}{' /' if options['xhtmlOut'] else ''}>"


def _text(self: Any, tokens: Sequence[Token], index: int, options: Any, env: dict) -> str:
    escaped = html.escape(tokens[index].content, quote=False)
    return _MARK.sub(r"<mark>\1</mark>", escaped) if "==" in escaped else escaped


def placeholders(content: str) -> int:
    """How many placeholder paragraphs the rendered page still holds."""
    return len(_FILLED.findall(content))


def fill(content: str, bodies: Sequence[str]) -> str:
    """The rendered page with each placeholder paragraph replaced by its body."""
    return _FILLED.sub(lambda m: bodies[int(m.group(1))] if int(m.group(1)) < len(bodies) else m.group(0),
                       content)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """CommonMark with the garden's common rules, and attribute lists on images (the
    timeline's charts)."""
    md = MarkdownIt("commonmark", {"html": True})
    common_rules(md)
    md.use(attrs_plugin, after=("image",))
    return md


def common_rules(md: MarkdownIt) -> None:
    """What every page the garden renders shares: tables, `~~strike~~`, `==highlight==`, math
    as pymdownx.arithmatex (generic) writes it for KaTeX, and relative links and images passed
    through the page's `href` (in `env`)."""
    md.enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    fast_destinations(md)
    rules: Any = md.add_render_rule
    rules("math_inline", lambda self, tokens, i, options, env: _math(tokens[i].content, "span", "\\(", "\\)"))
    rules("math_inline_double", lambda self, tokens, i, options, env: _math(tokens[i].content, "span", "\\[", "\\]"))
    rules("math_block", lambda self, tokens, i, options, env: _math(tokens[i].content, "div", "\\[", "\\]") + "\n")
    rules("link_open", _link_open)
    rules("image", _image)
    rules("s_open", lambda self, tokens, i, options, env: "<del>")  # as pymdownx.tilde writes it
    rules("s_close", lambda self, tokens, i, options, env: "</del>")
    rules("text", _text)
    # `<div … markdown>` is Python-Markdown's md_in_html; in CommonMark the blank lines do it.
    rules("html_block", lambda self, tokens, i, options, env: tokens[i].content.replace(" markdown>", ">"))


def _math(content: str, tag: str, opening: str, closing: str) -> str:
    return f'<{tag} class="arithmatex">{opening}{html.escape(content.strip(), quote=False)}{closing}</{tag}>'
