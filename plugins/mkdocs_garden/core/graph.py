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
import math
import random
from array import array
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

import networkx as nx

from .dates import growth_stage
from .model import Note
from .vault import Pairs, Vault

if TYPE_CHECKING:
    import numpy as np

GRAPH_SCHEMA_VERSION = 1


GraphParts = tuple[bool, dict[str, dict[str, Any]], dict[tuple[str, str], str]]


@dataclass
class PartsMemo:
    """What each note adds to `graph_parts`, kept across `serve` rebuilds: its node data with
    the note object, its edges and unwritten nodes with its link list (the parse cache keeps
    both while unchanged). The edges also read which notes are published (the keys of
    `nodes`), and `unwritten`."""

    nodes: dict[str, tuple[Note, dict[str, Any]]] = field(default_factory=dict)
    edges: dict[str, tuple[Pairs, list[tuple[tuple[str, str], str]], list[tuple[str, dict[str, Any]]]]] = \
        field(default_factory=dict)
    unwritten: bool = False


def graph_parts(vault: Vault, *, tags: bool = False, unwritten: bool = False,
                memo: PartsMemo | None = None) -> GraphParts:
    """What the garden graph is made of, as plain values: whether it has tag nodes, every other
    node with its data (in the graph's order) and the kind of every edge. Two are compared far
    sooner than a graph is built (networkx's `add_edge` is most of it), so `serve` keeps the
    graph while its parts stay equal."""
    memo = memo if memo is not None else PartsMemo()
    nodes: dict[str, dict[str, Any]] = {}
    kept_nodes = {}
    for note in vault.published_notes():
        hit = memo.nodes.get(note.path)
        if hit is None or hit[0] is not note:
            hit = (note, {"title": note.title, "kind": "notebook" if note.path.endswith(".ipynb") else "note",
                          "tags": list(note.all_tags), "folder": note.folder, "stage": growth_stage(note)})
        kept_nodes[note.path] = hit
        nodes[note.path] = hit[1]
    if nodes.keys() != memo.nodes.keys() or unwritten != memo.unwritten:
        memo.edges, memo.unwritten = {}, unwritten
    wanted: dict[str, dict[str, Any]] = {}  # unwritten notes, after every written one
    edges: dict[tuple[str, str], str] = {}
    kept_edges = {}
    for source in sorted(vault.links):
        if source not in nodes:
            continue
        pairs = vault.links[source]
        found = memo.edges.get(source)
        if found is None or found[0] is not pairs:
            found = (pairs, *_edges_of(source, pairs, nodes, unwritten))
        kept_edges[source] = found
        edges.update(found[1])
        wanted.update(found[2])
    memo.nodes, memo.edges = kept_nodes, kept_edges
    return tags, nodes | wanted, edges


def _edges_of(source: str, pairs: Pairs, nodes: dict[str, Any], unwritten: bool
              ) -> tuple[list[tuple[tuple[str, str], str]], list[tuple[str, dict[str, Any]]]]:
    """The edges (in order, each once) and unwritten nodes of one published note's links."""
    edges: dict[tuple[str, str], str] = {}
    wanted: dict[str, dict[str, Any]] = {}
    for link, target in pairs:
        kind = "embed" if link.embed else ("frontmatter" if link.kind == "frontmatter" else "link")
        if target.path in nodes and target.path != source:
            edges.setdefault((source, target.path), kind)  # the first link's kind
        elif unwritten and target.kind == "missing" and link.kind != "markdown" and link.target:
            node = "unwritten:" + link.target.strip().lower()
            wanted[node] = {"title": link.target.strip(), "kind": "unwritten", "tags": [], "folder": ""}
            edges[source, node] = kind  # the last spelling and kind, as networkx kept them
    return list(edges.items()), list(wanted.items())


def graph_of(parts: GraphParts) -> nx.DiGraph:
    """The networkx graph of `graph_parts`: published notes and notebooks joined by their
    links (several links count once), with unwritten notes and tags if asked for."""
    tags, nodes, edges = parts
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes.items())
    graph.add_edges_from((source, target, {"kind": kind}) for (source, target), kind in edges.items())
    if tags:
        _add_tag_nodes(graph)
    return graph


