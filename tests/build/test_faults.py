"""Faults while writing: deleted, renamed, unreadable, half-written, broken or escaping links.
The build reports the file and goes on; the next build is correct."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.garden_build import build_site, tree_hash, write_vault

pytestmark = pytest.mark.build


def test_builds_survive_faults_and_recover(tmp_path: Path) -> None:
    docs = write_vault(tmp_path, {"index.md": "# Home\n\n[[A]] [[B]]\n", "A.md": "# A\n", "B.md": "# B\n"})
    (tmp_path / "outside.md").write_text("# Outside\n\nCANARY-OUTSIDE\n")
    os.symlink(tmp_path / "outside.md", docs / "escape.md")
    os.symlink("nowhere.md", docs / "broken.md")  # dangling, inside the vault
    (docs / "half.md").write_bytes("# Half\n\ncaf\u00e9".encode()[:-1])  # saved mid-character
    before = tree_hash(docs)

    first = build_site(tmp_path)
    assert not first.failed
    assert "CANARY-OUTSIDE" not in first.all_text()
    assert any("escape.md:1: symlink to a file outside the vault" in m for m in first.warnings)
    assert any("broken.md:1: cannot read the note" in m for m in first.warnings)
    assert any("half.md:3: not valid UTF-8" in m for m in first.warnings)
    assert tree_hash(docs) == before

    (docs / "B.md").unlink()
    (docs / "A.md").rename(docs / "A2.md")
    (docs / "broken.md").unlink()
    (docs / "half.md").write_text("# Half\n\ncafé, saved whole\n", encoding="utf-8")
    second = build_site(tmp_path)
    assert not second.failed
    assert "saved whole" in second.html("half.md")
    assert second.html("index.md").count("garden-unwritten") == 2  # A and B are gone
    assert not any("broken.md" in m or "half.md" in m for m in second.warnings)
