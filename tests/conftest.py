"""Shared test setup: the package is importable from `plugins/` even before installation."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT))

# The author's garden, built once per session, and served under a subpath: shared by the
# whole-site checks (tests/site) and the reader's browser tests (tests/browser).
from tests.author_site import SUBPATH, ServedSite, author_site, served_site  # noqa: E402,F401


@pytest.fixture
def one_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every build of the test calls the same day "today" (SOURCE_DATE_EPOCH). Tests that
    compare what one rebuild made again with the build before need it: a rebuild that runs
    past midnight rightly makes the timeline and the tasks page again."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")  # 2024-06-01, UTC
