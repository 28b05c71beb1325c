"""The link-graph widget (assets/garden/graph.js) in Chromium, on a small fixture site.

The fixture mirrors what the plugin emits: a global graph page, note pages with local graphs,
`garden/graph.json`, and Material's own stylesheets for the palette variables. It is served
under /garden-subpath/ so every URL the widget resolves must be relative to the page.
"""

from __future__ import annotations

import json
import math
import shutil
from dataclasses import dataclass
from pathlib import Path

import material
import mkdocs_garden
import pytest
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

ASSETS = Path(mkdocs_garden.__file__).parent / "assets" / "garden"
MATERIAL_CSS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
READY = '.garden-graph[data-ready="true"]'

# Thirty nodes of every kind; the layout is a circle, so nodes are far apart for pointing.
NOTES = {
    "concepts": [
        "PCA",
        "SVD",
        "Eigenvectors",
        "Linear Algebra",
        "Gradient Descent",
        "Backprop",
        "Attention",
        "Transformer",
        "Softmax",
        "Embeddings",
        "Loss",
        "Regularisation",
        "Dropout",
    ],
    "journal": ["Week 1", "Week 2", "Week 3", "Week 4", "Week 5", "Week 6"],
    "resources": ["Book", "Paper", "Course", "Video"],
}
LINKS = [
    ("concepts/PCA.md", "concepts/SVD.md"),
    ("concepts/PCA.md", "concepts/Eigenvectors.md"),
    ("concepts/SVD.md", "concepts/Linear Algebra.md"),
    ("concepts/Eigenvectors.md", "concepts/Linear Algebra.md"),
    ("journal/Week 1.md", "concepts/PCA.md"),
    ("concepts/PCA.md", "Whitening"),
    ("concepts/Backprop.md", "concepts/Gradient Descent.md"),
    ("concepts/Gradient Descent.md", "concepts/Loss.md"),
    ("concepts/Transformer.md", "concepts/Attention.md"),
    ("concepts/Attention.md", "concepts/Softmax.md"),
    ("concepts/Transformer.md", "concepts/Embeddings.md"),
    ("concepts/Loss.md", "concepts/Regularisation.md"),
    ("concepts/Regularisation.md", "concepts/Dropout.md"),
    ("journal/Week 2.md", "concepts/Backprop.md"),
    ("journal/Week 3.md", "concepts/Transformer.md"),
    ("journal/Week 4.md", "resources/Paper.md"),
    ("journal/Week 5.md", "resources/Course.md"),
    ("journal/Week 6.md", "resources/Video.md"),
    ("resources/Book.md", "concepts/Linear Algebra.md"),
    ("index.md", "journal/Week 1.md"),
    ("notebooks/pca-demo.ipynb", "concepts/PCA.md"),
    ("concepts/SVD.md", "Kernel PCA"),
]
TAGGED = {
    "#math": [
        "concepts/PCA.md",
        "concepts/SVD.md",
        "concepts/Linear Algebra.md",
        "notebooks/pca-demo.ipynb",
    ],
    "#ml": ["concepts/Backprop.md", "concepts/Transformer.md"],
    "#journal": ["journal/Week 1.md"],
}


def graph_node(node_id: str, title: str, url: str | None, kind: str, folder: str) -> dict:
    return {"id": node_id, "title": title, "url": url, "kind": kind, "folder": folder}


