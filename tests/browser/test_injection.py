"""Pages built from hostile vault text, opened in Chromium: no script of the vault runs.

The payloads sit where the garden or the theme prints vault text (titles, aliases, tags,
properties, link text, file names, and task text on the tasks and timeline pages). A note's
own body is the author's Markdown, where raw HTML is legitimate, so no page shown here has a
payload in the body it renders."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.garden_build import build_site, write_vault

pytestmark = pytest.mark.browser

RUN = "window.__pwned = (window.__pwned || 0) + 1"
SCRIPT = f"<script>{RUN}</script>"
IMG = f'"><img src=x onerror="{RUN}">'


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
    })
    build_site(root, garden={"unlinked_mentions": True, "graph_unwritten": True})
    return serve_dir(root / "site")


@pytest.mark.parametrize("path", ["", "Meta/", "tags/", "garden/timeline/", "garden/tasks/", "garden/graph/",
                                  "garden/folders/"])
def test_no_vault_script_runs(page: Page, hostile_site: str, path: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile_site + path)
    page.wait_for_load_state("networkidle")
    page.mouse.move(300, 300)
    assert page.evaluate("() => window.__pwned || 0") == 0
    assert dialogs == []


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
