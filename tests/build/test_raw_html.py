"""Raw HTML in a note, built for real: the published page runs nothing the author wrote, and
keeps the author's ordinary HTML and everything the extensions and the garden write.

Each payload is numbered, `alert(N)`, so a finding names the line it came from.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, ConfigurationError

from tests.garden_build import Built, build_site, write_vault

pytestmark = pytest.mark.build

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16

RAW = """# Raw

<details ontoggle="alert(1)">
<summary onclick="alert(2)">Summary</summary>

Inside the details.

</details>

<div onclick="alert(3)" class="box" data-x="1" style="color: red">box <kbd>Ctrl</kbd> H<sub>2</sub>O x<sup>2</sup></div>

<script>alert(4)</script>

Inline <img src="pic.png" onerror="alert(5)" alt="pic"> and <a href="javascript:alert(6)">js</a> and <a href="https://example.org/">ok</a>.

<iframe src="javascript:alert(7)"></iframe>
<iframe src="https://www.youtube-nocookie.com/embed/x" allowfullscreen></iframe>

<svg onload="alert(8)" width="10" height="10"><circle cx="5" cy="5" r="4" fill="red"/></svg>

<object data="x.swf">object fallback</object>
<embed src="x.swf">
<base href="javascript:alert(9)//">
<meta http-equiv="refresh" content="0;url=javascript:alert(10)">
<form action="javascript:alert(11)"><button>send</button></form>

> [!note] Callout <b onmouseover="alert(12)">bold</b>
> Body with $x^2$ and a [[Host]] link.

- [ ] a task <span onclick="alert(13)">with markup</span> ^task-block

Text <img/src=x/onerror=alert(14)> and \\<img src=x onerror=alert(15)>.
"""

VAULT: dict[str, str | bytes] = {
    "index.md": "# Home\n\n[[Raw]] [[Host]]\n",
    "Raw.md": RAW,
    "Host.md": "# Host\n\n![[Raw]]\n",
    "pic.png": PNG,
}


class _Live(HTMLParser):
    """Every payload that would run: in a <script> element, an `on*` attribute or a
    `javascript:` URL (script contents parsed as markup, so nothing hides behind one)."""

    CDATA_CONTENT_ELEMENTS = ()

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag == "script"
        for name, value in attrs:
            if re.search(r"alert\(\d+\)", value or "") and (
                    name.startswith("on") or re.sub(r"\s", "", value or "").lower().startswith("javascript:")
                    or name == "content"):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and re.search(r"alert\(\d+\)", data):
            self.found.append(f"<script>{data.strip()[:60]}")


def _live(page: str) -> list[str]:
    parser = _Live()
    parser.feed(page)
    parser.close()
    return parser.found


def _article(page: str) -> str:
    return page[page.index("<article"): page.index("</article>")]


@pytest.fixture(scope="module", params=["markdown-it", "python-markdown"])
def built(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Built:
    """The vault built with each renderer a note page can have: each must run nothing."""
    root = tmp_path_factory.mktemp("raw")
    write_vault(root, VAULT)
    result = build_site(root, garden={"renderer": request.param},
                        extra={"markdown_extensions": [{"toc": {"permalink": True}}]})
    assert not result.failed, result.messages
    return result


@pytest.mark.parametrize("page", ["Raw.md", "Host.md"])
def test_no_payload_runs(built: Built, page: str) -> None:
    html = built.html(page)
    assert "alert(" in html or page == "Host.md"  # the harmless text around them is there
    assert _live(html) == []


@pytest.mark.parametrize("page", ["Raw.md", "Host.md"])
def test_ordinary_html_is_kept(built: Built, page: str) -> None:
    article = _article(built.html(page))
    for kept in ["<details>", "<summary>Summary</summary>", '<div class="box" data-x="1" style="color: red">',
                 "<kbd>Ctrl</kbd>", "<sub>2</sub>", "<sup>2</sup>", '<img src="pic.png" alt="pic">',
                 '<a href="https://example.org/">ok</a>', "<iframe></iframe>",
                 '<iframe src="https://www.youtube-nocookie.com/embed/x" allowfullscreen>',
                 '<svg width="10" height="10"><circle cx="5" cy="5" r="4" fill="red"/></svg>',
                 "object fallback", "<form><button>send</button></form>", "<b>bold</b>",
                 "<span>with markup</span>", "&lt;img/src=x/onerror=alert(14)&gt;"]:
        assert kept in article, kept


def test_what_the_garden_and_the_extensions_write_is_untouched(built: Built) -> None:
    article = _article(built.html("Raw.md"))
    assert 'class="admonition note"' in article  # the callout
    assert 'class="arithmatex"' in article  # math
    assert 'class="headerlink"' in article  # Material's permalinks
    assert 'class="garden-task"' in article and 'id="^task-block"' in article
    assert re.search(r'<a href="\.\./Host/"[^>]*>Host</a>', article)


def test_a_wrong_value_is_a_clear_error(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    write_vault(tmp_path, {"index.md": "# Home\n"})
    try:
        result = build_site(tmp_path, garden={"raw_html": "strip"})
    except (ConfigurationError, Abort) as error:
        message = str(error) + caplog.text
    else:
        message = "\n".join(result.messages)
        assert result.failed or result.warnings
    assert "raw_html" in message and "'sanitize', 'keep'" in message


def test_keep_publishes_the_html_as_written(tmp_path: Path) -> None:
    write_vault(tmp_path, {"index.md": '# Home\n\n<div onclick="alert(1)">x</div>\n'})
    result = build_site(tmp_path, garden={"raw_html": "keep"})
    assert '<div onclick="alert(1)">x</div>' in result.html("index.md")


# Markdown that Python-Markdown turns into script-capable HTML, which the source pass never sees
# as HTML: a `javascript:` link (markdown-it refuses it), attr_list attributes (the heading's
# `#` turns attr_list on), and a list item's indented block (code to markdown-it only).
MARKDOWN_VECTORS = """# Markdown

[x](javascript:alert(16)) [y](Other.md){ onclick="alert(17)" } [z](Other.md){ href="javascript:alert(18)" }

- item

      <img src="pic.png" onerror="alert(19)">
"""


@pytest.mark.parametrize("renderer", ["markdown-it", "python-markdown"])
def test_markdown_made_into_script_runs_nothing(tmp_path: Path, renderer: str) -> None:
    write_vault(tmp_path, {"index.md": "# Home\n\n[[Md]]\n", "Md.md": MARKDOWN_VECTORS, "Other.md": "# Other\n",
                           "pic.png": PNG})
    result = build_site(tmp_path, garden={"renderer": renderer})
    assert not result.failed, result.messages
    article = _article(result.html("Md.md"))
    # CommonMark (markdown-it) makes no link of a `javascript:` URL; Python-Markdown does.
    assert (">x</a>" in article or "[x](javascript:alert(16))" in article)
    assert re.search(r'<a href="\.\./Other/"[^>]*>y</a>', article)
    assert _live(article) == []
