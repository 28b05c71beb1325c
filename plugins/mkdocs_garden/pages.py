"""Pages and files the garden generates (tags, graph, tasks, timeline, charts, JSON).

They are MkDocs `File.generated` objects: held in memory, written by MkDocs into `site/`,
never into the vault. The content comes from the core; this module only knows where pages go
and how URLs relate.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from .core.charts import Chart, timeline_charts
from .core.graph import graph_json
from .core.graph_page import graph_page_markdown, graph_svg
from .core.indexes import folder_page_markdown, folder_tree, tag_anchor, tags_page_markdown
from .core.memo import Ask, RebuildMemo, making
from .core.model import Problem, Task
from .core.prerender import Href, SplitPage, fill, placeholders, render_body, split_page
from .core.rewrite import PageTargets
from .core.scan import Slugify
from .core.tasks import tasks_page_markdown
from .core.tasks_inline import task_anchor
from .core.timeline import Timeline, timeline_json_text, timeline_page_markdown
from .core.timeline_plan import TaskCounts
from .core.vault import Vault
from .core.views import GardenViews

Memo = RebuildMemo[dict[str, str]]  # generated path -> content
# The link caches below hit on the same page and on its folder's other pages, which MkDocs
# renders one after the other: at 1,000 notes 4,096 entries a cache get as many hits as
# 65,536 did (all but 770 of 41,500), where those kept 46,000 entries, 8.5 MiB of the build's
# peak memory.
_LINKS_KEPT = 4096


def md_link(from_page: str, path: str, anchor: str = "") -> str:
    """A Markdown link target from the page at `from_page` to the file `path` (both vault
    paths), percent-encoded, so MkDocs resolves and checks it."""
    return _relative_link(posixpath.dirname(from_page), path) + (f"#{anchor}" if anchor else "")


@lru_cache(maxsize=_LINKS_KEPT)
def _relative_link(folder: str, path: str) -> str:
    """`path` relative to `folder`, both vault paths. Called for every link of every page, so
    it avoids `posixpath.relpath` (which asks the OS for the working folder each time)."""
    target, here = path.split("/"), folder.split("/") if folder else []
    common = 0
    while common < min(len(target) - 1, len(here)) and target[common] == here[common]:
        common += 1
    return quote("/".join([".."] * (len(here) - common) + target[common:]))


def url_between(files: Files, page: File, path: str, anchor: str = "") -> str | None:
    """The URL of the file at vault path `path`, relative to `page`'s URL (None if no such file).
    For raw HTML and generated sections, which MkDocs does not rewrite. `path` is a vault path
    (a `src_uri`), so the lookup skips `get_file_from_path`'s normalising: mentions call this
    for every link of the garden."""
    target = files.src_uris.get(path)
    if target is None:
        return None
    return _relative_url(target.url, page.url) + (f"#{anchor}" if anchor else "")


@lru_cache(maxsize=_LINKS_KEPT)
def _relative_url(url: str, base: str) -> str:
    """`File.url_relative_to`, remembered: a page often links to one file more than once."""
    return get_relative_url(url, base)


def forget_links() -> None:
    """Drop the remembered links and URLs (a one-off build lets them go once its pages are
    written; `serve` keeps them)."""
    for cached in (_relative_link, _relative_url, _source_path):
        cached.cache_clear()


def source_href(files: Files, page: File, missing: Callable[[str], None]) -> Href:
    """What MkDocs does for a Markdown link: `written` relative to the page's source file
    (`../a%20b.md#x`) as a URL relative to the page's URL. `missing` hears of links to
    nothing, which stay as written."""
    folder = posixpath.dirname(page.src_uri)

    def href(written: str) -> str:
        path, _, anchor = written.partition("#")
        target = _source_path(folder, path) if path else page.src_uri
        # markdown-it percent-encodes a link as it parses it; MkDocs writes a fragment as it
        # came (`#^block`), and ids hold no character that needs encoding.
        url = url_between(files, page, target, unquote(anchor) if "%" in anchor else anchor)
        if url is None:
            missing(written)
        return url or written

    return href


@lru_cache(maxsize=_LINKS_KEPT)
def _source_path(folder: str, written: str) -> str:
    """The vault path a Markdown link `written` in `folder` names: asked for every link of
    every note, with few distinct answers."""
    return posixpath.normpath(posixpath.join(folder, unquote(written)))


def page_targets(page: File, files: Files, tags_page: str, slugify: Slugify, separator: str, *,
                  final_urls: bool = False) -> PageTargets:
    """Links from `page`: Markdown `.md` links MkDocs checks, or (`final_urls`, for renderers
    that MkDocs does not post-process, like notebook cells) URLs relative to the page's URL."""
    def md_href(path: str, anchor: str) -> str:
        if path == page.src_uri and anchor:
            return f"#{anchor}"
        if final_urls:
            return html_href(path, anchor)
        return md_link(page.src_uri, path, anchor)

    def html_href(path: str, anchor: str) -> str:
        return url_between(files, page, path, anchor) or md_link(page.src_uri, path, anchor)

    def tag_href(tag: str) -> str:
        return md_href(tags_page, tag_anchor(tag, slugify, separator))

    return PageTargets(md_href, html_href, tag_href)


