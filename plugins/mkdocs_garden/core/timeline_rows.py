"""The rows of the timeline page: entries in order, skipped runs collapsed, tasks placed on days.

A task appears on every row whose days hold one of its dates: the day it was created (its
`➕` date, else the entry it is written in), the day it is due and the day it was done. A date
that falls on no entry (the author's tasks due on 2023-11-17, the day after Day 20) gets a
row of its own, so that every dated task is somewhere on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from .model import Task
from .timeline_entries import JournalEntry
from .timeline_plan import task_date, task_homes

RowKind = Literal["entry", "skipped", "tasks"]
EventKind = Literal["written", "created", "due", "done"]


@dataclass
class TimelineRow:
    """One row of the page: an entry, a run of skipped entries, or a day with only tasks."""

    kind: RowKind
    entries: list[JournalEntry]
    start: date | None
    end: date | None
    events: dict[tuple[str, int], tuple[Task, list[EventKind]]] = field(default_factory=dict)

    def dates(self) -> list[date]:
        """Every day the row covers."""
        if self.start is None or self.end is None:
            return []
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def add(self, task: Task, kind: EventKind) -> None:
        """Record that `task` has a `kind` event on this row (once per kind)."""
        kinds = self.events.setdefault((task.path, task.line), (task, []))[1]
        if kind not in kinds:
            kinds.append(kind)

    def tasks(self) -> list[tuple[Task, list[EventKind]]]:
        """The row's tasks in source order (`timeline_rows` adds them in that order), each with
        its events in the order they happen."""
        return list(self.events.values())


def timeline_rows(entries: Sequence[JournalEntry], tasks: Sequence[Task]) -> list[TimelineRow]:
    """Rows in timeline order: undated entries, dated rows by date, then undatable entries."""
    rows = _entry_rows(entries)
    by_day: dict[date, TimelineRow] = {}
    for row in rows:
        for day in row.dates():
            by_day.setdefault(day, row)
    by_entry = {e.key: row for row in rows for e in row.entries}
    extra: dict[date, TimelineRow] = {}
    home_of = task_homes(entries)
    for task in sorted(tasks, key=lambda t: (t.path, t.line)):
        home = home_of(task)
        if home is not None and task_date(task, "created") is None:
            by_entry[home.key].add(task, "written")
        kinds: tuple[EventKind, ...] = ("created", "due", "done")
        for kind in kinds:
            when = task_date(task, kind)
            if when is not None:
                home_row = by_day.get(when) or extra.setdefault(
                    when, TimelineRow("tasks", [], when, when))
                home_row.add(task, kind)
    undated = [r for r in rows if r.start is None and r.entries[0].undated_index is not None]
    dateless = [r for r in rows if r.start is None and r.entries[0].undated_index is None]
    dated = sorted([r for r in rows if r.start] + list(extra.values()),
                   key=lambda r: r.start or date.min)
    return undated + dated + dateless


def _entry_rows(entries: Sequence[JournalEntry]) -> list[TimelineRow]:
    """One row per entry, consecutive skipped entries on consecutive days folded into one."""
    rows: list[TimelineRow] = []
    for entry in entries:
        last = rows[-1] if rows else None
        if entry.skipped and last and last.kind == "skipped" and _follows(last, entry):
            last.entries.append(entry)
            last.end = entry.end
            continue
        rows.append(TimelineRow("skipped" if entry.skipped else "entry", [entry],
                                entry.start, entry.end))
    return rows


def _follows(row: TimelineRow, entry: JournalEntry) -> bool:
    """The entry starts the day after the row ends (or both are dateless, of one journal)."""
    if row.end is None or entry.start is None:
        prev = row.entries[-1]
        return (row.end is None and entry.start is None and prev.path == entry.path
                and prev.undated_index is None and entry.undated_index is None)
    return entry.start == row.end + timedelta(days=1)
