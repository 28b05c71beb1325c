"""The build benchmark splits its profile by phase through a table of entry functions,
matched by name: a function renamed or removed would silently count as zero."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bench_build():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "scripts" / "bench_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _phases() -> dict[str, list[tuple[str, str]]]:
    return _bench_build().PHASES


def _defined(source: Path) -> set[str]:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def test_every_phase_entry_names_a_function_of_the_plugin() -> None:
    package = ROOT / "plugins" / "mkdocs_garden"
    missing = []
    for phase, entries in _phases().items():
        for suffix, name in entries:
            if name not in _defined(package / suffix.removeprefix("mkdocs_garden/")):
                missing.append(f"{phase}: {suffix} {name}")
    assert missing == []


def test_every_plugin_event_the_profile_sums_is_a_method_of_the_plugin() -> None:
    defined = _defined(ROOT / "plugins" / "mkdocs_garden" / "plugin.py")
    assert [name for name in _bench_build().PLUGIN_EVENTS if name not in defined] == []