def held_by_vault(files: Files, path: str) -> bool:
    """Is a published file of the vault at `path`? Then it is published there, and the garden
    makes no file of its own at that path."""
    return _is_vault_file(files.get_file_from_path(path))


def _is_vault_file(file: File | None) -> bool:
    return file is not None and file.generated_by is None


def add_generated(files: Files, config: MkDocsConfig, path: str, content: str) -> File | None:
    """Add (or replace) a generated file; None, and nothing added, where `held_by_vault`."""
    existing = files.get_file_from_path(path)  # one lookup: it normalises the path each time
    if _is_vault_file(existing):
        return None
    if existing is not None:
        files.remove(existing)
    generated = File.generated(config, path, content=content)
    files.append(generated)
    return generated


class GeneratedBodies:
    """The generated pages split for this build (core/prerender.py), and the HTML of their
    bodies. With `keep` (while serving), a page whose Markdown did not change keeps its split,
    and its bodies are not rendered again while its split and URL hold."""

    def __init__(self, keep: bool = False) -> None:
        self.keep = keep
        self.split: dict[str, SplitPage] = {}
        self._kept: dict[str, tuple[str, SplitPage]] = {}  # path -> (Markdown, its split)
        self._rendered: dict[str, tuple[SplitPage, str, str, str]] = {}  # path -> (split, URL, HTML, skeleton's HTML)
        # path -> (URL, the site's files, each line of its HTML bodies with its links made
        # URLs, and the links of the line that lead nowhere): a page made again after an edit
        # (the timeline, the tasks page) keeps most of its lines.
        self._lines: dict[str, tuple[str, frozenset[str], dict[str, tuple[str, tuple[str, ...]]]]] = {}

    def split_pages(self, files: Files, paths: list[str]) -> None:
        """Split each generated page at `paths`: its file keeps the headings and placeholders
        Python-Markdown renders."""
        self.split, kept = {}, {}
        for path in paths:
            file = files.get_file_from_path(path)
            if file is None or file.generated_by is None:
                continue
            markdown = file.content_string
            hit = self._kept.get(path)
            self.split[path] = hit[1] if hit is not None and hit[0] == markdown else split_page(markdown)
            kept[path] = (markdown, self.split[path])
            file.content_string = self.split[path].skeleton
        self._kept = kept if self.keep else {}
        self._rendered = {path: kept for path, kept in self._rendered.items() if path in self.split}
        self._lines = {path: kept for path, kept in self._lines.items() if path in self.split}

    def fill(self, content: str, page: File, files: Files, warn: Callable[[str], None], uris: frozenset[str]) -> str:
        """The rendered page with its bodies in place, links written relative to its source
        made URLs relative to it (what MkDocs does for Markdown links); `warn` hears of links
        to nothing and of placeholders another extension rewrote beyond recognition. `uris`:
        the site's files, the same object while they are the same."""
        # A page is filled once per build: without `keep`, its bodies need not outlive that
        # (its HTML stays in `page.content`, which MkDocs keeps until the build ends).
        split = self.split[page.src_uri] if self.keep else self.split.pop(page.src_uri)
        kept = self._rendered.get(page.src_uri)
        if kept is not None and kept[0] is split and kept[1] == page.url and kept[3] == content:
            return kept[2]
        if (found := placeholders(content)) != len(split.bodies):
            warn(f"{len(split.bodies) - found} of its {len(split.bodies)} generated sections were lost: "
                 "a Markdown extension rewrote their placeholder paragraphs")
        lost: list[str] = []  # links to nothing, in page order
        href = source_href(files, page, lost.append)
        if self.keep:
            last = self._lines.get(page.src_uri)
            known = last[2] if last is not None and last[0] == page.url and last[1] is uris else {}
            lines: dict[str, tuple[str, tuple[str, ...]]] = {}
            bodies = [render_body(body, href) if not isinstance(body, str) else self._relinked(body, href, known, lines, lost)
                      for body in split.bodies]
            self._lines[page.src_uri] = (page.url, uris, lines)
        else:
            bodies = [render_body(body, href) for body in split.bodies]
        for written in lost:
            warn(f"generated link to '{written}', which is not in the site")
        filled = fill(content, bodies)
        if self.keep:  # the skeleton's HTML too: a Markdown setting may change while serving
            self._rendered[page.src_uri] = (split, page.url, filled, content)
        return filled

    @staticmethod
    def _relinked(body: str, href: Href, known: dict[str, tuple[str, tuple[str, ...]]],
                  lines: dict[str, tuple[str, tuple[str, ...]]], lost: list[str]) -> str:
        """An HTML body with its links made URLs (`render_body`, which keeps each link on its
        line), each line as in the last build (`known`) when it is the same; `lines` gets every
        line's HTML and links to nothing, which go to `lost` in page order. The timeline has
        thousands of lines and an edit changes a few: only those are looked at one by one."""
        parts = body.split("\n")
        made = list(map(known.get, parts))
        start = 0
        while True:
            try:
                start = made.index(None, start)
            except ValueError:
                break
            found = lines.get(parts[start])
            if found is None:
                before = len(lost)  # `href` tells `lost` of links to nothing
                found = (render_body(parts[start], href), tuple(lost[before:]))
                del lost[before:]
            made[start] = lines[parts[start]] = found
        lines.update(zip(parts, made))
        lost.extend([link for found in made if found[1] for link in found[1]])
        return "\n".join([found[0] for found in made])


