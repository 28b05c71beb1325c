"""The author's garden built once per test session, and served under a subpath (fixtures).

The build runs `mkdocs build --strict` as CI and the Pages workflow do, into a temporary folder
(`-d`), dated by `SOURCE_DATE_EPOCH` so it is reproducible. `SITE_URL` names the subpath the
site is then served under; it takes effect when `mkdocs.yml` reads it
(`site_url: !ENV [SITE_URL, null]`), which is what makes `404.html` right under a subpath.
"""

from __future__ import annotations

import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.paths import REPO

SUBPATH = "garden-subpath"
SOURCE_DATE_EPOCH = "1700000000"


@dataclass(frozen=True)
class ServedSite:
    """A built site on a local server: its folder and the base URL (ending in `/<subpath>/`)."""

    site: Path
    base_url: str


def _mkdocs_command() -> list[str]:
    venv_mkdocs = REPO / ".venv" / "bin" / "mkdocs"
    return [str(venv_mkdocs)] if venv_mkdocs.exists() else [sys.executable, "-m", "mkdocs"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# Material's instant navigation follows only links listed in sitemap.xml, compared by host
# and port: the site is built for the very address the test server will listen on.
PORT = _free_port()


@pytest.fixture(scope="session")
def author_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The author's garden (`mkdocs.yml` + `docs/`), built once per session with `--strict`."""
    site = tmp_path_factory.mktemp("author-site") / "site"
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1",
           "SITE_URL": f"http://127.0.0.1:{PORT}/{SUBPATH}/"}
    result = subprocess.run(
        [*_mkdocs_command(), "build", "--strict", "-f", str(REPO / "mkdocs.yml"), "-d", str(site)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=900, check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict of the author's garden failed "
                    f"(exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, no request log; a missing file under the subpath gets the site's 404.html
    with status 404, as GitHub Pages serves it, so its links are checked where readers see it."""

    not_found_page: Path | None = None

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.not_found_page
        if code != 404 or page is None or not self.path.startswith(f"/{SUBPATH}/"):
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="session")
def served_site(author_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The author's site on 127.0.0.1 under `/garden-subpath/`, with nothing above it.

    The server's root holds only a `garden-subpath` link to the site, so a URL that climbs
    out of the subpath (a root-absolute link, too many `..`) is a 404, as on a project site.
    """
    root = tmp_path_factory.mktemp("serve-root")
    (root / SUBPATH).symlink_to(author_site.resolve(), target_is_directory=True)
    not_found = author_site / "404.html"
    handler_class = type("_SiteHandler", (_QuietHandler,),
                         {"not_found_page": not_found if not_found.exists() else None})
    handler = functools.partial(handler_class, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ServedSite(author_site, f"http://127.0.0.1:{server.server_address[1]}/{SUBPATH}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
