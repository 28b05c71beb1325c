"""Where a whole build's CPU time goes, by MkDocs stage, for two or more configs side by side.

    .venv/bin/python scripts/bench_stages.py /tmp/garden-bench/n1000/plain.yml \
        /tmp/garden-bench/n1000/garden.yml --rounds 3

Each build is one fresh process (`--child`) that times, with `time.process_time`, every
plugin's handler of every event (by the plugin's top-level package), MkDocs' Python-Markdown
render (`Page.render`), the Jinja2 template renders and the writing of files. The builds are
interleaved (a, b, a, b, ...) and the medians printed, with each stage's difference from the
first config. `bench_build.py` gives the whole builds; this says which stage makes the ratio.
The garden's cache is deleted before each build, as there.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path


def child(config: str, site: str) -> None:
    """One build in this process; prints the stages as JSON on the last line of stdout."""
    import jinja2
    import mkdocs.utils
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page

    spent: Counter[str] = Counter()
    clock = time.process_time

    def timed(function, label):  # noqa: ANN001, ANN202 - any callable
        def run(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            start = clock()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] += clock() - start
        return run

    Page.render = timed(Page.render, "Python-Markdown (Page.render)")
    jinja2.Template.render = timed(jinja2.Template.render, "templates (Jinja2)")
    mkdocs.utils.write_file = timed(mkdocs.utils.write_file, "writing files")
    start = clock()
    config = load_config(config_file=config, site_dir=site)
    for name, handlers in config.plugins.events.items():  # each plugin's, by its package
        handlers[:] = [timed(handler, f"{name}: {type(getattr(handler, '__self__', handler)).__module__.split('.')[0]}")
                       for handler in handlers]
    shutil.rmtree(Path(config.config_file_path).parent / ".cache", ignore_errors=True)
    config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does
    build(config)
    config.plugins.on_shutdown()
    spent["whole build"] = clock() - start
    print(json.dumps(spent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("configs", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("CONFIG", "SITE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if len(args.configs) < 2:
        parser.error("give two or more configs; the first is the baseline")
    runs: dict[Path, list[Counter[str]]] = {config: [] for config in args.configs}
    with tempfile.TemporaryDirectory(prefix="garden-stages-") as work:
        for round_ in range(args.rounds):
            for config in args.configs:
                out = subprocess.run([sys.executable, __file__, "--child", str(config), f"{work}/site"],
                                     capture_output=True, text=True, check=True).stdout
                runs[config].append(Counter(json.loads(out.strip().splitlines()[-1])))
                print(f"round {round_ + 1}: {config.name} {runs[config][-1]['whole build']:.2f} s CPU", flush=True)
    medians = {config: {stage: statistics.median(run[stage] for run in found)
                        for stage in set().union(*found)} for config, found in runs.items()}
    base = args.configs[0]
    stages = sorted(set().union(*medians.values()), key=lambda s: (s != "whole build", -max(m.get(s, 0) for m in medians.values())))
    names = [config.stem for config in args.configs]
    print(f"\nCPU seconds, median of {args.rounds} rounds; '+' columns: the difference from {base.stem}\n")
    print("| stage | " + " | ".join(names) + " | " + " | ".join(f"+ {n}" for n in names[1:]) + " |")
    print("|---|" + "---:|" * (2 * len(names) - 1))
    for stage in stages:
        values = [medians[config].get(stage, 0.0) for config in args.configs]
        if max(values) < 0.005:
            continue
        deltas = [f"{v - values[0]:+.2f}" for v in values[1:]]
        print(f"| {stage} | " + " | ".join(f"{v:.2f}" for v in values) + " | " + " | ".join(deltas) + " |")


if __name__ == "__main__":
    main()
