"""Every internal link of the built garden lands somewhere, on disk and over HTTP under a subpath.

`scripts/check_links.py` is tested first on a tiny hand-written site (so a broken link or a
missing fragment is seen to fail), then run on the author's garden; the last test fetches every
page from a server that has the site under `/garden-subpath/` only and follows each link.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit, urlunsplit

import pytest

from tests.paths import REPO
from tests.author_site import SUBPATH, ServedSite

CHECKER_PATH = REPO / "scripts" / "check_links.py"


def _load_checker() -> ModuleType:
    """Import scripts/check_links.py by path (`scripts/` is not a package)."""
    spec = importlib.util.spec_from_file_location("garden_check_links", CHECKER_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


check_links = _load_checker()


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _html(*lines: str) -> str:
    """A page whose body lines start at line 3 (the checker reports line numbers)."""
    body = "\n".join(lines)
    return f"<!doctype html>\n<html><head><title>t</title></head><body>\n{body}\n</body></html>\n"


SYNTHETIC = {
    "index.html": _html(
        '<h1 id="here">Home</h1>',
        '<a href="page/">ok folder</a>',
        '<a href="page/#intro">ok fragment</a>',
        '<a href="page/#nope">missing fragment</a>',
        '<a href="missing/">missing page</a>',
        '<a href="javascript:void(0)">script link</a>',
        '<a href="https://example.com/x">external</a> <a href="mailto:a@example.com">mail</a>',
        '<a href="#">top</a> <a href="#top">top</a> <a href="#here">same page</a>',
        '<a href="page">folder without slash</a> <a href="page/?q=1#legacy">query, name</a>',
        '<a href="Spaced%20Name/">percent-encoded</a> <a href="doc.pdf#page=2">pdf page</a>',
        '<img src="img/pic.png?v=3" srcset="img/pic.png 1x, img/missing.png 2x">',
        '<a href="../outside.html">climbs out</a> <a href="obsidian://open?vault=x">app</a>',
        '<img src="data:image/png;base64,AAAA"> <a href="//cdn.example.com/x.js">cdn</a>',
    ),
    "page/index.html": _html('<h2 id="intro">Intro</h2> <a name="legacy"></a>\n'
                             '<a href="../#here">back</a>\n<a href="../index.html#gone">gone</a>'),
    "Spaced Name/index.html": _html('<a href="../page/#intro">ok</a>'),
    "img/pic.png": "png",
    "doc.pdf": "%PDF",
    "garden/graph.json": json.dumps({"nodes": [
        {"id": "page.md", "url": "page/"}, {"id": "Spaced Name.md", "url": "Spaced%20Name/"},
        {"id": "Gone.md", "url": "gone/"}, {"id": "Unwritten", "url": None},
    ]}),
}

SYNTHETIC_PROBLEMS = [
    "garden/graph.json:0: node 'Gone.md': missing target 'gone/index.html' 'gone/'",
    "index.html:6: missing fragment '#nope' in 'page/index.html' (href) 'page/#nope'",
    "index.html:7: missing target 'missing/index.html' (href) 'missing/'",
    "index.html:8: javascript: link (href) 'javascript:void(0)'",
    "index.html:13: missing target 'img/missing.png' (srcset) 'img/missing.png'",
    "index.html:14: link climbs above the site root (href) '../outside.html'",
    "index.html:14: unsupported URL scheme 'obsidian:' (href) 'obsidian://open?vault=x'",
    "page/index.html:5: missing fragment '#gone' in 'index.html' (href) '../index.html#gone'",
]


def test_checker_reports_broken_links_and_missing_fragments(tmp_path: Path) -> None:
    site = _write(tmp_path / "site", SYNTHETIC)
    assert check_links.check_site(site) == SYNTHETIC_PROBLEMS


def test_checker_output_is_sorted_and_stable(tmp_path: Path) -> None:
    site = _write(tmp_path / "site", SYNTHETIC)
    first = check_links.check_site(site)
    assert first == check_links.check_site(site)
    keys = [(line.split(":")[0], int(line.split(":")[1])) for line in first]
    assert keys == sorted(keys)


def test_checker_holds_root_absolute_links_to_the_base_path(tmp_path: Path) -> None:
    site = _write(tmp_path / "site", {
        "404.html": _html('<a href="/sub/page/#intro">ok</a> <a href="/sub/">home</a>\n'
                          '<link href="/assets/x.css" rel="stylesheet">'),
        "index.html": _html("home"),
        "page/index.html": _html('<p id="intro">x</p>'),
    })
    assert check_links.check_site(site, base_path="/sub/") == [
        "404.html:4: root-absolute link outside the base path '/sub/' (href) '/assets/x.css'",
    ]
    assert check_links.check_site(site) == [
        "404.html:3: missing target 'sub/index.html' (href) '/sub/'",
        "404.html:3: missing target 'sub/page/index.html' (href) '/sub/page/#intro'",
        "404.html:4: missing target 'assets/x.css' (href) '/assets/x.css'",
    ]


@pytest.mark.parametrize(("url", "page", "path", "fragment"), [
    ("", "a/b/index.html", "a/b/index.html", None),
    ("#x", "a/b/index.html", "a/b/index.html", "x"),
    ("../", "a/b/index.html", "a/index.html", None),
    ("..", "a/b/index.html", "a/index.html", None),
    ("./", "a/index.html", "a/index.html", None),
    ("c/d.png?v=1#f%20g", "a/index.html", "a/c/d.png", "f g"),
    ("My%20Note/", "index.html", "My Note/index.html", None),
    ("x.html", "404.html", "x.html", None),
    ("/", "a/index.html", "index.html", None),
    ("/t/u/", "a/index.html", "t/u/index.html", None),
])
def test_resolve_link(url: str, page: str, path: str, fragment: str | None) -> None:
    target = check_links.resolve_link(url, page)
    assert target is not None and target.problem is None
    assert (target.path, target.fragment) == (path, fragment)


@pytest.mark.parametrize("url", ["https://x.org/", "http://x.org", "//x.org/a", "mailto:a@b.c",
                                 "tel:+1", "data:text/plain,hi", "HTTPS://X.ORG/"])
def test_resolve_link_leaves_external_links_alone(url: str) -> None:
    assert check_links.resolve_link(url, "index.html") is None


def test_cli_exit_status(tmp_path: Path) -> None:
    broken = _write(tmp_path / "broken", SYNTHETIC)
    clean = _write(tmp_path / "clean", {"index.html": _html('<a href="#">top</a>')})
    run = [sys.executable, str(CHECKER_PATH)]
    failed = subprocess.run([*run, str(broken)], capture_output=True, text=True, check=False)
    assert failed.returncode == 1
    assert failed.stdout.splitlines() == SYNTHETIC_PROBLEMS
    passed = subprocess.run([*run, str(clean)], capture_output=True, text=True, check=False)
    assert (passed.returncode, passed.stdout) == (0, "")


SUBPATH_HINT = (
    "\nRoot-absolute links in 404.html come from site_url (MkDocs writes '/' without one): "
    "for the garden to work under a subpath, mkdocs.yml must read it from the environment, "
    "`site_url: !ENV [SITE_URL, null]` (the tests and the Pages workflow set SITE_URL).")


def _hint(lines: list[str]) -> str:
    return SUBPATH_HINT if any("404.html" in line for line in lines) else ""


@pytest.mark.build
def test_author_site_has_no_broken_links(author_site: Path) -> None:
    problems = check_links.check_site(author_site, base_path=f"/{SUBPATH}/")
    assert not problems, (
        f"{len(problems)} broken link(s) in the author's garden, built for /{SUBPATH}/:\n"
        + "\n".join(problems) + _hint(problems))


@pytest.mark.build
def test_author_site_graph_urls_resolve(author_site: Path) -> None:
    graph = json.loads((author_site / "garden" / "graph.json").read_text(encoding="utf-8"))
    assert graph["nodes"], "the author's graph has no nodes"
    checker = check_links.SiteChecker(author_site, base_path=f"/{SUBPATH}/")
    problems = [f"{file}: {message}" for file, _, message in checker.check_graph()]
    assert not problems, "\n".join(problems)


# --- over HTTP, under /garden-subpath/ -------------------------------------------------------

def _as_browser_sends(url: str) -> str:
    """Percent-encode what a browser encodes before sending (spaces, non-ASCII), keeping
    existing escapes."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=quote(parts.path, safe="/%:@!$&'()*+,;=~"),
                                     query=quote(parts.query, safe="/%:@!$&'()*+,;=~?")))


