"""Everything derived from one `Vault` for a build: the graph, its layout and insights, and
the mentions of every note. Computed once per build from the index, never per page."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .backlinks import Mention, linked_mentions, unlinked_mentions
from .graph import Insights, communities, garden_graph, graph_insights, graph_layout, structure_key
from .vault import Vault


@dataclass
class GardenViews:
    """The per-build views of the garden."""

    graph: nx.DiGraph
    positions: dict[str, tuple[float, float]]
    community: dict[str, int]
    insights: Insights
    linked: dict[str, list[Mention]]
    unlinked: dict[str, list[Mention]] = field(default_factory=dict)
    layout_cached: bool = False


def build_views(vault: Vault, *, cache_dir: Path | None, graph_tags: bool, graph_unwritten: bool,
                with_unlinked: bool, timings: dict[str, float] | None = None) -> GardenViews:
    """Compute the graph (layout cached by graph structure under `cache_dir`) and mentions;
    `timings` receives the seconds spent on each."""
    clock = time.perf_counter()
    graph = garden_graph(vault, tags=graph_tags, unwritten=graph_unwritten)
    positions, cached = _cached_layout(graph, cache_dir)
    community = communities(graph)
    insights = graph_insights(graph, vault, community)
    middle = time.perf_counter()
    linked = linked_mentions(vault)
    unlinked = unlinked_mentions(vault) if with_unlinked else {}
    if timings is not None:
        timings["graph and layout"] = timings.get("graph and layout", 0.0) + middle - clock
        timings["mentions"] = timings.get("mentions", 0.0) + time.perf_counter() - middle
    return GardenViews(graph, positions, community, insights, linked, unlinked, cached)


def _cached_layout(graph: nx.DiGraph, cache_dir: Path | None) -> tuple[dict[str, tuple[float, float]], bool]:
    """The layout depends only on the graph's structure, so it is kept under that key."""
    if cache_dir is None:
        return graph_layout(graph), False
    path = cache_dir / "layout" / f"{structure_key(graph)}.json"
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        return {node: (x, y) for node, (x, y) in data.items()}, True
    positions = graph_layout(graph)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob("*.json"):  # one layout is all a build needs
        stale.unlink()
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(positions, sort_keys=True), encoding="utf-8")
    temporary.replace(path)
    return positions, False
