"""Communities of the garden graph: Louvain with a queue of nodes to revisit, seeded, as good
as networkx's Louvain on graphs with a known answer, and independent of insertion order."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import networkx as nx
import pytest
from mkdocs_garden.core.graph import NumberedGraph, communities, note_rank


def _digraph(edges: list[tuple[str, str]], nodes: Iterable[str] = ()) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    return graph


def _modularity(graph: nx.DiGraph, community: dict[str, int]) -> float:
    groups: dict[int, set[str]] = {}
    for node, number in community.items():
        groups.setdefault(number, set()).add(node)
    return nx.community.modularity(graph.to_undirected(), groups.values())


def _cliques(sizes: list[int]) -> list[tuple[str, str]]:
    """Cliques of the given sizes (nodes `c<clique>-<i>`) joined in a chain by one link each."""
    edges = []
    for number, size in enumerate(sizes):
        names = [f"c{number}-{i}" for i in range(size)]
        edges += list(itertools.combinations(names, 2))
        if number:
            edges.append((f"c{number - 1}-0", names[0]))
    return edges


def test_cliques_joined_by_a_link_are_communities_biggest_first() -> None:
    found = communities(NumberedGraph.of(_digraph(_cliques([4, 6, 4]))))
    assert {n for n, c in found.items() if c == 0} == {f"c1-{i}" for i in range(6)}
    assert {n for n, c in found.items() if c == 1} == {f"c0-{i}" for i in range(4)}  # ties: by name
    assert {n for n, c in found.items() if c == 2} == {f"c2-{i}" for i in range(4)}


@pytest.mark.parametrize(
    ("edges", "nodes", "expected"),
    [
        ([], [], {}),
        ([], ["b", "a"], {"a": 0, "b": 1}),  # no links: every node alone, numbered by name
        ([("a", "a")], ["b"], {"a": 0, "b": 1}),  # a link to itself joins nothing
    ],
)
def test_graphs_without_links(edges: list[tuple[str, str]], nodes: list[str],
                              expected: dict[str, int]) -> None:
    assert communities(NumberedGraph.of(_digraph(edges, nodes))) == expected


def test_same_result_whatever_the_insertion_order_and_link_direction() -> None:
    edges = [(s, t) for s, t in nx.les_miserables_graph().edges()]
    first = communities(NumberedGraph.of(_digraph(edges)), seed=3)
    assert communities(NumberedGraph.of(_digraph(edges)), seed=3) == first
    assert communities(NumberedGraph.of(_digraph([(t, s) for s, t in reversed(edges)])), seed=3) == first
    both_ways = _digraph(edges + [(t, s) for s, t in edges])  # a link back counts once
    assert communities(NumberedGraph.of(both_ways), seed=3) == first


def test_the_seed_is_used() -> None:
    edges = [(f"n{s:02d}", f"n{t:02d}") for s, t in nx.karate_club_graph().edges()]
    results = {tuple(sorted(communities(NumberedGraph.of(_digraph(edges)), seed=seed).items())) for seed in range(8)}
    assert len(results) > 1


@pytest.mark.parametrize("seed", range(1, 6))
def test_quality_matches_networkx_louvain(seed: int) -> None:
    """Karate club: the best partition has modularity 0.4198; a planted partition: found."""
    karate = _digraph([(f"n{s:02d}", f"n{t:02d}") for s, t in nx.karate_club_graph().edges()])
    assert _modularity(karate, communities(NumberedGraph.of(karate), seed=seed)) > 0.39
    planted = nx.planted_partition_graph(6, 40, 0.25, 0.02, seed=seed)
    graph = _digraph([(f"p{s:03d}", f"p{t:03d}") for s, t in planted.edges()],
                     [f"p{i:03d}" for i in planted])
    found = communities(NumberedGraph.of(graph), seed=seed)
    reference = nx.community.louvain_communities(graph.to_undirected(), seed=seed)
    assert _modularity(graph, found) >= nx.community.modularity(graph.to_undirected(), reference) - 0.01
    # The planted blocks come back, but for a node with as many links into another block.
    blocks = [[int(n[1:]) // 40 for n, c in found.items() if c == number] for number in range(6)]
    majority = [max(set(group), key=group.count) for group in blocks]
    assert sorted(majority) == list(range(6))
    assert sum(block != most for group, most in zip(blocks, majority) for block in group) <= 2


@pytest.mark.parametrize("seed", range(6))
def test_note_rank_is_networkx_pagerank(seed: int) -> None:
    """The same power iteration as networkx (dangling notes, self-links, isolated notes),
    without networkx's scipy import; tags and unwritten notes are left out of it."""
    graph = nx.gnp_random_graph(200, 0.015, seed=seed, directed=True)
    graph.add_edge(3, 3)
    graph.add_nodes_from(range(200, 205))
    graph = nx.relabel_nodes(graph, {n: f"n{n}" for n in graph})
    nx.set_node_attributes(graph, "note", "kind")
    expected = nx.pagerank(graph)
    graph.add_node("#tag", kind="tag")
    graph.add_edge("n1", "#tag")
    got = note_rank(NumberedGraph.of(graph))
    assert set(got) == set(expected)
    assert all(abs(got[n] - expected[n]) < 1e-12 for n in expected)
    assert note_rank(NumberedGraph.of(nx.DiGraph())) == {}
