"""The static picture of the whole graph (core/graph_page.py): written directly, no matplotlib."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
from mkdocs_garden.core.graph_page import PALETTE, graph_svg

SVG = "{http://www.w3.org/2000/svg}"
PLUGINS = str(Path(__file__).resolve().parents[2] / "plugins")


def _graph() -> tuple[nx.DiGraph, dict[str, tuple[float, float]], dict[str, int]]:
    graph = nx.DiGraph()
    graph.add_edges_from([("a.md", "b.md"), ("b.md", "c.md"), ("a.md", "c.md")])
    graph.add_node("lonely.md")
    positions = {"a.md": (-1.0, 1.0), "b.md": (1.0, -1.0), "c.md": (0.0, 0.0), "lonely.md": (0.5, 0.5)}
    return graph, positions, {"a.md": 0, "b.md": 1, "c.md": 1, "lonely.md": 2}


def test_every_node_is_a_circle_in_its_community_colour_and_every_edge_in_one_path() -> None:
    graph, positions, community = _graph()
    root = ET.fromstring(graph_svg(graph, positions, community))
    circles = {(c.get("cx"), c.get("cy")): (g.get("fill"), float(c.get("r") or 0))
               for g in root.iter(f"{SVG}g") for c in g.iter(f"{SVG}circle")}
    # x from [-1.08, 1.08] onto [0, 576] points, y upwards.
    assert circles[("21.33", "21.33")] == (PALETTE[0], 2.5)  # a: degree 2 -> sqrt(24), 5 pt across
    assert circles[("288.00", "288.00")][0] == PALETTE[1]
    assert circles[("421.33", "154.67")] == (PALETTE[2], 1.5)  # lonely: degree 0 -> sqrt(12), 3 pt
    assert len(circles) == 4
    [path] = root.iter(f"{SVG}path")
    assert path.get("d", "").count("M") == 3 and path.get("fill") == "none"
    assert root.find(f"{SVG}rect") is None  # transparent: reads on light and dark pages


def test_the_same_graph_is_the_same_bytes_and_matplotlib_is_not_loaded() -> None:
    graph, positions, community = _graph()
    shuffled = nx.DiGraph()
    shuffled.add_nodes_from(reversed(list(graph.nodes)))
    shuffled.add_edges_from(reversed(list(graph.edges)))
    assert graph_svg(graph, positions, community) == graph_svg(shuffled, positions, community)
    assert graph_svg(nx.DiGraph(), {}, {}).startswith("<?xml")
    drawn = subprocess.run([sys.executable, "-c", "import sys, networkx as nx\n"
                            "from mkdocs_garden.core.graph_page import graph_svg\n"
                            "g = nx.DiGraph([('a', 'b')]); graph_svg(g, {'a': (0, 0), 'b': (1, 1)}, {})\n"
                            "print('matplotlib' in sys.modules)"],
                           capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": PLUGINS})
    assert drawn.stdout.strip() == "False"