def _fetch(url: str) -> tuple[int, str, bytes, str]:
    """(status, final URL after redirects, body, content type) of a GET."""
    try:
        with urllib.request.urlopen(_as_browser_sends(url), timeout=30) as response:
            return (response.status, response.geturl(), response.read(),
                    response.headers.get_content_type())
    except urllib.error.HTTPError as error:
        return error.code, error.geturl(), error.read(), error.headers.get_content_type()


def _page_urls(served: ServedSite) -> Iterator[tuple[str, str]]:
    """(site file, URL a reader opens it at) for every HTML file; 404.html also where Pages
    serves it: at any missing address, here two folders deep."""
    for path in sorted(served.site.rglob("*.html")):
        relative = path.relative_to(served.site).as_posix()
        yield relative, urljoin(served.base_url, quote(check_links.page_url_path(relative)))
    if (served.site / "404.html").exists():
        yield "404.html", urljoin(served.base_url, "no/such/page/")


@pytest.mark.build
@pytest.mark.slow
def test_every_link_resolves_over_http_under_a_subpath(served_site: ServedSite) -> None:
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(served_site.base_url))
    failures: list[str] = []
    # URL without fragment -> {fragment wanted there ("" for none) -> first "page: link"}
    wanted: dict[str, dict[str, str]] = {}
    for relative, page_url in _page_urls(served_site):
        status, _, body, _ = _fetch(page_url)
        expected = 404 if page_url.endswith("no/such/page/") else 200
        if status != expected:
            failures.append(f"{page_url}: HTTP {status} for the page {relative}")
            continue
        for link in check_links.parse_page(body.decode("utf-8", "replace")).links:
            absolute, fragment = urldefrag(urljoin(page_url, link.url))
            if not absolute.startswith(origin + "/"):
                continue  # another site, or a non-HTTP scheme (the checker reports those)
            wanted.setdefault(absolute, {}).setdefault(
                unquote(fragment), f"{page_url}: {link.attribute}={link.url!r}")
    assert wanted, "no internal links found: the pages were not fetched"
    for url, fragments in sorted(wanted.items()):
        status, final, body, kind = _fetch(url)
        first = next(iter(sorted(fragments.values())))
        if status != 200:
            failures.append(f"{first} -> {url}: HTTP {status}")
            continue
        if not urlsplit(final).path.startswith(f"/{SUBPATH}/"):
            failures.append(f"{first} -> {url}: left the subpath for {final}")
            continue
        if kind != "text/html":
            continue
        anchors = check_links.parse_page(body.decode("utf-8", "replace")).anchors
        for fragment, source in sorted(fragments.items()):
            if fragment.lower() not in ("", "top") and fragment not in anchors:
                failures.append(f"{source} -> {url}: no id '{fragment}'")
    assert not failures, (
        f"{len(failures)} link(s) broken when the garden is served under /{SUBPATH}/:\n"
        + "\n".join(failures) + _hint(failures))
