"""Hover previews (assets/garden/preview.js) in Chromium, on a real MkDocs build.

The vault is built with Material (instant navigation on), search and the garden plugin, the
preview and math assets listed in `extra_javascript`/`extra_css`, and served under
/garden-subpath/, so every URL a preview resolves must be relative to the page it came from.
"""

from __future__ import annotations

import re
import shutil
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import mkdocs_garden
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.garden_build import build_site, write_vault

pytestmark = pytest.mark.browser

ASSETS = Path(mkdocs_garden.__file__).parent / "assets"
SCRIPTS = ["vendor/katex/katex.min.js", "garden/math.js", "garden/preview.js"]
STYLES = ["vendor/katex/katex.min.css", "garden/preview.css"]
POPOVER = "#garden-preview:not([hidden])"
SITE_URL = "http://127.0.0.1/garden-subpath/"
FILLER = "\n\n".join(
    f"Filler paragraph {i} keeps the second part out of first view." for i in range(30)
)


def tiny_png() -> bytes:
    """A valid 2x2 grey PNG, so a preview's image has something to load."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\x80\x80\x80" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


VAULT: dict[str, str | bytes] = {
    "index.md": (
        "# Home\n\nStart at [[Alpha]], read [[Beta#Second part]] and [[Gamma|the third note]].\n\n"
        "Also [[Delta]], [the manual](manual.pdf), [elsewhere](https://example.com/page), "
        "[the top](#home) and a footnote[^1].\n\n[^1]: A footnote.\n"
    ),
    "Alpha.md": "# Alpha\n\nALPHA-MARKER with a picture ![[pic.png]] and a link to [[Beta]].\n",
    "Beta.md": (
        f"# Beta\n\nBETA-MARKER first part, before [[Gamma]].\n\n{FILLER}\n\n"
        f"## Second part\n\nSECOND-MARKER text.\n\n{FILLER}\n"
    ),
    "Gamma.md": "# Gamma\n\nGAMMA-MARKER links to [[Alpha]] and [[Beta]].\n",
    "Delta.md": (
        "# Delta\n\nDELTA-MARKER raw HTML:\n\n"
        '<p><a id="evil" href="javascript:window.__pwned=1" onclick="window.__pwned=2">evil</a>\n'
        '<img src="missing.png" alt="x" onerror="window.__pwned=3"></p>\n\n'
        "<script>window.__pwned = 4</script>\n"
    ),
    "pic.png": tiny_png(),
    "manual.pdf": b"%PDF-1.4\n%%EOF\n",
}


def build_garden(root: Path, vault: dict[str, str | bytes]) -> Path:
    """A real build with the assets wired as the plugin will wire them; returns the site."""
    write_vault(root, vault)
    built = build_site(
        root,
        garden={},
        extra={
            # Instant navigation only follows links the sitemap lists; MkDocs writes it only with
            # a site_url (see `serve_garden` for the port).
            "site_url": SITE_URL,
            # No web font: Material would fetch Roboto from Google, and nothing may leave the host.
            "theme": {
                "name": "material",
                "features": ["navigation.instant"],
                "font": False,
                "palette": {"scheme": "default"},
            },
            "extra_javascript": SCRIPTS,
            "extra_css": STYLES,
        },
    )
    assert not built.failed, built.messages
    # The plugin copies everything under assets/ today; should it copy only what it wires,
    # the files these tests list are put in place here.
    for name in ("garden/preview.js", "garden/preview.css", "garden/math.js", "vendor/katex"):
        source, target = ASSETS / name, built.site / name
        if source.is_dir() and not target.exists():
            shutil.copytree(source, target)
        elif source.is_file() and not target.exists():
            shutil.copy(source, target)
    return built.site


def serve_garden(site: Path, serve_dir) -> str:
    """Serves the site under /garden-subpath/. Material takes only the scheme and host of the
    sitemap's URLs from the page, so the sitemap is pointed at the port the server got."""
    base = serve_dir(site, "garden-subpath")
    sitemap = site / "sitemap.xml"
    sitemap.write_text(
        sitemap.read_text(encoding="utf-8").replace(SITE_URL, base), encoding="utf-8"
    )
    return base


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, serve_dir) -> str:
    return serve_garden(build_garden(tmp_path_factory.mktemp("preview-site"), VAULT), serve_dir)


