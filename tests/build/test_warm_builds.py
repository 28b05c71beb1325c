"""A build that starts from the last build's cache makes the same site as one that starts
cold, whatever changed in the vault between them, and parses and renders only what changed."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mkdocs_garden.core.build_cache import FILE_NAME
from tests.garden_build import Built, build_site, write_vault

pytestmark = [pytest.mark.build, pytest.mark.slow, pytest.mark.usefixtures("one_day")]

VAULT = {
    "index.md": "# Home\n\nSee [[A]] and [[B#Old heading|B's heading]].\n",
    "A.md": "# A\n\nLinks [[B]], [[C#^para]] and a [file](files/report.pdf).\n\n![[C]]\n\n- [ ] write C 📅 2024-05-01\n",
    "B.md": "---\ntags: [topic]\n---\n# B\n\n## Old heading\n\nText of B. #inline\n",
    "C.md": "# C\n\nA paragraph. ^para\n\n> [!note] A callout\n> in C\n",
    "D.md": "# D\n\nUntouched: [[A]].\n",
}


def _site(built: Built) -> dict[str, str]:
    assert not built.failed, built.messages
    return {p.relative_to(built.site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(built.site.rglob("*")) if p.is_file()}


def _log(built: Built) -> tuple[list[str], int]:
    """The notes the build parsed, and how many results it took from the cache."""
    return _read_log(built.messages)


def _read_log(lines: list[str]) -> tuple[list[str], int]:
    line = next(m for m in lines if "garden phases" in m)
    found = re.search(r"notes parsed \d+: (.*?)(?: …)? · results from the build cache (\d+)$", line)
    assert found, line
    return [p for p in found.group(1).split(", ") if p], int(found.group(2))


def _warm_then_cold(root: Path, garden: dict[str, object] | None = None,
                    extra: dict[str, object] | None = None) -> tuple[Built, dict[str, str]]:
    """A build from the cache the last build left, then one without it: the first, and the
    second's site."""
    warm = build_site(root, garden=garden, extra=extra)
    warm_site = _site(warm)
    shutil.rmtree(root / ".cache")
    cold = build_site(root, garden=garden, extra=extra)
    assert _log(cold)[1] == 0
    assert _site(cold) == warm_site, sorted(p for p, h in _site(cold).items() if warm_site.get(p) != h)
    assert [m for m in warm.messages if "WARNING" in m] == [m for m in cold.messages if "WARNING" in m]
    return warm, warm_site


def test_a_warm_build_makes_the_same_site_and_parses_nothing(tmp_path: Path) -> None:
    write_vault(tmp_path, VAULT)
    first = build_site(tmp_path)
    assert _log(first) == (sorted(VAULT), 0)
    assert (tmp_path / ".cache" / "garden" / FILE_NAME).is_file()
    warm, site = _warm_then_cold(tmp_path)
    parsed, reused = _log(warm)
    assert parsed == []
    assert reused == 4 * len(VAULT)  # each note's parse, tasks, rewritten Markdown and HTML
    assert site == _site(first)
    assert not (tmp_path / "docs" / ".cache").exists() and sorted(p.name for p in (tmp_path / "docs").iterdir()) == sorted(VAULT)


# Each: what to do to the vault between two builds, and the notes the warm build parses again.
CHANGES: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "a note edited": (lambda docs: (docs / "D.md").write_text("# D\n\nEdited: [[A]] and [[B]].\n"), ["D.md"]),
    "a heading renamed that a link names": (
        lambda docs: (docs / "B.md").write_text(VAULT["B.md"].replace("Old heading", "New heading")), ["B.md"]),
    "the file a Markdown link names added": (
        lambda docs: (docs / "files").mkdir() or (docs / "files" / "report.pdf").write_bytes(b"%PDF-1.4\n"), []),
    "an embedded note edited": (
        lambda docs: (docs / "C.md").write_text(VAULT["C.md"].replace("A paragraph", "Another paragraph")), ["C.md"]),
    "a note made private": (
        lambda docs: (docs / "B.md").write_text("---\npublish: false\n" + VAULT["B.md"].removeprefix("---\n")),
        ["B.md"]),
    "a note deleted": (lambda docs: (docs / "C.md").unlink(), []),
    "a note added": (lambda docs: (docs / "E.md").write_text("# E\n\n[[A]] [[C]]\n"), ["E.md"]),
}


@pytest.mark.parametrize("change", CHANGES)
def test_after_a_change_a_warm_build_makes_what_a_cold_one_does(tmp_path: Path, change: str) -> None:
    docs = write_vault(tmp_path, VAULT)
    build_site(tmp_path)
    edit, parsed = CHANGES[change]
    edit(docs)
    warm, _site_now = _warm_then_cold(tmp_path)
    assert _log(warm)[0] == parsed
    assert _log(warm)[1] > 0


def test_the_site_shows_what_changed_not_what_was_kept(tmp_path: Path) -> None:
    docs = write_vault(tmp_path, VAULT)
    first = build_site(tmp_path)
    assert "files/report.pdf" in " ".join(first.warnings)
    assert 'href="B/#old-heading"' in first.html("index.md")
    (docs / "files").mkdir()
    (docs / "files" / "report.pdf").write_bytes(b"%PDF-1.4\n")
    (docs / "B.md").write_text(VAULT["B.md"].replace("Old heading", "New heading"))
    (docs / "C.md").write_text(VAULT["C.md"].replace("A paragraph", "Another paragraph"))
    warm = build_site(tmp_path)
    assert not any("report.pdf" in w for w in warm.warnings)
    assert 'href="../files/report.pdf"' in warm.html("A.md")
    assert "Another paragraph" in warm.html("A.md")  # the embed
    assert 'href="B/#old-heading"' not in warm.html("index.md")


