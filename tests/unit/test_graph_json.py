"""`graph.json`'s text (core/graph.py): with the texts kept from the last call, as `serve` keeps
them, every change of a node gives the bytes a fresh call gives."""

from __future__ import annotations

import json

import networkx as nx
from mkdocs_garden.core.graph import graph_json


def _node(title: str, tags: list[str] | None = None) -> dict:
    return {"title": title, "kind": "note", "tags": tags or [], "folder": "", "stage": None}


def test_kept_node_texts_give_the_bytes_of_a_fresh_text_through_every_kind_of_change() -> None:
    graph = nx.DiGraph()
    graph.add_nodes_from([("a.md", _node("A")), ("b.md", _node("B", ["x"])), ("c.md", _node("C"))])
    graph.add_edge("a.md", "b.md", kind="link")
    positions = {"a.md": (0.1, 0.2), "b.md": (-0.3, 0.4), "c.md": (0.0, 0.0)}
    community = {"a.md": 0, "b.md": 0, "c.md": 1}
    urls = {"a.md": "a/", "b.md": "b/", "c.md": "c/"}
    kept: dict = {}

    def check() -> dict:
        fresh = graph_json(graph, positions, community, urls.get)
        assert graph_json(graph, positions, community, urls.get, kept=kept) == fresh
        assert set(kept) == set(graph)  # a node gone is forgotten
        return json.loads(fresh)

    check()
    graph.add_edge("c.md", "a.md", kind="embed")  # two degrees move
    assert {n["id"]: n["degree"] for n in check()["nodes"]} == {"a.md": 2, "b.md": 1, "c.md": 1}
    graph.nodes["b.md"]["title"] = "Bee"
    graph.nodes["b.md"]["tags"] = ["x", "y"]
    positions["c.md"] = (0.5, 0.5)
    community["a.md"] = 3
    urls["a.md"] = "elsewhere/a/"
    document = check()
    assert [n["title"] for n in document["nodes"]] == ["A", "Bee", "C"]
    assert document["nodes"][0]["url"] == "elsewhere/a/" and document["nodes"][0]["community"] == 3
    graph.remove_node("b.md")
    graph.add_node("d.md", **_node("D"))
    positions["d.md"] = (0.9, -0.9)
    assert [n["id"] for n in check()["nodes"]] == ["a.md", "c.md", "d.md"]