def add_tags_page(files: Files, config: MkDocsConfig, vault: Vault, path: str,
                  slugify: Callable[[str, str], str], separator: str, memo: Memo, tagged: object) -> list[str]:
    """The tag index; `tagged` changes whenever a published note's tags or title do. Like every
    `add_` below, it returns the paths it left to a vault file (`_add_all`)."""
    made = memo.get(path, (tagged, slugify, separator),
                    lambda _ask: {path: tags_page_markdown(vault, path, slugify, separator)})
    return _add_all(files, config, made)


def _add_all(files: Files, config: MkDocsConfig, made: dict[str, str]) -> list[str]:
    """Add each generated file; the paths a vault file holds (`add_generated`) are returned."""
    return [path for path, content in made.items() if add_generated(files, config, path, content) is None]


def add_graph_page(files: Files, config: MkDocsConfig, vault: Vault, views: GardenViews, path: str,
                   memo: Memo) -> None:
    page = add_generated(files, config, path, "")
    assert page is not None, "the caller makes no own page at a path the vault holds"
    counts = (views.graph.number_of_nodes(), views.graph.number_of_edges())

    def make(ask: Ask) -> dict[str, str]:
        return {path: graph_page_markdown(
            path, views.insights, title_of=lambda p: ask("title", p), node_count=counts[0], edge_count=counts[1],
            graph_url=get_relative_url("garden/graph.json", page.url),
            svg_url=get_relative_url("garden/graph.svg", page.url), root=get_relative_url("", page.url))}

    made = memo.get(path, (views.insights, counts, page.url), make,
                    {"title": lambda p: vault.notes[p].title if p in vault.notes else p})
    page.content_string = made[path]


FOLDER_PAGES = "garden/folders"


def folder_page_path(folder: str) -> str:
    """Where a folder's generated page goes (the root folder is the "All notes" page)."""
    return f"{FOLDER_PAGES}/{folder}.md" if folder else f"{FOLDER_PAGES}/index.md"


