"""The same vault builds to the same bytes: other folders, other times, other time zones."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import REPO

pytestmark = [pytest.mark.build, pytest.mark.slow]


def _site_digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _build(root: Path, tz: str) -> dict[str, str]:
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "TZ": tz, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root, env=env, check=True)
    return _site_digest(root / "site")


def test_author_garden_builds_byte_identical(tmp_path: Path) -> None:
    first = _build(tmp_path / "one", "UTC")
    second = _build(tmp_path / "elsewhere" / "two", "Pacific/Kiritimati")
    different = sorted(p for p in first.keys() | second.keys() if first.get(p) != second.get(p))
    assert different == []
    assert "garden/graph.json" in first and "garden/timeline.json" in first
