"""Pages built from hostile vault text, opened in Chromium: no script of the vault runs.

The payloads sit where the garden or the theme prints vault text (titles, aliases, tags,
properties, link text, file names, and task text on the tasks and timeline pages), and in
raw HTML written in a note's body (`Raw`), which is sanitised as Obsidian does: built with
`raw_html: keep` the same page does run them, so the check is not vacuous."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.garden_build import build_site, write_vault

pytestmark = pytest.mark.browser

RUN = "window.__pwned = (window.__pwned || 0) + 1"
SCRIPT = f"<script>{RUN}</script>"
IMG = f'"><img src=x onerror="{RUN}">'
# In a body: each element of issue 8 (`top`: a javascript: iframe runs in its own window).
TOP = "top.__pwned = (top.__pwned || 0) + 1"
RAW_BODY = "\n\n".join([
    "# Raw", f"<script>{TOP}</script>", f'<img id="img" src=x onerror="{TOP}">',
    f'<a id="js-link" href="javascript:{TOP}">link</a>', f'<iframe src="javascript:{TOP}"></iframe>',
    f'<div id="div" onclick="{TOP}" onmouseover="{TOP}">click me</div>', f'<svg onload="{TOP}"></svg>',
    f'<object data="javascript:{TOP}"></object>', f'<embed src="javascript:{TOP}">',
    f'<form action="javascript:{TOP}"><button id="send">send</button></form>',
    f'Inline <span id="span" onclick="{TOP}">span</span> and <details open ontoggle="{TOP}"><summary>S</summary>d</details>',
    "<kbd>Ctrl</kbd> H<sub>2</sub>O",
]) + "\n"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, serve_dir) -> str:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("injection")
    write_vault(root, {
        "index.md": f"# Home\n\n[[Meta]] [[Meta|{IMG}]] [[Meta|{SCRIPT}]] [[Missing {IMG}]]\n",
        "Meta.md": (f"---\ntitle: '{SCRIPT} {IMG}'\naliases: ['{IMG}']\ntags: ['{IMG}']\n"
                    f"description: '{IMG}'\nauthor: '{IMG}'\n---\nplain body [[index]]\n"),
        "Journal.md": (f"---\njournal: true\n---\n### Day 1 (11-01-2023)\n\n"
                       f"- [ ] {IMG} {SCRIPT} 📅 2023-11-02\n\n[[Meta|{IMG}]]\n"),
        f"{IMG.replace('/', '_')}.md": "# plain\n\n[[index]]\n",
        "Raw.md": RAW_BODY,
    })
    build_site(root, garden={"unlinked_mentions": True, "graph_unwritten": True})
    return serve_dir(root / "site")


@pytest.mark.parametrize("path", ["", "Meta/", "Raw/", "tags/", "garden/timeline/", "garden/tasks/", "garden/graph/",
                                  "garden/folders/"])
def test_no_vault_script_runs(page: Page, hostile_site: str, path: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile_site + path)
    page.wait_for_load_state("networkidle")
    page.mouse.move(300, 300)
    assert page.evaluate("() => window.__pwned || 0") == 0
    assert dialogs == []


def _use_raw_page(page: Page, url: str) -> tuple[int, list[str]]:
    """Open Raw, click and hover everything a payload hung on; what ran, what dialogs opened."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url + "Raw/")
    page.wait_for_load_state("networkidle")
    for selector in ("#div", "#span", "#js-link", "#send"):
        if page.locator(selector).count():
            page.locator(selector).first.hover()
            page.locator(selector).first.click(no_wait_after=True)
    page.wait_for_timeout(500)
    return page.evaluate("() => window.__pwned || 0"), dialogs


def test_raw_html_in_a_body_runs_nothing(page: Page, hostile_site: str) -> None:
    ran, dialogs = _use_raw_page(page, hostile_site)
    assert (ran, dialogs) == (0, [])
    assert page.locator("article kbd").inner_text() == "Ctrl" and page.locator("article sub").count() == 1
    assert page.locator("article #div").inner_text() == "click me"


def test_raw_html_kept_as_written_does_run(page: Page, tmp_path_factory: pytest.TempPathFactory, serve_dir) -> None:  # type: ignore[no-untyped-def]
    """The check above is not vacuous: with `raw_html: keep`, the same body runs."""
    root = tmp_path_factory.mktemp("raw-kept")
    write_vault(root, {"index.md": "# Home\n\n[[Raw]]\n", "Raw.md": RAW_BODY})
    build_site(root, garden={"raw_html": "keep"})
    ran, _ = _use_raw_page(page, serve_dir(root / "site"))
    assert ran > 0


def test_searching_the_payload_runs_nothing(page: Page, hostile_site: str) -> None:
    page.goto(hostile_site)
    page.wait_for_load_state("networkidle")
    page.locator(".md-search__input").click()
    page.keyboard.type("pwned")
    page.wait_for_timeout(2000)
    # Material's result template appends each tag with innerHTML; the garden's on_post_build
    # escapes search_index.json (mkdocs_garden.search_index) so a vault tag shows as text.
    assert page.evaluate("() => window.__pwned || 0") == 0


def test_search_results_show_vault_tags_as_text(page: Page, hostile_site: str) -> None:
    """'plain' is a word of Meta's body: Meta is listed, with its tag, which shows as text."""
    page.goto(hostile_site)
    page.wait_for_load_state("networkidle")
    page.locator(".md-search__input").click()
    page.keyboard.type("plain")
    page.locator(".md-search-result__item").first.wait_for()
    page.wait_for_timeout(500)
    assert IMG in page.locator(".md-search-result .md-tag").all_text_contents()
    assert page.locator(".md-search-result img, .md-search-result script").count() == 0
    assert page.evaluate("() => window.__pwned || 0") == 0
