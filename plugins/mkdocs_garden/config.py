"""The plugin's options: typed, validated when MkDocs loads `mkdocs.yml`, with defaults that
let a vault build with nothing but `- garden`."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class TasksConfig(base.Config):
    """Obsidian Tasks rendering."""

    tolerant = c.Type(bool, default=False)
    """Treat list items without a checkbox whose end holds a Tasks date (`📅 2023-11-04`) as
    tasks, for exports that lost their checkboxes. Off: strict Tasks semantics."""
    global_filter = c.Type(str, default="")
    """Only checklist items whose description holds this text (e.g. `#task`) are tasks."""
    page = c.Type(str, default="garden/tasks.md")
    """Where the generated tasks page goes ('' for none)."""


class NotebooksConfig(base.Config):
    """Jupyter notebooks in the vault (rendered by mkdocs-jupyter, executed by the garden)."""

    execute = c.Type(bool, default=True)
    """Execute notebooks at build time (cached by content under `cache_dir`). A notebook with
    `{"garden": {"execute": false}}` in its metadata keeps its stored outputs."""
    timeout = c.Type(int, default=120)
    """Seconds a cell may run before the build fails naming the notebook and the cell."""
    kernel = c.Type(str, default="python3")
    """The Jupyter kernel to run them with."""
    env_allow = c.ListOfItems(c.Type(str), default=[])
    """Environment variables passed to the kernel besides PATH, LANG, LC_ALL and TZ; nothing
    else of the build's environment (tokens!) reaches notebooks. Their values are part of the
    execution cache key."""


class GardenConfig(base.Config):
    """Options of the `garden` plugin."""

    private = c.ListOfItems(c.Type(str), default=[])
    """Folder globs never published (e.g. `private/**`), besides notes with `publish: false`."""
    publish_mode = c.Choice(("all", "opt-in"), default="all")
    """`all`: publish every note not marked private. `opt-in`: only `publish: true` notes."""
    unresolved_links = c.Choice(("warn", "info", "ignore"), default="warn")
    """How links to notes not written yet are reported (`warn` lets `--strict` fail CI)."""
    link_warnings = c.Choice(("warn", "info", "ignore"), default="warn")
    """How ambiguous links, alias-only links and missing headings are reported."""
    embed_depth = c.Type(int, default=6)
    """Nested embeds deeper than this are shown as links."""
    raw_html = c.Choice(("sanitize", "keep"), default="sanitize")
    """Raw HTML written in a note's body. `sanitize`: as Obsidian renders it, scripts, event
    handlers and `javascript:` URLs removed, ordinary HTML (div, details, kbd, img, iframes
    with http(s) sources, inline SVG, style/class/id/data-*/aria-* attributes) kept. `keep`:
    published as written, for a vault whose every author is trusted. Notebooks keep theirs."""
    tags_page = c.Type(str, default="tags.md")
    """Where the generated tag index goes."""
    backlinks = c.Type(bool, default=True)
    """End every page with its "Linked mentions"."""
    unlinked_mentions = c.Type(bool, default=False)
    """Also list notes naming this note's title or an alias without linking it."""
    graph = c.Type(bool, default=True)
    """Export `garden/graph.json`, a global graph page and a local graph on every note."""
    graph_depth = c.Type(int, default=1)
    """How many links away the local graph on a note page reaches."""
    graph_tags = c.Type(bool, default=False)
    """Show tags as nodes of the graph."""
    graph_unwritten = c.Type(bool, default=False)
    """Show notes linked but not written yet as ghost nodes of the graph."""
    graph_page = c.Type(str, default="garden/graph.md")
    """Where the generated global graph page goes."""
    tasks = c.SubConfig(TasksConfig)
    notebooks = c.SubConfig(NotebooksConfig)
    timeline_page = c.Type(str, default="garden/timeline.md")
    """Where the generated journal timeline goes ('' for none). Journals are notes with
    `journal: true` in their frontmatter, daily notes (`YYYY-MM-DD.md`) and dated notes."""
    renderer = c.Choice(("markdown-it", "python-markdown"), default="markdown-it")
    """What turns a note's Markdown into HTML. `markdown-it`: CommonMark, as Obsidian reads it
    (two-space nested lists, a list right after a line of text), with tables, footnotes, math,
    highlights and code highlighting, and the `toc` settings for ids and permalinks; three
    times faster. `python-markdown`: MkDocs' own renderer with the `markdown_extensions` of
    `mkdocs.yml`, for a vault written for those extensions."""
    navigation = c.Choice(("folders", "full"), default="folders")
    """`folders`: a compact navigation (home, top-level folders, the garden's pages) with a
    generated page per folder, so build time and site size grow linearly with the notes.
    `full`: MkDocs' default tree of every note in every page (quadratic). A `nav:` in
    `mkdocs.yml` always wins; folder pages are generated either way in `folders` mode."""
    cache_dir = c.Type(str, default=".cache/garden")
    """Caches (graph layout, executed notebooks, page signatures), relative to `mkdocs.yml`; never inside `docs/`."""
