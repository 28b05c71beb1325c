"""The global graph page: the interactive widget, a static SVG for readers without JavaScript,
and the insights that tell the author where the garden needs tending."""

from __future__ import annotations

import html
import io
import math
import posixpath
from collections.abc import Callable
from urllib.parse import quote

import networkx as nx

from .graph import Insights, undirected_degree
from .text import md_text

# Categorical colours readable on white and on Material's slate background.
PALETTE = ["#26a69a", "#ef6c00", "#5c6bc0", "#c2185b", "#7cb342", "#8d6e63", "#00897b", "#f9a825",
           "#6d4c41", "#3949ab"]


def graph_svg(graph: nx.DiGraph, positions: dict[str, tuple[float, float]], community: dict[str, int],
              degree: dict[str, int] | None = None) -> str:
    """A static picture of the whole graph (matplotlib, no pyplot state), deterministic bytes.
    `degree`: `undirected_degree(graph)`, if the caller has it.

    The background is transparent and edges are mid-grey, so it reads on light and dark pages.
    The lines are the figure's own artists, placed by one transform: an Axes (ticks, limits,
    data bounds updated per line) cost a quarter of the drawing and showed nothing.
    """
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.transforms import Affine2D

    figure = Figure(figsize=(8, 8), dpi=100)
    # [-1.08, 1.08] on both axes onto the square figure: a margin for the largest markers.
    place = Affine2D().translate(1.08, 1.08).scale(1 / 2.16) + figure.transFigure
    # All edges as one path (NaN breaks it between edges): one SVG element, not one per edge.
    xs: list[float] = []
    ys: list[float] = []
    for source, target in sorted(graph.edges):
        xs += [positions[source][0], positions[target][0], math.nan]
        ys += [positions[source][1], positions[target][1], math.nan]
    if xs:
        figure.add_artist(Line2D(xs, ys, transform=place, color="#9e9e9e", linewidth=0.4, alpha=0.6,
                                 solid_capstyle="butt"))
    # Nodes grouped by (size, colour): each group is one marker drawn many times (<use>).
    degree = undirected_degree(graph) if degree is None else degree
    groups: dict[tuple[int, str], list[str]] = {}
    for node in sorted(graph.nodes):
        size = round(math.sqrt(12 + 6 * degree[node]))  # diameter in points, area grows with degree
        groups.setdefault((size, PALETTE[community.get(node, 0) % len(PALETTE)]), []).append(node)
    for (size, colour), members in sorted(groups.items()):
        figure.add_artist(Line2D([positions[n][0] for n in members], [positions[n][1] for n in members],
                                 transform=place, linestyle="none", marker="o", markersize=size,
                                 markerfacecolor=colour, markeredgecolor="none", zorder=2))
    buffer = io.StringIO()
    # SVG ids are random unless salted: a fixed salt makes the bytes reproducible.
    with matplotlib.rc_context({"svg.hashsalt": "mkdocs-garden"}):
        figure.savefig(buffer, format="svg", transparent=True, metadata={"Date": None, "Creator": "mkdocs-garden"})
    return buffer.getvalue()


def graph_page_markdown(page_path: str, insights: Insights, *, title_of: Callable[[str], str],
                        node_count: int, edge_count: int, graph_url: str, svg_url: str, root: str) -> str:
    """Markdown of the global graph page at `page_path` (a generated page); the three URLs are
    relative to that page's URL."""
    here = posixpath.dirname(page_path)

    def link(path: str) -> str:
        return f"[{md_text(title_of(path))}]({quote(posixpath.relpath(path, here) if here else path)})"

    lines = [
        "---", "title: Graph", "hide: [toc]", "---", "", "# Graph", "",
        (f"The whole garden: {node_count} notes and notebooks, {edge_count} links. "
        "Drag to pan, scroll to zoom, hover for a title, click to open a note."), "",
        (f'<div class="garden-graph" data-mode="global" data-graph-url="{html.escape(graph_url)}" '
        f'data-root="{html.escape(root)}"></div>'), "",
        (f'<noscript><img class="garden-graph-static" src="{html.escape(svg_url)}" '
        'alt="A static picture of the garden\'s link graph"></noscript>'), "",
        "## Where the garden needs tending", "",
    ]
    lines += _section("Hubs (most central, by PageRank)", [f"{link(p)} ({score:.3f})" for p, score in insights.hubs])
    lines += _section("Orphans (no links in or out)", [link(p) for p in insights.orphans])
    lines += _section("Most wanted unwritten notes", [f"{md_text(t)} ({n} link{'' if n == 1 else 's'})" for t, n in insights.wanted])
    clusters = [", ".join(link(p) for p in group[:12]) + (" …" if len(group) > 12 else "")
                for group in insights.clusters]
    lines += _section("Clusters", [f"Cluster {i + 1} ({len(g)}): {c}" for i, (g, c) in enumerate(zip(insights.clusters, clusters))])
    return "\n".join(lines) + "\n"


def _section(title: str, items: list[str]) -> list[str]:
    body = [f"- {item}" for item in items] or ["None."]
    return [f"### {title}", "", *body, ""]