def fixture_graph() -> dict:
    """graph.json as the plugin writes it: notes, a notebook, tags and unwritten notes."""
    nodes = [
        graph_node(f"{folder}/{title}.md", title, f"{folder}/{title}/", "note", folder)
        for folder, titles in NOTES.items()
        for title in titles
    ]
    nodes += [
        graph_node("index.md", "Home", "", "note", ""),
        graph_node(
            "notebooks/pca-demo.ipynb", "PCA demo", "notebooks/pca-demo/", "notebook", "notebooks"
        ),
        *(graph_node(tag, tag, f"tags/#{tag[1:]}", "tag", "") for tag in TAGGED),
        *(graph_node(title, title, None, "unwritten", "") for title in ("Whitening", "Kernel PCA")),
    ]
    edges = [{"source": s, "target": t, "kind": "link"} for s, t in LINKS]
    edges += [
        {"source": n, "target": tag, "kind": "tag"} for tag, notes in TAGGED.items() for n in notes
    ]
    for i, node in enumerate(nodes):
        angle = 2 * math.pi * i / len(nodes)
        node.update(
            tags=[tag[1:] for tag, notes in TAGGED.items() if node["id"] in [tag, *notes]],
            x=round(0.9 * math.cos(angle), 4),
            y=round(0.9 * math.sin(angle), 4),
            community=i % 3,
            degree=sum(node["id"] in (e["source"], e["target"]) for e in edges),
        )
    return {"version": 1, "generator": "mkdocs-garden", "nodes": nodes, "edges": edges}


def neighbours(graph: dict, note: str) -> set[str]:
    """The note and every node one link away, in either direction."""
    around = {note}
    for edge in graph["edges"]:
        if note in (edge["source"], edge["target"]):
            around |= {edge["source"], edge["target"]}
    return around


def html_page(title: str, body: str, depth: int, head: str = "") -> str:
    """A page shaped like Material's: palette on <body>, content in an <article>."""
    up = "../" * depth
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="{up}assets/main.css"><link rel="stylesheet" href="{up}assets/palette.css">
<link rel="stylesheet" href="{up}garden/graph.css">{head}</head>
<body data-md-color-scheme="default"><article class="md-content__inner md-typeset"><h1>{title}</h1>
{body}</article><script src="{up}garden/graph.js"></script></body></html>"""


def local_container(note: str, up: str = "../../") -> str:
    """A note page's container; `up` leads from the page to the site root."""
    return (
        f'<div class="garden-graph" data-mode="local" data-note="{note}" data-depth="1" '
        f'data-graph-url="{up}garden/graph.json" data-root="{up}"></div>'
    )


GLOBAL_CONTAINER = '<div class="garden-graph" data-mode="global" data-graph-url="../graph.json" data-root="../../"></div>'

# A stand-in for Material's document$ (an RxJS subject), with only what graph.js uses.
FAKE_DOCUMENT_OBSERVABLE = """<script>
window.document$ = {
  subscribers: [],
  subscribe(next) { this.subscribers.push(next); next(document); },
  next(value) { for (const subscriber of this.subscribers) subscriber(value); },
};
</script>"""


def write_site(site: Path, graph: dict) -> None:
    """The fixture site: home, the global graph page, two note pages and an 'instant' page."""
    pages = {
        "index.html": html_page("Home", '<a href="garden/graph/">Graph</a>', 0),
        "garden/graph/index.html": html_page("Graph", GLOBAL_CONTAINER, 2),
        "concepts/PCA/index.html": html_page(
            "PCA", "<p>Principal components.</p>" + local_container("concepts/PCA.md"), 2
        ),
        "concepts/SVD/index.html": html_page("SVD", local_container("concepts/SVD.md"), 2),
        "instant/index.html": html_page(
            "Instant", local_container("concepts/PCA.md", "../"), 1, FAKE_DOCUMENT_OBSERVABLE
        ),
    }
    for path, text in pages.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
    (site / "garden" / "graph.json").write_text(json.dumps(graph), encoding="utf-8")
    for asset in ("graph.js", "graph.css"):
        shutil.copy(ASSETS / asset, site / "garden" / asset)
    (site / "assets").mkdir()
    for name in ("main", "palette"):
        shutil.copy(next(MATERIAL_CSS.glob(f"{name}.*.min.css")), site / "assets" / f"{name}.css")