def test_a_damaged_cache_is_reported_and_the_build_goes_on(tmp_path: Path) -> None:
    write_vault(tmp_path, VAULT)
    first = _site(build_site(tmp_path))
    (tmp_path / ".cache" / "garden" / FILE_NAME).write_bytes(b"\0garbage" * 500)
    damaged = build_site(tmp_path)
    assert any(FILE_NAME in m and m.startswith("INFO") for m in damaged.messages)
    assert _log(damaged) == (sorted(VAULT), 0)
    assert _site(damaged) == first
    assert _log(build_site(tmp_path))[0] == []  # replaced by a good one


def test_serve_reads_the_cache_in_its_first_build_only(tmp_path: Path) -> None:
    write_vault(tmp_path, VAULT)
    build_site(tmp_path)
    served = build_site(tmp_path, command="serve", serve_url="http://127.0.0.1:8000/")
    assert _log(served) == ([], 4 * len(VAULT))


def test_a_new_day_rewrites_again_only_the_pages_whose_tasks_are_overdue(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    write_vault(tmp_path, {
        "index.md": "# Home\n",
        "Overdue.md": "# Overdue\n\n- [ ] open, due in May 📅 2024-05-01\n",
        "Embeds.md": "# Embeds\n\n![[Overdue]]\n",
        "Calm.md": "# Calm\n\n- [ ] due later 📅 2030-01-01\n- [x] done late 📅 2024-05-01 ✅ 2024-05-03\n",
        "Plain.md": "# Plain\n",
    })
    build_site(tmp_path)  # 2024-06-01 (one_day)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1717200000 + 86400))
    warm = build_site(tmp_path)
    assert "overdue by 32 days" in warm.html("Overdue.md") and "overdue by 32 days" in warm.html("Embeds.md")
    # Every note's parse, tasks and HTML; the rewritten Markdown of all but the two that show the
    # overdue task (rewritten again, to the same Markdown: the chip is settled in the HTML).
    assert _log(warm) == ([], 3 * 5 + 3)
    _warm_then_cold(tmp_path)


def _cli_build(root: Path, *flags: str) -> tuple[list[str], int]:
    """`mkdocs build` in a process of its own, as a user runs it: what `_log` reads."""
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", *flags], cwd=root, check=True, text=True,
                          capture_output=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return _read_log(done.stderr.splitlines())


def test_a_dirty_build_keeps_what_it_did_not_render(tmp_path: Path) -> None:
    docs = write_vault(tmp_path, VAULT)
    (tmp_path / "mkdocs.yml").write_text("site_name: S\ntheme: material\nplugins: [search, garden]\n")
    assert _cli_build(tmp_path) == (sorted(VAULT), 0)
    (docs / "D.md").write_text("# D\n\nEdited.\n")
    parsed, _ = _cli_build(tmp_path, "--dirty")  # renders D and the pages it changed, no other
    assert parsed == ["D.md"]
    assert _cli_build(tmp_path) == ([], 4 * len(VAULT))


def test_a_note_whose_text_the_parse_changed_comes_back_as_parsed(tmp_path: Path) -> None:
    """A NUL is read as U+FFFD: the cache keeps that text, not the file's."""
    docs = write_vault(tmp_path, {"index.md": "# Home\n", "N.md": "# N\n\nnul \0 here [[index]]\n"})
    build_site(tmp_path)
    (docs / "index.md").write_text("# Home\n\nedited\n")
    warm, _ = _warm_then_cold(tmp_path)
    assert "\ufffd" in warm.html("N.md")


def test_an_embed_shown_as_a_link_past_the_depth_gets_its_new_title(tmp_path: Path) -> None:
    garden = {"embed_depth": 1}
    docs = write_vault(tmp_path, {"index.md": "# Home\n", "A.md": "# A\n\n![[B]]\n", "B.md": "# B\n\n![[C]]\n",
                                  "C.md": "---\ntitle: Old title\n---\n# C\n\ntext\n"})
    assert "Old title" in build_site(tmp_path, garden=garden).html("A.md")
    (docs / "C.md").write_text("---\ntitle: New title\n---\n# C\n\ntext\n")
    warm, _ = _warm_then_cold(tmp_path, garden)
    assert "New title" in warm.html("A.md") and "Old title" not in warm.html("A.md")


def test_python_markdown_renders_the_days_overdue_chip_too(tmp_path: Path) -> None:
    garden = {"renderer": "python-markdown"}
    write_vault(tmp_path, {"index.md": "# Home\n", "T.md": "# T\n\n- [ ] late 📅 2024-05-01\n"})
    build_site(tmp_path, garden=garden)
    warm, _ = _warm_then_cold(tmp_path, garden)
    page = warm.html("T.md")
    assert "overdue by 31 days" in page and "garden-overdue" not in page


def test_another_slugify_setting_parses_every_note_again(tmp_path: Path) -> None:
    """Headings' ids are in the parse: a new `toc` separator must not meet the old ones."""
    write_vault(tmp_path, VAULT)
    build_site(tmp_path)
    underscores = {"markdown_extensions": [{"toc": {"separator": "_"}}]}
    warm, _ = _warm_then_cold(tmp_path, extra=underscores)
    assert _log(warm)[0] == sorted(VAULT)
    assert 'href="B/#old_heading"' in warm.html("index.md")
