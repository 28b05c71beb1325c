"""`mkdocs build --dirty`: the edited note and every page whose mentions, embeds or links it
changes are rebuilt, and no other."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.garden_build import write_vault

pytestmark = [pytest.mark.build, pytest.mark.slow, pytest.mark.usefixtures("one_day")]


def _build(root: Path, *flags: str) -> None:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", *flags], cwd=root, check=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def _mtimes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("index.html")}


def _built_garden(root: Path, notes: dict[str, str]) -> tuple[Path, Path]:
    """A Material + garden site of `notes`, built once: (its docs folder, its site folder)."""
    docs = write_vault(root, notes)
    (root / "mkdocs.yml").write_text("site_name: S\ntheme: material\nplugins: [garden]\n")
    _build(root)
    return docs, root / "site"


def test_dirty_rebuild_touches_the_edited_note_and_its_dependents_only(tmp_path: Path) -> None:
    docs, site = _built_garden(tmp_path, {
        "index.md": "# Home\n",
        "A.md": "# A\n\nno links yet\n",
        "B.md": "# B\n\ntarget\n",
        "C.md": "# C\n\n![[B]]\n",
        "D.md": "# D\n\nuntouched, links [[index]]\n",
    })
    before = _mtimes(site)
    time.sleep(1.1)  # mtimes must be able to differ

    (docs / "A.md").write_text("# A\n\nnow links [[B]]\n")
    _build(tmp_path, "--dirty")
    after = _mtimes(site)
    changed = sorted(p for p in before if after[p] != before[p])
    assert "A/index.html" in changed and "B/index.html" in changed
    assert "D/index.html" not in changed and "C/index.html" not in changed
    assert "now links" in (site / "B" / "index.html").read_text()

    time.sleep(1.1)
    (docs / "B.md").write_text("# B\n\ntarget, edited\n")
    _build(tmp_path, "--dirty")
    assert "target, edited" in (site / "C" / "index.html").read_text()  # C embeds B

    time.sleep(1.1)
    (docs / "A.md").write_text("# A\n\nlinks nothing again\n")
    _build(tmp_path, "--dirty")
    assert 'href="../A/"' not in (site / "B" / "index.html").read_text().split("garden-linked", 1)[-1]


def test_dirty_rebuild_follows_embedded_links_and_source_titles(tmp_path: Path) -> None:
    """Two things a page shows that its own text and links do not decide: where a link inside
    an embedded note now points, and the title of a note that mentions it."""
    docs, site = _built_garden(tmp_path, {
        "index.md": "# Home\n",
        "E.md": "# E\n\n![[F]]\n",
        "F.md": "# F\n\nsee [[G]]\n",
        "A.md": "---\ntitle: First title\n---\nlinks [[B]]\n",
        "B.md": "# B\n\ntarget\n",
    })
    assert ">First title</a>" in (site / "B" / "index.html").read_text()
    assert 'href="../G/"' not in (site / "E" / "index.html").read_text()
    time.sleep(1.1)

    (docs / "G.md").write_text("# G\n\nnow written\n")
    (docs / "A.md").write_text("---\ntitle: New title\n---\nlinks [[B]]\n")  # same line, same context
    _build(tmp_path, "--dirty")
    assert 'href="../G/"' in (site / "E" / "index.html").read_text()  # through the embed of F
    mentions = (site / "B" / "index.html").read_text().split("garden-linked", 1)[-1]
    assert ">New title</a>" in mentions
