"""Benchmark: what the garden adds to a `mkdocs serve` rebuild after one note is edited.

A synthetic vault (`gen_vault.py`) is built once, then rebuilt after each of a few edits, in
one process with the plugin instance kept across builds, as `mkdocs serve` keeps it. The same
edits are rebuilt with the plain setup (Material, wikilinks as text) as the baseline. For
every rebuild it prints the CPU time of the whole rebuild, the plugin's own CPU time (all of
its event handlers, timed from outside, less what that clock adds to each call, measured on a
handler that does nothing; the phases it logs are a part), how many notes it parsed again, and
the Python garbage collector's full-collection time during the rebuild (it falls wherever the
heap is when it runs, so a phase can include some). Medians and ratios at the end.

Usage: python scripts/bench_serve.py [--notes 1000] [--edits 5] [--work /tmp/garden-bench-serve]
                                    [--setups plain garden] [--dirty] [--note daily/2024-01-20.md]
                                    [--edit paragraph|grow|task|link|heading]
(`--setups garden` skips the baseline, to compare the plugin's share of two versions.)

What each edit (number n, counted from 0) does to the note, against its text before the run:
- `paragraph` (the default): one paragraph, "Edited paragraph n.", after the note's first. After
  the first edit this moves no line: the next ones change a word.
- `grow`: n + 1 such paragraphs, as writing does: every rebuild moves the lines below, and with
  them the note's tasks' anchors (the timeline and the tasks page link to them).
- `task`: n + 1 tasks with due dates added at its end.
- `link`: one paragraph linking to n + 1 other notes (a new link each time: the graph's structure
  moves).
- `heading`: its first second-level heading (else its first heading) renamed.
"""

from __future__ import annotations

import argparse
import gc
import logging
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_vault import VAULT_DIR, generate_vault
from mkdocs.commands.build import build
from mkdocs.config import load_config

EDITED = "Attention reason.md"  # a note of the seed-0 vault with links, mentions and tasks


class _FullCollections:
    """CPU seconds spent in generation-2 collections."""

    def __init__(self) -> None:
        self.seconds, self._start = 0.0, 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.process_time()
        elif info["generation"] == 2:
            self.seconds += time.process_time() - self._start


