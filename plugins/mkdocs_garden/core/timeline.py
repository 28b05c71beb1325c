"""The garden's timeline: journal entries, the plan, progress, the page, its JSON and charts.

This module is the public face; the work lives in modules by concept:

* `timeline_config`: `TimelineConfig` (heading patterns, date formats, daily-note names);
* `timeline_entries`: `JournalEntry`, `journal_entries`, `infer_dates` and their checks;
* `timeline_plan`: `plan_window`, `timeline_summary` (`TimelineStats`), task lateness;
* `timeline_rows` / `timeline_render`: the page's rows and its Markdown;
* `timeline_json`: `garden/timeline.json`, its schema in that module's docstring (and
  `timeline_json_text`, its text);
* `charts`: the calendar and burn-up SVGs, written directly.

`build_timeline` runs the pure part in one call so the adapter stays thin: it reads notes and
tasks, and returns entries, window, stats and every problem, sorted by place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .memo import RebuildMemo, making
from .model import Note, Problem, Task
from .timeline_config import DEFAULT_HEADING_PATTERNS, TimelineConfig
from .timeline_entries import JournalEntry, infer_dates, journal_entries, same_day_problems
from .timeline_json import TIMELINE_JSON_VERSION, timeline_json, timeline_json_text
from .timeline_plan import (
    Lateness,
    TaskCounts,
    TimelineStats,
    Window,
    day_statuses,
    find_window,
    plan_window,
    task_counts,
    task_home,
    task_homes,
    task_lateness,
    task_problems,
    timeline_summary,
)
from .timeline_render import timeline_page_markdown

__all__ = [
    "DEFAULT_HEADING_PATTERNS",
    "TIMELINE_JSON_VERSION",
    "JournalEntry",
    "Lateness",
    "Timeline",
    "TimelineConfig",
    "TimelineStats",
    "Window",
    "build_timeline",
    "day_statuses",
    "find_window",
    "infer_dates",
    "journal_entries",
    "plan_window",
    "same_day_problems",
    "task_home",
    "task_homes",
    "task_lateness",
    "task_problems",
    "timeline_json",
    "timeline_json_text",
    "timeline_notes",
    "timeline_page_markdown",
    "timeline_summary",
]


@dataclass(frozen=True)
class Timeline:
    """Everything the timeline page, its JSON and its charts are made from."""

    entries: tuple[JournalEntry, ...]
    tasks: tuple[Task, ...]
    window: Window | None
    stats: TimelineStats
    problems: tuple[Problem, ...]


def timeline_notes(notes: Iterable[Note], config: TimelineConfig | None = None) -> list[Note]:
    """The notes the timeline reads: journals, daily notes and notes with a frontmatter date.
    Any other note adds no entry, no window and no problem, so a caller may keep a timeline
    for as long as these notes (and the tasks) stay the same."""
    config = config or TimelineConfig()
    key = config.frontmatter_date_key
    return [n for n in notes if config.is_journal(n)
            or (config.daily_re is not None and config.daily_re.fullmatch(n.stem))
            or (key and n.frontmatter.get(key) is not None)]


def build_timeline(notes: Iterable[Note], tasks: Iterable[Task],
                   config: TimelineConfig | None = None, *, today: date,
                   memo: RebuildMemo[tuple[list[Problem], TaskCounts]] | None = None) -> Timeline:
    """Entries, the plan window (the first journal's, by path), stats and problems. `memo`
    (kept while serving) keeps what the timeline reads of the tasks alone, their problems and
    counts, under the tasks and the day: an edit that moves no task makes neither again
    (2,450 tasks at 1,000 notes: about 3 ms of a rebuild that changed a daily note's words).

    `today` is the caller's (the build date, or SOURCE_DATE_EPOCH for reproducible builds):
    nothing here reads the clock, so the same vault and day give the same timeline.
    """
    config = config or TimelineConfig()
    notes = timeline_notes(notes, config)
    entries, problems = journal_entries(notes, config)
    window = find_window(notes, problems, config)
    ordered = tuple(sorted(tasks, key=lambda t: (t.path, t.line)))
    with making(memo) as kept:
        task_warnings, counts = kept.get("tasks", (ordered, today),
                                         lambda _ask: (task_problems(ordered), task_counts(ordered, today)))
    problems += task_warnings
    stats = timeline_summary(entries, ordered, window, today, counts)
    return Timeline(tuple(entries), ordered, window, stats,
                    tuple(sorted(set(problems), key=lambda p: (p.path, p.line, p.message))))
