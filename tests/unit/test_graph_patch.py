"""`patch_graph` (core/graph.py): a graph changed in place holds what `graph_of` would build."""

from __future__ import annotations

import random

from mkdocs_garden.core.graph import graph_of, patch_graph


def _parts(rng: random.Random) -> tuple:
    nodes = {}
    for number in rng.sample(range(30), 20):
        kind = rng.choice(["note", "note", "notebook", "unwritten"])
        nodes[f"n{number}"] = {"title": rng.choice(["A", "B", "C"]), "kind": kind,
                               "tags": rng.sample(["x", "y", "z"], rng.randint(0, 2)), "folder": ""}
        if kind != "unwritten":
            nodes[f"n{number}"]["stage"] = rng.choice([None, "seedling"])
    names = sorted(nodes)
    edges = {(rng.choice(names), rng.choice(names)): rng.choice(["link", "embed", "frontmatter"])
             for _ in range(40)}
    return False, nodes, {pair: kind for pair, kind in edges.items() if pair[0] != pair[1]}


def _held(graph) -> tuple[list, list]:  # noqa: ANN001 - a networkx graph
    return sorted(graph.nodes(data=True)), sorted(graph.edges(data=True))


def test_a_patched_graph_holds_what_a_new_one_does() -> None:
    rng = random.Random(3)
    for _ in range(200):
        old, new = _parts(rng), _parts(rng)
        if rng.random() < 0.5:  # a small change: one edge and one title
            tags, nodes, edges = old
            nodes = {**nodes, next(iter(nodes)): {**next(iter(nodes.values())), "title": "Moved"}}
            edges = dict(list(edges.items())[1:]) | {(min(nodes), max(nodes)): "link"}
            new = (tags, nodes, edges)
        graph = graph_of(old)
        assert patch_graph(graph, old, new) is True
        assert _held(graph) == _held(graph_of(new))


def test_tag_nodes_are_made_afresh() -> None:
    rng = random.Random(4)
    old, new = _parts(rng), _parts(rng)
    graph = graph_of(old)
    before = _held(graph)
    assert patch_graph(graph, old, (True, *new[1:])) is False
    assert patch_graph(graph, (True, *old[1:]), new) is False
    assert _held(graph) == before