def assert_all_local(urls: list[str]) -> None:
    outside = [url for url in urls if not re.match(r"(http://127\.0\.0\.1:\d+/|data:|blob:)", url)]
    assert outside == []


def link(page: Page, url: str):
    """The first article link to `url`, matched on its resolved URL: instant navigation
    rewrites every href to an absolute one."""
    found = page.evaluate(
        """(url) => {
            const a = [...document.querySelectorAll('.md-content article a[href]')]
                .find((a) => a.href === url);
            if (a) a.setAttribute('data-test-link', url);
            return Boolean(a);
        }""",
        url,
    )
    assert found, url
    return page.locator(f'[data-test-link="{url}"]')


def open_preview(page: Page, url: str) -> str | None:
    """`gardenPreview.open` on the article link to `url`: the popover's id, or None."""
    link(page, url)
    return page.evaluate(
        """(url) => gardenPreview.open(document.querySelector(`[data-test-link="${url}"]`))
        .then((popover) => popover && popover.id)""",
        url,
    )


def goto_home(page: Page, base: str) -> None:
    page.goto(base)
    page.wait_for_function("window.gardenPreview && window.gardenMath")


def popover_box(page: Page) -> dict:
    return page.eval_on_selector(
        POPOVER,
        """(el) => {
            const r = el.getBoundingClientRect();
            return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width,
                    height: r.height, scrollTop: el.scrollTop, viewHeight: innerHeight,
                    viewWidth: document.documentElement.clientWidth};
        }""",
    )


# When the pointer reached the link, and when the popover appeared, in the page's own clock.
TIME_THE_DELAY = """() => {
    window.__hoveredAt = window.__shownAt = null;
    document.addEventListener('pointerover', (event) => {
        if (__hoveredAt === null && event.target.closest('[data-test-link]')) {
            __hoveredAt = performance.now();
        }
    }, true);
    new MutationObserver(() => {
        if (__shownAt === null && gardenPreview.current()) __shownAt = performance.now();
    }).observe(document.body, {subtree: true, childList: true, attributes: true});
}"""


def test_hovering_a_wikilink_previews_the_target_page(
    page: Page, base: str, requests: list[str]
) -> None:
    goto_home(page, base)
    alpha = link(page, f"{base}Alpha/")
    page.evaluate(TIME_THE_DELAY)
    alpha.hover()
    popover = page.locator(POPOVER)
    expect(popover).to_contain_text("ALPHA-MARKER")
    assert page.evaluate("__shownAt - __hoveredAt") >= 295  # a pointer passing by opens nothing
    expect(popover).to_have_attribute("role", "tooltip")
    assert page.locator(".garden-preview").count() == 1
    # The description points into the popover: the title and the paragraph after it.
    described = alpha.get_attribute("aria-describedby") or ""
    assert described and all(
        page.locator(f"#garden-preview #{i}").count() == 1 for i in described.split()
    )
    # The target page's own chrome stays out; its image and links now resolve from the subpath.
    assert (
        popover.locator(".garden-mentions, .garden-local-graph, script, h1 a.headerlink").count()
        == 0
    )
    image = popover.locator("img")
    assert image.get_attribute("src") == f"{base}pic.png"
    page.wait_for_function("document.querySelector('#garden-preview img').naturalWidth === 2")
    assert popover.locator("a", has_text="Beta").get_attribute("href") == f"{base}Beta/"
    box = popover_box(page)
    assert box["width"] <= 28 * 20 + 0.5 and box["height"] <= 20 * 20 + 0.5
    assert (
        0 <= box["left"]
        and box["right"] <= box["viewWidth"]
        and 0 <= box["top"]
        and box["bottom"] <= box["viewHeight"]
    )
    # Leaving the link hides it after the grace period.
    page.mouse.move(5, 880)
    expect(popover).to_have_count(0)
    assert alpha.get_attribute("aria-describedby") is None
    assert_all_local(requests)


