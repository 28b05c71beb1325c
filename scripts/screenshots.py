"""Screenshots of built garden pages, for looking at what readers see and for the README.

Usage: python scripts/screenshots.py [site_dir] [out_dir] [page ...]
Serves `site_dir` on a free localhost port and shoots each page (light and dark) with
Debian's Chromium through Playwright. The README's pictures in .github/screenshots/ were made
with it from `mkdocs build` of this repository, then looked at and chosen by hand.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
DEFAULT_PAGES = ["", "journal/13%20week%20Mech%20Interp%20Study%20Journal/", "concepts/PCA/"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep the output to file names
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `site` on 127.0.0.1 in a background thread."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main(argv: list[str]) -> None:
    site = Path(argv[0] if argv else "site")
    out = Path(argv[1] if len(argv) > 1 else "screenshots/tmp")
    pages = argv[2:] or DEFAULT_PAGES
    out.mkdir(parents=True, exist_ok=True)
    server, base = serve(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for scheme in ("default", "slate"):
                context = browser.new_context(viewport={"width": 1280, "height": 900},
                                              color_scheme="dark" if scheme == "slate" else "light")
                page = context.new_page()
                for path in pages:
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    name = (path.strip("/").replace("/", "_").replace("%20", "-") or "home") + f"-{scheme}.png"
                    page.screenshot(path=str(out / name), full_page=True)
                    print(out / name)
                context.close()
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main(sys.argv[1:])