def add_folder_pages(files: Files, config: MkDocsConfig, vault: Vault, memo: Memo,
                     titles: tuple[tuple[str, str], ...]) -> tuple[dict[str, tuple[list[str], list[str]]], list[str]]:
    """One page per folder, so navigation needs no full tree in every page; `titles` holds
    every published note's path and title. The tree reads only the paths."""
    paths = tuple(path for path, _ in titles)
    tree: Any = memo.get(f"{FOLDER_PAGES}/tree", paths, lambda _ask: folder_tree(vault))
    made = memo.get(FOLDER_PAGES, titles, lambda _ask: {
        folder_page_path(folder): folder_page_markdown(vault, folder, folder_page_path(folder), folder_page_path, tree)
        for folder in tree})
    return tree, _add_all(files, config, made)


def compact_nav(vault: Vault, tree: dict[str, tuple[list[str], list[str]]], garden_pages: dict[str, str]) -> list:
    """Home, one entry per top-level folder, and the garden's own pages.

    Material writes the whole navigation into every page, so a nav listing every note costs
    O(notes^2) in build time and site size; this one is constant per page. Folder pages,
    search, mentions and the graph carry the rest.
    """
    nav: list = []
    if "index.md" in vault.notes and vault.is_public("index.md"):
        nav.append({"Home": "index.md"})
    nav.append({"All notes": folder_page_path("")})
    nav += [{_title(posixpath.basename(folder)): folder_page_path(folder)} for folder in tree[""][1]]
    extra = [{title: path} for title, path in garden_pages.items() if path]
    if extra:
        nav.append({"Garden": extra})
    return nav


def add_tasks_page(files: Files, config: MkDocsConfig, tasks: list[Task], path: str,
                   today: date, today_source: str, memo: Memo, parts: GeneratedParts) -> list[str]:
    """The tasks page; `parts` keeps each task's list item (`tasks_page_markdown`)."""
    def make(_ask: Ask) -> dict[str, str]:
        return {path: tasks_page_markdown(tasks, today, link_for=lambda t: md_link(path, t.path, task_anchor(t)),
                                          today_source=today_source, items_memo=parts.from_page("task_items", path))}

    return _add_all(files, config, memo.get(path, (tuple(tasks), today, today_source), make))


def add_timeline(files: Files, config: MkDocsConfig, vault: Vault, timeline: Timeline, path: str,
                 today: date, today_source: str, memo: Memo, parts: GeneratedParts) -> list[str]:
    """The timeline page, its charts and `timeline.json`, made again only when the timeline,
    the day, or a note or URL they show moved; `parts` keeps what they are made of."""
    lookups = {"target": partial(timeline_target, vault, path), "url": partial(site_url, files)}
    # The days keep the targets' answers while their stamp holds, without asking the page.
    stamp = timeline_target_stamp(vault)
    made = memo.get(path, (timeline, today, today_source, stamp),
                    partial(_timeline_files, timeline, path, today, today_source, parts, stamp), lookups)
    return _add_all(files, config, made)


@dataclass
class GeneratedParts:
    """What the timeline page, `timeline.json` and the tasks page are made of, kept part by
    part while serving (`keep`): each day's HTML, the JSON text of each note's tasks, each
    task's item, the charts, the tasks' problems and counts (`build_timeline`). A saved note
    moves only its own."""

    days: RebuildMemo[str] = field(default_factory=RebuildMemo)
    timeline_tasks: RebuildMemo[str] = field(default_factory=RebuildMemo)
    task_items: RebuildMemo[str] = field(default_factory=RebuildMemo)
    charts: RebuildMemo[list[Chart]] = field(default_factory=RebuildMemo)
    task_facts: RebuildMemo[tuple[list[Problem], TaskCounts]] = field(default_factory=RebuildMemo)
    places: dict[str, str] = field(default_factory=dict)  # memo -> the page its links are written from

    def from_page(self, name: str, path: str) -> RebuildMemo[str]:
        """The memo `name` (`days`, `task_items`), whose parts link from the page at `path`:
        emptied when that page moved since (its option changed in `mkdocs.yml` while serving,
        which keeps the plugin)."""
        if self.places.setdefault(name, path) != path:
            setattr(self, name, RebuildMemo(self.keep))
            self.places[name] = path
        return getattr(self, name)

    @property
    def keep(self) -> bool:
        return self.days.keep

    @keep.setter
    def keep(self, keep: bool) -> None:
        for memo in (self.days, self.timeline_tasks, self.task_items, self.charts, self.task_facts):
            memo.keep = keep


