"""Benchmark: the author's garden built from an empty cache, then again unchanged.

Reports each build's wall time and the notebooks' share of it (from the plugin's phase log),
as ratios in the same run. Each build is a fresh `mkdocs build` process on a copy of the
repository's docs/ and mkdocs.yml, with its own cache folder.

Usage: python scripts/bench_notebooks.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PHASES = re.compile(r"garden phases \(s\): (.*?) · notes parsed")


def build(root: Path) -> tuple[float, dict[str, float], str]:
    """One `mkdocs build`: wall seconds, the plugin's phase seconds, and its log."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                          capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    match = PHASES.search(done.stderr)
    phases = {}
    if match:
        for part in match.group(1).split(" · "):
            name, _, seconds = part.rpartition(" ")
            phases[name] = float(seconds)
    return wall, phases, done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows: dict[str, list[tuple[float, float]]] = {"first (empty cache)": [], "second (unchanged)": []}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="bench-nb-") as folder:
            root = Path(folder)
            shutil.copytree(REPO / "docs", root / "docs")
            shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
            for label in rows:
                wall, phases, log = build(root)
                executed = log.count(": executed")
                rows[label].append((wall, phases.get("notebooks", 0.0)))
                print(f"{label:22} wall {wall:6.1f} s  notebooks {phases.get('notebooks', 0.0):6.1f} s"
                      f"  executed {executed}", flush=True)
    print("\nmedians over", args.repeat, "runs")
    print(f"{'build':22} {'wall s':>8} {'notebooks s':>12} {'notebook share':>15}")
    medians = {}
    for label, samples in rows.items():
        wall = statistics.median(s[0] for s in samples)
        notebooks = statistics.median(s[1] for s in samples)
        medians[label] = wall
        print(f"{label:22} {wall:8.1f} {notebooks:12.1f} {notebooks / wall:14.0%}")
    first, second = medians.values()
    print(f"\nsecond / first build time: {second / first:.2f}")


if __name__ == "__main__":
    main()
