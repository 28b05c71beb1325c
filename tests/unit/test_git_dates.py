"""Notes' created and updated dates from git (core/dates.py `git_dates`): first and last
commit of each file under the vault folder, and, while serving, git's history read again only
when HEAD moved."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import pytest
from mkdocs_garden.core import dates
from mkdocs_garden.core.dates import GitMemo, git_dates


def commit(repo: Path, day: str, files: dict[str, str]) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    stamp = f"{day}T12:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", day], check=True, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    commit(tmp_path, "2024-01-02", {"docs/a.md": "a", "docs/sub/b.md": "b", "README.md": "r"})
    commit(tmp_path, "2024-03-04", {"docs/a.md": "a, again"})
    return tmp_path


def test_first_and_last_commit_of_each_file_under_the_folder(repo: Path) -> None:
    assert git_dates(repo / "docs") == {"a.md": (date(2024, 1, 2), date(2024, 3, 4)),
                                        "sub/b.md": (date(2024, 1, 2), date(2024, 1, 2))}


def test_no_repository_or_no_commit_gives_no_dates(tmp_path: Path) -> None:
    assert git_dates(tmp_path) == {}
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert git_dates(tmp_path) == {}


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The git commands `git_dates` runs from now on."""
    asked: list[str] = []
    run = subprocess.run

    def counting(command: list[str], **kwargs: object) -> subprocess.CompletedProcess:
        asked.append(command[3])
        return run(command, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dates.subprocess, "run", counting)
    return asked


def test_history_is_read_again_only_when_head_moves(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    memo = GitMemo()
    asked = _counting(monkeypatch)
    first = git_dates(repo / "docs", memo)
    assert asked == ["rev-parse", "rev-parse", "log"]  # where the refs are, where HEAD is, the history
    assert git_dates(repo / "docs", memo) is first
    (repo / "docs" / "a.md").write_text("edited, not committed", encoding="utf-8")
    assert git_dates(repo / "docs", memo) is first  # the working tree does not date anything
    assert len(asked) == 3  # nor did git need asking: HEAD's files did not change
    commit(repo, "2024-05-06", {"docs/c.md": "c"})
    assert git_dates(repo / "docs", memo)["c.md"] == (date(2024, 5, 6), date(2024, 5, 6))
    assert asked[-2:] == ["rev-parse", "log"]  # (the commit ran git too)


def _git(repo: Path, *command: str) -> None:
    subprocess.run(["git", "-C", str(repo), *command], check=True, capture_output=True)


@pytest.mark.parametrize("move", ["branch", "detached", "packed", "reset"])
def test_every_way_head_moves_is_seen(repo: Path, move: str) -> None:
    """A new commit on another branch checked out, a detached HEAD, a branch whose refs were
    packed, and a reset back: each changes the dates, and each is seen without git's help
    telling the memo to look."""
    memo = GitMemo()
    docs = repo / "docs"
    if move == "packed":
        _git(repo, "pack-refs", "--all")  # the branch's ref now lives in packed-refs only
    kept = git_dates(docs, memo)
    if move == "reset":
        _git(repo, "reset", "-q", "--hard", "HEAD~1")
        assert git_dates(docs, memo)["a.md"] == (date(2024, 1, 2), date(2024, 1, 2))
        return
    if move == "branch":
        _git(repo, "checkout", "-q", "-b", "other")
    elif move == "detached":
        _git(repo, "checkout", "-q", "--detach")
    assert git_dates(docs, memo) is kept
    commit(repo, "2024-07-08", {"docs/a.md": "a, a third time"})
    assert git_dates(docs, memo)["a.md"] == (date(2024, 1, 2), date(2024, 7, 8))


def test_a_worktree_reads_its_own_head(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """In a linked worktree HEAD is in the worktree's git dir, the branch refs in the main one."""
    tree = tmp_path_factory.mktemp("wt") / "tree"
    _git(repo, "worktree", "add", "-q", "-b", "side", str(tree))
    memo = GitMemo()
    assert git_dates(tree / "docs", memo)["a.md"] == (date(2024, 1, 2), date(2024, 3, 4))
    commit(tree, "2024-09-10", {"docs/a.md": "on the side"})
    assert git_dates(tree / "docs", memo)["a.md"] == (date(2024, 1, 2), date(2024, 9, 10))
    commit(repo, "2024-11-12", {"docs/a.md": "on main"})  # another branch: not this tree's HEAD
    assert git_dates(tree / "docs", memo)["a.md"] == (date(2024, 1, 2), date(2024, 9, 10))


def test_a_folder_in_no_repository_asks_git_again_only_once_one_appears(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("a", encoding="utf-8")
    memo = GitMemo()
    asked = _counting(monkeypatch)
    assert git_dates(docs, memo) == {} and asked == ["rev-parse"]
    assert git_dates(docs, memo) == {} and asked == ["rev-parse"]  # nothing where git looks moved
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    commit(tmp_path, "2024-02-03", {})
    assert git_dates(docs, memo) == {"a.md": (date(2024, 2, 3), date(2024, 2, 3))}


def test_one_memo_asked_of_another_folder_answers_for_that_folder(
        repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("other")
    subprocess.run(["git", "init", "-q", str(elsewhere)], check=True)
    commit(elsewhere, "2024-06-07", {"z.md": "z"})
    memo = GitMemo()
    assert "a.md" in git_dates(repo / "docs", memo)
    assert git_dates(elsewhere, memo) == {"z.md": (date(2024, 6, 7), date(2024, 6, 7))}
    assert "a.md" in git_dates(repo / "docs", memo)
