"""The author's garden as a reader meets it: the real built site, served under a subpath, in
Debian's Chromium with Material's instant navigation on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.author_site import ServedSite
from tests.paths import REPO

pytestmark = pytest.mark.browser

JOURNAL = "journal/13%20week%20Mech%20Interp%20Study%20Journal/"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def _open(page: Page, site: ServedSite, path: str = "") -> None:
    page.goto(site.base_url + path)
    page.wait_for_load_state("networkidle")


def test_home_loads_without_console_errors(page: Page, console_log: list[str], served_site: ServedSite) -> None:
    _open(page, served_site)
    expect(page.locator("h1")).to_contain_text("Mech Interp Garden")
    expect(page.locator(".garden-recent li").first).to_be_visible()
    assert console_log == []


def test_search_finds_a_concept_note_and_never_a_private_one(page: Page, served_site: ServedSite) -> None:
    _open(page, served_site)
    page.locator(".md-search__input").click()
    page.keyboard.type("principal component")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=15000)
    assert "PCA" in page.locator(".md-search-result").inner_text()
    page.locator(".md-search__input").fill("minesweeper log")
    page.wait_for_timeout(1500)
    text = page.locator(".md-search-result").inner_text()
    assert "CANARY" not in text and "Minesweeper log" not in text


def test_a_wikilink_navigates(page: Page, served_site: ServedSite) -> None:
    _open(page, served_site, JOURNAL)
    page.locator("article > :is(p, ul, ol) a[href*='concepts/PCA/']").first.click()
    expect(page.locator("h1")).to_contain_text("PCA")
    assert page.url.startswith(served_site.base_url)


def test_timeline_chart_and_notebook_plot_are_visible(page: Page, served_site: ServedSite) -> None:
    _open(page, served_site, "garden/timeline/")
    chart = page.locator("img.garden-chart").first
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    _open(page, served_site, "notebooks/pca-svd-and-the-curse-of-dimensionality/")
    plot = page.locator("article img[src^='data:image/png']").first
    plot.scroll_into_view_if_needed()
    expect(plot).to_be_visible()
    assert plot.evaluate("img => img.naturalWidth > 100")


def _graph(page: Page) -> dict:
    page.wait_for_selector(".garden-graph[data-ready='true']", timeout=20000)
    return page.evaluate("""() => {
        const g = window.gardenGraph.instances[0];
        return {mode: g.mode, nodes: g.nodeCount, bg: g.palette.bg, fg: g.palette.fg};
    }""")


def test_global_graph_draws_every_node_hover_and_click(page: Page, served_site: ServedSite) -> None:
    expected = json.loads((served_site.site / "garden" / "graph.json").read_text())
    _open(page, served_site, "garden/graph/")
    assert _graph(page)["nodes"] == len(expected["nodes"])
    position = page.evaluate("() => window.gardenGraph.instances[0].nodeScreenPosition('concepts/PCA.md')")
    box = page.locator(".garden-graph canvas").first.bounding_box()
    page.mouse.move(box["x"] + position["x"], box["y"] + position["y"])
    expect(page.locator(".garden-graph__tooltip")).to_contain_text("PCA")
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    expect(page.locator("h1")).to_contain_text("PCA")


def test_local_graph_survives_instant_navigation(page: Page, console_log: list[str], served_site: ServedSite) -> None:
    _open(page, served_site, "concepts/PCA/")
    assert _graph(page)["mode"] == "local"
    visited = {page.url.split("#")[0]}
    page.evaluate("() => { window.__samePage = true; }")  # survives only instant navigation
    for _ in range(3):  # three page changes through links in the notes' text
        links = page.locator("article > :is(p, ul, ol) a")
        hrefs = links.evaluate_all("links => links.map(a => a.href)")
        target = next(h for h in hrefs if h.split("#")[0] not in visited and "/concepts/" in h)
        visited.add(target.split("#")[0])
        page.locator(f"article a[href='{links.nth(hrefs.index(target)).get_attribute('href')}']").first.click()
        page.wait_for_url(target.split("#")[0] + "**")
        _graph(page)
        assert page.locator(".garden-graph canvas").count() == 1
        assert page.evaluate("() => window.gardenGraph.instances.length") == 1
    assert page.evaluate("() => window.__samePage === true"), "a link click reloaded the page"
    assert console_log == []


def test_dark_mode_switches_the_graph_palette(page: Page, served_site: ServedSite) -> None:
    _open(page, served_site, "garden/graph/")
    light = _graph(page)
    page.locator("label.md-header__button[for='__palette_1']").click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.wait_for_timeout(300)
    dark = page.evaluate("() => window.gardenGraph.instances[0].palette")
    assert (dark["bg"], dark["fg"]) != (light["bg"], light["fg"])


@pytest.mark.parametrize("path", ["", JOURNAL, "concepts/PCA/", "garden/timeline/", "garden/graph/", "garden/tasks/"])
def test_mobile_width_has_no_horizontal_scroll(browser, served_site: ServedSite, path: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    try:
        _open(page, served_site, path)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        page.screenshot(path=str(tmp_path / "mobile.png"), full_page=True)
        assert overflow <= 0, f"{path or 'home'} scrolls sideways by {overflow}px"
    finally:
        context.close()


@pytest.mark.parametrize("path", ["", JOURNAL, "garden/graph/", "garden/timeline/",
                                  "notebooks/pca-svd-and-the-curse-of-dimensionality/"])
def test_no_serious_accessibility_violations(page: Page, served_site: ServedSite, path: str) -> None:
    assert AXE.is_file(), "axe-core is missing: run 'bash scripts/setup' (npm ci)"
    _open(page, served_site, path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                           ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))")
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, indent=1)


def test_hover_preview_and_math(page: Page, console_log: list[str], served_site: ServedSite) -> None:
    _open(page, served_site, JOURNAL)
    page.locator("article > :is(p, ul, ol) a[href*='concepts/PCA/']").first.hover()
    preview = page.locator(".garden-preview")
    expect(preview).to_be_visible(timeout=5000)
    expect(preview).to_contain_text("principal")
    _open(page, served_site, "concepts/PCA/")
    expect(page.locator("article .katex").first).to_be_visible()
    assert "\\(" not in page.locator("article").inner_text()
    assert console_log == []