def patch_graph(graph: nx.DiGraph, old: GraphParts, new: GraphParts) -> bool:
    """Make `graph`, the `graph_of(old)`, into the graph of `new` in place and say True; or,
    when either has tag nodes (made of the notes' tags), leave it and say False. Building the
    graph again cost a `serve` rebuild 7 ms at 1,000 notes for a link that changed one edge.
    The nodes and edges may then be in another order than in a new graph's: whatever is made
    of the graph sorts them first."""
    (tags, nodes, edges), (_, old_nodes, old_edges) = new, old
    if tags or old[0]:
        return False
    gone_nodes = old_nodes.keys() - nodes.keys()
    moved_nodes = [(node, data) for node, data in nodes.items() if old_nodes.get(node) != data]
    gone_edges = old_edges.keys() - edges.keys()
    moved_edges = [(pair, kind) for pair, kind in edges.items() if old_edges.get(pair) != kind]
    graph.remove_nodes_from(gone_nodes)  # and their edges
    graph.remove_edges_from(gone_edges)
    for node, data in moved_nodes:
        graph.add_node(node)
        graph.nodes[node].clear()
        graph.nodes[node].update(data)
    for (source, target), kind in moved_edges:
        graph.add_edge(source, target, kind=kind)
    return True


def _add_tag_nodes(graph: nx.DiGraph) -> None:
    for node, data in list(graph.nodes(data=True)):
        for tag in data.get("tags", []):
            tag_id = "tag:" + tag.lower()
            graph.add_node(tag_id, title="#" + tag.lower(), kind="tag", tags=[], folder="")
            graph.add_edge(node, tag_id, kind="tag")


@dataclass(frozen=True)
class NumberedGraph:
    """The graph's nodes numbered in sorted order and its edges as pairs of those numbers,
    sorted: what the structure key, the layout, the communities and PageRank read. Made once
    per build: each of the four walking the networkx graph on its own cost more than PageRank's
    arithmetic. Sorted numbering makes every result independent of insertion order."""

    nodes: list[str]
    pairs: list[tuple[int, int]]  # sorted
    counted: list[bool]  # per node: a note or notebook (PageRank leaves tags and unwritten out)

    @classmethod
    def of(cls, graph: nx.DiGraph) -> NumberedGraph:
        nodes = sorted(graph)
        index = {node: i for i, node in enumerate(nodes)}
        pairs = sorted([(index[source], index[target]) for source, targets in graph.succ.items() for target in targets])
        kind = graph.nodes(data="kind")
        return cls(nodes, pairs, [kind[node] in ("note", "notebook") for node in nodes])

    def key(self) -> str:
        """A hash of the nodes, their kinds and the edges: the layout, the communities and
        PageRank depend on nothing else. The bytes numpy's int64 and bool arrays of them gave
        (`array` holds native 64-bit ints as numpy does), so the cache files keep their names;
        a build that finds its structure there imports no numpy (16 MiB of its memory)."""
        edges = array("q", chain.from_iterable(self.pairs)).tobytes()
        digest = hashlib.sha256(len(self.pairs).to_bytes(8, "little") + edges + bytes(self.counted))
        digest.update("\0".join(self.nodes).encode())
        return digest.hexdigest()

    @cached_property
    def edge_array(self) -> np.ndarray:
        """The edges as an (m, 2) int64 array (importing numpy), made once for the layout and
        PageRank."""
        import numpy as np

        return np.array(self.pairs, dtype=np.int64).reshape(-1, 2)


