"""The thin MkDocs adapter: event glue between MkDocs and the core.

Per build: `on_files` scans the whole vault into one `Vault` (parse cached by content across
`serve` rebuilds), drops private files, derives the views (graph, mentions, tasks, timeline)
and adds the generated pages; `on_page_read_source` hands MkDocs the decoded note (MkDocs would
abort on non-UTF-8); `on_page_markdown` rewrites, and (last of all plugins) renders a note with
markdown-it, which `on_page_content` puts in place; `on_page_context` appends the mentions and
the local graph after search has indexed the page, for its template only (the next page's
context, or `on_post_build`, takes them out of `page.content` again); `on_post_build` writes
the graph data.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import html
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from functools import cache, partial
from operator import attrgetter
from pathlib import Path
from stat import S_ISLNK
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents, get_toc

from . import page_sections, pages
from .config import GardenConfig
from .core.backlinks import MentionMemo
from .core.build_cache import BuildCache, code_version, digest, kept_or_made, name_of, slugify_sign
from .core.dates import GitMemo, NoteDates, git_dates, growth_stage, note_dates
from .core.dirty import SignatureMemo
from .core.memo import RebuildMemo, making
from .core.model import Note, Problem, Task
from .core.notebook_pages import notebook_markdown, rewrite_notebook
from .core.prerender import Href
from .core.reads import FileReader
from .core.render import HeadingOptions, RenderedNote, render_note
from .core.rewrite import PageTargets, Rewriter, forget_line_starts
from .core.scan import default_slugify
from .core.scrub import scrub_rendered_html
from .core.tasks import overdue_shown, settle_overdue, tasks_in_text, today_for_build
from .core.tasks_inline import task_edits
from .core.timeline import Timeline, build_timeline, timeline_notes
from .core.vault import LinkProblemMemo, ParseCache, PrivacyRules, Vault, build_vault, decode_note, link_problems
from .core.views import GardenViews, GraphMemo, build_views
from .search_index import harden_search_index_file
from .serve import IGNORED_DIRS, watch_vault_ignoring

log = get_plugin_logger(__name__)
ASSETS = Path(__file__).parent / "assets"
_SRC_URI = attrgetter("src_uri")

# Extensions the rewritten Markdown may rely on, with the options it needs, and the text that
# shows a vault needs them. Python-Markdown applies every inline pattern to every text node of
# every page, so an extension the vault never uses costs build time for nothing.
_EXTENSIONS: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "tables": ({}, ("|",)),
    "md_in_html": ({}, (" markdown>", ' markdown="')),
    "attr_list": ({}, ("#", "![[", "{:")),
    "admonition": ({}, ("> [!", "![[")),
    "pymdownx.details": ({}, ("> [!", "![[")),
    "footnotes": ({}, ("[^", "^[")),
    "pymdownx.mark": ({}, ("==",)),
    "pymdownx.tilde": ({}, ("~~",)),
    "pymdownx.superfences": ({}, ("```", "~~~")),
    "pymdownx.arithmatex": ({"generic": True}, ("$",)),
}



# The garden's own pages in the navigation, in this order.
_OWN_PAGE_TITLES = {"graph_page": "Graph", "timeline_page": "Timeline", "tasks.page": "Tasks", "tags_page": "Tags"}


def _needed_extensions(text: str) -> frozenset[str]:
    return frozenset(name for name, (_, signs) in _EXTENSIONS.items() if any(sign in text for sign in signs))


@dataclass(eq=False, slots=True)
class _NotePage:
    """What the page events need of one published note, made in `on_files`, so that each event
    finds it with one lookup. An event runs between two template renders, which leave little
    of the plugin's data in the CPU's caches: there, every separate lookup costs a microsecond
    or more a page (at 1,000 notes, the five of `on_page_context` took 10 ms a serve rebuild,
    and one took 2 ms).

    The fields after `stage` are what the page's events made, with what each was made from:
    while serving, a rebuild reuses them (the record is carried over); a one-off build keeps
    none (it would only hold every page twice)."""

    notebook: bool = False  # mkdocs-jupyter renders its page
    content_signature: str = ""  # what its own Markdown renders to (core/dirty.py)
    signature: str = ""  # what its page shows
    dates: NoteDates | None = None
    footer: dict[str, str] = field(default_factory=dict)  # its dates, for Material's page footer
    stage: str | None = None  # its growth stage
    placed: tuple[RenderedNote, TableOfContents] | None = None  # rendered, until on_page_content
    markdown: tuple[str, str, list[Problem]] | None = None  # (content signature, rewritten, problems)
    # ((Markdown, options, dest_uri, note), the site's files, HTML, table of contents, problems)
    rendered: tuple[tuple[str, str, str, Note], frozenset[str], RenderedNote, TableOfContents, list[Problem]] | None = None
    settled: tuple[str, date, str] | None = None  # (rendered HTML, the day, its overdue chips settled)
    scrubbed: tuple[str, str] | None = None  # (rendered HTML, scrubbed)
    badged: tuple[str | None, str, str] | None = None  # (stage, content, with its badge)
    sections: tuple[tuple[str, str], str] | None = None  # ((signature, URL), the sections' HTML)
    shown: tuple[str, str, str] | None = None  # (badged content, sections, the two joined)


class GardenPlugin(BasePlugin[GardenConfig]):
    """`plugins: [garden]`: an Obsidian vault as a digital garden."""

    def __init__(self) -> None:
        self.dirty = False
        self.serving = False  # the page memos below are kept only while serving: a build
        self.disk: BuildCache | None = None  # the last build's results (core/build_cache.py), until on_env
        self._built = False  # a build ran: `serve` reads and writes `disk` in its first build only
        self._start_afresh()
        self._reset()

    def _reset(self) -> None:
        self.vault: Vault | None = None
        self.views: GardenViews | None = None
        self.rewriter: Rewriter | None = None
        self.tasks: dict[str, list[Task]] = {}
        self.texts: dict[str, str] = {}
        self.notebooks: set[str] = set()
        self.signatures: dict[str, str] = {}  # path -> what its page shows (core/dirty.py)
        self.generated_signatures: dict[str, str] = {}  # generated page -> its Markdown, in context
        self._generated_markdown: dict[str, str] = {}  # generated page -> its Markdown, until signed
        self.dates: dict[str, NoteDates] = {}
        self._shown: tuple[Page, str, str] | None = None  # a page, its content with sections and without
        # What the pages' templates and sections show of the notes, so that a one-off build
        # can let the vault go once every page is rendered (`on_env`).
        self.titles: dict[str, str] = {}  # published note -> its title
        self.timings: dict[str, float] = {}
        self._files: Files | None = None
        self._uris: frozenset[str] | None = None  # the site's files, once the pages are built
        self._own_pages: dict[str, str] = {}  # option -> the garden's own page it places
        self._aggregates: tuple[str, ...] = ()  # the generated pages that gather what the notes say
        self._parsed: list[str] = []  # the notes this build parsed, for its log line
        self._reused = 0  # the results this build took from `disk`, for its log line
        self._files_signed = b""  # `_files_sign`, once the pages render
        self._context = ""  # `_fingerprint`: the options every page is made with
        self._reported: set[str] = set()
        self._last_outputs: list[str] = []  # what the last build's files wrote, in a `--dirty` build

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defining this keeps one plugin instance for the whole `serve` session, so the parse
        cache survives rebuilds; per-build state is reset in `on_config`."""
        self.dirty = dirty
        self.serving = command == "serve"
        self._built = False
        if not self.serving:
            self._start_afresh()
        for kept in (self.bodies, self.kept, self.timelines, self.parts, self.reader):
            kept.keep = self.serving

    def _start_afresh(self) -> None:
        """The results kept across rebuilds while serving (a one-off build starts without, also
        when MkDocs kept the plugin from an earlier build in the same process). The notes' texts,
        parses and tasks, mentions per (note, link), the graph and its structure, each note page's record
        (`_NotePage`: its rewritten Markdown, rendered, scrubbed and appended HTML), the generated
        pages and their bodies, the timeline, page signatures, graph.json, the search index, the
        Markdown extensions each text needs and each note's link warnings, each with the inputs
        it was made from."""
        self.cache = ParseCache()  # the notes' parses
        self._slugs = ""  # `slugify_sign` of the notes `cache` holds
        self.reader: FileReader[tuple[str, Problem | None]] = FileReader()  # the notes' texts
        # path -> (its note, the tasks options, its tasks), as long as the parse cache keeps the note
        self._task_cache: dict[str, tuple[Note, tuple[str, bool], list[Task]]] = {}
        self._served_manifest: dict[str, Any] = {}  # `_last_manifest` while serving
        self._mention_memo = MentionMemo()
        self._graph_memo = GraphMemo()
        self._pages: dict[str, _NotePage] = {}  # published note -> its page's record
        self.bodies = pages.GeneratedBodies()
        self.kept: pages.Memo = RebuildMemo()  # the generated pages' Markdown and files
        self.timelines: RebuildMemo[Timeline] = RebuildMemo()
        self.parts = pages.GeneratedParts()
        self._facts: dict[int, tuple[Note, tuple[str, str, tuple[str, ...]]]] = {}  # id -> (note, facts)
        self._signature_memo = SignatureMemo()
        self._graph_json: dict[str, Any] = {}
        self._last_index: str | None = None  # the search index, when it needed no change
        self._needs: dict[str, tuple[str, frozenset[str]]] = {}  # path -> (text, extensions)
        self._last_uris: frozenset[str] = frozenset()
        self._git_memo = GitMemo()  # the notes' commit dates, until HEAD moves
        self._dates_memo: dict[str, tuple[tuple[Note, float | None, Any, float | None], NoteDates]] = {}
        self._places: dict[tuple[str, str], tuple[str, str]] = {}  # (src_dir, src_uri) -> path, its folder
        self._link_problem_memo: LinkProblemMemo = {}  # each note's link warnings
        self._generated_memo: dict[str, tuple[str, str, str]] = {}  # path -> (Markdown, context, signature)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._reset()
        self.cache_dir = Path(config.config_file_path or ".").parent / self.config.cache_dir
        styles = ["vendor/katex/katex.min.css", "garden/garden.css", "garden/graph.css", "garden/preview.css"]
        # KaTeX before math.js, which renders arithmatex's output; previews use gardenMath.
        scripts = ["vendor/katex/katex.min.js", "garden/math.js", "garden/garden.js", "garden/preview.js"]
        scripts += ["garden/graph.js"] if self.config.graph else []
        for name in styles:
            if name not in config.extra_css:
                config.extra_css.append(name)
        for name in scripts:
            if name not in config.extra_javascript:
                config.extra_javascript.append(name)

        toc = config.mdx_configs.get("toc", {})
        self.slugify = toc.get("slugify") or default_slugify
        self.separator = toc.get("separator", "-")
        self.headings = HeadingOptions(self.slugify, self.separator, permalink=toc.get("permalink", False),
                                       permalink_class=toc.get("permalink_class", "headerlink"),
                                       permalink_title=toc.get("permalink_title", "Permanent link"),
                                       toc_levels=_toc_levels(toc.get("toc_depth", 6)))
        self.today, self.today_source = today_for_build(os.environ)
        # Read on every page: an option's lookup costs more than an attribute's.
        self._markdown_it = self.config.renderer != "python-markdown"
        self._sanitize = self.config.raw_html == "sanitize"
        # The garden's own pages, by the option that places them ("": not made).
        self._own_pages = {"graph_page": self.config.graph_page if self.config.graph else "",
                           "timeline_page": self.config.timeline_page, "tasks.page": self.config.tasks.page,
                           "tags_page": self.config.tags_page}
        # The tags, tasks and timeline pages: aggregates of what the notes say.
        self._aggregates = tuple(self._own_pages[option] for option in ("tags_page", "tasks.page", "timeline_page")
                                 if self._own_pages[option])
        return config

    def _timed(self, phase: str) -> _Clock:
        """Add the CPU time spent in the block to `phase` (reported once per build): CPU, not
        wall time, so that the figures hold on a busy machine."""
        return _Clock(self.timings, phase)

    @event_priority(-50)  # after mkdocs-jupyter turned notebooks into pages (their URLs)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        with _kept_for_the_build():
            return self._index(files, config)

    def _index(self, files: Files, config: MkDocsConfig) -> Files:
        with self._timed("scan, parse and resolve"):
            # Headings' ids, in the parse and the HTML, come from the slugify function: one that
            # another config makes (`mkdocs.yml` may change while serving) starts the caches
            # afresh, as new code does.
            slugs = slugify_sign(self.slugify, self.separator)
            if slugs != self._slugs:
                self.cache, self._slugs = ParseCache(), slugs
            if not (self.serving and self._built):
                self.disk = BuildCache(self.cache_dir, code_version() + slugs, keep_unused=self.dirty)
            self.cache.disk = self.disk
            vault = self._scan(files)
        for path in sorted(vault.private):
            found = files.get_file_from_path(path)
            if found is not None:
                files.remove(found)
        self.vault = vault
        published = vault.published_notes()  # in path order: once a build
        facts = self._note_facts(published)
        self.titles = {path: title for path, title, _ in facts}
        with self._timed("tasks"):
            self.tasks = self._published_tasks(published)
        with self._timed("dates"):
            self.dates = self._note_dates(files, published, config)
        self.rewriter = Rewriter(vault, embed_depth=self.config.embed_depth, extra_edits=self._task_edits,
                                 sanitize_html=self.config.raw_html == "sanitize")
        self.views = build_views(vault, cache_dir=self.cache_dir, graph_tags=self.config.graph_tags,
                                 graph_unwritten=self.config.graph_unwritten,
                                 with_unlinked=self.config.backlinks and self.config.unlinked_mentions,
                                 with_linked=self.config.backlinks, with_structure=self.config.graph,
                                 mention_memo=self._mention_memo if self.serving else None,
                                 graph_memo=self._graph_memo if self.serving else None,
                                 carry_structure=self.serving, timings=self.timings)
        with self._timed("generated pages, timeline and charts"):
            self._generate(files, config, vault, published, facts)
        with self._timed("markdown extensions"):
            self._enable_extensions(config, files)
        self._files = files
        with self._timed("notebooks"):
            self._publish_notebooks(files, vault)
        with self._timed("dirty signatures"):
            self._pages = self._note_pages(published)
            self._mark_dependents(files, vault, published, config)
        with self._timed("warnings"):
            self._report(vault.problems, "warn")
            self._report(link_problems(vault, self._link_problem_memo if self.serving else None), None)
        return files

    def _scan(self, files: Files) -> Vault:
        problems: list[Problem] = []
        attachments, excluded = [], []
        real = _RealPaths()
        self.reader.begin()
        places, kept = self._places, {}
        # What MkDocs leaves out of this build (`exclude_docs`, its default of dot files and
        # folders such as Obsidian's `.trash/`, drafts when building) is read, so links to it
        # resolve as in Obsidian, and kept as private as a `publish: false` note.
        built = InclusionLevel.is_in_serve if self.serving else InclusionLevel.is_included
        for file in list(files):
            # A file's place is made of its src_dir and src_uri: kept while serving, and given
            # to the File as MkDocs would work it out, unless something set it already.
            key = (file.src_dir, file.src_uri)
            place = places.get(key) if "abs_src_path" not in vars(file) else None
            if place is not None:
                file.abs_src_path = place[0]
            elif not file.abs_src_path:
                continue
            else:
                place = (file.abs_src_path, os.path.dirname(file.abs_src_path))
            if file.src_dir is not None:
                kept[key] = place
            try:  # one lstat tells the symlink check and the reader what they need
                status: os.stat_result | None = os.lstat(place[0])
            except OSError:
                status = None  # gone mid-build: reading it says so
            linked = status is not None and S_ISLNK(status.st_mode)
            if not real.inside(*place, file.src_dir, linked):
                # MkDocs follows symlinks; one pointing out of the vault must not publish that file.
                problems.append(Problem(file.src_uri, 1, "symlink to a file outside the vault; not published"))
                files.remove(file)
                continue
            if not built(file.inclusion):
                excluded.append(file.src_uri)
            if not file.src_uri.endswith((".md", ".ipynb")):
                attachments.append(file.src_uri)
                continue
            notebook = file.src_uri.endswith(".ipynb")  # a notebook's Markdown cells are a note too
            convert = _notebook_text if notebook else partial(decode_note, file.src_uri)
            try:
                text, problem = self.reader.read(file.abs_src_path, convert, None if linked else status)
            except OSError as error:  # deleted, unreadable or a broken link, e.g. mid-save
                problems.append(Problem(file.src_uri, 1, f"cannot read the note ({error.strerror}); skipped"))
                files.remove(file)
                continue
            if notebook:
                self.notebooks.add(file.src_uri)
            self.texts[file.src_uri] = text
            problems += [problem] if problem is not None else []
        privacy = PrivacyRules(tuple(self.config.private), self.config.publish_mode, frozenset(excluded))
        self._places = kept if self.serving else {}
        vault = build_vault(self.texts, attachments, privacy=privacy, cache=self.cache,
                            slugify=self.slugify, separator=self.separator, extra_problems=problems)
        self.cache.keep_only(vault.notes.values())
        self.reader.end()
        return vault

    def _published_tasks(self, published: list[Note]) -> dict[str, list[Task]]:
        """Tasks of every published note, kept with the note (the parse cache keeps notes) and
        the tasks options (`mkdocs.yml` may change while serving), or from the last build's
        cache."""
        options = self.config.tasks
        settings = (options.global_filter, options.tolerant)
        found, kept = {}, {}
        for note in published:
            if note.path in self.notebooks:
                continue
            hit = self._task_cache.get(note.path)
            if hit is None or hit[0] is not note or hit[1] != settings:
                hit = (note, settings, kept_or_made(self.disk, partial(_tasks_of, note, options), "tasks", note.path,
                                                    options.global_filter, str(options.tolerant), note.text))
            kept[note.path] = hit
            found[note.path] = hit[2]
        self._task_cache = kept if self.serving else {}  # a one-off build would keep every note
        return found

    def _enable_extensions(self, config: MkDocsConfig, files: Files) -> None:
        """Turn on the Markdown extensions the notes and generated pages need (`_EXTENSIONS`).
        While serving, what each text needs is kept with the text: a rebuild looks again only
        at texts that changed (comparing a text costs a memcmp, searching it a scan per sign)."""
        generated = [(f.src_uri, f.content_string) for f in files if f.generated_by and f.src_uri.endswith(".md")]
        needed: set[str] = set()
        kept: dict[str, tuple[str, frozenset[str]]] = {}
        notes = self.texts.items() if self.config.renderer == "python-markdown" else []
        for path, text in [*notes, *generated]:
            hit = self._needs.get(path)
            names = hit[1] if hit is not None and hit[0] == text else _needed_extensions(text)
            kept[path] = (text, names)
            needed |= names
        self._needs = kept if self.serving else {}
        for name, (options, _) in _EXTENSIONS.items():
            if name in needed and name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
                if options:
                    config.mdx_configs.setdefault(name, dict(options))
        arithmatex = config.mdx_configs.get("pymdownx.arithmatex")
        if "pymdownx.arithmatex" in config.markdown_extensions and not (arithmatex or {}).get("generic"):
            log.warning("pymdownx.arithmatex without 'generic: true': math will not be rendered by KaTeX")

    def _note_dates(self, files: Files, published: list[Note], config: MkDocsConfig) -> dict[str, NoteDates]:
        """Created and updated dates of every published note (one `git log` for all). While
        serving, a note's dates are kept with what they were read from: the note object
        (immutable), its modification time, its commit dates and SOURCE_DATE_EPOCH."""
        git = git_dates(Path(config.docs_dir), self._git_memo if self.serving else None)
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
        latest = float(epoch) if epoch.isdigit() else None
        found, kept = {}, {}
        for note in published:
            file = files.src_uris.get(note.path)  # a src_uri: no normalising
            mtime = self.reader.mtimes.get(file.abs_src_path) if file is not None and file.abs_src_path else None
            inputs = (note, mtime, git.get(note.path), latest)
            hit = self._dates_memo.get(note.path)
            dates = hit[1] if hit is not None and hit[0] == inputs else note_dates(note, git, mtime, latest)
            found[note.path], kept[note.path] = dates, (inputs, dates)
        self._dates_memo = kept if self.serving else {}  # it holds the notes
        return found

    def _task_edits(self, note: Note, targets: PageTargets) -> list[tuple[int, int, str]]:
        return task_edits(note, self.tasks.get(note.path, []), targets.tag_href)

    def _generate(self, files: Files, config: MkDocsConfig, vault: Vault, published: list[Note],
                  facts: list[tuple[str, str, tuple[str, ...]]]) -> None:
        for name in _asset_names():
            files.append(File(name, str(ASSETS), config.site_dir, False))
        # The pages' Markdown, and the timeline, kept while serving: what no page asks for goes.
        with making(self.kept), making(self.timelines):
            made, taken = self._pages_to_make(files)  # taken: paths of files the garden makes that a vault file holds
            # `facts`: what the tag index and the folder pages show of each note. An edit that
            # changes no title, tag or published note makes neither again while serving.
            if "tags_page" in made:
                tagged = tuple(fact for fact in facts if fact[2])
                taken += pages.add_tags_page(files, config, vault, made["tags_page"], self.slugify, self.separator,
                                             self.kept, tagged)
            if "graph_page" in made and self.views is not None:
                pages.add_graph_page(files, config, vault, self.views, made["graph_page"], self.kept)
            all_tasks = [task for path in sorted(self.tasks) for task in self.tasks[path]]
            if "tasks.page" in made:
                taken += pages.add_tasks_page(files, config, all_tasks, made["tasks.page"], self.today,
                                              self.today_source, self.kept, self.parts)
            if "timeline_page" in made:
                timeline = self.timelines.get("timeline", (tuple(timeline_notes(published)), tuple(all_tasks), self.today),
                                              lambda _ask: build_timeline(published, all_tasks, today=self.today,
                                                                          memo=self.parts.task_facts))
                self._report(list(timeline.problems), "warn")
                taken += pages.add_timeline(files, config, vault, timeline, made["timeline_page"],
                                            self.today, self.today_source, self.kept, self.parts)
            tree: dict[str, tuple[list[str], list[str]]] = {}
            if self.config.navigation == "folders":
                tree, folder_pages_taken = pages.add_folder_pages(files, config, vault, self.kept,
                                                                  tuple(fact[:2] for fact in facts))
                taken += folder_pages_taken
        self._report_taken(taken)
        if tree and config.nav is None:
            garden = {_OWN_PAGE_TITLES[option]: path for option, path in self._own_pages.items()}
            config.nav = pages.compact_nav(vault, tree, garden)
        generated = [*self._aggregates, *map(pages.folder_page_path, tree)]
        graph_page = [made["graph_page"]] if "graph_page" in made else []
        # What each generated page shows is its whole Markdown, which the split below replaces:
        # `_mark_dependents` signs it.
        self._generated_markdown = {path: file.content_string for path in [*generated, *graph_page]
                                    if (file := files.get_file_from_path(path)) is not None and file.generated_by}
        self.bodies.split_pages(files, generated)

    def _pages_to_make(self, files: Files) -> tuple[dict[str, str], list[str]]:
        """The garden's own pages (tags, tasks, timeline, graph) to make, by the option that
        places them, and the paths of those a vault note holds (`pages.held_by_vault`): the
        note is published there, as the author wrote it, and the page is not even made."""
        wanted = {option: path for option, path in self._own_pages.items() if path}
        held = [path for path in wanted.values() if pages.held_by_vault(files, path)]
        return {option: path for option, path in wanted.items() if path not in held}, held

    def _report_taken(self, taken: list[str]) -> None:
        """A warning for each vault file at the path of a file the garden makes; for its own
        pages, naming the option that moves them."""
        options = {path: option for option, path in self._own_pages.items() if path}
        self._report([Problem(path, 1, f"this note has the path of the garden's page `{options[path]}`, so the "
                                       f"note is published there and that page is not; set `{options[path]}` "
                                       "to another path to have both") if path in options else
                      Problem(path, 1, "this file has the path of a file the garden makes, so the file is "
                                       "published there and the garden's is not; move the file to have both")
                      for path in taken], "warn")

    def _sign_generated(self, context: str) -> None:
        """Sign each generated page with its Markdown and the build's `context`: `--dirty`
        builds the page again only when either moved. While serving, a signature is kept with
        the Markdown it was hashed from."""
        self.generated_signatures, kept_now = {}, {}
        for path, markdown in self._generated_markdown.items():
            kept = self._generated_memo.get(path)
            if kept is None or kept[0] != markdown or kept[1] != context:  # a memcmp, not a hash
                digest = hashlib.sha256((context + markdown).encode("utf-8", "surrogatepass"))
                kept = (markdown, context, digest.hexdigest())
            self.generated_signatures[path], kept_now[path] = kept[2], kept
        self._generated_memo = kept_now if self.serving else {}
        self._generated_markdown = {}

    def _note_facts(self, notes: list[Note]) -> list[tuple[str, str, tuple[str, ...]]]:
        """(path, title, tags) of each note, kept with the note object (the parse cache keeps
        an unchanged note's object across rebuilds, and a note is immutable)."""
        kept, found = {}, []
        for note in notes:
            hit = self._facts.get(id(note))
            if hit is None or hit[0] is not note:
                hit = (note, (note.path, note.title, note.all_tags))
            kept[id(note)] = hit
            found.append(hit[1])
        self._facts = kept if self.serving else {}
        return found

    def _publish_notebooks(self, files: Files, vault: Vault) -> None:
        """Execute each published notebook (cached by content) and hand mkdocs-jupyter a copy
        with its Markdown cells rewritten; the vault's own file is never touched."""
        if not self.notebooks - vault.private:
            return
        # Jupyter's client stack is heavy to import; a vault without notebooks never loads it.
        from .core.notebooks import NotebookError, NotebookOptions, evict, execute_notebook

        options = self.config.notebooks
        run = NotebookOptions(timeout=options.timeout, kernel_name=options.kernel, execute=options.execute,
                              env_allow=tuple(sorted({*NotebookOptions().env_allow, *options.env_allow})))
        keys: set[str] = set()
        with _collecting():
            for path in sorted(self.notebooks - vault.private):
                file = files.get_file_from_path(path)
                if file is None or file.abs_src_path is None:
                    continue
                try:
                    result = execute_notebook(Path(file.abs_src_path), self.cache_dir / "notebooks", run,
                                              vault_root=Path(file.src_dir))
                except NotebookError as error:
                    raise PluginError(f"notebook failed: {error}") from error
                log.info(f"{path}: {'executed' if not result.from_cache and result.key else 'from cache'}")
                for warning in result.warnings:
                    self._report([Problem(path, 1, warning)], "warn")
                keys |= {result.key} if result.key else set()
                rendered = self.cache_dir / "render" / path
                targets = pages.page_targets(file, files, self.config.tags_page, self.slugify, self.separator,
                                             final_urls=True)
                assert self.rewriter is not None
                # The cells' text is the notebook note's own text, which the rewriter already holds.
                markdown = self.rewriter.page_markdown(vault.notes[path], plain=True)(targets)
                markdown = settle_overdue(markdown, self.today)  # mkdocs-jupyter renders it
                rewrite_notebook(result.executed_path, rendered, lambda _cells, text=markdown: text)
                file.abs_src_path = str(rendered)
        evict(self.cache_dir / "notebooks", keys)

    def _mark_dependents(self, files: Files, vault: Vault, published: list[Note], config: MkDocsConfig) -> None:
        """Sign every page (what it shows, and what its own Markdown renders to, kept in its
        record); in `--dirty` builds, rebuild each page whose signature moved, and leave alone
        each generated page whose signature held."""
        assert self.views is not None
        views = self.views
        context = self._context = _fingerprint(self.config, config)
        dated = context + self.today.isoformat()
        self._sign_generated(dated)
        self.signatures = {}
        memo = self._signature_memo if self.serving else SignatureMemo()  # it holds the notes it read
        memo.begin(vault)
        degrees = views.graph.degree  # one view for all: `graph.degree(node)` makes one a call
        depth = self.config.embed_depth
        shown = {path: text for path, tasks in self.tasks.items() if (text := overdue_shown(tasks, self.today))}
        # The home page also lists the notes updated last (`_sections`): a note made private,
        # deleted or edited moves that list without touching the home page's own inputs.
        recent = "\n".join(f"{day} {path} {self.titles[path]}" for day, path in page_sections.recent_notes(self.dates))
        for note in published:
            degree = degrees[note.path] if note.path in views.graph else 0
            content = memo.content(vault, note.path, embed_depth=depth, context=context, shown=shown)
            record = self._pages[note.path]
            record.content_signature = content
            signature = memo.page(vault, note.path, content, graph_degree=degree,
                                  linked=views.linked.get(note.path, ()), unlinked=views.unlinked.get(note.path, ()))
            if note.path == "index.md":
                signature = hashlib.sha256(f"{signature}\0{recent}".encode("utf-8", "surrogatepass")).hexdigest()
            record.signature = self.signatures[note.path] = signature
        if not self.dirty:
            return
        last = self._last_manifest(config)
        old, self._last_outputs = last.get("pages", {}), last.get("outputs", [])
        for path, signature in self.signatures.items():
            file = files.src_uris.get(path)
            if file is not None and old.get(path) != signature:
                file.is_modified = lambda: True  # type: ignore[method-assign]
        # MkDocs rebuilds every generated page in a `--dirty` build; one that shows what it
        # showed last time, and whose page is still there, is left as it is.
        for path, signature in self.generated_signatures.items():
            file = files.src_uris.get(path)
            if file is not None and old.get(path) == signature and os.path.isfile(file.abs_dest_path):
                file.is_modified = lambda: False  # type: ignore[method-assign]

    def _note_pages(self, published: list[Note]) -> dict[str, _NotePage]:
        """A record for each published note's page (`_NotePage`; `_mark_dependents` signs it):
        while serving, the last build's, with what its events made then. A deleted note's
        record goes with it."""
        kept = self._pages if self.serving else {}
        made = {}
        for note in published:
            record = kept.get(note.path) or _NotePage()
            record.notebook = note.path in self.notebooks
            dates = self.dates.get(note.path)
            if record.dates is not dates:  # the same object while serving (`_note_dates`)
                record.dates, record.footer = dates, page_sections.footer_dates(dates)
            record.stage = growth_stage(note)
            record.placed = None
            made[note.path] = record
        return made

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild on every save in the vault, but not for Obsidian's own churn: `.obsidian/`
        (workspace.json changes on every click), `.trash/` and caches."""
        watch_vault_ignoring(server, config.docs_dir, IGNORED_DIRS)
        return server

    def on_page_read_source(self, page: Page, *, config: MkDocsConfig) -> str | None:
        if page.file.src_uri in self.notebooks:
            return None  # mkdocs-jupyter renders it
        return self.texts.get(page.file.src_uri)

    def _rewrite_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Obsidian's Markdown as standard Markdown (core/rewrite.py)."""
        record = self._pages.get(page.file.src_uri)
        if record is None or record.notebook:
            return markdown
        kept = record.markdown
        if kept is not None and kept[0] == record.content_signature:
            body, problems = kept[1], kept[2]
        else:
            with self._timed("rewrite"):
                body, problems = self._rewritten(record, page, files)
            if self.serving:  # a one-off build would only hold every page's text twice
                record.markdown = (record.content_signature, body, problems)
        if problems:
            self._report(problems, "warn")
        return body

    def _rewritten(self, record: _NotePage, page: Page, files: Files) -> tuple[str, list[Problem]]:
        """The note's Markdown rewritten, or as the last build's cache kept it: its content
        signature holds all the rewrite reads but the page's place."""
        def rewrite() -> tuple[str, list[Problem]]:
            assert self.vault is not None and self.rewriter is not None
            targets = pages.page_targets(page.file, files, self.config.tags_page, self.slugify, self.separator)
            body = self.rewriter.page_markdown(self.vault.notes[page.file.src_uri])(targets)
            problems, self.rewriter.problems = self.rewriter.problems, []
            return body, problems

        return kept_or_made(self.disk, rewrite, "markdown", record.content_signature, page.file.src_uri,
                            page.file.dest_uri)

    @event_priority(-100)  # last: the Markdown as every other plugin left it
    def _render_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """A note rendered here (core/render.py) and placed in `on_page_content`; Python-Markdown
        is given nothing to do."""
        record = self._pages.get(page.file.src_uri)
        if record is None or record.notebook or not self._markdown_it:
            return markdown
        record.placed = self._rendered(record, page, files, markdown)
        return ""

    on_page_markdown = CombinedEvent(_rewrite_markdown, _render_markdown)

    def _rendered(self, record: _NotePage, page: Page, files: Files, body: str) -> tuple[RenderedNote, TableOfContents]:
        """The note's HTML and MkDocs' table of contents of it; while serving, kept while its
        Markdown, the options (the Markdown settings it is rendered with among them), its
        page's place in the site and the site's files hold. The place is the file's `dest_uri`,
        which MkDocs has worked out already: `page.url` is derived from it, on first use. Its
        overdue chips are left for `on_page_content` to settle."""
        uris = self._site_uris(files)
        kept = record.rendered
        assert self.vault is not None
        note = self.vault.notes[page.file.src_uri]
        key = (body, self._context, page.file.dest_uri, note)  # the note: its warnings' line numbers
        if kept is not None and kept[0] == key and kept[1] is uris:
            rendered, toc, problems = kept[2], kept[3], kept[4]
        else:
            problems = []

            def missing(written: str) -> None:
                found = note.text.find(written)
                line = note.text.count("\n", 0, found) + 1 if found >= 0 else 1
                problems.append(Problem(note.path, line, f"link to '{written}', which is not in the site"))

            with self._timed("render notes"):  # only here: a clock read is a system call
                href = pages.source_href(files, page.file, missing)
                rendered = self._render(body, page, files, href, problems)
                toc = get_toc(rendered.toc)
            if self.serving:
                record.rendered = (key, uris, rendered, toc, problems)
        if problems:
            self._report(problems, "warn")
        return rendered, toc

    def _render(self, body: str, page: Page, files: Files, href: Href, problems: list[Problem]) -> RenderedNote:
        """`render_note`, or the last build's HTML of the same Markdown at the same place, kept
        with the URLs its links got, which depend on the site's files: unless no file's URL
        moved since, each is asked again, and one that moved means rendering again."""
        key = b""
        if self.disk is not None:
            # Not the content signature: a new day moves it (overdue tasks), not the Markdown.
            key = digest("html", body, self._context, page.file.src_uri, page.file.dest_uri)
            kept = self.disk.get(key)
            if kept is not None and kept[2] == self._files_sign(files):
                for written, url in kept[1]:
                    if url == written:  # maybe a link to nothing: asked again, to be reported
                        href(written)
                return kept[0]
            if kept is not None and all(href(written) == url for written, url in kept[1]):
                return kept[0]
            problems.clear()  # those the check heard of, which rendering hears of again
        asked: list[tuple[str, str]] = []

        def asking(written: str) -> str:
            url = href(written)
            asked.append((written, url))
            return url

        rendered = render_note(body, asking if self.disk is not None else href, self.headings)
        if self.disk is not None:
            self.disk.put(key, (rendered, asked, self._files_sign(files)))
        return rendered

    def _files_sign(self, files: Files) -> bytes:
        """A hash of every file's URL: while it holds, every link a page's HTML was rendered
        with points where it did (`pages.url_between`)."""
        if not self._files_signed:
            urls = (f"{file.src_uri}\t{file.url}" for file in sorted(files, key=_SRC_URI))
            self._files_signed = digest("files", *urls)
        return self._files_signed

    def _site_uris(self, files: Files) -> frozenset[str]:
        """The site's files (their `src_uri`s) once the pages are built: the same object as in
        the last build while they are the same, so what was made of them can be kept."""
        if self._uris is None:
            uris = frozenset(files.src_uris)
            self._uris = self._last_uris = self._last_uris if uris == self._last_uris else uris
        return self._uris

    @event_priority(100)  # before other plugins add markup of their own to the content
    def on_page_content(self, content: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Titles and some properties are vault text, but Material prints them as HTML (MkDocs'
        templates do not escape, and `striptags` decodes entities in <title>): escape them once
        here, before search and the templates read them, and give every page a `meta.title`.
        A note's rendered HTML gets a last scrub: Markdown such as `[x](javascript:…)` or an
        attribute list `{ onclick=… }` becomes script-capable HTML only after Python-Markdown."""
        record = self._pages.get(page.file.src_uri)
        if record is None:
            if page.file.src_uri in self._aggregates:
                # Aggregates of what the notes say: in the search index they would only repeat
                # the notes' own entries (each task, summary and title a second time).
                page.meta.setdefault("search", {"exclude": True})
            if page.file.src_uri in self.bodies.split:
                with self._timed("generated page bodies"):
                    content = self.bodies.fill(content, page.file, files, partial(self._warn_page, page.file.src_uri),
                                               self._site_uris(files))
        elif not record.notebook:
            if record.placed is not None:
                (rendered, page.toc), record.placed = record.placed, None
                content = rendered.html
                page.present_anchor_ids = rendered.anchors
                if rendered.title and "title" not in page.meta:
                    page.meta["title"] = rendered.title
            # Whichever rendered it: the overdue chips for the build's day (kept HTML has none).
            content = self._settled(record, content)
            if self._sanitize:
                content = self._scrubbed(record, content)
        if title := page.title:  # MkDocs works it out again on each read until it is set
            safe = html.escape(html.unescape(str(title)), quote=True)
            page.title = safe
            page.meta["title"] = safe
        for key in ("description", "author"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = html.escape(page.meta[key], quote=True)
        return content

    def _settled(self, record: _NotePage, content: str) -> str:
        """`settle_overdue` for the build's day. While serving, a page whose HTML was kept (the
        same string) gets the same answer as in the last rebuild of the day, and so do the
        steps after it, which see the same string again and compare it at once."""
        kept = record.settled
        if kept is not None and kept[0] is content and kept[1] == self.today:
            return kept[2]
        settled = settle_overdue(content, self.today)
        if self.serving:
            record.settled = (content, self.today, settled)
        return settled

    def _scrubbed(self, record: _NotePage, content: str) -> str:
        """`scrub_rendered_html`, a pure function of the HTML: while serving, a page whose
        HTML is the same as in the last build gets the same answer without a second scrub."""
        kept = record.scrubbed
        if kept is not None and kept[0] == content:
            return kept[1]
        with self._timed("scrub rendered HTML"):
            scrubbed = scrub_rendered_html(content)
        if self.serving:
            record.scrubbed = (content, scrubbed)
        return scrubbed

    @event_priority(-100)  # after the search plugin indexed the page: mentions are not content
    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        """The page's dates and growth stage, and its sections (`_sections`) after its content
        for its template to render. The sections are taken out again (`_take_sections_out`)
        once it rendered: MkDocs keeps `page.content` for every page until the build ends."""
        self._take_sections_out()
        record = self._pages.get(page.file.src_uri)
        if record is not None:
            if page.meta is not None:
                page.meta.update(record.footer)
            stage, content = record.stage, page.content or ""
            kept = record.badged
            if kept is None or kept[0] != stage or kept[1] != content:
                kept = (stage, content, page_sections.with_stage_badge(content, stage))
                if self.serving:
                    record.badged = kept
            sections, shown = self._sections(page, record), record.shown
            # A page of 30 KB copied a thousand times a rebuild: joined again only when either
            # part is another string than in the last rebuild.
            if shown is None or shown[0] is not kept[2] or shown[1] is not sections:
                shown = (kept[2], sections, kept[2] + sections)
                if self.serving:
                    record.shown = shown
            page.content = shown[2]
            self._shown = (page, page.content, kept[2])
        return context

    def _take_sections_out(self) -> None:
        """The last page given sections gets its content without them back, unless another
        plugin changed it since. MkDocs renders each page's template before it makes the next
        page's context, and all of them before `on_post_build`, which both call this: one
        handler a page fewer than `on_post_page` would be (about 5 ms a serve rebuild at 1,000
        notes), at the price of other plugins' `on_post_page` seeing the sections."""
        if self._shown is not None:
            page, shown, content = self._shown
            if page.content is shown:
                page.content = content
            self._shown = None

    def _sections(self, page: Page, record: _NotePage) -> str:
        """The recently tended list (home page), the local graph and the mentions of a note."""
        assert self.views is not None
        path = page.file.src_uri
        views, titles = self.views, self.titles
        key = (record.signature, page.url)
        kept = record.sections
        if kept is not None and kept[0] == key:
            extra = kept[1]
        else:
            with self._timed("mentions and local graph HTML"):
                parts = [page_sections.local_graph_section(page, path, views.graph, self.config.graph_depth)
                         if self.config.graph else ""]
                if self.config.backlinks:
                    parts += [page_sections.mentions_section(page, self._files, titles, "Linked mentions",
                                                             views.linked.get(path, []), "garden-linked"),
                              page_sections.mentions_section(page, self._files, titles, "Unlinked mentions",
                                                             views.unlinked.get(path, []), "garden-unlinked")]
            extra = "".join(parts)
            if self.serving:
                record.sections = (key, extra)
        recent = (page_sections.recently_tended(page, self._files, titles, self.dates)
                  if path == "index.md" else "")  # dates are not signed
        return recent + extra

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Every page's Markdown is rendered now; what is left to build is templates, the
        garden's sections (titles, dates, mentions, the graph) and the search index. A one-off
        build lets the vault go here: the notes and their texts (at 1,000 notes 12 MB of text
        alone), the parse cache, the rewriter and the tasks (the memos that would hold notes
        keep them only while serving). The pages' HTML and the search index, the build's peak
        of memory, then reuse what they held. While serving, they are what the next rebuild
        reuses."""
        self._parsed = list(self.cache.parsed)
        self._close_disk()
        if not self.serving:
            self.vault, self.rewriter, self.texts, self.tasks = None, None, {}, {}
            self.cache, self.reader = ParseCache(), FileReader()
            forget_line_starts()
            _return_freed_memory()
        return env

    def _close_disk(self, *, failed: bool = False) -> None:
        """Every note is parsed and every page rendered: the build cache's new file in place
        (the last good one stays if the build failed)."""
        disk, self.disk, self.cache.disk = self.disk, None, None
        if disk is None:
            return
        with self._timed("build cache"):
            if failed:
                disk.abandon()
            else:
                disk.close()
        self._reused = disk.hits
        if disk.problem:
            log.info(disk.problem)

    @event_priority(100)  # before the search plugin writes its index, the build's peak of memory
    def _release_index(self, *, config: MkDocsConfig) -> None:
        """Every page is written. The graph data now: every file's final URL is known (other
        plugins may move files in `on_files`). Then a one-off build lets go of the views, the
        dates and the remembered links the pages' sections were made of, for the search index
        to reuse."""
        self._take_sections_out()
        if self.config.graph and self.views is not None and self._files is not None:
            with self._timed("graph.json and graph.svg"):
                pages.write_graph_files(Path(config.site_dir) / "garden", self._files, self.views,
                                        self._graph_json if self.serving else None)
        if not self.serving:
            self.views, self.dates = None, {}
            pages.forget_links()
            _return_freed_memory()

    @event_priority(-100)  # after the search plugin wrote search/search_index.json
    def _finish(self, *, config: MkDocsConfig) -> None:
        """The page signatures the next `--dirty` build compares with, and a search index whose
        every field Material shows as text (it prints tags with innerHTML)."""
        index = harden_search_index_file(Path(config.site_dir) / "search" / "search_index.json", self._last_index)
        self._last_index = index if self.serving else None
        self._record_manifest(config)
        parsed = len(self._parsed)
        phases = " · ".join(f"{name} {seconds:.3f}" for name, seconds in self.timings.items())
        log.info(f"garden phases (CPU s): {phases} · notes parsed {parsed}: {', '.join(self._parsed[:5])}"
                 + (" …" if parsed > 5 else "") + f" · results from the build cache {self._reused}")
        self._built = True
        gc.unfreeze()

    def _manifest_path(self, config: MkDocsConfig) -> Path:
        site = os.path.realpath(config.site_dir)
        return self.cache_dir / f"pages-{hashlib.sha256(site.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}.json"

    def _last_manifest(self, config: MkDocsConfig) -> dict[str, Any]:
        """What the last build into this build's site folder signed and wrote: each page's
        signature and the files' outputs, which a `--dirty` build compares with. `mkdocs build`
        keeps one per site folder in `cache_dir`; `serve` builds into a folder of its own and
        keeps its own in memory, so that a `serve` session never stands for the real site."""
        if self.serving:
            return self._served_manifest
        try:
            found = json.loads(self._manifest_path(config).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}

    def _record_manifest(self, config: MkDocsConfig) -> None:
        """`_last_manifest` for the next build; in a `--dirty` build, first delete what the last
        build's files wrote and this build's did not (MkDocs' `--dirty` does not clean the site:
        the page of a note made private or deleted, or a folder page no longer made, would stay
        published)."""
        written = sorted({file.dest_uri for file in self._files or ()})
        if self.dirty:
            _delete_stale(Path(config.site_dir), set(self._last_outputs) - set(written))
        if self.serving:  # only a `--dirty` rebuild reads it
            self._served_manifest = {"pages": {**self.signatures, **self.generated_signatures},
                                     "outputs": written} if self.dirty else {}
            return
        with suppress(OSError):
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            self._manifest_path(config).write_text(json.dumps(
                {"pages": {**self.signatures, **self.generated_signatures}, "outputs": written}, sort_keys=True),
                encoding="utf-8")

    on_post_build = CombinedEvent(_release_index, _finish)

    def on_build_error(self, *, error: Exception) -> None:
        self._close_disk(failed=True)
        gc.unfreeze()

    def _warn_page(self, page: str, message: str) -> None:
        log.warning(f"{page}: {message}")

    def _report(self, problems: list[Problem], level: str | None) -> None:
        """Each message once per build, at the level the options give it."""
        for problem in problems:
            text = str(problem)
            if text in self._reported:
                continue
            self._reported.add(text)
            chosen = level or (self.config.unresolved_links if "unresolved link" in problem.message
                               else self.config.link_warnings)
            if chosen == "warn" and problem.level == "warning":
                log.warning(text)
            elif chosen != "ignore":
                log.info(text)


def _tasks_of(note: Note, options: Any) -> list[Task]:
    """The note's tasks, outside what Tasks never reads (frontmatter, code, comments)."""
    excluded = {n for first, last in note.verbatim for n in range(first, last + 1)}
    excluded |= set(range(1, note.body_line))
    return tasks_in_text(note.path, note.text, excluded_lines=excluded,
                         global_filter=options.global_filter, tolerant=options.tolerant)


@cache
def _asset_names() -> tuple[str, ...]:
    """The plugin's own assets (CSS, JavaScript, vendored libraries), listed once a process."""
    return tuple(a.relative_to(ASSETS).as_posix() for a in sorted(ASSETS.rglob("*")) if a.is_file())


def _notebook_text(data: bytes) -> tuple[str, None]:
    return notebook_markdown(data), None


def _toc_levels(depth: int | str) -> tuple[int, int]:
    """Python-Markdown's `toc_depth`: `3` (levels 1-3) or `"2-4"`."""
    if isinstance(depth, str) and "-" in depth:
        top, bottom = depth.split("-", 1)
        return int(top), int(bottom)
    return 1, int(depth)


class _Clock:
    """`with plugin._timed(phase):` — a class, not a generator-based context manager: it runs
    several times per page, and while serving every microsecond a page is 1 ms a rebuild."""

    __slots__ = ("_timings", "_phase", "_start")

    def __init__(self, timings: dict[str, float], phase: str) -> None:
        self._timings, self._phase = timings, phase

    def __enter__(self) -> None:
        self._start = time.process_time()

    def __exit__(self, *_exc: object) -> None:
        self._timings[self._phase] = self._timings.get(self._phase, 0.0) + time.process_time() - self._start


def _return_freed_memory() -> None:
    """Hand the memory a one-off build has freed back to the system. glibc keeps freed blocks
    for reuse and returns only the top of its heap, so the notes' texts and parses, freed in
    the middle of it, would stay counted against the process through the search index's
    encoding, the build's peak (at 1,000 notes it returns about 17 MB here). A no-op where
    `malloc_trim` does not exist (musl, macOS, Windows)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError, TypeError):
        return None


@contextmanager
def _kept_for_the_build() -> Iterator[None]:
    """Run `on_files` without Python's cyclic garbage collector, then freeze what it made.

    The vault index (notes, links, resolutions, mentions, the graph: about 200,000 objects at
    1,000 notes) lives until the build ends, and refcounting frees the scan's temporaries. Yet
    every full collection walks all of it again: six walks of 0.1-0.25 s each per build at
    1,000 notes, against three of 0.03 s in a plain build. Frozen, the page-building phase's
    collections skip the index; `on_post_build` (or a failed build) unfreezes it, so a `serve`
    rebuild can free what the previous build left behind.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@contextmanager
