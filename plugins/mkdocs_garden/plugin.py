"""The thin MkDocs adapter: event glue between MkDocs and the core.

Per build: `on_files` scans the whole vault into one `Vault` (parse cached by content across
`serve` rebuilds), drops private files and adds the generated pages; `on_page_read_source`
hands MkDocs the decoded note (MkDocs would abort on non-UTF-8); `on_page_markdown` rewrites.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .config import GardenConfig
from .serve import IGNORED_DIRS, watch_vault_ignoring
from .core.model import Problem
from .core.rewrite import PageTargets, Rewriter
from .core.scan import default_slugify
from .core.backlinks import mentions_html
from .core.graph import graph_json, neighbourhood
from .core.graph_page import graph_page_markdown, graph_svg
from .core.tagpage import tag_anchor, tags_page_markdown
from .core.vault import ParseCache, PrivacyRules, Vault, build_vault, decode_note, link_problems
from .core.views import GardenViews, build_views

log = get_plugin_logger(__name__)
ASSETS = Path(__file__).parent / "assets"

# Extensions the rewritten Markdown relies on, with the options it needs.
_EXTENSIONS: dict[str, dict[str, Any]] = {
    "admonition": {}, "pymdownx.details": {}, "attr_list": {}, "md_in_html": {},
    "footnotes": {}, "tables": {}, "pymdownx.mark": {}, "pymdownx.tilde": {},
    "pymdownx.superfences": {}, "pymdownx.arithmatex": {"generic": True},
}


class GardenPlugin(BasePlugin[GardenConfig]):
    """`plugins: [garden]`: an Obsidian vault as a digital garden."""

    def __init__(self) -> None:
        self.cache = ParseCache()  # kept across `mkdocs serve` rebuilds (see on_startup)
        self.vault: Vault | None = None
        self.views: GardenViews | None = None
        self.rewriter: Rewriter | None = None
        self.texts: dict[str, str] = {}
        self._files: Files | None = None
        self._reported: set[str] = set()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defining this keeps one plugin instance for the whole `serve` session, so the parse
        cache survives rebuilds; per-build state is reset in `on_config`."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.vault, self.views, self.rewriter, self.texts, self._reported = None, None, None, {}, set()
        self.cache_dir = Path(config.config_file_path or ".").parent / self.config.cache_dir
        for name, options in _EXTENSIONS.items():
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
                if options:
                    config.mdx_configs.setdefault(name, dict(options))
        for name in ("garden/garden.css", "garden/graph.css"):
            if name not in config.extra_css:
                config.extra_css.append(name)
        if self.config.graph and "garden/graph.js" not in config.extra_javascript:
            config.extra_javascript.append("garden/graph.js")
        toc = config.mdx_configs.get("toc", {})
        self.slugify = toc.get("slugify") or default_slugify
        self.separator = toc.get("separator", "-")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        notes = [f for f in files if f.src_uri.endswith(".md") and f.abs_src_path]
        attachments = [f.src_uri for f in files if not f.src_uri.endswith(".md") and f.abs_src_path]
        problems: list[Problem] = []
        for file in notes:
            with open(file.abs_src_path, "rb") as handle:  # type: ignore[arg-type]
                text, problem = decode_note(file.src_uri, handle.read())
            self.texts[file.src_uri] = text
            if problem is not None:
                problems.append(problem)
        privacy = PrivacyRules(tuple(self.config.private), self.config.publish_mode)
        vault = build_vault(self.texts, attachments, privacy=privacy, cache=self.cache,
                            slugify=self.slugify, separator=self.separator, extra_problems=problems)
        self.cache.keep_only(vault.notes.values())
        self.vault = vault
        self.rewriter = Rewriter(vault, embed_depth=self.config.embed_depth)
        for path in sorted(vault.private):
            found = files.get_file_from_path(path)
            if found is not None:
                files.remove(found)
        self.views = build_views(vault, cache_dir=self.cache_dir, graph_tags=self.config.graph_tags,
                                 graph_unwritten=self.config.graph_unwritten,
                                 with_unlinked=self.config.unlinked_mentions)
        self._generate_pages(files, config, vault)
        self._files = files
        self._report(vault.problems, "warn")
        self._report(link_problems(vault), None)
        return files

    def _generate_pages(self, files: Files, config: MkDocsConfig, vault: Vault) -> None:
        for asset in sorted(ASSETS.rglob("*")):
            if asset.is_file():
                uri = asset.relative_to(ASSETS).as_posix()
                files.append(File(uri, str(ASSETS), config.site_dir, False))
        if self.config.tags_page:
            content = tags_page_markdown(vault, self.config.tags_page, self.slugify, self.separator)
            files.append(File.generated(config, self.config.tags_page, content=content))
        if self.config.graph and self.config.graph_page and self.views is not None:
            page = File.generated(config, self.config.graph_page, content="")
            graph = self.views.graph
            page.content_string = graph_page_markdown(
                self.config.graph_page, self.views.insights, title_of=lambda p: vault.notes[p].title if p in vault.notes else p,
                node_count=graph.number_of_nodes(), edge_count=graph.number_of_edges(),
                graph_url=get_relative_url("garden/graph.json", page.url),
                svg_url=get_relative_url("garden/graph.svg", page.url), root=get_relative_url("", page.url))
            files.append(page)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild on every save in the vault, but not for Obsidian's own churn: `.obsidian/`
        (workspace.json changes on every click), `.trash/` and caches."""
        watch_vault_ignoring(server, config.docs_dir, IGNORED_DIRS)
        return server

    def on_page_read_source(self, page: Page, *, config: MkDocsConfig) -> str | None:
        return self.texts.get(page.file.src_uri)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.vault is not None and self.rewriter is not None
        note = self.vault.notes.get(page.file.src_uri)
        if note is None:
            return markdown
        targets = _page_targets(page, files, self.config.tags_page, self.slugify, self.separator)
        body = self.rewriter.page_markdown(note)(targets)
        self._report(self.rewriter.problems, "warn")
        self.rewriter.problems = []
        return body

    @event_priority(-100)  # after the search plugin indexed the page: mentions are not content
    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        assert self.vault is not None and self.views is not None
        path = page.file.src_uri
        if path not in self.vault.notes and path not in self.views.graph:
            return context
        extra = [self._local_graph_html(page, path)] if self.config.graph else []
        if self.config.backlinks:
            extra.append(self._mentions_html(page, "Linked mentions", self.views.linked.get(path, []), "garden-linked"))
            extra.append(self._mentions_html(page, "Unlinked mentions", self.views.unlinked.get(path, []), "garden-unlinked"))
        page.content = (page.content or "") + "".join(extra)
        return context

    def _page_url(self, page: Page, path: str, anchor: str = "") -> str:
        file = self._files.get_file_from_path(path) if self._files is not None else None
        url = get_relative_url(file.url, page.url) if file is not None else "#"
        return url + (f"#{anchor}" if anchor else "")

    def _mentions_html(self, page: Page, title: str, mentions: list, css: str) -> str:
        assert self.vault is not None
        vault = self.vault
        return mentions_html(title, mentions, lambda source, anchor: self._page_url(page, source, anchor),
                             lambda source: vault.notes[source].title, css)

    def _local_graph_html(self, page: Page, path: str) -> str:
        assert self.views is not None
        if len(neighbourhood(self.views.graph, path, self.config.graph_depth)) < 2:
            return ""
        import html as _html

        graph_url = get_relative_url("garden/graph.json", page.url)
        root = get_relative_url("", page.url)
        return (f'<section class="garden-local-graph"><h2 class="garden-mentions__title">Neighbourhood</h2>'
                f'<div class="garden-graph" data-mode="local" data-note="{_html.escape(path, quote=True)}" '
                f'data-depth="{self.config.graph_depth}" data-graph-url="{_html.escape(graph_url, quote=True)}" '
                f'data-root="{_html.escape(root, quote=True)}"></div></section>')

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not (self.config.graph and self.views is not None and self._files is not None):
            return
        files = self._files

        def url_of(path: str) -> str | None:
            file = files.get_file_from_path(path)
            return file.url if file is not None else None

        out = Path(config.site_dir) / "garden"
        out.mkdir(parents=True, exist_ok=True)
        views = self.views
        (out / "graph.json").write_text(graph_json(views.graph, views.positions, views.community, url_of), encoding="utf-8")
        (out / "graph.svg").write_text(graph_svg(views.graph, views.positions, views.community), encoding="utf-8")

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


def _page_targets(page: Page, files: Files, tags_page: str, slugify: Any, separator: str) -> PageTargets:
    here = posixpath.dirname(page.file.src_uri)

    def md_href(path: str, anchor: str) -> str:
        if path == page.file.src_uri and anchor:
            return f"#{anchor}"
        relative = posixpath.relpath(path, here) if here else path
        return quote(relative) + (f"#{anchor}" if anchor else "")

    def html_href(path: str, anchor: str) -> str:
        file = files.get_file_from_path(path)
        url = file.url_relative_to(page.file) if file is not None else md_href(path, "")
        return url + (f"#{anchor}" if anchor else "")

    def tag_href(tag: str) -> str:
        return md_href(tags_page, tag_anchor(tag, slugify, separator))

    return PageTargets(md_href, html_href, tag_href)