class _HandlerClock:
    """CPU seconds spent inside one plugin's event handlers, measured from outside it: the
    phases the plugin logs cover only the work it times itself, and a share must count all
    of it (hardening the search index, placing HTML, …)."""

    def __init__(self, events: dict[str, list], plugin: object) -> None:
        self.seconds, self.calls = 0.0, 0
        for name, methods in events.items():
            events[name] = [self._timed(m) if getattr(m, "__self__", None) is plugin else m for m in methods]

    def _timed(self, method: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds += time.process_time() - start
                self.calls += 1
        return timed

    @staticmethod
    def overhead(samples: int = 50_000) -> float:
        """What the clock adds to each call it times, measured on a handler that does nothing:
        reading the process clock is a system call (0.6 us on this machine), and a rebuild
        makes six handler calls a page."""
        probe = _HandlerClock({}, None)
        nothing = probe._timed(lambda: None)
        for _ in range(samples):
            nothing()
        return probe.seconds / samples


EDIT_KINDS = ("paragraph", "grow", "task", "link", "heading")


def edited_text(original: str, kind: str, number: int, others: list[str]) -> str:
    """The note's text for edit `number` of `kind` (see the module docstring); `others`: names
    of other notes to link to."""
    if kind in ("paragraph", "grow"):
        added = "".join(f"Edited paragraph {n}.\n\n" for n in (range(number + 1) if kind == "grow" else [number]))
        return original.replace("\n\n", "\n\n" + added, 1)
    if kind == "task":
        return original.rstrip("\n") + "\n" + "".join(f"\n- [ ] Edited task {n} 📅 2024-02-{n % 28 + 1:02d}"
                                                     for n in range(number + 1)) + "\n"
    if kind == "link":
        links = " ".join(f"[[{name}]]" for name in others[: number + 1])
        return original.replace("\n\n", f"\n\nSee {links}.\n\n", 1)
    headings = [line for line in original.split("\n") if line.startswith("#")]
    heading = next((line for line in headings if line.startswith("## ")), headings[0])
    return original.replace(heading, f"{heading} {number}", 1)


def link_targets(vault: Path, note: Path) -> list[str]:
    """The names of the notes the `link` edit of `note` may link to."""
    return sorted(p.stem for p in vault.glob("*/*.md") if p != note)


def rebuilds(config_file: Path, note: Path, edits: int, collections: _FullCollections,
             dirty: bool = False, kind: str = "paragraph") -> list[dict]:
    config = load_config(str(config_file), site_dir=str(config_file.parent / f"site-{config_file.stem}"))
    plugin = config.plugins.get("garden")
    clock = _HandlerClock(config.plugins.events, plugin) if plugin is not None else None
    per_call = _HandlerClock.overhead()  # measured once, before the builds
    if plugin is not None:
        plugin.on_startup(command="serve", dirty=dirty)
    build(config, serve_url="http://127.0.0.1:8000/")
    original = note.read_text(encoding="utf-8")
    others = link_targets(config_file.parent / VAULT_DIR, note)
    rows = []
    try:
        for number in range(edits):
            note.write_text(edited_text(original, kind, number, others), encoding="utf-8")
            collections.seconds = 0.0
            if clock is not None:
                clock.seconds, clock.calls = 0.0, 0
            start = time.process_time()
            build(config, serve_url="http://127.0.0.1:8000/", dirty=dirty)
            row = {"cpu": time.process_time() - start, "gc": collections.seconds}
            if plugin is not None and clock is not None:
                row["clock"] = clock.calls * per_call
                row["plugin"] = clock.seconds - row["clock"]
                row["logged"] = sum(plugin.timings.values())
                row["phases"] = dict(plugin.timings)
                row["parsed"] = list(plugin.cache.parsed)
            rows.append(row)
    finally:
        note.write_text(original, encoding="utf-8")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/garden-bench-serve"))
    parser.add_argument("--setups", nargs="+", choices=("plain", "garden"), default=["plain", "garden"])
    parser.add_argument("--dirty", action="store_true", help="rebuild as `mkdocs serve --dirty` does")
    parser.add_argument("--note", default=EDITED, help="the note to edit, a path in the vault")
    parser.add_argument("--edit", choices=EDIT_KINDS, default="paragraph", help="what each edit does (see above)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # unresolved-link warnings of the synthetic vault
    root = args.work / f"n{args.notes}"
    if not (root / "garden.yml").is_file():
        shutil.rmtree(root, ignore_errors=True)
        generate_vault(root, args.notes, 0)
    shutil.rmtree(root / ".cache", ignore_errors=True)
    edited = root / VAULT_DIR / args.note
    if not edited.is_file() and args.note == EDITED:  # another size or seed: the first note in a folder
        edited = min((root / VAULT_DIR).glob("*/*.md"))
    collections = _FullCollections()
    results = {}
    for setup in args.setups:
        results[setup] = rebuilds(root / f"{setup}.yml", edited, args.edits, collections, args.dirty, args.edit)
        for number, row in enumerate(results[setup]):
            extra = (f"  plugin {row['plugin']:.3f} s (phases {row['logged']:.3f}; clock {row['clock']:.3f} taken out)"
                     f"  parsed {row['parsed']}" if "plugin" in row else "")
            print(f"{setup:6} rebuild {number + 1}: {row['cpu']:6.2f} s CPU  full GC {row['gc']:.2f} s{extra}", flush=True)
    print(f"\nmedians over {args.edits} edits ({args.edit}) of {args.note} in a {args.notes}-note vault")
    if "plain" in results:
        plain = statistics.median(r["cpu"] for r in results["plain"])
        print(f"plain rebuild  {plain:6.2f} s CPU")
    if "garden" not in results:
        return
    garden = statistics.median(r["cpu"] for r in results["garden"])
    plugin = statistics.median(r["plugin"] for r in results["garden"])
    print(f"garden rebuild {garden:6.2f} s CPU" + (f"  = {garden / plain:.2f}x plain" if "plain" in results else ""))
    print(f"plugin's share {plugin:6.3f} s      = {plugin / garden:.1%} of the garden rebuild, "
          f"{plugin / 0.1:.1f}x the 100 ms target")
    names = dict.fromkeys(name for r in results["garden"] for name in r["phases"])  # a phase may not run
    phases = {name: statistics.median(r["phases"].get(name, 0.0) for r in results["garden"]) for name in names}
    logged = statistics.median(r["logged"] for r in results["garden"])
    print(f"of which the logged phases {logged:.3f} s; the rest is untimed work in the handlers")
    print("plugin phases (median s): " + " · ".join(f"{name} {seconds:.3f}" for name, seconds in phases.items()))


if __name__ == "__main__":
    main()
