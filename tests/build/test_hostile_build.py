"""Hostile vaults built for real: paths that leave the vault, and HTML/JavaScript hidden in
every place a note's metadata reaches the site.

Paths: links, embeds and symlinks pointing outside `docs/` never read, copy or publish
anything outside it, and each is a warning naming file and line.

Injection: each place (title, aliases, tags, headings, link text, task descriptions, other
properties, file and folder names) carries its own payloads, `alert(N)` numbered by place, so a
finding names the place it came from. A payload "runs" when the built HTML holds a `<script>`
element containing it, an `on*=` attribute, an `<img src=x>` or a `javascript:` URL; it is
escaped when it only shows as text. Raw HTML in a note's body (`Raw.md`) is sanitised as
Obsidian does (`raw_html: sanitize`, the default): its own page runs nothing either, and
the pages and data that reuse its text show it as text.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tests.garden_build import Built, build_site, tree_hash, write_vault

pytestmark = pytest.mark.build

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


# --------------------------------------------------------------------------------------------
# Paths

CANARIES = {
    "outside.md": "# Outside\n\nCANARY-OUTSIDE-NOTE\n",
    "outside.png": PNG + b"CANARY-OUTSIDE-PNG",
    "secret.md": "CANARY-PARENT-SECRET\n",
    "outsidedir/secret.md": "# Secret\n\nCANARY-OUTSIDE-DIR\n",
    "outsidedir/pic.png": PNG + b"CANARY-OUTSIDE-DIR-PNG",
}
GRANDPARENT_SECRET = "CANARY-GRANDPARENT-SECRET\n"

# Each on its own paragraph, so each warning's line number names one link.
ESCAPING_LINKS = [
    "[[../../etc/passwd]]",
    "![[../outside.png]]",
    "[[/etc/passwd]]",
    "[x](%2e%2e/%2e%2e/secret.md)",
    "[[..\\..\\x]]",
    "[[C:/Windows/win.ini]]",
    "[[../outside]]",
    "![[../outside]]",
    "[y](../outside.md)",
    "![z](../outside.png)",
    "[[link]]",  # docs/link.md -> ../outside.md
    "![[link]]",
    "[[dir/secret]]",  # docs/dir -> ../outsidedir
    "![[dir/pic.png]]",
    "![[pic-link.png]]",  # docs/pic-link.png -> ../outside.png
    "[[%2e%2e/%2e%2e/secret]]",
    "![[..\\outside.png]]",
    "[[c:\\Windows\\win.ini]]",
]
FIRST_LINK_LINE = 3


def _line_of(index: int) -> int:
    return FIRST_LINK_LINE + 2 * index


@pytest.fixture(scope="module")
def escaping(tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, Path, str, str]:
    top = tmp_path_factory.mktemp("paths")
    root = top / "project"
    (top / "secret.md").write_text(GRANDPARENT_SECRET)
    for name, content in CANARIES.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    docs = write_vault(root, {
        "index.md": "# Paths\n\n" + "\n\n".join(ESCAPING_LINKS) + "\n\n[[inside-link]] [[sub/deep]]\n",
        "Real.md": "# Real\n\nreal note\n",
        "sub/deep.md": "# Deep\n\n[[../../outside]]\n\n![[../../outside.png]]\n",
    })
    os.symlink(root / "outside.md", docs / "link.md")
    os.symlink(root / "outsidedir", docs / "dir")
    os.symlink(root / "outside.png", docs / "pic-link.png")
    os.symlink("Real.md", docs / "inside-link.md")  # a symlink that stays inside is fine
    before = tree_hash(docs), tree_hash(root / "outsidedir")
    built = build_site(root)
    assert (tree_hash(docs), tree_hash(root / "outsidedir")) == before
    return built, docs, *before


def test_escaping_links_build(escaping: tuple[Built, Path, str, str]) -> None:
    built = escaping[0]
    assert not built.failed, built.messages


def test_nothing_outside_the_vault_reaches_the_site(escaping: tuple[Built, Path, str, str]) -> None:
    built = escaping[0]
    everything = built.all_text()  # every file's name and bytes
    for canary in ("CANARY-OUTSIDE-NOTE", "CANARY-OUTSIDE-PNG", "CANARY-PARENT-SECRET",
                   "CANARY-OUTSIDE-DIR", "CANARY-GRANDPARENT-SECRET"):
        assert canary not in everything, canary
    published = {p.relative_to(built.site).as_posix() for p in built.site.rglob("*")}
    assert not {p for p in published if p.split("/")[0] in ("link", "dir", "pic-link.png", "outside", "secret")}, published
    assert "inside-link/index.html" in published  # the symlink that stays inside is published


@pytest.mark.parametrize("index", range(len(ESCAPING_LINKS)), ids=ESCAPING_LINKS)
def test_each_escaping_link_is_a_warning_naming_file_and_line(escaping: tuple[Built, Path, str, str], index: int) -> None:
    built = escaping[0]
    where = f"index.md:{_line_of(index)}:"
    assert any(where in message for message in built.warnings), (ESCAPING_LINKS[index], built.warnings)


def test_absolute_markdown_link_is_a_warning(tmp_path: Path) -> None:
    write_vault(tmp_path, {"index.md": "# Home\n\n[abs](/etc/passwd)\n"})
    built = build_site(tmp_path)
    assert any("index.md:3:" in message for message in built.warnings), built.messages


def test_symlinks_out_of_the_vault_are_warnings_and_unpublished(escaping: tuple[Built, Path, str, str]) -> None:
    built = escaping[0]
    for name in ("link.md", "dir/secret.md", "dir/pic.png", "pic-link.png"):
        assert any(f"{name}:1: symlink to a file outside the vault; not published" in m for m in built.warnings), name
    for line in (3, 5):
        assert any(f"sub/deep.md:{line}: link points outside the vault" in m for m in built.warnings), line


def test_escaping_links_are_plain_text(escaping: tuple[Built, Path, str, str]) -> None:
    page = escaping[0].html("index.md")
    assert 'href="../outside' not in page and 'src="../outside' not in page
    assert "<iframe" not in page and "garden-embed" not in page
    assert page.count('class="garden-unwritten"') >= 12
    assert 'href="Real/"' in page or 'href="inside-link/"' in page


def test_mkdocs_alone_publishes_symlinked_files(tmp_path: Path) -> None:
    """Why the garden must filter: MkDocs walks `docs/` with `followlinks=True` and publishes
    whatever a symlink points to."""
    (tmp_path / "outside.md").write_text("# Outside\n\nCANARY-MKDOCS-ALONE\n")
    docs = write_vault(tmp_path, {"index.md": "# Home\n"})
    os.symlink(tmp_path / "outside.md", docs / "link.md")
    built = build_site(tmp_path, plugins=["search"])
    assert "CANARY-MKDOCS-ALONE" in built.all_text()


# --------------------------------------------------------------------------------------------
# Injection


def payloads(n: int) -> list[str]:
    """Payloads numbered `n`: a script, an attribute break-out, script and title break-outs,
    a JavaScript URL."""
    return [f"<script>alert({n})</script>", f'"><img src=x onerror=alert({n})>',
            f"</script><script>alert({n})</script>", f"</title><script>alert({n})</script>",
            f"javascript:alert({n})"]


def joined(n: int) -> str:
    return " ".join(payloads(n))


def entities(n: int) -> str:
    """The payloads as the author would type them to *show* them: HTML entities."""
    return (f"&lt;/title&gt;&lt;script&gt;alert({n})&lt;/script&gt; "
            f"&quot;&gt;&lt;img src=x onerror=alert({n})&gt;")


PLACES = {
    "title": 1, "alias": 2, "tag": 3, "heading": 4, "link text": 5, "task description": 6,
    "property": 7, "file name": 8, "folder name": 9, "description": 10, "entity title": 11,
    "entity heading": 12, "body html": 13,
}


def body_html(n: int) -> list[str]:
    """Raw HTML an author may write in a body (issue 8), each payload numbered `n`."""
    run = f"alert({n})"
    return [f"<script>{run}</script>", f"<img src=x onerror={run}>", f'<a href="javascript:{run}">a</a>',
            f'<iframe src="javascript:{run}"></iframe>', f'<div onclick="{run}">d</div>',
            f'<svg onload="{run}"></svg>', f'<object data="javascript:{run}"></object>',
            f'<embed src="javascript:{run}">', f'<base href="javascript:{run}//">',
            f'<meta http-equiv="refresh" content="0;url=javascript:{run}">',
            f'<form action="javascript:{run}"><button formaction="javascript:{run}">f</button></form>']


def _frontmatter(data: dict) -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=True) + "---\n"


INJECTION: dict[str, str | bytes] = {
    "index.md": "# Home\n\n[[Meta]] [[Links]] [[Raw]] [[Entities]]\n",
    # Titles, aliases, tags, other properties.
    "Meta.md": _frontmatter({
        "title": joined(1), "aliases": payloads(2), "tags": [*payloads(3), "ok"],
        "description": joined(10), "author": joined(7), "link": "javascript:alert(7)",
        "status": payloads(7)[1], "cssclasses": [payloads(7)[1]], "date": "2024-01-02",
        "related": "[[Links|<script>alert(7)</script>]]",
    }) + "# Meta\n\nMeta body.\n\n[[Links]]\n",
    # A title and no H1: Material prints the title as the page's <h1> and search uses it.
    "Bare.md": _frontmatter({"title": joined(1)}) + "Bare body, no heading. [[Meta]]\n",
    # Link text: wikilink display texts, unresolved targets, alias targets, embed titles, image
    # alt; dated, so its summary (the first links) and its links are on the timeline too.
    "Links.md": _frontmatter({"date": "2024-01-06"}) + "# Links\n\n" + "\n\n".join([
        *[f"[[Meta|{p}]]" for p in payloads(5)],
        *[f"[[Nowhere {p}]]" for p in payloads(5)],
        "[[javascript:alert(2)]] [[<script>alert(2)</script> alias]]",
        f"[[Entities#Part {payloads(12)[0]}]] [[Entities#Part {payloads(12)[0]}|{payloads(5)[3]}]]",
        "![[Meta]]",
        f"![[Entities#Part {payloads(12)[0]}]]",
        *[f"![[pic.png|{p}]]" for p in payloads(5)],
        '![["><img src=x onerror=alert(8)>.pdf]]',
        '![["><img src=x onerror=alert(8)>.png]]',
    ]) + "\n",
    # Raw HTML in the body, sanitised on its page: headings, a summary, task descriptions that
    # the timeline, the tasks page, mentions and search reuse; blocks and inline tags.
    "Raw.md": _frontmatter({"date": "2024-01-03"}) + "# Raw\n\n" + "\n\n".join([
        *[f"## Sec {p}" for p in payloads(4)],
        f"Summary line {joined(4)} [[Meta]]",
        *[f"- [ ] {p} [[Meta]] 📅 2024-01-04" for p in payloads(6)],
        *body_html(13),
        "Inline " + " ".join(body_html(13)) + " <kbd>kept</kbd>",
    ]) + "\n",
    # Entities: text that *shows* `<`; Jinja's `striptags` (Material's <title>) would decode it.
    "Entities.md": _frontmatter({"journal": True}) + f"# Entities {entities(11)}\n\n"
                   f"## 2024-01-05 Part {entities(12)}\n\nentity section [[Meta]]\n",
    # File and folder names; no H1, so the file name is the page title.
    '"><img src=x onerror=alert(8)>.md': "No heading here. [[Meta]]\n",
    "javascript:alert(8).md": "No heading here. [[Meta]]\n",
    "<script>alert(8)<.md": "No heading here. [[Meta]]\n",
    '"><img src=x onerror=alert(9)>/Inside.md': "# Inside\n\n[[Meta]]\n",
    "<script>alert(9)</Note.md": "# Note in a folder\n\n[[Meta]]\n",
    "pic.png": PNG,
    '"><img src=x onerror=alert(8)>.pdf': b"%PDF-1.4\n",
    '"><img src=x onerror=alert(8)>.png': PNG,
}


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("inject")
    write_vault(root, INJECTION)
    built = build_site(root, garden={"unlinked_mentions": True, "graph_tags": True, "graph_unwritten": True})
    assert not built.failed, built.messages
    return built


@dataclass(frozen=True)
class Finding:
    place: int  # the N of alert(N)
    region: str  # "content": the page body the garden writes; "chrome": the theme around it
    what: str
    file: str
    line: int
    excerpt: str


class _Runs(HTMLParser):
    """Finds payloads that would run: a `<script>` element whose text starts with one, an
    `on*=` attribute or a `javascript:` URL holding one. Script contents are parsed as markup,
    so one unclosed `<script>` does not hide (or take the blame for) later findings; <title>
    is RCDATA, as in browsers.

    Each finding says where it is: "content" is inside Material's <article> (the Markdown the
    garden hands MkDocs, its mentions and graph), except the id-less <h1> Material adds from
    page.title when the content has none; "chrome" is everything the theme prints around it
    (<head>, header, navigation, footer)."""

    CDATA_CONTENT_ELEMENTS = ()

    def __init__(self, file: str) -> None:
        super().__init__(convert_charrefs=True)
        self.file, self.found, self.script_opened = file, [], False
        self.in_article = self.in_theme_h1 = False

    def _flag(self, text: str, what: str) -> None:
        region = "content" if self.in_article and not self.in_theme_h1 else "chrome"
        for number in re.findall(r"alert\((\d+)\)", text):
            self.found.append(Finding(int(number), region, what, self.file, self.getpos()[0], text[:120]))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.set_cdata_mode("title")
        if tag == "article":
            self.in_article = True
        if tag == "h1" and self.in_article and "id" not in dict(attrs):
            self.in_theme_h1 = True
        self.script_opened = tag == "script"  # its first text says whose it is
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self._flag(value, f"<{tag} {name}=>")
            if name in ("href", "src", "action", "formaction", "xlink:href", "data") \
                    and value.strip().lower().startswith("javascript:"):
                self._flag(value, f"<{tag} {name}='javascript:'>")
            if name == "content" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
                self._flag(value, f"<{tag} http-equiv=refresh {name}=>")

    def handle_endtag(self, tag: str) -> None:
        self.script_opened = False
        if tag == "article":
            self.in_article = False
        if tag == "h1":
            self.in_theme_h1 = False

    def handle_data(self, data: str) -> None:
        if self.script_opened and data.strip():
            self._flag(data, "<script> element")
            self.script_opened = False


def runnable(built: Built) -> list[Finding]:
    found: list[Finding] = []
    for path in sorted(built.site.rglob("*.html")):
        name = path.relative_to(built.site).as_posix()
        parser = _Runs(name)
        parser.feed(path.read_text(encoding="utf-8"))
        parser.close()
        found += parser.found
    return found


def test_the_detector_sees_what_runs_and_not_what_shows() -> None:
    """The injection checks are only as good as this parser: it must flag live markup in every
    region, follow a <title> break-out, and leave escaped text alone."""
    html = ("<html><head><title>&lt;script&gt;alert(1)&lt;/script&gt; <script>alert(2)</script></title>"
            "<title></title><script>alert(3)</script></head><body><nav><img src=x onerror=alert(4)></nav>"
            "<article><h1>t <script>alert(5)</script></h1><h1 id=a>&lt;img onerror=alert(6)&gt;</h1>"
            "<p><a href=' JavaScript:alert(7)'>x</a> <script>alert(8)<p>after</p>"
            "<img src=y onerror=alert(9)> javascript:alert(10) onerror=alert(11)</p></article></body></html>")
    parser = _Runs("t.html")
    parser.feed(html)
    assert sorted((f.place, f.region) for f in parser.found) == [
        (3, "chrome"), (4, "chrome"), (5, "chrome"), (7, "content"), (8, "content"), (9, "content")]


@pytest.fixture(scope="module")
def findings(injected: Built) -> list[Finding]:
    return runnable(injected)


def _runs(findings: list[Finding], place: str, region: str) -> list[str]:
    number = PLACES[place]
    return [f"{f.file}:{f.line}: {f.what}: {f.excerpt!r}" for f in findings if (f.place, f.region) == (number, region)]




@pytest.mark.parametrize("place", sorted(PLACES, key=PLACES.get))
def test_no_payload_runs_in_page_content(findings: list[Finding], place: str) -> None:
    """Inside <article>: the Markdown the garden wrote, its mentions, its generated pages."""
    assert _runs(findings, place, "content") == []




@pytest.mark.parametrize("place", sorted(PLACES, key=PLACES.get))
def test_no_payload_runs_in_theme_chrome(findings: list[Finding], place: str) -> None:
    """Outside <article>: <head>, header, navigation and footer, from Material's templates."""
    assert _runs(findings, place, "chrome") == []