@dataclass(frozen=True)
class GraphSite:
    base: str
    graph: dict


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, serve_dir) -> GraphSite:
    root = tmp_path_factory.mktemp("graph-site")
    graph = fixture_graph()
    write_site(root, graph)
    return GraphSite(base=serve_dir(root, "garden-subpath"), graph=graph)


# Frames, full redraws, where PCA is drawn, and the positions of two nodes.
STATE = """() => { const g = gardenGraph.instances[0];
    const xy = (id) => Object.values(g.nodeScreenPosition(id));
    return {frames: g.drawnFrames, layers: g.layerDraws, at: g.nodeScreenPosition('concepts/PCA.md'),
            pair: [xy('concepts/SVD.md'), xy('journal/Week 3.md')]}; }"""


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.garden-graph')].every(c => c.dataset.ready === 'true')"
    )


def node_point(page: Page, node_id: str, instance: int = 0) -> dict:
    """Where a node is drawn, in page coordinates (for the mouse)."""
    return page.evaluate(
        """([i, id]) => {
            const graph = gardenGraph.instances[i];
            const box = graph.canvas.getBoundingClientRect();
            const at = graph.nodeScreenPosition(id);
            return {x: box.left + at.x, y: box.top + at.y};
        }""",
        [instance, node_id],
    )


def test_global_graph_draws_every_node_crisply(
    page: Page, site: GraphSite, console_log: list[str]
) -> None:
    open_page(page, site.base + "garden/graph/")
    graph = page.evaluate("""() => { const g = gardenGraph.instances[0];
        return {mode: g.mode, nodes: g.nodeCount, edges: g.edgeCount, frames: g.drawnFrames,
                backing: g.canvas.width, css: g.canvas.clientWidth}; }""")
    assert graph["mode"] == "global"
    assert graph["nodes"] == len(site.graph["nodes"])
    assert graph["edges"] == len(site.graph["edges"])
    assert graph["frames"] >= 1
    assert graph["backing"] == graph["css"]
    assert console_log == []


def test_hovering_a_node_shows_its_title(page: Page, site: GraphSite) -> None:
    open_page(page, site.base + "garden/graph/")
    tooltip = page.locator(".garden-graph__tooltip")
    assert tooltip.is_hidden()
    point = node_point(page, "concepts/SVD.md")
    page.mouse.move(point["x"], point["y"])
    assert tooltip.is_visible()
    assert tooltip.inner_text().strip() == "SVD"
    page.mouse.move(5, 5)
    assert tooltip.is_hidden()


def test_clicking_a_node_opens_its_page_under_the_subpath(page: Page, site: GraphSite) -> None:
    open_page(page, site.base + "garden/graph/")
    point = node_point(page, "concepts/PCA.md")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(site.base + "concepts/PCA/")


def test_unwritten_nodes_are_not_links(page: Page, site: GraphSite) -> None:
    open_page(page, site.base + "garden/graph/")
    point = node_point(page, "Whitening")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_timeout(300)
    assert page.url == site.base + "garden/graph/"


def test_dragging_a_node_moves_it_without_following_the_link(page: Page, site: GraphSite) -> None:
    open_page(page, site.base + "garden/graph/")
    layers = page.evaluate("gardenGraph.instances[0].layerDraws")
    start = node_point(page, "concepts/PCA.md")
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(start["x"] + 40, start["y"] + 30, steps=5)
    page.mouse.up()
    end = node_point(page, "concepts/PCA.md")
    assert (round(end["x"] - start["x"]), round(end["y"] - start["y"])) == (40, 30)
    page.wait_for_timeout(300)
    assert page.url == site.base + "garden/graph/"
    # The node is lifted out of the pre-drawn layer for the drag and put back when dropped:
    # two full redraws, however many moves.
    assert page.evaluate("gardenGraph.instances[0].layerDraws") == layers + 2


