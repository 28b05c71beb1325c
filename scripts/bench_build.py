"""Build-time benchmark of the garden plugin against plain MkDocs + Material on synthetic vaults.

    .venv/bin/python scripts/bench_build.py            # N = 100, 1000, 10000; 3 rounds
    .venv/bin/python scripts/bench_build.py --quick    # N = 100, 1000; 1 round

For each N the vault is generated once (`scripts/gen_vault.py`, seeded), then the setups are
built in interleaved rounds (plain, garden, plain, garden, ...), each build a fresh subprocess
`python -m mkdocs build -f <cfg> -d <site>` under `/usr/bin/time -v` (peak RSS of that one
child; without it, a fork + `os.wait4` wrapper reads the child's `ru_maxrss`). Measured: wall
time, CPU time, peak RSS, bytes of the site. Reported: medians and the garden/plain ratios.

- `plain` is Material + search with wikilinks left as text and a compact hand-written nav;
  `garden` is the plugin with defaults (its compact `navigation: folders`). The `-fullnav` pair
  gives every page MkDocs' default nav of every note (quadratic), built at N <= `--fullnav-max`
  only: at 10,000 notes one such build takes far too long for this machine.
- The garden's cache (`.cache/garden`: graph layout, charts, the build cache of parsed notes
  and rendered pages) is deleted before every build, so every garden build is a cold one, but
  for `garden-warm`, built right after `garden` from the cache it left, as the Pages workflow
  builds after restoring `.cache/`, and `garden-warm-tomorrow`, the same a day later
  (`SOURCE_DATE_EPOCH`): open tasks past their due date show one more day overdue.
- Peer plugins, where `--peers-venv` has them, are built with that venv's MkDocs (same pinned
  MkDocs and Material) twice: with plain's compact nav (`peer-*-compact`, baseline `plain`
  built there), except the graph plugin, which reads its pages from MkDocs' default nav; and,
  at N <= `--fullnav-max`, with the default nav (baseline `plain-fullnav` built there).
- Link share: for every published note, the wikilinks (embeds excluded) the garden's resolver
  resolves to another note are the expected (source, target) pairs; a pair counts as working in
  a build when the source page's article holds an `<a href>` to the target page's HTML file,
  which exists in the site (backlink sections and permalinks removed first). Heading and block
  links count as "anchor ok" when such a link also carries a fragment that is an `id` of the
  target page.
- Profile: one in-process build of `garden` at `--profile-size` under cProfile (timed by process
  CPU time), split into the plugin's phases by the cumulative time of their entry functions,
  plus self time by package.

Timings are of a noisy 2-core machine, possibly shared: each build also records its CPU time
(user + system, from the same rusage) and the load average when it ended. CPU time is far less
disturbed by other processes than wall time; compare ratios within one run, not across runs.
"""

from __future__ import annotations

import argparse
import cProfile
import html
import json
import os
import posixpath
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from gen_vault import PEER_PLUGINS, PEERS_NEEDING_FULL_NAV, VAULT_DIR, generate_vault

PAIRS = ("plain", "garden", "garden-warm", "garden-warm-tomorrow", "garden-nograph")
# Setups built from another's config, with the cache that one left, and this environment.
WARM = {"garden-warm": ("garden", {}),
        "garden-warm-tomorrow": ("garden", {"SOURCE_DATE_EPOCH": str(int(time.time()) + 86400)})}
FULLNAV = ("plain-fullnav", "garden-fullnav")
PEER_DISTS = {  # config name -> (distribution, MkDocs plugin entry point)
    "peer-roamlinks": ("mkdocs-roamlinks-plugin", "roamlinks"),
    "peer-ezlinks": ("mkdocs-ezlinks-plugin", "ezlinks"),
    "peer-obsidian-bridge": ("mkdocs-obsidian-bridge", "obsidian-bridge"),
    "peer-backlinks-section": ("mkdocs-backlinks-section-plugin", "backlinks_section"),
    "peer-interactive-graph": ("mkdocs-obsidian-interactive-graph-plugin", "obsidian-interactive-graph"),
}
assert set(PEER_DISTS) == set(PEER_PLUGINS)


# --- one build --------------------------------------------------------------------------------

