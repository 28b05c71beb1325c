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


def test_generated_pages_are_rebuilt_only_when_what_they_show_moved(tmp_path: Path) -> None:
    """MkDocs rebuilds every generated page in a `--dirty` build; the garden leaves the folder,
    tag, task, timeline and graph pages alone while their Markdown holds."""
    docs, site = _built_garden(tmp_path, {
        "index.md": "# Home\n",
        "A.md": "# A\n\n#one text\n\n- [ ] a task 📅 2024-01-05\n",
        "sub/B.md": "# B\n\n[[A]]\n",
    })
    generated = {"garden/folders/index.html", "garden/folders/sub/index.html", "garden/graph/index.html",
                 "garden/tasks/index.html", "garden/timeline/index.html", "tags/index.html"}
    assert generated <= set(_mtimes(site))

    def rebuilt_after(edit: dict[str, str]) -> set[str]:
        before = _mtimes(site)
        time.sleep(1.1)
        for path, text in edit.items():
            (docs / path).write_text(text)
        _build(tmp_path, "--dirty")
        after = _mtimes(site)
        return {p for p in after if before.get(p) != after[p]}

    assert rebuilt_after({}) == set()
    assert rebuilt_after({"sub/B.md": "# B\n\n[[A]] more words\n"}) == {"sub/B/index.html", "A/index.html"}
    assert rebuilt_after({"sub/B.md": "# B\n\n[[A]] #two\n"}) & generated == {"tags/index.html"}
    assert "two" in (site / "tags" / "index.html").read_text()
    assert rebuilt_after({"sub/C.md": "# C\n"}) & generated >= {"garden/folders/sub/index.html"}
    assert ">C</a>" in (site / "garden" / "folders" / "sub" / "index.html").read_text()
    (site / "garden" / "tasks" / "index.html").unlink()  # a page gone from the site is built again
    assert "garden/tasks/index.html" in rebuilt_after({})


def test_a_note_made_private_leaves_a_dirty_build_s_site(tmp_path: Path) -> None:
    """`--dirty` writes over the last site without cleaning it: the page of a note made private
    since, its folder's page and the home page's list of recent notes must not keep it."""
    docs, site = _built_garden(tmp_path, {"index.md": "# Home\n", "trees/Oak.md": "# Oak\n\nan oak\n",
                                          "Fern.md": "# Fern\n"})
    assert (site / "trees" / "Oak" / "index.html").is_file() and "trees/Oak/" in (site / "index.html").read_text()
    time.sleep(1.1)
    (docs / "trees" / "Oak.md").write_text("---\npublish: false\n---\n# Oak\n\nan oak\n")
    _build(tmp_path, "--dirty")
    assert not (site / "trees" / "Oak").exists() and not (site / "garden" / "folders" / "trees").exists()
    published = "".join(path.read_text(errors="replace") for path in site.rglob("*") if path.is_file())
    assert "Oak" not in published and (site / "Fern" / "index.html").is_file()


def test_a_build_into_another_folder_leaves_the_dirty_build_s_baseline(tmp_path: Path) -> None:
    """What a `--dirty` build compares with is the last build into its own site folder: a build
    elsewhere in between (`-d`, or `mkdocs serve`, which builds into a folder of its own) must
    not stand for it, or the page of a note made private in between would stay."""
    docs, site = _built_garden(tmp_path, {"index.md": "# Home\n", "trees/Oak.md": "# Oak\n", "Fern.md": "# Fern\n"})
    time.sleep(1.1)
    (docs / "trees" / "Oak.md").write_text("---\npublish: false\n---\n# Oak\n")
    _build(tmp_path, "-d", str(tmp_path / "elsewhere"))
    _build(tmp_path, "--dirty")
    assert not (site / "trees" / "Oak").exists() and (site / "Fern" / "index.html").is_file()
