"""What the garden adds around a note page's rendered content: its dates and growth stage,
and the sections appended after search has indexed the page (recently tended notes on the
home page, the local graph, linked and unlinked mentions). All text from the vault is escaped
here; mention contexts arrive rendered with raw HTML off."""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import date

import networkx as nx
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from . import pages
from .core.backlinks import Mention, mentions_html
from .core.dates import NoteDates


def page_url(files: Files | None, page: Page, path: str, anchor: str = "") -> str:
    """The URL of the file at vault path `path` relative to `page`, or `#` if it is gone."""
    url = pages.url_between(files, page.file, path, anchor) if files is not None else None
    return url or "#"


def footer_dates(dates: NoteDates | None) -> dict[str, str]:
    """A note's dates as the page metadata Material's page footer shows."""
    footer = {}
    if dates is not None and dates.updated:
        footer["revision_date"] = dates.updated.isoformat()
    if dates is not None and dates.created:
        footer["git_creation_date_localized"] = dates.created.isoformat()
    return footer


def with_stage_badge(content: str, stage: str | None) -> str:
    """`content` with the note's growth-stage badge (`core.dates.growth_stage`) under its
    title (or first)."""
    if not stage or not content:
        return content
    badge = f'<p class="garden-stage garden-stage--{stage}">{stage.title()}</p>'
    head, found, rest = content.partition("</h1>")
    return head + found + badge + rest if found else badge + content


def recent_notes(dates: dict[str, NoteDates], count: int = 8) -> list[tuple[date, str]]:
    """The notes most recently updated, newest first: (day, path) of each."""
    dated = [(d.updated, path) for path, d in dates.items() if d.updated and path != "index.md"]
    return sorted(dated, key=lambda item: (-item[0].toordinal(), item[1]))[:count]


def recently_tended(page: Page, files: Files | None, titles: Mapping[str, str], dates: dict[str, NoteDates],
                    count: int = 8) -> str:
    """The home page's list of the notes most recently updated."""
    recent = recent_notes(dates, count)
    if not recent:
        return ""
    items = "".join(f'<li><a href="{html.escape(page_url(files, page, path), quote=True)}">'
                    f"{html.escape(titles[path])}</a> "
                    f'<span class="garden-date">{day.isoformat()}</span></li>' for day, path in recent)
    return f'<section class="garden-recent"><h2 class="garden-mentions__title">Recently tended</h2><ul>{items}</ul></section>'


def mentions_section(page: Page, files: Files | None, titles: Mapping[str, str], title: str,
                     mentions: list[Mention], css: str) -> str:
    """A mentions section of `page`, each source note linked relative to it."""
    return mentions_html(title, mentions, lambda source: pages.url_between(files, page.file, source) if files is not None else None,
                         titles.__getitem__, css)


def local_graph_section(page: Page, path: str, graph: nx.DiGraph, depth: int) -> str:
    """The placeholder the graph widget fills with the note's neighbourhood (none if the note
    has no neighbour to draw)."""
    if depth < 1 or graph.degree(path) == 0:
        return ""
    root = get_relative_url("", page.url)  # "." on a page at the top, else "..", "../.." ...
    attributes = {"data-mode": "local", "data-note": path, "data-depth": str(depth),
                  "data-graph-url": "garden/graph.json" if root == "." else f"{root}/garden/graph.json",
                  "data-root": root}
    rendered = " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in attributes.items())
    return (f'<section class="garden-local-graph"><h2 class="garden-mentions__title">Neighbourhood</h2>'
            f'<div class="garden-graph" {rendered}></div></section>')