def _text_of(html: str) -> str:
    """What a reader sees: the page's text with entities decoded (markup dropped)."""
    parts: list[str] = []

    class Text(HTMLParser):
        CDATA_CONTENT_ELEMENTS = ()  # a payload's unclosed <script> must not hide the rest

        def handle_data(self, data: str) -> None:
            parts.append(data)

    Text(convert_charrefs=True).feed(html)
    return " ".join("".join(parts).split())


@pytest.mark.parametrize("page, shown", [
    ("Links.md", payloads(5)[1]),  # wikilink display text
    ("Links.md", "Nowhere " + payloads(5)[0]),  # an unresolved target
    ("Links.md", "Entities > Part " + payloads(12)[0]),  # a heading subpath
    ("Meta.md", "Summary line " + payloads(4)[0]),  # a mention's context, from Raw's body
    ("Meta.md", payloads(6)[1] + " Meta"),  # a task line as a mention's context
    ("garden/tasks.md", payloads(6)[0]),
    ("garden/timeline.md", payloads(6)[1]),
    ("tags.md", payloads(3)[4]),
], ids=["display", "unresolved", "subpath", "mention", "mention-task", "tasks-page", "timeline", "tags-page"])
def test_payloads_show_as_text(injected: Built, page: str, shown: str) -> None:
    """The checks above are not vacuous: the payloads reach these pages, as text."""
    assert shown in _text_of(injected.html(page))


