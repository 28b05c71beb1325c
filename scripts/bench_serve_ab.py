"""Benchmark: the plugin's share of `mkdocs serve` rebuilds, for two versions of the plugin at
once, their rebuilds interleaved in one process.

`bench_serve.py` runs one version per process. On these machines the same rebuild's share
moves by tens of milliseconds from one run to the next, more than most changes to the plugin
take off, so two runs one after the other cannot tell such a change from the noise. Here the
plugin of an older commit (`git archive`) is imported under another package name beside the
working tree's. Each version serves its own copy of the same synthetic vault; each edit is
written to both copies and rebuilt by both, in turn (which goes first alternates), so a
change in the machine's speed falls on both.

Both versions live in one process, so each one's rebuild also carries the other's kept state
in the heap (the garbage collector's walks are longer for both), and a full collection is
run before each rebuild, outside the clocks, so that neither pays for the other's garbage.
Read the ratio; the absolute shares are those of `bench_serve.py` only roughly.

Usage: python scripts/bench_serve_ab.py OLD_COMMIT [--notes 1000] [--edits 8]
           [--note daily/2024-01-20.md] [--edit paragraph|grow|task|link|heading]
           [--work /tmp/garden-bench-serve-ab]
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml
from bench_serve import EDIT_KINDS, _HandlerClock, edited_text, link_targets
from gen_vault import VAULT_DIR, generate_vault
from mkdocs.commands.build import build
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parents[1]
OLD_PACKAGE = "mkdocs_garden_ab_old"
_BY_NAME = re.compile(r"^\s*(?:from|import)\s+mkdocs_garden\b|import_module\([\"']mkdocs_garden", re.MULTILINE)


def old_plugin_class(commit: str, into: Path) -> type:
    """The plugin class of `commit`, its package extracted into `into` under `OLD_PACKAGE`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "plugins/mkdocs_garden"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    package = into / OLD_PACKAGE
    (into / "plugins" / "mkdocs_garden").rename(package)
    for source in package.rglob("*.py"):  # the package imports itself relatively, or not at all
        if _BY_NAME.search(source.read_text(encoding="utf-8")):
            raise SystemExit(f"{source}: imports mkdocs_garden by name; cannot load it beside the tree")
    sys.path.insert(0, str(into))
    return importlib.import_module(f"{OLD_PACKAGE}.plugin").GardenPlugin


def serve_config(root: Path, plugin_class: type | None) -> tuple[Any, Any]:
    """The garden setup of the vault at `root`, with its `garden` plugin replaced by an
    instance of `plugin_class` (given the same options) when one is given."""
    config_file = root / "garden.yml"
    config = load_config(str(config_file), site_dir=str(root / "site"))
    plugin = config.plugins["garden"]
    if plugin_class is not None:
        events = config.plugins.events
        for name, methods in events.items():
            events[name] = [m for m in methods if getattr(m, "__self__", None) is not plugin]
        entries = yaml.safe_load(config_file.read_text(encoding="utf-8"))["plugins"]  # "garden" or {"garden": {...}}
        options = next((entry["garden"] for entry in entries if isinstance(entry, dict) and "garden" in entry), None)
        plugin = plugin_class()
        errors, _ = plugin.load_config(options or {}, str(config_file))
        if errors:
            raise SystemExit(f"the old plugin refuses the options: {errors}")
        config.plugins["garden"] = plugin  # registers its handlers
    return config, plugin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", help="the commit whose plugin is compared with the working tree's")
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=8)
    parser.add_argument("--note", default="daily/2024-01-20.md", help="the note to edit, a path in the vault")
    parser.add_argument("--edit", choices=EDIT_KINDS, default="paragraph", help="see bench_serve.py")
    parser.add_argument("--work", type=Path, default=Path("/tmp/garden-bench-serve-ab"))
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # unresolved-link warnings of the synthetic vault
    shutil.rmtree(args.work, ignore_errors=True)
    package_dir = Path(tempfile.mkdtemp(prefix="garden-ab-"))
    setups = {}
    try:
        classes = {"old": old_plugin_class(args.old, package_dir), "new": None}
        for name, plugin_class in classes.items():
            root = args.work / name
            generate_vault(root, args.notes, 0)  # seeded: the same vault twice
            config, plugin = serve_config(root, plugin_class)
            clock = _HandlerClock(config.plugins.events, plugin)
            plugin.on_startup(command="serve", dirty=False)
            build(config, serve_url="http://127.0.0.1:8000/")
            note = root / VAULT_DIR / args.note
            others = link_targets(root / VAULT_DIR, note)
            setups[name] = (config, clock, note, note.read_text(encoding="utf-8"), others)
        per_call = _HandlerClock.overhead()
        shares: dict[str, list[float]] = {"old": [], "new": []}
        cpu: dict[str, list[float]] = {"old": [], "new": []}
        for number in range(args.edits):
            order = ["old", "new"] if number % 2 == 0 else ["new", "old"]
            for name in order:
                config, clock, note, original, others = setups[name]
                note.write_text(edited_text(original, args.edit, number, others), encoding="utf-8")
                gc.collect()  # each rebuild starts from a heap the last one's garbage is out of
                clock.seconds, clock.calls = 0.0, 0
                start = time.process_time()
                build(config, serve_url="http://127.0.0.1:8000/")
                cpu[name].append(time.process_time() - start)
                shares[name].append(clock.seconds - clock.calls * per_call)
            print(f"edit {number + 1}: plugin's share old {shares['old'][-1]:.3f} s, new {shares['new'][-1]:.3f} s "
                  f"(rebuilds {cpu['old'][-1]:.2f} / {cpu['new'][-1]:.2f} s CPU; {' then '.join(order)})", flush=True)
    finally:
        shutil.rmtree(package_dir, ignore_errors=True)
    old, new = (statistics.median(shares[name]) for name in ("old", "new"))
    pairs = sorted(n / o for o, n in zip(shares["old"], shares["new"]))
    print(f"\n{args.edits} edits ({args.edit}) of {args.note}, {args.notes} notes; {args.old} against the working tree")
    print(f"plugin's share, median: old {old:.3f} s, new {new:.3f} s = {new / old:.2f}x "
          f"(edit by edit: {pairs[0]:.2f}x to {pairs[-1]:.2f}x, median {statistics.median(pairs):.2f}x)")
    print(f"new: {new / 0.1:.1f}x the 100 ms target")


if __name__ == "__main__":
    main()
