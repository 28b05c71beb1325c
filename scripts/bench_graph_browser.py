"""Benchmark the link-graph widget (assets/garden/graph.js) in headless Chromium.

Usage: python scripts/bench_graph_browser.py [--seconds 2] [--runs 3]

For synthetic gardens of 1,000 and 10,000 nodes (about five edges per node, a seeded
clustered layout) it serves a global graph page under a subpath and measures:
  - graph.json loaded: when the response ended, from navigation start;
  - first frame: when the container got data-ready="true" (first frame drawn), and the next
    animation frame after it (the frame on screen);
  - panning: a mouse drag held down while the pointer moves 6 px right and 3 px down every
    frame for a few seconds, so the view leaves the pre-drawn layer and it must be redrawn
    now and then; frame intervals from requestAnimationFrame timestamps (median, 95th
    percentile, worst, fps), frames the widget drew per second, and full layer redraws;
  - zooming by keyboard, one step in or out every frame: each frame draws every edge and node
    afresh, the cost a drag of a node or a settled zoom pays.
Runs with --disable-gpu, so Chromium rasterises in software: numbers are a floor, not what a
reader's GPU-backed browser shows.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import random
import shutil
import statistics
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "plugins" / "mkdocs_garden" / "assets" / "garden"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CASES = [(1_000, 1), (10_000, 1), (10_000, 2)]  # (nodes, devicePixelRatio)
EDGES_PER_NODE = 5

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Graph</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="../graph.css"></head>
<body><article><div class="garden-graph" data-mode="global" data-graph-url="../graph.json"
data-root="../../"></div></article><script src="../graph.js"></script></body></html>"""

# Installed before any page script: notes when the first frame is drawn and the frame after.
READY_PROBE = """
window.__bench = {};
new MutationObserver((_, observer) => {
  if (!document.querySelector('.garden-graph[data-ready="true"]')) return;
  observer.disconnect();
  window.__bench.ready = performance.now();
  window.__bench.firstDrawMs = window.gardenGraph.instances[0].lastDrawMs;
  requestAnimationFrame((t) => { window.__bench.shown = t; });
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-ready']});
"""

# Runs in the page: every frame, records the timestamp and acts, either moving the held mouse
# (the real button press comes from Playwright, so the widget sees a drag) or pressing + / -.
INTERACT = """async ([seconds, action]) => {
  const graph = gardenGraph.instances[0];
  const box = graph.canvas.getBoundingClientRect();
  const times = [];
  const before = {frames: graph.drawnFrames, layers: graph.layerDraws};
  const act = {
    drag: (n) => graph.canvas.dispatchEvent(new PointerEvent('pointermove', {pointerId: 1, pointerType: 'mouse',
      isPrimary: true, bubbles: true, buttons: 1, clientX: box.left + 5 + 6 * n, clientY: box.top + 5 + 3 * n})),
    zoom: (n) => graph.canvas.dispatchEvent(new KeyboardEvent('keydown', {key: n % 2 ? '+' : '-', bubbles: true})),
  }[action];
  return new Promise((resolve) => {
    function tick(now) {
      times.push(now);
      if (now - times[0] >= seconds * 1000) {
        resolve({times, frames: graph.drawnFrames - before.frames, layers: graph.layerDraws - before.layers});
        return;
      }
      act(times.length);
      requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
  });
}"""


def synthetic_graph(node_count: int, seed: int = 7) -> dict:
    """A clustered garden: notes in folders around community centres, mostly local links."""
    rng = random.Random(seed)
    communities = max(4, int(node_count**0.5 / 2))
    centres = [(rng.uniform(-0.8, 0.8), rng.uniform(-0.8, 0.8)) for _ in range(communities)]
    nodes, members = [], [[] for _ in range(communities)]
    for i in range(node_count):
        c = rng.randrange(communities)
        kind = "unwritten" if rng.random() < 0.02 else "tag" if rng.random() < 0.01 else "note"
        x, y = (rng.gauss(centre, 0.07) for centre in centres[c])
        nodes.append(
            {
                "id": f"folder{c % 12}/note{i}.md",
                "title": f"Note {i}",
                "url": f"folder{c % 12}/note{i}/",
                "kind": kind,
                "tags": [f"tag{rng.randrange(20)}"],
                "folder": f"folder{c % 12}",
                "x": round(x, 4),
                "y": round(y, 4),
                "community": c,
            }
        )
        members[c].append(i)
    edges, degree = [], [0] * node_count
    for source in range(node_count):
        for _ in range(EDGES_PER_NODE):
            pool = (
                members[rng.randrange(communities)]
                if rng.random() < 0.2
                else members[nodes[source]["community"]]
            )
            target = rng.choice(pool)
            if target != source:
                edges.append(
                    {"source": nodes[source]["id"], "target": nodes[target]["id"], "kind": "link"}
                )
                degree[source] += 1
                degree[target] += 1
    for node, d in zip(nodes, degree):
        node["degree"] = d
        if node["kind"] == "unwritten":
            node["url"] = None
    return {"version": 1, "generator": "mkdocs-garden", "nodes": nodes, "edges": edges}