def test_panning_moves_pixels_instead_of_redrawing(page: Page, site: GraphSite) -> None:
    open_page(page, site.base + "garden/graph/")
    before = page.evaluate(STATE)
    box = page.locator(".garden-graph__canvas").bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + 5)  # the fit leaves the corners empty
    page.mouse.down()
    page.mouse.move(box["x"] + 65, box["y"] + 45, steps=6)
    page.mouse.up()
    page.wait_for_function(f"() => gardenGraph.instances[0].drawnFrames > {before['frames']}")
    after = page.evaluate(STATE)
    assert (
        round(after["at"]["x"] - before["at"]["x"]),
        round(after["at"]["y"] - before["at"]["y"]),
    ) == (60, 40)
    assert after["layers"] == before["layers"]
    assert page.url == site.base + "garden/graph/"


def test_wheel_zooms_about_the_pointer_then_redraws_once_it_rests(
    page: Page, site: GraphSite
) -> None:
    open_page(page, site.base + "garden/graph/")
    before = page.evaluate(STATE)
    point = node_point(page, "concepts/PCA.md")
    page.mouse.move(point["x"], point["y"])
    page.mouse.wheel(0, -300)
    page.wait_for_function(f"() => gardenGraph.instances[0].layerDraws === {before['layers'] + 1}")
    after = page.evaluate(STATE)
    assert after["at"] == pytest.approx(before["at"], abs=0.5)
    assert math.dist(*after["pair"]) > 1.5 * math.dist(*before["pair"])
    page.wait_for_timeout(300)
    assert page.evaluate(STATE)["layers"] == before["layers"] + 1


def test_local_graph_shows_the_neighbourhood_centred_on_the_note(
    page: Page, site: GraphSite
) -> None:
    open_page(page, site.base + "concepts/PCA/")
    around = neighbours(site.graph, "concepts/PCA.md")
    local = page.evaluate("""() => { const g = gardenGraph.instances[0];
        return {mode: g.mode, nodes: g.nodeCount, at: g.nodeScreenPosition('concepts/PCA.md'),
                width: g.canvas.clientWidth, height: g.canvas.clientHeight}; }""")
    assert local["mode"] == "local"
    assert local["nodes"] == len(around)
    assert (round(local["at"]["x"]), round(local["at"]["y"])) == (
        round(local["width"] / 2),
        round(local["height"] / 2),
    )
    # The accessible fallback names every neighbour, with links to the written ones.
    titles = {node["id"]: node["title"] for node in site.graph["nodes"]}
    items = page.locator(".garden-graph__list li").all_inner_texts()
    assert sorted(item.removesuffix(" (not written yet)") for item in items) == sorted(
        titles[node_id] for node_id in around
    )
    assert (
        page.locator(".garden-graph__list a", has_text="SVD").get_attribute("href")
        == site.base + "concepts/SVD/"
    )


def test_reinitialising_leaves_one_canvas_per_container(
    page: Page, site: GraphSite, console_log: list[str]
) -> None:
    open_page(page, site.base + "garden/graph/")
    # What instant navigation does: new article content, then init for the new page.
    page.evaluate(
        """(html) => {
        document.querySelector('article').innerHTML = html;
        for (let i = 0; i < 3; i++) gardenGraph.init();
    }""",
        GLOBAL_CONTAINER + local_container("concepts/SVD.md"),
    )
    page.wait_for_function("() => document.querySelectorAll('[data-ready=\"true\"]').length === 2")
    shape = page.evaluate("""() => ({
        canvases: [...document.querySelectorAll('.garden-graph')].map(c => c.querySelectorAll('canvas').length),
        total: document.querySelectorAll('canvas').length,
        instances: gardenGraph.instances.map(g => g.mode),
        controls: document.querySelectorAll('.garden-graph__controls').length})""")
    assert shape == {
        "canvases": [1, 1],
        "total": 2,
        "instances": ["global", "local"],
        "controls": 1,
    }
    assert console_log == []


