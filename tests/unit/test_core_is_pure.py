"""The core must run without MkDocs (ProperDocs or another generator can drive it)."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "plugins" / "mkdocs_garden" / "core"


def test_no_core_module_imports_mkdocs() -> None:
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("mkdocs", "properdocs")]
    assert offenders == []
    assert len(list(CORE.rglob("*.py"))) > 10  # the walk really saw the core
