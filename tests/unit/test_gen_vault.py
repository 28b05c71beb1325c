"""The benchmark's synthetic vault generator: deterministic, every promised feature present, and
links that resolve the way the garden resolves them (checked with the core, not by regex alone).

No timing here: the benchmark itself (`scripts/bench_build.py`) measures, tests only check."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
from mkdocs_garden.core.vault import PrivacyRules, build_vault, link_problems

ROOT = Path(__file__).resolve().parents[2]
N = 30


def _load_generator():
    spec = importlib.util.spec_from_file_location("gen_vault", ROOT / "scripts" / "gen_vault.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_vault"] = module
    spec.loader.exec_module(module)
    return module


gen_vault = _load_generator()


def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("vault")
    return root, gen_vault.generate_vault(root, N, seed=0)


@pytest.fixture(scope="module")
def texts(generated: tuple[Path, dict]) -> dict[str, str]:
    vault = generated[0] / gen_vault.VAULT_DIR
    return {p.relative_to(vault).as_posix(): p.read_text(encoding="utf-8") for p in sorted(vault.rglob("*.md"))}


def test_same_seed_same_bytes_other_seed_other_vault(generated: tuple[Path, dict], tmp_path: Path) -> None:
    root, counts = generated
    again = gen_vault.generate_vault(tmp_path / "again", N, seed=0)
    assert again == counts
    assert _tree_bytes(tmp_path / "again") == _tree_bytes(root)
    gen_vault.generate_vault(tmp_path / "other", N, seed=1)
    assert _tree_bytes(tmp_path / "other") != _tree_bytes(root)


def test_counts_match_the_files(generated: tuple[Path, dict], texts: dict[str, str]) -> None:
    root, counts = generated
    assert counts["notes"] == len(texts) == N
    assert counts["daily_notes"] == sum(1 for p in texts if re.fullmatch(r"daily/\d{4}-\d{2}-\d{2}\.md", p)) >= 1
    assert counts["bytes"] == sum(len(t.encode("utf-8")) for t in texts.values())
    attachments = sorted((root / gen_vault.VAULT_DIR / "attachments").iterdir())
    assert counts["attachments"] == len(attachments)
    assert {p.suffix for p in attachments} == {".png", ".svg"}
    assert all(p.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") for p in attachments if p.suffix == ".png")


def test_notes_have_the_promised_shape(texts: dict[str, str]) -> None:
    depths = {p.count("/") for p in texts if not p.startswith("daily/")}
    assert depths == {0, 1, 2, 3}
    for path, text in texts.items():
        assert text.startswith("---\ntags: [") and text.endswith("\n") and "\r" not in text
        words = len(re.sub(r"^---\n.*?\n---\n", "", text, flags=re.DOTALL).split())
        assert 150 <= words <= 1000, (path, words)  # 200-800 prose words, plus markup tokens
        links = re.findall(r"!?\[\[[^\]]+\]\]", text)
        assert 5 <= len(links) <= 16, (path, len(links))
    everything = "\n".join(texts.values())
    for form in (r"\[\[[^\]|#/]+\]\]", r"\[\[[^\]]+\|[^\]]+\]\]", r"\[\[[^\]^]+#[^\]^]+\]\]",
                 r"\[\[[^\]]+#\^b[0-9a-f]{5}\]\]", r"\[\[[^\]]+/[^\]]+\]\]", r"!\[\[[^\]]+#[^\]]+\]\]",
                 r"\[\[Unwritten ", r"aliases: \[", r"publish: false", r"(?m)^> \[!\w+\] ",
                 r"(?m)^- \[ \] .+ 📅 \d{4}-\d{2}-\d{2}$", r"(?m)^- \[x\] .+ 📅 \S+ ✅ \d{4}-\d{2}-\d{2}$",
                 r" #[a-z/]+", r" \^b[0-9a-f]{5}$"):
        assert re.search(form, everything, flags=re.MULTILINE), form


def test_image_embeds_appear_at_larger_sizes(tmp_path: Path) -> None:
    counts = gen_vault.generate_vault(tmp_path, 200, seed=3)
    assert counts["image_embeds"] > 0
    text = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "vault").rglob("*.md"))
    assert re.search(r"!\[\[(image-\d\.png|diagram-\d\.svg)\|\d+\]\]", text)


def test_most_links_resolve_with_the_garden_resolver(generated: tuple[Path, dict], texts: dict[str, str]) -> None:
    root, counts = generated
    attachments = [p.relative_to(root / "vault").as_posix() for p in (root / "vault" / "attachments").iterdir()]
    vault = build_vault(texts, attachments, privacy=PrivacyRules())
    links = [pair for pairs in vault.links.values() for pair in pairs]
    assert len(links) == counts["wikilinks"]
    missing = [link.raw for link, target in links if target.kind == "missing"]
    assert len(missing) == counts["missing_links"]
    assert all(raw.startswith("[[Unwritten ") for raw in missing)
    problems = link_problems(vault)
    doubtful = [p for p in problems if "unresolved link" not in p.message]
    assert doubtful == []  # every heading and block a link names exists, no ambiguity
    assert len(vault.private) == counts["private_notes"]
    assert sum(1 for _, t in links if t.kind in ("note", "attachment")) / len(links) >= 0.95


def test_configs_point_at_the_vault(generated: tuple[Path, dict]) -> None:
    root, _ = generated
    names = {p.stem for p in root.glob("*.yml")}
    assert {"plain", "garden", "plain-fullnav", "garden-fullnav"} <= names
    for name in names:
        config = json.loads((root / f"{name}.yml").read_text(encoding="utf-8"))
        assert config["docs_dir"] == "vault" and config["theme"] == {"name": "material"}
        assert ("garden" in json.dumps(config["plugins"])) == name.startswith("garden")
    assert json.loads((root / "garden-fullnav.yml").read_text())["plugins"][1] == {"garden": {"navigation": "full"}}
    plain_nav = json.loads((root / "plain.yml").read_text())["nav"]
    assert plain_nav[0] == {"Home": "index.md"}
    # Each peer that can is also built with plain's nav; the graph plugin reads MkDocs' own.
    compact = {name for name in names if name.endswith("-compact")}
    assert compact == {"peer-roamlinks-compact", "peer-ezlinks-compact", "peer-obsidian-bridge-compact",
                       "peer-backlinks-section-compact"}
    for name in compact:
        config = json.loads((root / f"{name}.yml").read_text(encoding="utf-8"))
        assert config["nav"] == plain_nav
        assert config["plugins"] == json.loads((root / f"{name.removesuffix('-compact')}.yml").read_text())["plugins"]


def test_the_benchmark_pairs_the_builds_of_each_round() -> None:
    """What mentions and the graph add is read per round, skipping rounds with a failed build."""
    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "scripts" / "bench_build.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    runs = {"plain": [{"cpu": 10.0, "rc": 0}, {"cpu": 5.0, "rc": 0}, {"cpu": 6.0, "rc": 0}],
            "garden": [{"cpu": 21.0, "rc": 0}, {"cpu": 12.0, "rc": 0}, {"cpu": 9.0, "rc": 0}],
            "garden-nograph": [{"cpu": 20.0, "rc": 0}, {"cpu": 11.0, "rc": 0}, {"cpu": 8.0, "rc": 1}]}
    assert bench.paired_shares(runs) == [0.1, 0.2]


def test_the_benchmark_reads_the_gardens_phase_log() -> None:
    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "scripts" / "bench_build.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    log = ("INFO    -  mkdocs_garden: garden phases (CPU s): scan, parse and resolve 1.500 · graph and layout "
           "0.300 · mentions 0.200 · mentions and local graph HTML 0.250 · graph.json and graph.svg 0.150 "
           "· notes parsed 3: a.md, b.md, c.md\n")
    phases = bench.garden_phases(log)
    assert phases["scan, parse and resolve"] == 1.5 and len(phases) == 5
    runs = {"plain": [{"cpu": 9.0, "rc": 0}], "garden": [{"cpu": 20.0, "rc": 0, "phases": phases}]}
    assert bench.phase_shares(runs) == [0.1]