def graph_layout(graph: NumberedGraph, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Seeded positions in [-1, 1] for every node (computed at build time, drawn at once)."""
    from .layout import force_layout  # numpy, which a build from the cache does without

    positions = force_layout(len(graph.nodes), graph.edge_array, seed=seed)
    return {node: (x, y) for node, (x, y) in zip(graph.nodes, positions.tolist())}


def communities(graph: NumberedGraph, *, seed: int = 7) -> dict[str, int]:
    """Community number per node (Louvain, seeded), biggest community first.

    Louvain (Blondel et al. 2008) maximising modularity on the undirected graph, a link both
    ways counting once, as networkx's `louvain_communities` did. Two changes make it several
    times cheaper: a node is visited again only when a neighbour has moved (the queue of
    Leiden's fast local moving, Traag et al. 2019), where networkx sweeps every node until a
    whole sweep moves none; and the work is on ints, not on a networkx graph of note paths.

    On `scripts/gen_vault.py` vaults (CPU; modularity Q as the mean over seeds 1-8 at 1,000
    notes, 1-4 at 10,000) networkx took 0.19 s (Q 0.208) and 5.4 s (Q 0.186); this takes
    0.04 s (Q 0.206) and 0.9 s (Q 0.185). networkx's own knobs did not help there:
    `threshold` only stops between levels and the time is in the first two; `max_level=1`
    left 4,448 communities of two notes (Q 0.06); label propagation, all three variants, put
    every note into one community (Q 0).
    """
    size = len(graph.nodes)
    codes = sorted({s * size + t if s < t else t * size + s for s, t in graph.pairs if s != t})  # by (low, high)
    groups: dict[int, list[str]] = {}
    for node, group in zip(graph.nodes, _louvain(size, [divmod(code, size) for code in codes], seed)):
        groups.setdefault(group, []).append(node)
    ordered = sorted(groups.values(), key=lambda group: (-len(group), group[0]))
    return {node: number for number, group in enumerate(ordered) for node in group}


def _louvain(size: int, edges: list[tuple[int, int]], seed: int) -> list[int]:
    """The Louvain community of each node 0..size-1 of a simple undirected graph: move nodes
    until no move raises modularity, merge each community into one node, and again, until a
    level gains less than networkx's default threshold."""
    adjacency: list[dict[int, int]] = [{} for _ in range(size)]
    for i, j in edges:
        adjacency[i][j] = adjacency[j][i] = 1
    loops = [0] * size  # the weight of the edges inside each merged node
    member = list(range(size))  # each original node's node in the current graph
    rng = random.Random(seed)
    while edges:  # without any, every node is a community of its own
        community, gained = _move_nodes(adjacency, loops, 2 * len(edges), rng)
        renumber = {c: i for i, c in enumerate(dict.fromkeys(community))}
        member = [renumber[community[node]] for node in member]
        if len(renumber) == len(adjacency) or gained <= 1e-7:
            break
        adjacency, loops = _merge_communities(adjacency, loops, [renumber[c] for c in community])
    return member


def _move_nodes(adjacency: list[dict[int, int]], loops: list[int], twice_m: int,
                rng: random.Random) -> tuple[list[int], float]:
    """Louvain's local moving with a queue: each node goes to the neighbouring community
    that raises modularity most, if any; its neighbours outside that community are queued
    again. Returns each node's community and the modularity gained."""
    degree = [sum(row.values()) + 2 * loop for row, loop in zip(adjacency, loops)]
    community = list(range(len(adjacency)))
    total = degree[:]  # the degrees summed per community
    queue = deque(rng.sample(community, len(community)))
    queued = [True] * len(community)
    gained = 0.0
    while queue:
        node = queue.popleft()
        queued[node] = False
        old, scale = community[node], degree[node] / twice_m
        links: dict[int, int] = {}
        for other, weight in adjacency[node].items():
            there = community[other]
            links[there] = links.get(there, 0) + weight
        total[old] -= degree[node]
        stay = links.get(old, 0) - total[old] * scale
        best, best_score = old, stay
        for candidate, weight in links.items():
            if (score := weight - total[candidate] * scale) > best_score:
                best, best_score = candidate, score
        total[best] += degree[node]
        if best != old:
            community[node] = best
            gained += 2 * (best_score - stay) / twice_m
            for other in adjacency[node]:
                if not queued[other] and community[other] != best:
                    queued[other] = True
                    queue.append(other)
    return community, gained


def _merge_communities(adjacency: list[dict[int, int]], loops: list[int],
                       community: list[int]) -> tuple[list[dict[int, int]], list[int]]:
    """The graph of the communities (numbered 0..n-1): edge weights between them summed,
    the weight inside each kept as its loop."""
    merged: list[dict[int, int]] = [{} for _ in range(max(community) + 1)]
    inside_twice = [0] * len(merged)
    for node, row in enumerate(adjacency):
        here = community[node]
        inside_twice[here] += 2 * loops[node]
        for other, weight in row.items():
            if (there := community[other]) == here:
                inside_twice[here] += weight  # seen from both ends
            else:
                merged[here][there] = merged[here].get(there, 0) + weight
    return merged, [weight // 2 for weight in inside_twice]


# A new node is set this far from the mean of its placed neighbours (the ideal edge length of
# the layout at 1,000 nodes is about 0.06), each at its own angle: the golden angle times its
# number among the new nodes, so that two new neighbours of one note do not coincide.
_CARRY_OFFSET = 0.03
_GOLDEN_ANGLE = 2.399963229728653


def carried_structure(graph: NumberedGraph, positions: dict[str, tuple[float, float]],
                      community: dict[str, int]) -> tuple[dict[str, tuple[float, float]], dict[str, int]] | None:
    """The places and communities of an earlier graph carried over to `graph`, for `serve`
    after an edit changed the links: a node that was there keeps both, a new one is set
    beside the mean place of its neighbours that have one (its neighbours' most common
    community with it), one with none of them on a small spiral round the middle in a
    community of its own. Nodes are taken in sorted order, again while one more gets placed,
    so the result depends on the two graphs and nothing else.

    `graph_layout` and `communities` lay out the whole graph (at 1,000 notes about 0.13 s of
    a rebuild, at 10,000 1.6 s) and a new link moves every node. Carried over, the picture the
    author is writing into stays still, as Obsidian's graph view does while a link is added.
    None when more than a tenth of the nodes are new: carried over, so many would crowd
    together, and the caller lays the graph out afresh."""
    nodes = graph.nodes
    new = [i for i, node in enumerate(nodes) if node not in positions]
    if len(new) > len(nodes) // 10:
        return None
    number = {i: n for n, i in enumerate(new, start=1)}
    neighbours: dict[int, list[int]] = {i: [] for i in new}
    for source, target in graph.pairs:
        if source in number:
            neighbours[source].append(target)
        if target in number:
            neighbours[target].append(source)
    placed = {node: positions[node] for node in nodes if node in positions}
    grouped = {node: community.get(node, 0) for node in placed}
    spare = max(grouped.values(), default=-1) + 1
    waiting = new
    while waiting:
        left = []
        for i in waiting:
            near = [nodes[j] for j in neighbours[i] if nodes[j] in placed]
            if not near:
                left.append(i)
                continue
            turn = _GOLDEN_ANGLE * number[i]
            x = sum(placed[node][0] for node in near) / len(near) + _CARRY_OFFSET * math.cos(turn)
            y = sum(placed[node][1] for node in near) / len(near) + _CARRY_OFFSET * math.sin(turn)
            placed[nodes[i]] = (round(min(max(x, -1.0), 1.0), 4), round(min(max(y, -1.0), 1.0), 4))
            votes: dict[int, int] = {}
            for node in near:
                votes[grouped[node]] = votes.get(grouped[node], 0) + 1
            grouped[nodes[i]] = min(votes, key=lambda group: (-votes[group], group))
        if len(left) == len(waiting):  # none of these touches a placed node
            for count, i in enumerate(left, start=1):
                turn, radius = _GOLDEN_ANGLE * count, 0.05 * math.sqrt(count)
                placed[nodes[i]] = (round(radius * math.cos(turn), 4), round(radius * math.sin(turn), 4))
                grouped[nodes[i]], spare = spare, spare + 1
            break
        waiting = left
    return placed, grouped


def graph_json(graph: nx.DiGraph, positions: dict[str, tuple[float, float]],
               community: dict[str, int], url_of: Callable[[str], str | None],
               degree: dict[str, int] | None = None, kept: dict[str, tuple[tuple, str]] | None = None,
               edges: list[tuple[str, str, str]] | None = None) -> str:
    """The `graph.json` text (see the module docstring for the schema); `degree`:
    `undirected_degree(graph)`, and `edges`: `sorted(graph.edges(data="kind"))`, if the caller
    has them. `kept` (while serving): each node's text under all it is made of, from the last
    call, which this call replaces. A new link moves the degree of two nodes, and writing
    every node again was half of the text's cost.

    Written field by field, each string by the encoder `json.dumps` itself uses: the same
    bytes as `json.dumps` of a dict per node and edge, which cost three times as much (an
    edge's dict alone cost more than writing the edge)."""
    degree = undirected_degree(graph) if degree is None else degree
    quote = encode_basestring
    last = {} if kept is None else dict(kept)
    if kept is not None:
        kept.clear()

    def text(value: str | None) -> str:
        return "null" if value is None else quote(value)

    quoted = {value: quote(value) for value in (*graph, "link", "embed", "frontmatter", "tag")}
    nodes = []
    for node, data in sorted(graph.nodes(data=True)):
        x, y = positions.get(node, (0.0, 0.0))
        url = url_of(node) if data["kind"] in ("note", "notebook") else None
        made = (data["title"], data["kind"], tuple(data["tags"]), data["folder"], data.get("stage"), url,
                degree[node], x, y, community.get(node, 0))
        hit = last.get(node)
        if hit is None or hit[0] != made:
            tags = ",".join(map(quote, sorted(data["tags"])))
            hit = (made, f'{{"id":{quoted[node]},"title":{quote(data["title"])},"url":{text(url)},'
                         f'"kind":{quote(data["kind"])},"tags":[{tags}],"folder":{quote(data["folder"])},'
                         f'"degree":{degree[node]},"x":{round(x, 4)!r},"y":{round(y, 4)!r},'
                         f'"community":{community.get(node, 0)},"stage":{text(data.get("stage"))}}}')
        if kept is not None:
            kept[node] = hit
        nodes.append(hit[1])
    edges = sorted(graph.edges(data="kind")) if edges is None else edges
    links = ",".join(f'{{"source":{quoted[s]},"target":{quoted[t]},"kind":{quoted[kind]}}}' for s, t, kind in edges)
    return (f'{{"version":{GRAPH_SCHEMA_VERSION},"generator":"mkdocs-garden",'
            f'"nodes":[{",".join(nodes)}],"edges":[{links}]}}')


def undirected_degree(graph: nx.DiGraph) -> dict[str, int]:
    """Each node's number of neighbours, a link both ways counting once: networkx's degree of
    the undirected view for a graph without self-loops (the garden's has none), in one pass
    over the edges instead of a walk of that view node by node."""
    neighbours: dict[str, set[str]] = {node: set() for node in graph}
    for source, target in graph.edges:
        if source != target:
            neighbours[source].add(target)
            neighbours[target].add(source)
    return {node: len(found) for node, found in neighbours.items()}


@dataclass(frozen=True)
class Insights:
    """Where the garden needs tending."""

    hubs: list[tuple[str, float]]
    orphans: list[str]
    wanted: list[tuple[str, int]]  # unwritten note titles, most linked first
    clusters: list[list[str]]


def _note_nodes(graph: nx.DiGraph) -> list[str]:
    """The notes and notebooks of the graph (not tags or unwritten notes)."""
    return [n for n, d in graph.nodes(data=True) if d["kind"] in ("note", "notebook")]


def note_rank(graph: NumberedGraph, *, alpha: float = 0.85, tol: float = 1e-6, max_iter: int = 100) -> dict[str, float]:
    """PageRank of the notes and notebooks among themselves (tags and unwritten left out).

    The power iteration of `networkx.pagerank` with its defaults (a dangling note's rank is
    spread over all notes; stop when the L1 change is under `len * tol`), on numpy arrays:
    networkx's own version imports scipy.sparse, which alone took longer than the layout.
    """
    import numpy as np

    notes = [node for node, counted in zip(graph.nodes, graph.counted) if counted]
    if not notes:
        return {}
    counted, edges = np.array(graph.counted, dtype=bool), graph.edge_array
    number = np.cumsum(counted) - 1  # a note's number among the notes
    ends = edges[counted[edges[:, 0]] & counted[edges[:, 1]]]
    sources, targets = number[ends[:, 0]], number[ends[:, 1]]
    size = len(notes)
    out_degree = np.bincount(sources, minlength=size).astype(float)
    share = 1.0 / out_degree[sources]
    dangling = out_degree == 0
    rank = np.full(size, 1.0 / size)
    for _ in range(max_iter):
        last = rank
        spread = np.bincount(targets, weights=last[sources] * share, minlength=size)
        rank = alpha * (spread + last[dangling].sum() / size) + (1 - alpha) / size
        if np.abs(rank - last).sum() < size * tol:
            return {node: value for node, value in zip(notes, rank.tolist(), strict=True)}
    raise nx.PowerIterationFailedConvergence(max_iter)


def graph_insights(graph: nx.DiGraph, vault: Vault, community: dict[str, int], rank: dict[str, float],
                   *, top: int = 10, kept: Insights | None = None) -> Insights:
    """Hubs by PageRank (`note_rank`), orphans, the most wanted unwritten notes, the clusters.
    `kept`: the answer for this graph and structure in an earlier build, whose hubs, orphans
    and clusters hold; only the wanted notes, which the graph does not hold, are counted again."""
    wanted_count: dict[str, int] = {}
    for source, pairs in vault.links.items():
        if vault.is_public(source):
            for link, target in pairs:
                if target.kind == "missing" and link.kind != "markdown" and link.target:
                    wanted_count[link.target.strip()] = wanted_count.get(link.target.strip(), 0) + 1
    wanted = sorted(wanted_count.items(), key=lambda item: (-item[1], item[0].lower()))[:top]
    if kept is not None:
        return Insights(kept.hubs, kept.orphans, wanted, kept.clusters)
    notes = _note_nodes(graph)
    note_set = set(notes)
    linked = {end for edge in graph.edges if edge[0] in note_set and edge[1] in note_set for end in edge}
    hubs = sorted(rank.items(), key=lambda item: (-item[1], item[0]))[:top]
    orphans = sorted(n for n in notes if n not in linked)
    groups: dict[int, list[str]] = {}
    for node in notes:
        groups.setdefault(community.get(node, 0), []).append(node)
    clusters = [sorted(groups[key]) for key in sorted(groups) if len(groups[key]) > 1]
    return Insights(hubs, orphans, wanted, clusters)