def _timeline_files(timeline: Timeline, path: str, today: date, today_source: str, parts: GeneratedParts,
                    target_stamp: object, ask: Ask) -> dict[str, str]:
    """The timeline page, its charts (SVG) and `timeline.json`.
    What they need of the vault and the site they `ask` for: `target` (the title and link of
    a note an entry links to; `timeline_target_stamp`) and `url` (a note's site URL)."""
    folder = posixpath.dirname(path)
    # The charts read the entries' days alone: the words and links of a day draw the same.
    days = tuple((entry.start, entry.end, entry.skipped) for entry in timeline.entries)
    with making(parts.charts) as memo:
        charts = memo.get("charts", (timeline.stats.span, days, timeline.tasks, today),
                          lambda _ask: timeline_charts(timeline.stats.span, timeline.entries, timeline.tasks, today))
    made, images = {}, []
    for chart in charts:
        chart_path = posixpath.join(folder, f"charts/{chart.name}.svg")
        made[chart_path] = chart.svg
        images.append((chart.alt, md_link(path, chart_path)))
    made[path] = timeline_page_markdown(
        timeline.entries, timeline.tasks, timeline.stats,
        link_for_entry=lambda e: md_link(path, e.path, e.anchor),
        link_for_task=lambda t: md_link(path, t.path, task_anchor(t)),
        link_for_target=partial(ask, "target"), charts=images, today=today, today_source=today_source,
        rows_memo=parts.from_page("days", path), target_stamp=target_stamp)
    made[posixpath.join(folder, "timeline.json")] = timeline_json_text(
        timeline.entries, timeline.tasks, timeline.window, timeline.stats,
        url_for_entry=lambda e: (ask("url", e.path) or e.path) + (f"#{e.anchor}" if e.anchor else ""),
        tasks_memo=parts.timeline_tasks)
    return made


def timeline_target(vault: Vault, page: str, source: str, target: str) -> tuple[str, str] | None:
    """The title of the note (or file) `target`, linked from `source`, and its link from `page`;
    None when it is not published."""
    if source not in vault.notes:
        return None
    found = vault.resolver.resolve_path(target.split("#", 1)[0], source)
    if not vault.is_public(found.path) or found.path is None:
        return None
    title = vault.notes[found.path].title if found.path in vault.notes else posixpath.basename(found.path)
    return title, md_link(page, found.path)


def timeline_target_stamp(vault: Vault) -> tuple:
    """All `timeline_target` reads besides its arguments: the files and the names links
    resolve by, which are published, and the notes' titles. Equal in two builds, it answers
    every question alike in both."""
    return (vault.namespace, frozenset(vault.private), tuple(vault.notes),
            tuple(note.title for note in vault.notes.values()))


def site_url(files: Files, path: str) -> str | None:
    """The site URL of the file at vault path `path` (a `src_uri`), or None."""
    file = files.src_uris.get(path)
    return file.url if file is not None else None


def _title(name: str) -> str:
    """A folder name as a navigation title: `concepts` -> `Concepts`, `ML notes` kept."""
    return html.escape(name[:1].upper() + name[1:])  # Material prints nav titles as HTML


def write_graph_files(out: Path, files: Files, views: GardenViews, memo: dict[str, Any] | None = None) -> None:
    """`graph.json` and the static `graph.svg` into `out`, once every file's final URL is known
    (other plugins may move files). `memo` (kept while serving) keeps both texts with
    everything they are made of, so a rebuild that changed none of it does not make them again,
    and each node's JSON, so one that changed a few nodes writes only those again."""
    out.mkdir(parents=True, exist_ok=True)
    graph = views.graph
    # The graph's version: `build_views` moves it whenever a node's data or an edge changed,
    # and with it the structure (positions and communities, new objects when they change).
    inputs = None if memo is None else (views.version, views.positions, views.community,
                                        [site_url(files, node) for node in sorted(graph)])
    if memo is not None and memo.get("inputs") == inputs:
        text, picture, memo["made"] = memo["text"], memo["picture"], False
    else:
        edges = sorted(graph.edges(data="kind"))
        text = graph_json(graph, views.positions, views.community, partial(site_url, files), views.degree,
                          None if memo is None else memo.setdefault("nodes", {}), edges)
        picture = graph_svg(graph, views.positions, views.community, views.degree, edges)
        if memo is not None:
            memo.update(inputs=inputs, text=text, picture=picture, made=True)
    (out / "graph.json").write_text(text, encoding="utf-8")
    (out / "graph.svg").write_text(picture, encoding="utf-8")
