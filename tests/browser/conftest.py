"""Browser test fixtures: static sites served under a subpath, and Debian's Chromium.

`serve_dir(site, subpath)` serves any folder as `http://127.0.0.1:PORT/<subpath>/`, with nothing
above the subpath, so a page that reaches for the server root instead of its own base fails.
Fixture sites built here and real garden builds can both use it.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

ServeDir = Callable[..., str]


def chromium_path() -> str:
    """Debian's Chromium: Playwright's own browser downloads are not available here."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("The browser tests need Chromium: run 'apt-get install -y chromium'.")
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that keeps the test output clean."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def serve_dir() -> Iterator[ServeDir]:
    """Return `serve(site, subpath="garden-subpath") -> base URL ending in '/'`.

    The server's root holds only a link named `subpath` to `site`, so the site is reachable
    under that subpath alone. Servers stop at the end of the session.
    """
    servers: list[http.server.ThreadingHTTPServer] = []
    roots: list[tempfile.TemporaryDirectory[str]] = []

    def serve(site: Path, subpath: str = "garden-subpath") -> str:
        root = tempfile.TemporaryDirectory(prefix="garden-serve-")
        roots.append(root)
        (Path(root.name) / subpath).symlink_to(Path(site).resolve(), target_is_directory=True)
        handler = functools.partial(_QuietHandler, directory=root.name)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/{subpath}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()
    for root in roots:
        root.cleanup()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session; each test gets its own context."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page (own cookies, cache and storage) at a desktop size."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def console_log(page: Page) -> list[str]:
    """Everything the page logs, and its uncaught errors, as `"<type>: <text>"` lines.

    Request it before navigating; a quiet page leaves the list empty.
    """
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    return messages


@pytest.fixture
def requests(page: Page) -> list[str]:
    """Every URL the page requests; request it before navigating."""
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls
