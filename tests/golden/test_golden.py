"""Golden vaults: each folder here holds a `vault/`; the rewritten Markdown of every
published note and the problems reported are compared with `expected/`.

Regenerate after an intended change with `GARDEN_REGEN=1 pytest tests/golden` and review
the diff of `expected/` like code.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from urllib.parse import quote

import pytest

from mkdocs_garden.core.rewrite import PageTargets, Rewriter
from mkdocs_garden.core.vault import PrivacyRules, build_vault, link_problems

HERE = Path(__file__).parent
CASES = sorted(p.name for p in HERE.iterdir() if (p / "vault").is_dir())
REGEN = os.environ.get("GARDEN_REGEN") == "1"


def _targets(page: str) -> PageTargets:
    def md_href(path: str, anchor: str) -> str:
        relative = posixpath.relpath(path, posixpath.dirname(page) or ".")
        return quote(relative) + (f"#{anchor}" if anchor else "")

    return PageTargets(md_href, md_href, lambda tag: md_href("tags.md", f"tag-{tag.lower()}"))


def _render(case: Path) -> dict[str, str]:
    vault_dir = case / "vault"
    files = sorted(p.relative_to(vault_dir).as_posix() for p in vault_dir.rglob("*") if p.is_file())
    texts = {p: (vault_dir / p).read_text(encoding="utf-8") for p in files if p.endswith(".md")}
    vault = build_vault(texts, [p for p in files if not p.endswith(".md")],
                        privacy=PrivacyRules(("private/**",)))
    rewriter = Rewriter(vault)
    out = {f"{p}.out": rewriter.page_markdown(vault.notes[p])(_targets(p)) for p in sorted(texts) if p not in vault.private}
    problems = [str(p) for p in vault.problems + link_problems(vault) + rewriter.problems]
    out["problems.txt"] = "\n".join(problems) + "\n"
    out["published.txt"] = "\n".join(p for p in files if vault.is_public(p)) + "\n"
    return out


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    expected_dir = HERE / case / "expected"
    actual = _render(HERE / case)
    if REGEN:
        for name, text in actual.items():
            target = expected_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    expected = {p.relative_to(expected_dir).as_posix(): p.read_text(encoding="utf-8")
                for p in expected_dir.rglob("*") if p.is_file()}
    assert actual == expected