def run_build(python: str, config: Path, site: Path, *, cold: bool = True,
              env_extra: dict[str, str] | None = None) -> dict:
    """Build once in a fresh process: wall seconds, peak RSS (MiB), site bytes, exit code.
    `cold`: without the garden's cache (else with what the last build left)."""
    shutil.rmtree(site, ignore_errors=True)
    if cold:
        shutil.rmtree(config.parent / ".cache", ignore_errors=True)
    # Not `-q`: the garden logs its phases (CPU seconds) at INFO level.
    command = [python, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", **(env_extra or {})}
    if Path("/usr/bin/time").exists():
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-v", *command], check=False, capture_output=True, text=True, env=env)
        wall = time.perf_counter() - start
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        rss_kib = int(found.group(1)) if found else -1
        times = dict(re.findall(r"(User|System) time \(seconds\): ([0-9.]+)", done.stderr))
        user, system = float(times.get("User", 0)), float(times.get("System", 0))
        code, stderr = done.returncode, done.stderr
    else:
        wall, user, system, rss_kib, code, stderr = _run_wait4(command, env)
    return {"wall": wall, "cpu": user + system, "user": user, "rss_mib": rss_kib / 1024, "site_bytes": _tree_size(site), "rc": code,
            "load": os.getloadavg()[0], "phases": garden_phases(stderr),
            "stderr_tail": "" if code == 0 else stderr[-2000:]}


_PHASES = re.compile(r"garden phases \(CPU s\): (.*?) · notes parsed")
# The plugin's phases that exist only for linked mentions and the graph.
MENTION_GRAPH_PHASES = ("graph and layout", "mentions", "mentions and local graph HTML", "graph.json and graph.svg")


def garden_phases(log: str) -> dict[str, float]:
    """The garden's phase line (`garden phases (CPU s): scan … 1.234 · …`) as name -> seconds."""
    found = _PHASES.search(log)
    if not found:
        return {}
    pairs = (part.rsplit(" ", 1) for part in found.group(1).split(" · "))
    return {name: float(seconds) for name, seconds in pairs}


def _run_wait4(command: list[str], env: dict[str, str]) -> tuple[float, float, float, int, int, str]:
    """Without GNU time: fork the build and read that one child's peak RSS with `os.wait4`."""
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = child.stderr.read().decode(errors="replace") if child.stderr else ""
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_utime, usage.ru_stime, usage.ru_maxrss, child.returncode, stderr


def _tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


# --- link share -------------------------------------------------------------------------------

_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.DOTALL)
_ANCHOR = re.compile(r"<a\s([^>]*)>", re.DOTALL)
_HREF = re.compile(r'href="([^"]*)"')
_ID = re.compile(r'\sid="([^"]*)"')
# Where a backlinks section starts: the garden's mentions, backlinks_section's heading.
_BACKLINK_SECTIONS = re.compile(r'<section class="garden-|<h2 id="backlinks"')


def expected_links(root: Path) -> tuple[dict[str, dict[str, bool]], list[str]]:
    """Per published note, the notes its wikilinks resolve to (value: some link names an
    anchor), by the garden's own resolver; and the published notes."""
    from mkdocs_garden.core.vault import PrivacyRules, build_vault

    vault_dir = root / VAULT_DIR
    texts = {p.relative_to(vault_dir).as_posix(): p.read_text(encoding="utf-8") for p in vault_dir.rglob("*.md")}
    attachments = [p.relative_to(vault_dir).as_posix() for p in vault_dir.rglob("*") if p.suffix != ".md" and p.is_file()]
    vault = build_vault(texts, attachments, privacy=PrivacyRules())
    published = [n.path for n in vault.published_notes()]
    wanted: dict[str, dict[str, bool]] = {}
    for source in published:
        for link, target in vault.links.get(source, ()):
            if link.kind != "wiki" or link.embed or target.kind != "note" or target.path in (None, source):
                continue
            if target.path in vault.private:
                continue
            pairs = wanted.setdefault(source, {})
            pairs[target.path] = pairs.get(target.path, False) or bool(link.subpath)
    return wanted, published


