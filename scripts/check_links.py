"""Check that every internal link of a built site lands on a file, and every `#fragment` on an id.

Usage: python scripts/check_links.py SITE_DIR [--base-path /subpath/]

For every HTML file, every `href`, `src`, `srcset` and `poster` is resolved the way a browser
resolves it against the page's URL (a page `a/b/index.html` is served as `a/b/`), then checked:

- the target file exists (a URL ending in `/` means its `index.html`; a folder URL without the
  slash is accepted, since static hosts redirect it); the path is percent-decoded and the query
  string ignored;
- a non-empty fragment names an `id` (or an `<a name>`) in the target page. `#` alone and `#top`
  are the top of the page by the HTML standard, and `#:~:text=` is a browser text fragment, so
  those pass; fragments of non-HTML targets (`paper.pdf#page=3`, `clip.mp4#t=10`) are the
  viewer's business and pass too, except SVG files, whose ids are checked;
- the link stays inside the site: `..` past the site root, or a root-absolute path outside
  `--base-path` (the path the site is served under, `/` by default), is reported.

External links (`http:`, `https:`, `//host`, `mailto:`, `tel:`, `data:`, `ftp:`) are not
followed. `javascript:` links are reported: a static garden has none on purpose. Any other
scheme (`file:`, `obsidian:`...) is reported as well, since no reader's browser can follow it.

`garden/graph.json`, when present, is checked too: each node's `url` (relative to the site
root, `null` for unwritten notes) must resolve like a link.

Only the standard library is used. Problems come back sorted, one line each, as
`<file>:<line>: <what> '<link>'`.
"""

from __future__ import annotations

import argparse
import json
import posixpath
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes whose value is one URL, and `srcset`, whose value is a list of "URL width" pairs.
URL_ATTRIBUTES = frozenset({"href", "src", "poster"})
EXTERNAL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "data", "ftp", "ftps"})
# Fragments that need no matching id (HTML standard: empty and "top" scroll to the top).
TOP_FRAGMENTS = frozenset({"", "top"})
GRAPH_JSON = "garden/graph.json"


@dataclass(frozen=True)
class Link:
    """One URL found in a document: where it was (line, attribute) and its raw value."""

    line: int
    attribute: str
    url: str


@dataclass
class ParsedPage:
    """What the link checker needs from one HTML (or SVG) document."""

    links: list[Link] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    base_href: str | None = None