def _collecting() -> Iterator[None]:
    """The collector back on inside `_kept_for_the_build`: executing notebooks (Jupyter's
    client, asyncio) leaves reference cycles behind, which would otherwise be frozen with the
    index until the build ends (9,285 objects for the author's four notebooks). What the scan
    made so far is frozen first: turned back on, the collector would otherwise walk all of it
    at once (0.1 s at 1,000 notes), and it is kept until the build ends anyway."""
    paused = not gc.isenabled()
    gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        if paused:
            gc.disable()


class _RealPaths:
    """Where files really are, symlinks resolved. A folder's real path is its parent's with its
    name appended, unless it is a symlink itself: each folder costs one `lstat` a build, where
    `realpath` costs one per component of its path (a vault has far fewer folders than files,
    and `serve` asks again on every rebuild)."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}
        self._inside: dict[tuple[str, str], bool] = {}

    def folder(self, path: str) -> str:
        real = self._folders.get(path)
        if real is None:
            parent, name = os.path.split(path)
            if not name or not parent or os.path.islink(path):
                real = os.path.realpath(path)
            else:
                real = os.path.join(self.folder(parent), name)
            self._folders[path] = real
        return real

    def inside(self, path: str, parent: str, root: str | None, linked: bool) -> bool:
        """Is the real location of `path` (in the folder `parent`; `linked`: a symlink itself)
        inside the folder `root`? For a file that is not a link, that is whether its folder's
        real location is: asked once a folder."""
        if root is None:
            return True
        if linked:
            return self._under(os.path.realpath(path), root)
        answer = self._inside.get((parent, root))
        if answer is None:
            answer = self._inside[parent, root] = self._under(self.folder(parent), root)
        return answer

    def _under(self, real: str, root: str) -> bool:
        top = self.folder(root)
        return real == top or real.startswith(top + os.sep)


def _fingerprint(garden: GardenConfig, config: MkDocsConfig) -> str:
    """The build-wide inputs of every page: the garden's options and the Markdown settings
    (functions by name, so the text is the same in every process)."""
    return json.dumps([garden, config.use_directory_urls, config.markdown_extensions, config.mdx_configs],
                      sort_keys=True, default=lambda v: name_of(v) if callable(v) else str(v))


def _delete_stale(site: Path, stale: set[str]) -> None:
    """Delete each of `stale` (paths in `site`) that is a file inside it, and its folders while
    they are left empty, up to the site's."""
    root = site.resolve()
    for path in sorted(stale):
        target = (site / path).resolve()
        if not (target.is_relative_to(root) and target.is_file()):
            continue
        with suppress(OSError):
            target.unlink()
            for folder in target.parents:
                if folder == root:
                    break
                folder.rmdir()