def _page_file(note_path: str) -> str:
    """The HTML file MkDocs writes for a note (`use_directory_urls`)."""
    stem = note_path[:-3]
    if stem == "index":
        return "index.html"
    if stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def link_share(site: Path, wanted: dict[str, dict[str, bool]], published: list[str]) -> dict:
    """How many expected (source, target) pairs are working links in the built site."""
    ids: dict[str, set[str]] = {}

    def ids_of(page: str) -> set[str]:
        if page not in ids:
            text = (site / page).read_text(encoding="utf-8", errors="replace") if (site / page).is_file() else ""
            ids[page] = {html.unescape(i) for i in _ID.findall(text)}
        return ids[page]

    pairs = ok = anchored = anchored_ok = 0
    for source, targets in wanted.items():
        page = _page_file(source)
        linked = _linked_pages(site, page)
        for target, has_anchor in targets.items():
            pairs += 1
            anchored += has_anchor
            fragments = linked.get(_page_file(target))
            if fragments is None:
                continue
            ok += 1
            if has_anchor:
                anchored_ok += any(f in ids_of(_page_file(target)) for f in fragments if f)
    return {"pairs": pairs, "working": ok, "share": ok / pairs if pairs else 0.0,
            "anchor_pairs": anchored, "anchor_ok": anchored_ok,
            "anchor_share": anchored_ok / anchored if anchored else 0.0}


def _linked_pages(site: Path, page: str) -> dict[str, set[str]]:
    """Site pages the article of `page` links to (that exist), with the fragments used."""
    path = site / page
    if not path.is_file():
        return {}
    found = _ARTICLE.search(path.read_text(encoding="utf-8", errors="replace"))
    if not found:
        return {}
    article = _BACKLINK_SECTIONS.split(found.group(1), maxsplit=1)[0]
    here = posixpath.dirname(page)
    linked: dict[str, set[str]] = {}
    for attributes in _ANCHOR.findall(article):
        if "headerlink" in attributes:
            continue
        href = _HREF.search(attributes)
        if not href:
            continue
        url = urlsplit(html.unescape(href.group(1)))
        if url.scheme or url.netloc or not url.path:
            continue
        target = posixpath.normpath(posixpath.join(here, unquote(url.path)))
        if url.path.endswith("/") or (site / target).is_dir():
            target = posixpath.join(target, "index.html")
        if (site / target).is_file():
            linked.setdefault(target, set()).add(unquote(url.fragment))
    return linked


# --- profile ----------------------------------------------------------------------------------

# Phase -> entry functions (file suffix, name); their cumulative times are the phase's time.
PHASES = {
    "scan + parse (core.scan, syntax)": [("core/scan.py", "scan_note"), ("core/vault.py", "decode_note")],
    "resolve (core.resolve)": [("core/resolve.py", "resolve"), ("core/resolve.py", "__init__")],
    "backlinks (mentions + their HTML)": [("core/backlinks.py", "linked_mentions"),
                                          ("core/backlinks.py", "unlinked_mentions"),
                                          ("mkdocs_garden/page_sections.py", "mentions_section")],
    "graph + layout (+ graph page, JSON, SVG, local graphs)": [
        ("core/graph.py", "graph_parts"), ("core/graph.py", "graph_of"), ("core/views.py", "_cached_structure"),
        ("core/graph.py", "graph_insights"), ("mkdocs_garden/pages.py", "add_graph_page"),
        ("mkdocs_garden/page_sections.py", "local_graph_section"), ("mkdocs_garden/pages.py", "write_graph_files")],
    "timeline + charts": [("core/timeline.py", "build_timeline"), ("mkdocs_garden/pages.py", "add_timeline")],
    "tasks (scan, page)": [("mkdocs_garden/plugin.py", "_published_tasks"), ("mkdocs_garden/pages.py", "add_tasks_page")],
    "rewrite + callouts (incl. task edits)": [("core/rewrite.py", "render"), ("mkdocs_garden/pages.py", "page_targets")],
    "render notes (markdown-it, instead of Python-Markdown)": [("core/render.py", "render_note")],
    "folder + tag pages, nav": [("mkdocs_garden/pages.py", "add_folder_pages"), ("mkdocs_garden/pages.py", "add_tags_page"),
                                ("mkdocs_garden/pages.py", "compact_nav")],
}
PLUGIN_EVENTS = ("on_config", "on_files", "on_page_read_source", "_rewrite_markdown", "_render_markdown",
                 "on_page_content", "on_page_context", "_release_index", "_finish")