def test_material_document_observable_drives_initialisation(
    page: Page, site: GraphSite, console_log: list[str]
) -> None:
    open_page(page, site.base + "instant/")
    page.evaluate(
        """(html) => {
        document.querySelector('article').innerHTML = html;
        document$.next(document);
    }""",
        local_container("concepts/SVD.md", "../"),
    )
    page.wait_for_selector(READY)
    state = page.evaluate("""() => ({nodes: gardenGraph.instances[0].nodeCount, canvases: document.querySelectorAll('canvas').length,
                                     note: gardenGraph.instances[0].container.dataset.note})""")
    assert state == {
        "nodes": len(neighbours(site.graph, "concepts/SVD.md")),
        "canvases": 1,
        "note": "concepts/SVD.md",
    }
    assert console_log == []


def test_dark_scheme_redraws_with_the_new_palette(page: Page, site: GraphSite) -> None:
    open_page(page, site.base + "garden/graph/")
    light = page.evaluate(
        "() => ({frames: gardenGraph.instances[0].drawnFrames, palette: gardenGraph.instances[0].palette})"
    )
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.wait_for_function(f"() => gardenGraph.instances[0].drawnFrames > {light['frames']}")
    dark = page.evaluate("gardenGraph.instances[0].palette")
    assert (light["palette"]["dark"], dark["dark"]) == (False, True)
    assert dark["bg"] != light["palette"]["bg"]
    assert dark["fg"] != light["palette"]["fg"]


def test_search_highlights_matches_and_centres_on_the_first(page: Page, site: GraphSite) -> None:
    open_page(page, site.base + "garden/graph/")
    page.fill(".garden-graph__search", "svd")
    assert page.locator(".garden-graph__status").inner_text() == "1 match"
    centre = page.evaluate("""() => { const g = gardenGraph.instances[0];
        return {at: g.nodeScreenPosition('concepts/SVD.md'), width: g.canvas.clientWidth, height: g.canvas.clientHeight}; }""")
    assert (round(centre["at"]["x"]), round(centre["at"]["y"])) == (
        round(centre["width"] / 2),
        round(centre["height"] / 2),
    )
    page.fill(".garden-graph__search", "week")
    assert page.locator(".garden-graph__status").inner_text() == "6 matches"


def test_colour_by_tag_updates_the_legend(page: Page, site: GraphSite) -> None:
    open_page(page, site.base + "garden/graph/")
    assert "concepts" in page.locator(".garden-graph__legend").inner_text()
    page.select_option(".garden-graph__colour", "tag")
    page.wait_for_function(
        "() => document.querySelector('.garden-graph__legend').textContent.includes('math')"
    )


def test_keyboard_pans_and_zooms(page: Page, site: GraphSite) -> None:
    open_page(page, site.base + "garden/graph/")
    where = "() => ['concepts/PCA.md', 'concepts/SVD.md'].map(id => gardenGraph.instances[0].nodeScreenPosition(id))"
    before = page.evaluate(where)
    page.focus(".garden-graph__canvas")
    page.keyboard.press("ArrowRight")
    panned = page.evaluate(where)
    assert round(panned[0]["x"] - before[0]["x"]) == -60
    page.keyboard.press("+")
    zoomed = page.evaluate(where)
    spread = [math.dist((a["x"], a["y"]), (b["x"], b["y"])) for a, b in (panned, zoomed)]
    assert spread[1] == pytest.approx(spread[0] * 1.25)
    assert page.get_attribute(".garden-graph__canvas", "aria-label").startswith(
        "Link graph of the garden: 30 notes"
    )


@pytest.mark.parametrize("path", ["garden/graph/", "concepts/PCA/"])
def test_fits_a_phone_without_horizontal_scroll(
    browser: Browser, site: GraphSite, path: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    open_page(page, site.base + path)
    sizes = page.evaluate("""() => ({page: document.documentElement.scrollWidth,
        css: gardenGraph.instances[0].canvas.clientWidth, backing: gardenGraph.instances[0].canvas.width})""")
    context.close()
    assert sizes["page"] <= 390
    assert sizes["backing"] == 2 * sizes["css"]
