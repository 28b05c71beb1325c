"""The garden as a networkx graph, its layout, its JSON export and its insights.

Only published files become nodes, and only links between published files become edges, so
nothing private can reach `graph.json`. Unwritten notes and tags are optional node kinds.

`graph.json` schema, version 1 (the data the browser widget reads, and a public API):
    {"version": 1, "generator": "mkdocs-garden",
     "nodes": [{"id": vault path (or "tag:x" / "unwritten:x"), "title": str, "url": str | null
                (relative to the site root), "kind": "note" | "notebook" | "tag" | "unwritten",
                "tags": [str], "folder": str, "degree": int, "x": float, "y": float,
                "community": int, "stage": "seedling" | "budding" | "evergreen" | null}],
     "edges": [{"source": id, "target": id, "kind": "link" | "embed" | "frontmatter" | "tag"}]}
Nodes and edges are sorted, coordinates are rounded: the same vault gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx
import numpy as np

from .dates import growth_stage
from .layout import force_layout
from .vault import Vault

GRAPH_SCHEMA_VERSION = 1


def garden_graph(vault: Vault, *, tags: bool = False, unwritten: bool = False) -> nx.DiGraph:
    """Published notes and notebooks, joined by their links (several links count once)."""
    graph = nx.DiGraph()
    for note in vault.published_notes():
        kind = "notebook" if note.path.endswith(".ipynb") else "note"
        graph.add_node(note.path, title=note.title, kind=kind, tags=list(note.all_tags), folder=note.folder,
                       stage=growth_stage(note))
    for source in sorted(vault.links):
        if source not in graph:
            continue
        for link, target in vault.links[source]:
            kind = "embed" if link.embed else ("frontmatter" if link.kind == "frontmatter" else "link")
            if target.path in graph and target.path != source:
                if not graph.has_edge(source, target.path):
                    graph.add_edge(source, target.path, kind=kind)
            elif unwritten and target.kind == "missing" and link.kind != "markdown" and link.target:
                node = "unwritten:" + link.target.strip().lower()
                graph.add_node(node, title=link.target.strip(), kind="unwritten", tags=[], folder="")
                graph.add_edge(source, node, kind=kind)
    if tags:
        _add_tag_nodes(graph)
    return graph


def _add_tag_nodes(graph: nx.DiGraph) -> None:
    for node, data in list(graph.nodes(data=True)):
        for tag in data.get("tags", []):
            tag_id = "tag:" + tag.lower()
            graph.add_node(tag_id, title="#" + tag.lower(), kind="tag", tags=[], folder="")
            graph.add_edge(node, tag_id, kind="tag")


def structure_key(graph: nx.DiGraph) -> str:
    """A hash of the nodes and edges: the layout depends on nothing else."""
    digest = hashlib.sha256()
    for node in sorted(graph.nodes):
        digest.update(node.encode() + b"\0")
    for source, target in sorted(graph.edges):
        digest.update(f"{source}\0{target}\n".encode())
    return digest.hexdigest()


def graph_layout(graph: nx.DiGraph, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Seeded positions in [-1, 1] for every node (computed at build time, drawn at once)."""
    order = sorted(graph.nodes)
    index = {node: i for i, node in enumerate(order)}
    edges = np.array([(index[s], index[t]) for s, t in graph.edges], dtype=int).reshape(-1, 2)
    positions = force_layout(len(order), edges, seed=seed)
    return {node: (float(positions[i, 0]), float(positions[i, 1])) for node, i in index.items()}


def communities(graph: nx.DiGraph, *, seed: int = 7) -> dict[str, int]:
    """Community number per node (Louvain, seeded), biggest community first."""
    if graph.number_of_nodes() == 0:
        return {}
    found = nx.community.louvain_communities(graph.to_undirected(), seed=seed)
    ordered = sorted(found, key=lambda group: (-len(group), min(group)))
    return {node: number for number, group in enumerate(ordered) for node in group}


def graph_json(graph: nx.DiGraph, positions: dict[str, tuple[float, float]],
               community: dict[str, int], url_of: Callable[[str], str | None]) -> str:
    """The `graph.json` text (see the module docstring for the schema)."""
    undirected_degree = dict(graph.to_undirected(as_view=True).degree())
    nodes = []
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        x, y = positions.get(node, (0.0, 0.0))
        nodes.append({"id": node, "title": data["title"], "url": url_of(node) if data["kind"] in ("note", "notebook") else None,
                      "kind": data["kind"], "tags": sorted(data["tags"]), "folder": data["folder"],
                      "degree": undirected_degree.get(node, 0), "x": round(x, 4), "y": round(y, 4),
                      "community": community.get(node, 0), "stage": data.get("stage")})
    edges = [{"source": s, "target": t, "kind": graph.edges[s, t]["kind"]} for s, t in sorted(graph.edges)]
    document = {"version": GRAPH_SCHEMA_VERSION, "generator": "mkdocs-garden", "nodes": nodes, "edges": edges}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


@dataclass(frozen=True)
class Insights:
    """Where the garden needs tending."""

    hubs: list[tuple[str, float]]
    orphans: list[str]
    wanted: list[tuple[str, int]]  # unwritten note titles, most linked first
    clusters: list[list[str]]


def note_rank(graph: nx.DiGraph) -> dict[str, float]:
    """PageRank of the notes and notebooks among themselves (tags and unwritten left out)."""
    notes = [n for n, d in graph.nodes(data=True) if d["kind"] in ("note", "notebook")]
    sub = graph.subgraph(notes)
    return nx.pagerank(sub) if sub.number_of_nodes() else {}


def graph_insights(graph: nx.DiGraph, vault: Vault, community: dict[str, int], rank: dict[str, float],
                   *, top: int = 10) -> Insights:
    """Hubs by PageRank (`note_rank`), orphans, the most wanted unwritten notes, the clusters."""
    notes = [n for n, d in graph.nodes(data=True) if d["kind"] in ("note", "notebook")]
    sub = graph.subgraph(notes)
    hubs = sorted(rank.items(), key=lambda item: (-item[1], item[0]))[:top]
    orphans = sorted(n for n in notes if sub.degree(n) == 0)
    wanted_count: dict[str, int] = {}
    for source, pairs in vault.links.items():
        if vault.is_public(source):
            for link, target in pairs:
                if target.kind == "missing" and link.kind != "markdown" and link.target:
                    wanted_count[link.target.strip()] = wanted_count.get(link.target.strip(), 0) + 1
    wanted = sorted(wanted_count.items(), key=lambda item: (-item[1], item[0].lower()))[:top]
    groups: dict[int, list[str]] = {}
    for node in notes:
        groups.setdefault(community.get(node, 0), []).append(node)
    clusters = [sorted(groups[key]) for key in sorted(groups) if len(groups[key]) > 1]
    return Insights(hubs, orphans, wanted, clusters)
