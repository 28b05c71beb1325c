"""`garden/timeline.json`: the timeline for machines, versioned and deterministic.

Schema, version 1 (keys always present, in this order; dates are ISO `YYYY-MM-DD` or null):

```
{
  "version": 1,
  "as_of": "2024-02-01",                 # the build's "today": counts depend on it
  "plan": {"start": date, "end": date, "days": int} | null,
  "stats": {"days", "logged", "skipped", "not_logged", "ahead", "longest_streak": int,
            "longest_streak_start": date | null, "undated", "entries", "tasks",
            "tasks_done", "tasks_late", "tasks_overdue": int},
  "entries": [                           # timeline order: undated, by date, undatable
    {"id": "path:line", "path": str, "line": int, "heading": str, "anchor": str,
     "url": str, "source": "heading" | "daily-note" | "frontmatter",
     "day": int | null, "day_end": int | null, "undated": int | null,
     "start": date | null, "end": date | null, "days": int,
     "inferred": bool, "inferred_from": str | null, "skipped": bool,
     "summary": str (Markdown), "links": [str] (raw targets, as written)}
  ],
  "tasks": [                             # by path, then line
    {"path": str, "line": int, "description": str, "status": str (Tasks status type),
     "status_char": str, "created", "scheduled", "start", "due", "done", "cancelled": date | null,
     "lateness": {"kind": "early" | "on-time" | "late" | "overdue", "days": int} | null,
     "entry": str | null (id of the journal entry the task is written in)}
  ]
}
```

`stats` follow `timeline_plan`: days inside the plan window (or first to last dated entry when
there is no plan). A date that does not exist is null here and reported as a build warning.
A change that removes or renames a key, or changes a value's meaning, bumps `version`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from itertools import groupby
from operator import attrgetter
from typing import Any

from .memo import RebuildMemo, making
from .model import Task
from .timeline_entries import JournalEntry
from .timeline_plan import (
    TimelineStats,
    Window,
    entries_by_note,
    task_date,
    task_home,
    task_homes,
    task_lateness,
)

TIMELINE_JSON_VERSION = 1
_TASK_DATES = ("created", "scheduled", "start", "due", "done", "cancelled")


def timeline_json(entries: Sequence[JournalEntry], tasks: Sequence[Task], window: Window | None,
                  stats: TimelineStats, *, url_for_entry: Callable[[JournalEntry], str]) -> dict[str, Any]:
    """The document described in the module docstring; `json.dumps` it as is (no sort_keys
    needed: every dict is built in schema order, every list in a documented order)."""
    home_of = task_homes(entries)
    return _document(entries, window, stats, url_for_entry,
                     [_task_json(task, home_of(task), stats.today) for task in _in_order(tasks)])


def timeline_json_text(entries: Sequence[JournalEntry], tasks: Sequence[Task], window: Window | None,
                       stats: TimelineStats, *, url_for_entry: Callable[[JournalEntry], str],
                       tasks_memo: RebuildMemo[str] | None = None) -> str:
    """`timeline_json` as compact text: the bytes of `json.dumps(document, ensure_ascii=False,
    separators=(",", ":"))`, with the tasks encoded note by note, so that `tasks_memo` (kept
    by the caller across `serve` rebuilds) keeps the text of each note's tasks while they and
    the note's entries (where a task's `entry` comes from) are the same. Encoding the whole
    document took 10-20 ms at 1,000 notes (2,410 tasks) in every rebuild that made the
    timeline again; encoding it by parts costs a build the same."""
    by_note = entries_by_note(entries)
    texts = []
    with making(tasks_memo) as memo:
        for path, group in groupby(_in_order(tasks), key=attrgetter("path")):
            note_tasks, note_entries = tuple(group), tuple(by_note.get(path, ()))  # make() runs at once
            texts.append(memo.get(path, (note_tasks, note_entries, stats.today), lambda _ask: ",".join(
                _encode(_task_json(task, task_home(task, note_entries), stats.today)) for task in note_tasks)))
    head = _encode(_document(entries, window, stats, url_for_entry, []))
    return f"{head.removesuffix('[]}')}[{','.join(texts)}]}}"


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # compact: the C encoder


def _in_order(tasks: Sequence[Task]) -> list[Task]:
    return sorted(tasks, key=lambda t: (t.path, t.line))


def _document(entries: Sequence[JournalEntry], window: Window | None, stats: TimelineStats,
              url_for_entry: Callable[[JournalEntry], str], tasks: list[Any]) -> dict[str, Any]:
    return {
        "version": TIMELINE_JSON_VERSION,
        "as_of": stats.today.isoformat(),
        "plan": ({"start": _iso(window[0]), "end": _iso(window[1]),
                  "days": (window[1] - window[0]).days + 1} if window else None),
        "stats": _stats_json(stats),
        "entries": [_entry_json(e, url_for_entry(e)) for e in entries],
        "tasks": tasks,
    }


def _stats_json(stats: TimelineStats) -> dict[str, Any]:
    return {
        "days": stats.days, "logged": stats.logged, "skipped": stats.skipped,
        "not_logged": stats.not_logged, "ahead": stats.ahead,
        "longest_streak": stats.longest_streak,
        "longest_streak_start": _iso(stats.longest_streak_start), "undated": stats.undated,
        "entries": stats.entries, "tasks": stats.tasks, "tasks_done": stats.tasks_done,
        "tasks_late": stats.tasks_late, "tasks_overdue": stats.tasks_overdue,
    }


def _entry_json(entry: JournalEntry, url: str) -> dict[str, Any]:
    return {
        "id": entry.key, "path": entry.path, "line": entry.line, "heading": entry.heading,
        "anchor": entry.anchor, "url": url, "source": entry.source,
        "day": entry.day_number, "day_end": entry.day_end, "undated": entry.undated_index,
        "start": _iso(entry.start), "end": _iso(entry.end), "days": entry.days,
        "inferred": entry.inferred, "inferred_from": entry.inferred_from,
        "skipped": entry.skipped, "summary": entry.summary, "links": list(entry.links),
    }


def _task_json(task: Task, home: JournalEntry | None, today: date) -> dict[str, Any]:
    lateness = task_lateness(task, today)
    return {
        "path": task.path, "line": task.line, "description": task.description,
        "status": task.status_type, "status_char": task.status_char,
        **{name: _iso(task_date(task, name)) for name in _TASK_DATES},
        "lateness": {"kind": lateness.kind, "days": lateness.days} if lateness else None,
        "entry": home.key if home else None,
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
