"""Instructions, not seconds: the garden's build cost counted by Valgrind, immune to a busy machine.

    .venv/bin/python scripts/bench_instructions.py                # N = 1000
    .venv/bin/python scripts/bench_instructions.py --sizes 100,1000
    .venv/bin/python scripts/bench_instructions.py --setups plain garden garden-warm \
        --peers-venv /tmp/peers-venv --peers peer-ezlinks peer-obsidian-bridge

On a shared 2-core virtual machine a build's CPU time moves by up to 2x within minutes, so a
10% share cannot be read from timings. Here each setup (`plain`, `garden`, `garden-nograph`
of `scripts/gen_vault.py`'s vault, as in `bench_build.py`) is built once under
`valgrind --tool=cachegrind --cache-sim=no`, which counts the instructions the build executes
(about 20x slower than a normal build). With `PYTHONHASHSEED=0` the count repeats to within
0.1%, whatever else runs. Reported: the counts and their ratios to `plain`, and
`(garden - garden-nograph) / plain`, what linked mentions and the graph (layout, communities,
PageRank, graph page, graph.json, SVG, local graphs) add to the whole build, MkDocs' work on
the larger pages included. Every build is cold (the garden's cache is deleted first) but
`garden-warm` and `garden-warm-tomorrow`, built after `garden` from the cache it left, as in
`bench_build.py` (`WARM`).

With `--peers-venv`, the peers that venv holds (as in `bench_build.py`: the compact navigation,
`--peers` to name some) are counted with its Python, each over `plain@peers`, plain built by
that same Python, so each ratio compares builds of one MkDocs and Material.

An instruction count is a proxy for time: it ignores cache misses and the cost of each
instruction. It answers "does this change do less work", not "how many seconds".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_build import PEERS_NEEDING_FULL_NAV, WARM, peers_available
from gen_vault import generate_vault

SETUPS = ("plain", "garden", "garden-warm", "garden-warm-tomorrow", "garden-nograph")
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def count_instructions(config: Path, site: Path, *, cold: bool = True, env_extra: dict[str, str] | None = None,
                       python: str = sys.executable) -> int:
    """The instructions one `mkdocs build` of `config` executes with `python`; `cold`: without
    the garden's cache."""
    shutil.rmtree(site, ignore_errors=True)
    if cold:
        shutil.rmtree(config.parent / ".cache", ignore_errors=True)
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
               python, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    env = {**os.environ, "PYTHONHASHSEED": "0", "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1",
           **(env_extra or {})}
    done = subprocess.run(command, check=False, capture_output=True, text=True, env=env)
    found = _REFS.search(done.stderr)
    if done.returncode != 0 or not found:
        raise SystemExit(f"{config.name}: the build failed under valgrind:\n{done.stderr[-2000:]}")
    shutil.rmtree(site, ignore_errors=True)
    return int(found.group(1).replace(",", ""))


def bench_size(n: int, work: Path, seed: int, setups: list[tuple[str, str]]) -> dict[str, int]:
    """Counts of each (setup, Python) in order; `@peers` in a name only tells the Pythons apart."""
    root = work / f"n{n}"
    if not (root / "counts.json").exists():
        shutil.rmtree(root, ignore_errors=True)
        (root / "counts.json").parent.mkdir(parents=True, exist_ok=True)
        counts = generate_vault(root, n, seed)
        (root / "counts.json").write_text(json.dumps(counts, indent=1), encoding="utf-8")
    found = {}
    for name, python in setups:
        start = time.perf_counter()
        source, env_extra = WARM.get(name, (name.split("@")[0], None))
        found[name] = count_instructions(root / f"{source}.yml", work / "sites" / f"n{n}-{name.replace('@', '-')}",
                                         cold=name not in WARM, env_extra=env_extra, python=python)
        print(f"N={n} {name:16} {found[name]:>18,} instructions ({time.perf_counter() - start:.0f} s under valgrind)",
              flush=True)
    return found


def report(results: dict[int, dict[str, int]]) -> str:
    lines = ["| N | setup | instructions | / plain |", "|---:|---|---:|---:|"]
    for n, found in results.items():
        for name, count in found.items():
            base = found.get("plain@peers" if name.startswith("peer-") else "plain")
            over = f"{count / base:.2f}x" if base else ""
            lines.append(f"| {n} | {name} | {count:,} | {over} |")
        if {"plain", "garden", "garden-nograph"} <= found.keys():
            lines.append(f"| {n} | (garden - garden-nograph) / plain | | "
                         f"{(found['garden'] - found['garden-nograph']) / found['plain']:+.1%} |")
    lines.append("(peers: over `plain@peers`, plain built with the peers venv's Python)" if any(
        "plain@peers" in found for found in results.values()) else "")
    return "\n".join(lines).rstrip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000", help="comma-separated note counts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=Path("/tmp/garden-bench-instructions"))
    parser.add_argument("--json", type=Path, help="write the counts here")
    parser.add_argument("--setups", nargs="+", choices=SETUPS, default=list(SETUPS),
                        help="the garden's and plain's setups to count (a warm one after `garden`)")
    parser.add_argument("--peers-venv", type=Path, help="also count the peers this venv holds")
    parser.add_argument("--peers", nargs="+", help="only these peers (config names, as `peer-ezlinks`)")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install -y valgrind)")
    if any(name in WARM for name in args.setups) and "garden" not in args.setups:
        raise SystemExit("a warm setup is built from the cache `garden` leaves: count `garden` too")
    setups = [(name, sys.executable) for name in SETUPS if name in args.setups]
    if args.peers_venv:
        peer_python = args.peers_venv / "bin" / "python"
        found = peers_available(peer_python)
        chosen = [name for name, ok in found.items() if ok and name not in PEERS_NEEDING_FULL_NAV
                  and (not args.peers or name in args.peers)]
        if not chosen:
            raise SystemExit(f"{args.peers_venv}: none of the peers asked for is installed ({found})")
        setups += [(name, str(peer_python)) for name in ["plain@peers", *(f"{p}-compact" for p in chosen)]]
    results = {n: bench_size(n, args.work, args.seed, setups) for n in (int(s) for s in args.sizes.split(","))}
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(report(results))


if __name__ == "__main__":
    main()
