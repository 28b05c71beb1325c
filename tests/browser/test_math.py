"""Math (assets/garden/math.js with the vendored KaTeX) in Chromium, on a real MkDocs build.

pymdownx.arithmatex (generic mode, as the plugin configures it) leaves TeX in the page; the
script typesets it on every page Material shows, and in hover previews, without a CDN.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_preview import (
    POPOVER,
    assert_all_local,
    build_garden,
    link,
    open_preview,
    serve_garden,
)

pytestmark = pytest.mark.browser

VAULT: dict[str, str | bytes] = {
    "index.md": "# Home\n\nSee [[Math]] and [[Broken]].\n",
    "Math.md": (
        "# Math\n\nEuler: $e^{i\\pi}+1=0$, inline.\n\n$$\n\\int_0^1 x\\,dx\n$$\n\n"
        "In code it stays TeX: `$a+b$`.\n"
    ),
    "Broken.md": "# Broken\n\nBROKEN-MARKER $\\frac{1}$ and $x^2$.\n",
}
TEX_DELIMITERS = ("\\(", "\\)", "\\[", "\\]")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, serve_dir) -> str:
    return serve_garden(build_garden(tmp_path_factory.mktemp("math-site"), VAULT), serve_dir)


def problems(console_log: list[str]) -> list[str]:
    return [line for line in console_log if line.startswith(("error", "pageerror", "warning"))]


def test_math_is_typeset_with_the_vendored_katex(
    page: Page, base: str, console_log: list[str], requests: list[str]
) -> None:
    page.goto(f"{base}Math/")
    article = page.locator(".md-content article")
    expect(article.locator("span.arithmatex .katex")).to_have_count(1)
    expect(article.locator("div.arithmatex .katex-display")).to_have_count(1)
    text = article.inner_text()
    assert not any(delimiter in text for delimiter in TEX_DELIMITERS), text
    assert "$a+b$" in article.locator("code").inner_text()  # code is not math
    # KaTeX's own fonts, from the site under its subpath.
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px KaTeX_Main')")
    assert any(
        "/garden-subpath/vendor/katex/fonts/KaTeX_Main-Regular.woff2" in url for url in requests
    )
    assert problems(console_log) == []
    assert_all_local(requests)


def test_bad_tex_shows_in_place_without_errors(
    page: Page, base: str, console_log: list[str]
) -> None:
    page.goto(f"{base}Broken/")
    article = page.locator(".md-content article")
    expect(article.locator(".katex-error")).to_have_count(1)
    expect(article.locator(".katex")).to_have_count(1)  # the good formula beside it
    assert "\\frac{1}" in article.locator(".katex-error").inner_text()
    assert problems(console_log) == []


def test_math_is_typeset_after_instant_navigation(
    page: Page, base: str, console_log: list[str], requests: list[str]
) -> None:
    page.goto(base)
    page.wait_for_function("window.gardenMath && window.gardenPreview")
    page.evaluate("window.__sameDocument = true")
    link(page, f"{base}Math/").click()
    expect(page.locator(".md-content article .katex-display")).to_have_count(1)
    assert page.evaluate("window.__sameDocument") is True  # Material navigated in place
    assert page.url == f"{base}Math/"
    assert problems(console_log) == []
    assert_all_local(requests)


def test_math_is_typeset_in_hover_previews(page: Page, base: str, requests: list[str]) -> None:
    page.goto(base)
    page.wait_for_function("window.gardenMath && window.gardenPreview")
    assert open_preview(page, f"{base}Math/") == "garden-preview"
    popover = page.locator(POPOVER)
    expect(popover.locator(".katex")).to_have_count(2)
    assert not any(delimiter in popover.inner_text() for delimiter in TEX_DELIMITERS)
    assert_all_local(requests)
