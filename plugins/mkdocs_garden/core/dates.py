"""When a note was planted and last tended: frontmatter first, then git history, then the file.

Git dates come from one `git log` over the whole vault (not one call per note), so a large
garden pays for a single process. Growth stages (seedling, budding, evergreen) come from the
`stage` property.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from .model import Note

STAGES = ("seedling", "budding", "evergreen")
_CREATED_KEYS = ("created", "date")
_UPDATED_KEYS = ("updated", "modified", "last_tended")


@dataclass(frozen=True)
class NoteDates:
    """A note's dates and where each came from ("frontmatter", "git" or "file")."""

    created: date | None
    updated: date | None
    source: str


GitDates = dict[str, tuple[date, date]]  # vault path -> (first commit date, last commit date)
_Stamp = tuple[tuple[int, int, int] | None, ...]


@dataclass
class GitMemo:
    """`git_dates` kept while serving: the dates of one folder at one HEAD commit, and the
    files git rewrites whenever HEAD moves (`HEAD`, the branch's ref, `packed-refs`) as they
    were just before HEAD was read."""

    folder: str = ""
    head: str = ""
    dates: GitDates = field(default_factory=dict)
    dirs: tuple[Path, Path] | None = None  # the git dir and the common dir (refs) of `folder`
    stamp: _Stamp | None = None
    outside: _Stamp | None = None  # where git looks for a repository, when `folder` is in none


def git_dates(folder: Path, memo: GitMemo | None = None) -> GitDates:
    """Vault path -> (first commit date, last commit date) for every file git tracks under
    `folder`; empty when `folder` is not in a git work tree, has no commit, or git is missing.

    The dates depend only on the commits, so `memo` (kept while serving) keeps them until HEAD
    moves. A rebuild looks at the files that say where HEAD is (three `stat` calls) and asks
    git nothing while they are unchanged; when they changed, it asks git where HEAD is, and
    reads the history again only if HEAD moved.
    """
    where = str(folder)
    if memo is not None and memo.folder != where:  # another folder: start from a fresh memo's state
        vars(memo).update(vars(GitMemo(folder=where)))
    try:
        stamp = None
        if memo is not None:
            if memo.dirs is None:
                searched = _repository_stamp(folder)  # before git looks
                if searched == memo.outside:
                    return {}  # still in no repository: no `.git` appeared where git looks
                try:
                    memo.dirs = _git_dirs(folder)
                except (OSError, subprocess.SubprocessError):
                    memo.outside = searched
                    raise
            stamp = _head_stamp(*memo.dirs)  # before HEAD is read: a move after it shows next time
            if stamp is not None and stamp == memo.stamp:
                return memo.dates
        top, head = _run(folder, "rev-parse", "--show-prefix", "HEAD").split("\n")[:2]
        if memo is not None and memo.head == head:
            memo.stamp = stamp
            return memo.dates
        log = _run(folder, "log", "--format=%x00%cs", "--name-only", "--no-renames", "HEAD", "--", ".")
    except (OSError, subprocess.SubprocessError, ValueError):
        return {}
    found: GitDates = {}
    when: date | None = None
    for line in log.splitlines():
        if line.startswith("\0"):
            when = date.fromisoformat(line[1:])
        elif line and when is not None and line.startswith(top):
            path = line[len(top):]
            first, last = found.get(path, (when, when))
            found[path] = (min(first, when), max(last, when))  # log runs newest first
    if memo is not None:
        memo.head, memo.dates, memo.stamp = head, found, stamp
    return found


def _run(folder: Path, *command: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *command], capture_output=True, text=True, check=True,
                          timeout=120).stdout


def _git_dirs(folder: Path) -> tuple[Path, Path]:
    git_dir, common = _run(folder, "rev-parse", "--absolute-git-dir", "--git-common-dir").split("\n")[:2]
    return Path(git_dir), folder / common  # the common dir may be given relative to `folder`


def _repository_stamp(folder: Path) -> _Stamp:
    """What is at `.git` in `folder` and each folder above it, where git looks for the
    repository a folder is in (`git init` or a clone makes one appear)."""
    here = folder.absolute()
    return tuple(_stat(place / ".git") for place in (here, *here.parents))


def _head_stamp(git_dir: Path, common: Path) -> _Stamp | None:
    """What the files that say where HEAD is are now (modification time, size, inode: git
    replaces them by renaming a new file in place); None where refs are kept in a reftable,
    which this does not read."""
    if (common / "reftable").exists():
        return None
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    watched = [git_dir / "HEAD", common / "packed-refs"]
    if head.startswith("ref:"):
        watched.append(common / head[4:].strip())
    return tuple(_stat(path) for path in watched)


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size, status.st_ino)


def _frontmatter_date(note: Note, keys: tuple[str, ...]) -> date | None:
    for key in keys:
        value = note.frontmatter.get(key)
        if isinstance(value, str):
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


def note_dates(note: Note, git: dict[str, tuple[date, date]], mtime: float | None,
               latest: float | None = None) -> NoteDates:
    """Frontmatter `created`/`updated`, else git's first and last commit, else the file's mtime,
    clamped to `latest` (SOURCE_DATE_EPOCH) so a fresh checkout builds the same bytes."""
    created, updated = _frontmatter_date(note, _CREATED_KEYS), _frontmatter_date(note, _UPDATED_KEYS)
    if created or updated:
        return NoteDates(created, updated or created, "frontmatter")
    if note.path in git:
        first, last = git[note.path]
        return NoteDates(first, last, "git")
    if mtime is not None:
        day = datetime.fromtimestamp(min(mtime, latest) if latest is not None else mtime, tz=timezone.utc).date()
        return NoteDates(None, day, "file")
    return NoteDates(None, None, "")


def growth_stage(note: Note) -> str | None:
    """The note's growth stage from its `stage` property, if it is one of the known three."""
    value = note.frontmatter.get("stage")
    return value.strip().lower() if isinstance(value, str) and value.strip().lower() in STAGES else None
