"""Everything derived from one `Vault` for a build: the graph, its layout and insights, and
the mentions of every note. Computed once per build from the index, never per page."""

from __future__ import annotations

import json
import os
import time
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import networkx as nx

from .backlinks import Mention, MentionMemo, linked_mentions, unlinked_mentions
from .graph import (
    GraphParts,
    Insights,
    NumberedGraph,
    PartsMemo,
    carried_structure,
    communities,
    graph_insights,
    graph_layout,
    graph_of,
    graph_parts,
    note_rank,
    patch_graph,
    undirected_degree,
)
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
    key: str = ""  # `NumberedGraph.of(graph).key()`, when the structure was computed
    version: int = 0  # moves whenever the graph changed (while serving it changes in place)

    @cached_property
    def degree(self) -> dict[str, int]:
        """`undirected_degree(graph)`: `graph.json` and the picture both show it."""
        return undirected_degree(self.graph)


Structure = tuple[dict[str, tuple[float, float]], dict[str, int], dict[str, float]]


@dataclass
class GraphMemo:
    """The graph and its structure, kept across `serve` rebuilds: an edit that changes no
    published note's title, tags, stage or links keeps the graph object itself, and a kept
    structure is not read from the cache file again, nor are its insights worked out again.
    The structure of the last graph stays after the graph changed, to be carried over."""

    parts: GraphParts | None = None
    graph: nx.DiGraph | None = None
    version: int = 0  # of `graph`, which may change in place (`patch_graph`)
    key: str = ""
    structure: Structure | None = None
    structured: int | None = None  # the version of the graph `structure` is of
    insights: Insights | None = None  # of this graph and structure
    pieces: PartsMemo = field(default_factory=PartsMemo)  # what each note adds to the parts


def build_views(vault: Vault, *, cache_dir: Path | None, graph_tags: bool, graph_unwritten: bool,
                with_unlinked: bool, with_linked: bool = True, with_structure: bool = True,
                mention_memo: MentionMemo | None = None, graph_memo: GraphMemo | None = None,
                carry_structure: bool = False, timings: dict[str, float] | None = None) -> GardenViews:
    """Compute the graph, its layout, communities and insights (cached by graph structure under
    `cache_dir`; skipped without `with_structure`) and the mentions asked for; `timings`
    receives the CPU seconds spent on each. `carry_structure` (`serve`): when the graph in
    `graph_memo` changed and its structure is in no cache file, carry the last one over
    (`carried_structure`) instead of laying the graph out afresh."""
    clock = time.process_time()
    memo = graph_memo if graph_memo is not None else GraphMemo()
    parts = graph_parts(vault, tags=graph_tags, unwritten=graph_unwritten, memo=memo.pieces)
    if memo.graph is None or memo.parts != parts:
        graph, memo.graph = memo.graph, None  # none kept, should patching fail half way
        if graph is None or memo.parts is None or not patch_graph(graph, memo.parts, parts):
            graph = graph_of(parts)
        memo.graph, memo.parts, memo.version = graph, parts, memo.version + 1
    graph = memo.graph
    cached = memo.structured == memo.version
    if with_structure:
        if memo.structured != memo.version:
            numbered = NumberedGraph.of(graph)
            memo.key = numbered.key()
            last = memo.structure if carry_structure else None
            memo.structure, cached = _cached_structure(numbered, memo.key, cache_dir, last)
            memo.structured, memo.insights = memo.version, None
        positions, community, rank = memo.structure
        insights = memo.insights = graph_insights(graph, vault, community, rank, kept=memo.insights)
    else:
        positions, community, insights = {}, {}, Insights([], [], [], [])
    middle = time.process_time()
    linked = linked_mentions(vault, mention_memo) if with_linked else {}
    unlinked = unlinked_mentions(vault) if with_unlinked else {}
    if timings is not None:
        timings["graph and layout"] = timings.get("graph and layout", 0.0) + middle - clock
        timings["mentions"] = timings.get("mentions", 0.0) + time.process_time() - middle
    return GardenViews(graph, positions, community, insights, linked, unlinked, cached, memo.key, memo.version)


# Part of the cache file's name: bump it when the layout, the communities or PageRank would
# come out differently for the same graph (2: communities by our own Louvain, not networkx's;
# 3: PageRank by our own power iteration, equal to networkx's within 1e-17; 4: the layout
# reads the edges sorted, starts from `random.Random` and runs its FFTs in single precision).
STRUCTURE_VERSION = 4


def _structure(graph: NumberedGraph) -> Structure:
    return graph_layout(graph), communities(graph), note_rank(graph)


def _cached_structure(graph: NumberedGraph, key: str, cache_dir: Path | None,
                      last: Structure | None = None) -> tuple[Structure, bool]:
    """Layout, communities and PageRank depend only on the graph's structure, so they are
    kept under its `key`: a rebuild that changes no link computes none of them. Not in the
    cache, `last` (another graph's) is carried over where it can be, and not kept: the file
    holds only structures computed afresh, which every build of that graph would compute."""
    path = None if cache_dir is None else cache_dir / "layout" / f"{key}.v{STRUCTURE_VERSION}.json"
    if path is not None and (kept := _read_structure(path)) is not None:
        return kept, True
    if last is not None and (carried := carried_structure(graph, last[0], last[1])) is not None:
        return (*carried, note_rank(graph)), False
    if path is None:
        return _structure(graph), False
    positions, community, rank = _structure(graph)
    document = json.dumps({"positions": positions, "community": community, "rank": rank}, sort_keys=True)
    # Another build may share the folder (`mkdocs serve` beside `mkdocs build`): the file is
    # written under a name of this build's own and moved into place whole, and a file the
    # other build took away first is not missed. Without the file, the next build lays out again.
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # One structure is all a build needs; a build stopped half way may have left a `.tmp`.
        for stale in [*path.parent.glob("*.json"), *path.parent.glob("*.tmp")]:
            stale.unlink(missing_ok=True)
        temporary.write_text(document, encoding="utf-8")
        temporary.replace(path)
    except OSError:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
    return (positions, community, rank), False


def _read_structure(path: Path) -> Structure | None:
    """The structure kept at `path`, or None: not computed yet, or written by an older version."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        positions = {node: (x, y) for node, (x, y) in data["positions"].items()}
        return positions, data["community"], data["rank"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
