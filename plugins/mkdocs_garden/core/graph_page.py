"""The global graph page: the interactive widget, a static SVG for readers without JavaScript,
and the insights that tell the author where the garden needs tending."""

from __future__ import annotations

import html
import math
import posixpath
from collections.abc import Callable
from urllib.parse import quote

import networkx as nx

from .graph import Insights, undirected_degree
from .text import md_text

# Categorical colours readable on white and on Material's slate background.
_SIZE = 576  # points: 8 inches
_SCALE = _SIZE / 2.16
PALETTE = ["#26a69a", "#ef6c00", "#5c6bc0", "#c2185b", "#7cb342", "#8d6e63", "#00897b", "#f9a825",
           "#6d4c41", "#3949ab"]


def graph_svg(graph: nx.DiGraph, positions: dict[str, tuple[float, float]], community: dict[str, int],
              degree: dict[str, int] | None = None, edges: list[tuple[str, str, str]] | None = None) -> str:
    """A static picture of the whole graph, written directly (deterministic bytes): every edge
    in one path, every node a circle, grouped by colour. `degree`: `undirected_degree(graph)`,
    and `edges`: `sorted(graph.edges(data="kind"))`, if the caller has them.

    The background is transparent and edges are mid-grey, so it reads on light and dark pages.
    Positions in [-1.08, 1.08] (a margin for the largest nodes) fill a 576 pt square, y up.
    """
    points = {}  # each node's "x y" in points, written once: it ends many edges
    for node in graph.nodes:
        x, y = positions[node]
        points[node] = f"{(x + 1.08) * _SCALE:.2f} {(1.08 - y) * _SCALE:.2f}"
    edges = sorted(graph.edges(data="kind")) if edges is None else edges
    path = "".join(f"M{points[source]}L{points[target]}" for source, target, _ in edges)
    degree = undirected_degree(graph) if degree is None else degree
    groups: dict[tuple[float, str], list[str]] = {}  # smaller nodes drawn first
    for node in sorted(graph.nodes):
        # Diameter in points; the area grows with the degree.
        radius = round(math.sqrt(12 + 6 * degree[node])) / 2
        x, y = points[node].split()
        colour = PALETTE[community.get(node, 0) % len(PALETTE)]
        groups.setdefault((radius, colour), []).append(f'<circle cx="{x}" cy="{y}" r="{radius:g}"/>')
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n',
             f'<svg xmlns="http://www.w3.org/2000/svg" width="{_SIZE}pt" height="{_SIZE}pt" '
             f'viewBox="0 0 {_SIZE} {_SIZE}" version="1.1">\n']
    if path:
        parts.append(f'<path d="{path}" fill="none" stroke="#9e9e9e" stroke-width="0.4" stroke-opacity="0.6"/>\n')
    for (_, colour), circles in sorted(groups.items()):
        parts.append(f'<g fill="{colour}">{"".join(circles)}</g>\n')
    parts.append("</svg>\n")
    return "".join(parts)


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