PACKAGES = (("mkdocs_garden", "garden plugin (self time)"), ("markdown_it", "markdown-it-py"),
            ("mdit_py_plugins", "markdown-it-py"), ("/markdown/", "Python-Markdown"), ("pymdownx", "pymdown-extensions"),
            ("material", "Material"), ("jinja2", "Jinja2"), ("/mkdocs/", "MkDocs"), ("networkx", "networkx/numpy/scipy"),
            ("numpy", "networkx/numpy/scipy"), ("scipy", "networkx/numpy/scipy"), ("matplotlib", "matplotlib"),
            ("yaml", "PyYAML"), ("babel", "babel"), ("/json/", "json"), ("re/__init__", "re"), ("/html/", "html"))


def profile_build(config: Path, site: Path, out: Path) -> None:
    """One in-process build under cProfile; writes the phase split and hot functions to `out`."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(config.parent / ".cache", ignore_errors=True)
    cfg = load_config(config_file=str(config), site_dir=str(site))
    profiler = cProfile.Profile(time.process_time)  # CPU time: other processes share the machine
    start = time.perf_counter()
    profiler.enable()
    build(cfg)
    profiler.disable()
    wall = time.perf_counter() - start
    stats = pstats.Stats(profiler)
    entries = stats.stats  # type: ignore[attr-defined]
    total = max(st[3] for st in entries.values())

    def cum(file_suffix: str, name: str) -> float:
        return sum(st[3] for (file, _, func), st in entries.items()
                   if func == name and file.replace("\\", "/").endswith(file_suffix))

    phases = {phase: sum(cum(*f) for f in funcs) for phase, funcs in PHASES.items()}
    plugin = sum(cum("mkdocs_garden/plugin.py", e) for e in PLUGIN_EVENTS)
    phases["other plugin work"] = max(plugin - sum(phases.values()), 0.0)
    by_package: dict[str, float] = {}
    for (file, _, _), st in entries.items():
        file = file.replace("\\", "/")
        group = next((label for key, label in PACKAGES if key in file), "other (stdlib, builtins)")
        by_package[group] = by_package.get(group, 0.0) + st[2]
    hot = sorted(((st[3], st[2], st[1], f"{Path(file).relative_to(_garden_root()).as_posix()}:{line} {func}")
                  for (file, line, func), st in entries.items() if _in_garden(file)), reverse=True)[:25]
    out.write_text(json.dumps({"wall_profiled": wall, "total": total, "plugin": plugin, "phases": phases,
                               "by_package": by_package, "hot": hot}, indent=1), encoding="utf-8")


def _garden_root() -> Path:
    import mkdocs_garden

    return Path(mkdocs_garden.__file__).resolve().parent.parent


def _in_garden(file: str) -> bool:
    return "mkdocs_garden" in file.replace("\\", "/")


# --- the run ----------------------------------------------------------------------------------

def peers_available(python: Path) -> dict[str, bool]:
    """Which peer plugins the peers venv can load (by their MkDocs entry points)."""
    if not python.exists():
        return {name: False for name in PEER_DISTS}
    probe = ("import json; from importlib.metadata import entry_points;"
             "print(json.dumps(sorted(e.name for e in entry_points(group='mkdocs.plugins'))))")
    done = subprocess.run([str(python), "-c", probe], check=False, capture_output=True, text=True)
    names = set(json.loads(done.stdout)) if done.returncode == 0 else set()
    return {name: entry in names for name, (_, entry) in PEER_DISTS.items()}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def bench_size(n: int, args: argparse.Namespace, peers: dict[str, bool], log: list[str]) -> dict:
    root = args.work / f"n{n}"
    counts_file = root / "counts.json"
    if not counts_file.exists() or args.regenerate:
        shutil.rmtree(root, ignore_errors=True)
        start = time.perf_counter()
        counts = generate_vault(root, n, args.seed)
        counts["generate_seconds"] = time.perf_counter() - start
        counts_file.write_text(json.dumps(counts, indent=1), encoding="utf-8")
    counts = json.loads(counts_file.read_text(encoding="utf-8"))
    main_python = sys.executable
    setups: list[tuple[str, str]] = [(name, main_python) for name in PAIRS]
    if n <= args.fullnav_max:
        setups += [(name, main_python) for name in FULLNAV]
    if n <= args.peers_max and any(peers.values()):
        peer_python = str(args.peers_venv / "bin" / "python")
        setups += [("plain@peers", peer_python)]
        setups += [(f"{name}-compact", peer_python) for name, ok in peers.items()
                   if ok and name not in PEERS_NEEDING_FULL_NAV]
        if n <= args.fullnav_max:
            setups += [("plain-fullnav@peers", peer_python)]
            setups += [(name, peer_python) for name, ok in peers.items() if ok]
    results: dict[str, list[dict]] = {name: [] for name, _ in setups}
    for round_ in range(args.repeat):
        for name, python in setups:
            source, env_extra = WARM.get(name, (name.split("@")[0], None))
            config = root / f"{source}.yml"
            site = args.work / "sites" / f"n{n}-{name.replace('@', '-')}"
            result = run_build(python, config, site, cold=name not in WARM, env_extra=env_extra)
            results[name].append(result)
            line = (f"N={n} round {round_ + 1}/{args.repeat} {name:24} {result['wall']:8.2f} s wall "
                    f"{result['cpu']:8.2f} s cpu ({result['user']:.2f} user) {result['rss_mib']:8.1f} MiB {result['site_bytes'] / 2**20:8.1f} MiB "
                    f"load {result['load']:.1f} rc={result['rc']}")
            print(line, flush=True)
            log.append(line)
            if result["rc"] != 0:
                print(result["stderr_tail"], file=sys.stderr, flush=True)
    shares = {}
    if not args.no_links:
        wanted, published = expected_links(root)
        for name, _ in setups:
            site = args.work / "sites" / f"n{n}-{name.replace('@', '-')}"
            if results[name] and results[name][-1]["rc"] == 0:
                shares[name] = link_share(site, wanted, published)
    if not args.keep_sites:
        for name, _ in setups:
            shutil.rmtree(args.work / "sites" / f"n{n}-{name.replace('@', '-')}", ignore_errors=True)
    summary = {name: {"wall": median([r["wall"] for r in rs if r["rc"] == 0]),
                      "cpu": median([r["cpu"] for r in rs if r["rc"] == 0]),
                      "user": median([r.get("user", r["cpu"]) for r in rs if r["rc"] == 0]),
                      "rss_mib": median([r["rss_mib"] for r in rs if r["rc"] == 0]),
                      "site_mib": median([r["site_bytes"] / 2**20 for r in rs if r["rc"] == 0]),
                      "ok": sum(r["rc"] == 0 for r in rs), "runs": len(rs)}
               for name, rs in results.items()}
    return {"n": n, "counts": counts, "runs": results, "summary": summary, "links": shares}


def phase_shares(runs: dict[str, list[dict]]) -> list[float]:
    """The garden's own mentions and graph phases / plain, in CPU time, for each round."""
    rounds = zip(runs.get("plain", []), runs.get("garden", []), strict=False)
    return [sum(garden["phases"].get(name, 0.0) for name in MENTION_GRAPH_PHASES) / plain["cpu"]
            for plain, garden in rounds if plain["rc"] == garden["rc"] == 0 and garden.get("phases")]