def test_the_popover_can_be_entered_and_scrolled(page: Page, base: str) -> None:
    goto_home(page, base)
    link(page, f"{base}Beta/#second-part").hover()
    popover = page.locator(POPOVER)
    expect(popover).to_contain_text("SECOND-MARKER")
    box = popover_box(page)
    # Into the popover (in one move: a loaded machine may take longer than the grace period
    # between steps), then scroll it: it stays, and the page does not move.
    page.mouse.move(box["left"] + 40, box["top"] + box["height"] / 2)
    page.mouse.wheel(0, 200)
    page.wait_for_timeout(700)
    expect(popover).to_be_visible()
    assert popover_box(page)["scrollTop"] != box["scrollTop"]
    assert page.evaluate("scrollY") == 0
    page.mouse.move(box["right"] + 200, 880, steps=3)
    expect(popover).to_have_count(0)


def test_a_heading_link_previews_that_heading(page: Page, base: str) -> None:
    goto_home(page, base)
    link(page, f"{base}Beta/#second-part").hover()
    popover = page.locator(POPOVER)
    expect(popover).to_contain_text("BETA-MARKER")
    heading = popover.locator("h2.garden-preview__target")
    expect(heading).to_have_text(re.compile("Second part"))
    box = popover_box(page)
    assert box["scrollTop"] > 0
    top = heading.evaluate("(el) => el.getBoundingClientRect().top")
    assert box["top"] <= top <= box["top"] + box["height"] / 3
    # Ids of the target page do not enter this page: its own anchors stay unique.
    assert page.locator("#second-part").count() == 0


def test_keyboard_focus_shows_the_preview_and_escape_hides_it(page: Page, base: str) -> None:
    goto_home(page, base)
    for _ in range(100):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.href") == f"{base}Alpha/":
            break
    else:
        pytest.fail("Tab never reached the link to Alpha")
    popover = page.locator(POPOVER)
    expect(popover).to_contain_text("ALPHA-MARKER")
    page.keyboard.press("Escape")
    expect(popover).to_have_count(0)
    assert page.evaluate("document.activeElement.href") == f"{base}Alpha/"
    assert page.evaluate("document.activeElement.hasAttribute('aria-describedby')") is False
    # The next link takes over: one popover, the new target's.
    page.keyboard.press("Tab")
    expect(popover).to_contain_text("SECOND-MARKER")
    assert page.locator(".garden-preview").count() == 1
    # Focus leaving the links hides it.
    page.evaluate("document.activeElement.blur()")
    expect(popover).to_have_count(0)


# Counts the preview's hover listeners on the document, and which of them are still live.
COUNT_LISTENERS = """(() => {
  const add = EventTarget.prototype.addEventListener;
  window.__previewListeners = [];
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (this === document && typeof listener === "function" && listener.name === "onPointerOver") {
      window.__previewListeners.push(options && options.signal);
    }
    return add.call(this, type, listener, options);
  };
})();"""


def test_instant_navigation_keeps_one_live_preview(
    page: Page, base: str, console_log: list[str], requests: list[str]
) -> None:
    page.add_init_script(COUNT_LISTENERS)
    goto_home(page, base)
    page.evaluate("window.__sameDocument = true")
    for name in ("Alpha", "Beta", "Gamma"):
        link(page, f"{base}{name}/").click()
        marker = f"{name.upper()}-MARKER"
        expect(page.locator(".md-content article")).to_contain_text(marker)
    assert page.url == f"{base}Gamma/"
    assert page.evaluate("window.__sameDocument") is True  # Material navigated in place
    page.wait_for_function("__previewListeners.length === 4")  # one init per page shown
    assert (
        page.evaluate("__previewListeners.filter((signal) => !signal || !signal.aborted).length")
        == 1
    )
    link(page, f"{base}Alpha/").hover()
    expect(page.locator(POPOVER)).to_contain_text("ALPHA-MARKER")
    assert page.locator(".garden-preview").count() == 1
    link(page, f"{base}Beta/").hover()
    expect(page.locator(POPOVER)).to_contain_text("BETA-MARKER")
    assert page.locator(".garden-preview").count() == 1
    assert [m for m in console_log if m.startswith(("error", "pageerror", "warning"))] == []
    assert_all_local(requests)