def write_site(site: Path, graph: dict) -> int:
    """The global graph page, the assets and graph.json; returns graph.json's size in bytes."""
    (site / "garden" / "graph").mkdir(parents=True)
    (site / "garden" / "graph" / "index.html").write_text(PAGE, encoding="utf-8")
    for asset in ("graph.js", "graph.css"):
        shutil.copy(ASSETS / asset, site / "garden" / asset)
    data = json.dumps(graph, separators=(",", ":"))
    (site / "garden" / "graph.json").write_text(data, encoding="utf-8")
    return len(data)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(root: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def frame_stats(run: dict, seconds: float) -> dict:
    intervals = [b - a for a, b in zip(run["times"], run["times"][1:])]
    median = statistics.median(intervals)
    return {
        "median": median,
        "p95": percentile(intervals, 0.95),
        "worst": max(intervals),
        "fps": 1000 / median,
        "drawn": run["frames"] / seconds,
        "layers": run["layers"],
    }


def measure(page: Page, url: str, seconds: float) -> dict:
    """One cold load (fresh context, so graph.json is fetched and parsed), a drag, a zoom."""
    page.goto(url)
    page.wait_for_selector('.garden-graph[data-ready="true"]')
    page.wait_for_function("window.__bench.shown !== undefined")
    load = page.evaluate("""() => ({...window.__bench,
        json: performance.getEntriesByType('resource').find(e => e.name.endsWith('graph.json')).responseEnd})""")
    box = page.locator(".garden-graph__canvas").bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.down()
    pan = frame_stats(page.evaluate(INTERACT, [seconds, "drag"]), seconds)
    page.mouse.up()
    zoom = frame_stats(page.evaluate(INTERACT, [seconds / 2, "zoom"]), seconds / 2)
    return {
        "json": load["json"],
        "ready": load["ready"],
        "shown": load["shown"],
        "first_draw": load["firstDrawMs"],
        "pan": pan,
        "zoom": zoom,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=2.0, help="how long to pan (zoom: half as long)"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="cold loads per case; the median run is shown"
    )
    options = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for node_count, dpr in CASES:
            root = Path(tmp) / f"{node_count}-{dpr}"
            graph = synthetic_graph(node_count)
            size = write_site(root / "garden-subpath", graph)
            server = serve(root)
            url = f"http://127.0.0.1:{server.server_address[1]}/garden-subpath/garden/graph/"
            runs = []
            for _ in range(options.runs):
                context = browser.new_context(
                    viewport={"width": 1280, "height": 900}, device_scale_factor=dpr
                )
                context.add_init_script(READY_PROBE)
                runs.append(measure(context.new_page(), url, options.seconds))
                context.close()
            server.shutdown()
            run = sorted(runs, key=lambda r: r["pan"]["median"])[len(runs) // 2]
            rows.append((node_count, len(graph["edges"]), dpr, size / 1e6, run))
        browser.close()
    print_table(rows)


def print_table(rows: list[tuple[int, int, int, float, dict]]) -> None:
    """Markdown tables: loading, then frame times per interaction."""
    print(
        "nodes | edges | dpr | graph.json MB | json loaded ms | data-ready ms | shown ms | first draw JS ms"
    )
    print("---: | ---: | ---: | ---: | ---: | ---: | ---: | ---:")
    for nodes, edges, dpr, size, r in rows:
        print(
            f"{nodes:,} | {edges:,} | {dpr} | {size:.1f} | {r['json']:.0f} | {r['ready']:.0f} | {r['shown']:.0f} | "
            f"{r['first_draw']:.0f}"
        )
    print()
    print(
        "nodes | dpr | interaction | median ms | p95 ms | worst ms | fps | frames drawn/s | full redraws"
    )
    print("---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---:")
    for nodes, _, dpr, _, r in rows:
        for name in ("pan", "zoom"):
            f = r[name]
            print(
                f"{nodes:,} | {dpr} | {name} | {f['median']:.1f} | {f['p95']:.1f} | {f['worst']:.0f} | {f['fps']:.0f} | "
                f"{f['drawn']:.0f} | {f['layers']}"
            )


if __name__ == "__main__":
    main()