def paired_shares(runs: dict[str, list[dict]]) -> list[float]:
    """(garden - garden-nograph) / plain in CPU time, for each round whose three builds passed."""
    rounds = zip(runs.get("plain", []), runs.get("garden", []), runs.get("garden-nograph", []), strict=False)
    return [(garden["cpu"] - nograph["cpu"]) / plain["cpu"] for plain, garden, nograph in rounds
            if plain["rc"] == garden["rc"] == nograph["rc"] == 0]


def ratio(a: dict, b: dict, key: str) -> str:
    return f"{a[key] / b[key]:.2f}x" if b.get(key) and a.get(key) == a.get(key) else "n/a"


def report(sizes: list[dict], profile: dict | None, peers: dict[str, bool], args: argparse.Namespace) -> str:
    out: list[str] = []
    out.append("### Builds (medians)\n")
    out.append("| N | setup | builds ok | wall s | CPU s | user s | peak RSS MiB | site MiB |")
    out.append("|---:|---|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        for name, s in size["summary"].items():
            out.append(f"| {size['n']} | {name} | {s['ok']}/{s['runs']} | {s['wall']:.2f} | {s['cpu']:.2f} | {s['user']:.2f} "
                       f"| {s['rss_mib']:.0f} | {s['site_mib']:.1f} |")
    out.append("\n### Ratios\n")
    out.append("CPU is user + system time; user time leaves out the kernel's writing of the site, which "
               "moves the most from build to build on a virtual machine's disk.\n")
    out.append("| N | ratio | wall | CPU | user CPU | peak RSS | site size |")
    out.append("|---:|---|---:|---:|---:|---:|---:|")
    for size in sizes:
        s = size["summary"]
        rows = [("garden / plain", "garden", "plain"), ("garden-warm / plain", "garden-warm", "plain"),
                ("garden-warm-tomorrow / plain", "garden-warm-tomorrow", "plain"),
                ("garden-nograph / plain", "garden-nograph", "plain")]
        if "garden-fullnav" in s:
            rows += [("garden-fullnav / plain-fullnav", "garden-fullnav", "plain-fullnav"),
                     ("plain-fullnav / plain (nav cost)", "plain-fullnav", "plain")]
        for peer in (p for p in s if p.startswith("peer-")):
            base = "plain@peers" if peer.endswith("-compact") else "plain-fullnav@peers"
            rows.append((f"{peer} / {base.removesuffix('@peers')} (peers venv)", peer, base))
        for label, a, b in rows:
            out.append(f"| {size['n']} | {label} | {ratio(s[a], s[b], 'wall')} | {ratio(s[a], s[b], 'cpu')} "
                       f"| {ratio(s[a], s[b], 'user')} | {ratio(s[a], s[b], 'rss_mib')} "
                       f"| {ratio(s[a], s[b], 'site_mib')} |")
    out.append("\n### What mentions and the graph add\n")
    out.append("(garden - garden-nograph) / plain: the build time the backlinks (linked mentions) and "
               "the graph (layout, communities, PageRank, graph page, graph.json, SVG, local graphs) add, "
               "as a share of the plain build. Cold: the garden's cache is deleted before every build.\n")
    out.append("The first two columns use the medians above; the third pairs the three builds of each round "
               "(built one after the other, so they share the machine's state) and gives the median over "
               "rounds with its range, which is steadier when the machine's speed drifts between rounds.\n")
    out.append("The last column is measured inside the garden build instead: the CPU time of the plugin's "
               f"own phases that exist only for them ({', '.join(MENTION_GRAPH_PHASES)}) over the same round's "
               "plain build. It leaves out what the larger pages cost MkDocs to write, and is far less noisy.\n")
    out.append("| N | wall | CPU | CPU, paired by round: median (range) | the plugin's mentions and graph phases / plain |")
    out.append("|---:|---:|---:|---:|---:|")
    for size in sizes:
        s = size["summary"]
        if "garden-nograph" in s:
            extra = [(s["garden"][key] - s["garden-nograph"][key]) / s["plain"][key] for key in ("wall", "cpu")]
            spreads = []
            for shares in (paired_shares(size["runs"]), phase_shares(size["runs"])):
                spreads.append(f"{median(shares):+.1%} ({min(shares):+.1%} to {max(shares):+.1%})" if shares else "n/a")
            out.append(f"| {size['n']} | {extra[0]:+.0%} | {extra[1]:+.0%} | {spreads[0]} | {spreads[1]} |")
    if any(size["links"] for size in sizes):
        out.append("\n### Wikilinks turned into working links (last build of each setup)\n")
        out.append("| N | setup | (source, target) pairs linked | heading/block pairs with a working anchor |")
        out.append("|---:|---|---:|---:|")
        for size in sizes:
            for name, share in size["links"].items():
                out.append(f"| {size['n']} | {name} | {share['working']}/{share['pairs']} ({share['share']:.0%}) "
                           f"| {share['anchor_ok']}/{share['anchor_pairs']} ({share['anchor_share']:.0%}) |")
    out.append("\n### Peer plugins\n")
    for name, ok in peers.items():
        out.append(f"- `{PEER_DISTS[name][0]}`: {'installed, built' if ok else 'not available in the peers venv'}")
    if profile:
        total = profile["total"]
        out.append(f"\n### Profile of one garden build at N={args.profile_size} (cProfile, in-process)\n")
        out.append(f"Profiled build: {profile['wall_profiled']:.1f} s wall, {total:.1f} s CPU (profiling overhead included); "
                   f"plugin events {profile['plugin']:.1f} s = {profile['plugin'] / total:.0%} of the build.\n")
        out.append("| phase (cumulative CPU time of its entry functions) | s | share of build |")
        out.append("|---|---:|---:|")
        for phase, seconds in sorted(profile["phases"].items(), key=lambda kv: -kv[1]):
            out.append(f"| {phase} | {seconds:.2f} | {seconds / total:.1%} |")
        out.append(f"| MkDocs + Markdown + Material + search (everything outside the plugin's events) "
                   f"| {total - profile['plugin']:.2f} | {(total - profile['plugin']) / total:.1%} |")
        out.append(f"| **whole build** | {total:.2f} | 100% |")
        out.append("\nSelf time by package:\n")
        out.append("| package | self s | share |")
        out.append("|---|---:|---:|")
        for group, seconds in sorted(profile["by_package"].items(), key=lambda kv: -kv[1]):
            out.append(f"| {group} | {seconds:.2f} | {seconds / total:.1%} |")
        out.append("\nPlugin functions by cumulative time (top 15):\n")
        out.append("| function | calls | self s | cumulative s |")
        out.append("|---|---:|---:|---:|")
        for cumulative, own, calls, where in profile["hot"][:15]:
            out.append(f"| `{where}` | {calls} | {own:.2f} | {cumulative:.2f} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated note counts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="N = 100 and 1000, one round")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=Path("/tmp/garden-bench"))
    parser.add_argument("--fullnav-max", type=int, default=1000, help="largest N built with the full nav")
    parser.add_argument("--peers-venv", type=Path, default=Path("/tmp/peers-venv"))
    parser.add_argument("--peers-max", type=int, default=1000, help="largest N the peers are built at")
    parser.add_argument("--profile-size", type=int, default=1000, help="0: no profile")
    parser.add_argument("--no-links", action="store_true", help="skip the link-share analysis")
    parser.add_argument("--keep-sites", action="store_true")
    parser.add_argument("--regenerate", action="store_true", help="regenerate vaults already in --work")
    parser.add_argument("--json", type=Path, help="write every measurement here")
    parser.add_argument("--markdown", type=Path, help="write the tables here")
    parser.add_argument("--profile-child", nargs=3, metavar=("CONFIG", "SITE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.profile_child:
        profile_build(*(Path(p) for p in args.profile_child))
        return
    if args.quick:
        args.sizes, args.repeat = "100,1000", 1
    sizes = [int(s) for s in args.sizes.split(",") if s]
    args.work.mkdir(parents=True, exist_ok=True)
    peers = peers_available(args.peers_venv / "bin" / "python")
    print(f"peers: {json.dumps(peers)}", flush=True)
    log: list[str] = []
    measured = []
    for n in sizes:
        measured.append(bench_size(n, args, peers, log))
        if args.json:  # partial results survive a run stopped before the end
            args.json.write_text(json.dumps({"sizes": measured, "peers": peers, "argv": sys.argv, "log": log},
                                            indent=1), encoding="utf-8")
    profile = None
    if args.profile_size:
        root = args.work / f"n{args.profile_size}"
        if not (root / "counts.json").exists():
            generate_vault(root, args.profile_size, args.seed)
        out = args.work / "profile.json"
        subprocess.run([sys.executable, __file__, "--profile-child", str(root / "garden.yml"),
                        str(args.work / "sites" / "profile"), str(out)], check=True,
                       env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        profile = json.loads(out.read_text(encoding="utf-8"))
        shutil.rmtree(args.work / "sites" / "profile", ignore_errors=True)
    text = report(measured, profile, peers, args)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps({"sizes": measured, "profile": profile, "peers": peers,
                                         "argv": sys.argv, "log": log}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