def test_files_anchors_and_other_sites_are_not_previewed(
    page: Page, base: str, requests: list[str]
) -> None:
    goto_home(page, base)
    for url in (f"{base}manual.pdf", "https://example.com/page", f"{base}#home", f"{base}#fn:1"):
        assert open_preview(page, url) is None, url
    # Navigation links go to pages too, but are not content.
    assert page.evaluate("""async () => {
        const nav = [...document.querySelectorAll('.md-nav a[href]')]
            .filter((a) => a.href.split('#')[0] !== location.href.split('#')[0]);
        const opened = await Promise.all(nav.map(gardenPreview.open));
        return nav.length > 0 && opened.every((popover) => popover === null);
    }""")
    link(page, f"{base}manual.pdf").hover()
    page.wait_for_timeout(600)
    assert page.evaluate("gardenPreview.current()") is None
    assert not any(url.endswith(("manual.pdf", "example.com/page")) for url in requests)


def test_previews_drop_handlers_and_script_urls(page: Page, base: str) -> None:
    goto_home(page, base)
    assert open_preview(page, f"{base}Delta/") == "garden-preview"
    popover = page.locator(POPOVER)
    expect(popover).to_contain_text("DELTA-MARKER")
    attributes = popover.evaluate("""(el) => [...el.querySelectorAll('*')].flatMap((node) =>
        [...node.attributes].map((a) => `${a.name}=${a.value}`))""")
    assert not [a for a in attributes if a.startswith("on") or "javascript:" in a]
    assert popover.locator("script").count() == 0
    assert page.locator("#evil").count() == 0
    popover.locator("a", has_text="evil").click()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None


def test_fits_a_phone_and_follows_the_slate_scheme(browser: Browser, base: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800})
    try:
        page = context.new_page()
        goto_home(page, base)
        page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
        assert open_preview(page, f"{base}Gamma/") == "garden-preview"
        box = popover_box(page)
        assert 0 <= box["left"] and box["right"] <= 390 and box["bottom"] <= 800
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        colours = page.eval_on_selector(
            POPOVER, "(el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]"
        )
        text, background = (luminance(c) for c in colours)
        assert background < 0.1  # slate's dark background, not a white box
        assert (max(text, background) + 0.05) / (min(text, background) + 0.05) >= 7
    finally:
        context.close()


def luminance(colour: str) -> float:
    """Relative luminance of a computed `rgb()`/`rgba()` colour (WCAG)."""
    channels = [int(v) / 255 for v in re.findall(r"[\d.]+", colour)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_touch_only_devices_get_no_previews(browser: Browser, base: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True
    )
    try:
        page = context.new_page()
        goto_home(page, base)
        assert open_preview(page, f"{base}Alpha/") is None
        assert page.locator(".garden-preview").count() == 0
    finally:
        context.close()


@pytest.fixture
def reduced_motion_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    yield context.new_page()
    context.close()


def test_reduced_motion_means_no_animation(
    page: Page, reduced_motion_page: Page, base: str
) -> None:
    for tab, expected in ((page, "garden-preview-in"), (reduced_motion_page, "none")):
        goto_home(tab, base)
        assert open_preview(tab, f"{base}Alpha/") == "garden-preview"
        assert (
            tab.eval_on_selector(POPOVER, "(el) => getComputedStyle(el).animationName") == expected
        )