class _PageParser(HTMLParser):
    """Collect links (with line numbers), ids and `<a name>` anchors, and `<base href>`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.page.anchors.add(value)
            elif tag == "base" and name == "href":
                self.page.base_href = self.page.base_href or value.strip()
            elif name in URL_ATTRIBUTES:
                self.page.links.append(Link(line, name, value.strip()))
            elif name == "srcset":
                self.page.links.extend(Link(line, name, url) for url in _srcset_urls(value))

    handle_startendtag = handle_starttag


def _srcset_urls(value: str) -> Iterator[str]:
    """The URLs of a `srcset` ("a.png 1x, b.png 2x"); commas inside a URL are rare enough."""
    for candidate in value.split(","):
        parts = candidate.split()
        if parts:
            yield parts[0]


def parse_page(text: str) -> ParsedPage:
    """Links, anchors and `<base href>` of one HTML or SVG document."""
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    return parser.page


def page_url_path(relative: str) -> str:
    """The site-relative URL a file is served at: `a/b/index.html` -> `a/b/`, else unchanged."""
    if relative == "index.html":
        return ""
    if relative.endswith("/index.html"):
        return relative[: -len("index.html")]
    return relative


def _normalise_base(base_path: str) -> str:
    base = "/" + base_path.strip("/")
    return base if base == "/" else base + "/"


@dataclass(frozen=True)
class Target:
    """Where a link lands: a site-relative file path (or a problem) and its decoded fragment."""

    path: str | None
    fragment: str | None
    problem: str | None = None


def resolve_link(url: str, page: str, base_path: str = "/") -> Target | None:
    """Resolve `url` found in the site file `page` (site-relative, e.g. `a/b/index.html`).

    Returns None for external links, else the site-relative path it lands on (not yet checked
    for existence, percent-decoded, `None` with a `problem` when it cannot be in the site) and
    the decoded fragment (`None` when the URL has none).
    """
    parts = urlsplit(url)
    if parts.scheme:
        scheme = parts.scheme.lower()
        if scheme in EXTERNAL_SCHEMES:
            return None
        if scheme == "javascript":
            return Target(None, None, "javascript: link")
        return Target(None, None, f"unsupported URL scheme '{scheme}:'")
    if parts.netloc:
        return None  # protocol-relative "//host/path": another site
    fragment = unquote(parts.fragment) if "#" in url else None
    if parts.path.startswith("/"):
        base = _normalise_base(base_path)
        if not (parts.path + "/").startswith(base):
            return Target(None, fragment, f"root-absolute link outside the base path '{base}'")
        start: list[str] = []
        path = parts.path[len(base):]
    else:
        start = page_url_path(page).split("/")[:-1]  # the page's folder, as URL segments
        path = parts.path
    if not path:
        return Target(page if not parts.path.startswith("/") else "index.html", fragment)
    segments = list(start)
    escaped = False
    pieces = path.split("/")
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        if piece == "..":
            if not segments:
                escaped = True
            else:
                segments.pop()
            if last:
                segments.append("")
        elif piece == ".":
            if last:
                segments.append("")
        else:
            segments.append(piece)
    if escaped:
        return Target(None, fragment, "link climbs above the site root")
    decoded = [unquote(segment) for segment in segments]
    if not decoded or decoded[-1] == "":
        decoded = decoded[:-1] + ["index.html"] if decoded else ["index.html"]
    return Target(posixpath.join(*decoded), fragment)


class SiteChecker:
    """Checks links of one built site; parses each target page at most once."""

    def __init__(self, site_dir: Path, base_path: str = "/") -> None:
        self.site = site_dir
        self.base_path = base_path
        self.files = {path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*")
                      if path.is_file()}
        self.folders = {posixpath.dirname(name) for name in self.files}
        self._anchors: dict[str, set[str]] = {}

    def anchors_of(self, relative: str) -> set[str]:
        """Ids and `<a name>`s of a site file (parsed once)."""
        if relative not in self._anchors:
            text = (self.site / relative).read_text(encoding="utf-8", errors="replace")
            self._anchors[relative] = parse_page(text).anchors
        return self._anchors[relative]

    def check_target(self, target: Target) -> str | None:
        """Why a resolved link is broken, or None when it lands on a file (and its fragment)."""
        if target.problem:
            return target.problem
        assert target.path is not None
        path = target.path
        if path not in self.files:
            folder_index = posixpath.join(path, "index.html")
            if path in self.folders and folder_index in self.files:
                path = folder_index  # "a/b" without the slash: hosts redirect to "a/b/"
            else:
                return f"missing target '{target.path}'"
        return self._check_fragment(path, target.fragment)

    def _check_fragment(self, path: str, fragment: str | None) -> str | None:
        if fragment is None or fragment.lower() in TOP_FRAGMENTS or fragment.startswith(":~:"):
            return None
        if not path.endswith((".html", ".htm", ".svg")):
            return None
        if fragment in self.anchors_of(path):
            return None
        return f"missing fragment '#{fragment}' in '{path}'"

    def check_page(self, relative: str) -> Iterator[tuple[str, int, str]]:
        """Problems of one HTML file, as (file, line, message)."""
        text = (self.site / relative).read_text(encoding="utf-8", errors="replace")
        page = parse_page(text)
        self._anchors.setdefault(relative, page.anchors)
        context = relative  # links resolve against `<base href>` when the page has one
        if page.base_href:
            base = resolve_link(page.base_href, relative, self.base_path)
            if base is not None and base.path is not None:
                context = base.path
        for link in page.links:
            target = resolve_link(link.url, context, self.base_path)
            if target is None:
                continue
            problem = self.check_target(target)
            if problem:
                yield relative, link.line, f"{problem} ({link.attribute}) '{link.url}'"

    def check_graph(self) -> Iterator[tuple[str, int, str]]:
        """Problems of `garden/graph.json`: node urls are relative to the site root."""
        if GRAPH_JSON not in self.files:
            return
        try:
            graph = json.loads((self.site / GRAPH_JSON).read_text(encoding="utf-8"))
            nodes = graph["nodes"]
        except (ValueError, KeyError, TypeError) as error:
            yield GRAPH_JSON, 0, f"unreadable graph: {error}"
            return
        for node in nodes:
            url = node.get("url") if isinstance(node, dict) else None
            node_id = node.get("id", "?") if isinstance(node, dict) else repr(node)
            if url is None:
                continue  # unwritten notes have no page
            if not isinstance(url, str):
                yield GRAPH_JSON, 0, f"node '{node_id}' has a non-string url '{url!r}'"
                continue
            target = resolve_link(url, "index.html", self.base_path)
            if target is None:
                yield GRAPH_JSON, 0, f"node '{node_id}' links outside the site '{url}'"
                continue
            problem = self.check_target(target)
            if problem:
                yield GRAPH_JSON, 0, f"node '{node_id}': {problem} '{url}'"

    def problems(self) -> list[str]:
        """Every problem of the site, sorted by file, line and message, without duplicates."""
        found: set[tuple[str, int, str]] = set()
        for relative in sorted(self.files):
            if relative.endswith((".html", ".htm")):
                found.update(self.check_page(relative))
        found.update(self.check_graph())
        return [f"{file}:{line}: {message}" for file, line, message in sorted(found)]


def check_site(site_dir: Path, base_path: str = "/") -> list[str]:
    """Every broken internal link, missing fragment and bad graph url of a built site, sorted.

    `base_path` is the URL path the site is served under: root-absolute links must start with
    it (MkDocs writes them only in `404.html`, from `site_url`).
    """
    return SiteChecker(Path(site_dir), base_path).problems()


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("site_dir", type=Path, help="the built site, e.g. site/")
    parser.add_argument("--base-path", default="/",
                        help="URL path the site is served under (default: /)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not args.site_dir.is_dir():
        parser.error(f"not a folder: {args.site_dir}")
    problems = check_site(args.site_dir, args.base_path)
    for problem in problems:
        print(problem)
    count = len(problems)
    print(f"{count} problem{'s' if count != 1 else ''} in {args.site_dir}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
