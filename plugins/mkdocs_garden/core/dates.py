"""When a note was planted and last tended: frontmatter first, then git history, then the file.

Git dates come from one `git log` over the whole vault (not one call per note), so a large
garden pays for a single process. Growth stages (seedling, budding, evergreen) come from the
`stage` property.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
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


GitMemo = dict[tuple[str, str], dict[str, tuple[date, date]]]  # (folder, HEAD commit) -> dates


def git_dates(folder: Path, memo: GitMemo | None = None) -> dict[str, tuple[date, date]]:
    """Vault path -> (first commit date, last commit date) for every file git tracks under
    `folder`; empty when `folder` is not in a git work tree, has no commit, or git is missing.

    The dates depend only on the commits, so `memo` (kept while serving) keeps them until HEAD
    moves: a rebuild asks git one short question instead of reading the whole history.
    """
    try:
        top, head = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-prefix", "HEAD"],
                                   capture_output=True, text=True, check=True, timeout=30).stdout.split("\n")[:2]
        key = (str(folder), head)
        if memo is not None and key in memo:
            return memo[key]
        log = subprocess.run(["git", "-C", str(folder), "log", "--format=%x00%cs", "--name-only",
                              "--no-renames", "HEAD", "--", "."], capture_output=True, text=True, check=True,
                             timeout=120).stdout
    except (OSError, subprocess.SubprocessError, ValueError):
        return {}
    found: dict[str, tuple[date, date]] = {}
    when: date | None = None
    for line in log.splitlines():
        if line.startswith("\0"):
            when = date.fromisoformat(line[1:])
        elif line and when is not None and line.startswith(top):
            path = line[len(top):]
            first, last = found.get(path, (when, when))
            found[path] = (min(first, when), max(last, when))  # log runs newest first
    if memo is not None:
        memo.clear()
        memo[key] = found
    return found


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
