"""Every test module under tests/ is collected by a plain `pytest` (what CI runs): pytest's
default `norecursedirs` skips folders named `build`, which once left tests/build out of CI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_plain_run_collects_every_test_module() -> None:
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    collected = {line.split("::", 1)[0] for line in done.stdout.splitlines() if "::" in line}
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "tests").rglob("test_*.py")}
    assert modules - collected == set(), done.stdout[-2000:]
