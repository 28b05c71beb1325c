"""Shared test setup: the package is importable from `plugins/` even before installation."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT))

# The author's garden, built once per session, and served under a subpath: shared by the
# whole-site checks (tests/site) and the reader's browser tests (tests/browser).
from tests.author_site import SUBPATH, ServedSite, author_site, served_site  # noqa: E402,F401