def test_raw_html_keeps_what_shows(injected: Built) -> None:
    """Not vacuous either: Raw's body HTML reached its page, each payload cut out of markup
    that stays."""
    article = injected.html("Raw.md")
    article = article[article.index("<article"): article.index("</article>")]
    for kept in ["<img src=\"x\">", "<a>a</a>", "<iframe></iframe>", "<div>d</div>", "<svg></svg>",
                 "<form><button>f</button></form>"]:
        assert article.count(kept) >= 2, kept  # once as a block, once inline (and in headings)
    assert "<kbd>kept</kbd>" in article


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("name, expected", [
    ("garden/graph.json", [joined(1), payloads(3)[0], "Nowhere " + payloads(5)[0], '"><img src=x onerror=alert(8)>']),
    ("garden/timeline.json", [payloads(6)[0], joined(1)]),
    ("search/search_index.json", []),
])
def test_json_files_parse_and_hold_payloads_as_string_data(injected: Built, name: str, expected: list[str]) -> None:
    data = json.loads((injected.site / name).read_text(encoding="utf-8"))
    strings = list(_strings(data))
    for wanted in expected:
        assert any(wanted in s for s in strings), wanted


def test_json_embedded_in_pages_parses(injected: Built) -> None:
    """Inline `<script type="application/json">` blocks (Material's __config) stay valid JSON:
    no payload closed them early."""
    for path in sorted(injected.site.rglob("*.html")):
        for block in re.findall(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', path.read_text(), re.DOTALL):
            json.loads(block)


def test_search_index_holds_no_live_markup(injected: Built) -> None:
    index = json.loads((injected.site / "search/search_index.json").read_text(encoding="utf-8"))
    fields = [(doc["location"], name, value) for doc in index["docs"]
              for name, value in [("title", doc["title"]), ("text", doc["text"])] + [("tags", t) for t in doc.get("tags", [])]]
    assert any(name == "tags" and "img" in value for _, name, value in fields)  # the payloads are there
    live = [(location, name) for location, name, value in fields if re.search(r"<(script|img)\b", value, re.IGNORECASE)]
    assert live == []


def test_garden_scripts_never_insert_strings_as_html() -> None:
    """graph.json and the pages are read by the garden's own scripts; those must build DOM
    from text (textContent, attributes), never from strings of markup."""
    assets = Path(__file__).resolve().parents[2] / "plugins/mkdocs_garden/assets/garden"
    for script in sorted(assets.glob("*.js")):
        source = script.read_text(encoding="utf-8")
        assert not re.search(r"\.innerHTML\s*[+]?=|outerHTML\s*=|insertAdjacentHTML|document\.write", source), script.name
