"""The plan window, progress through it, and how late each task was.

The plan comes from a journal's frontmatter, `plan: {start: 2023-10-28, end: 2024-01-26,
weeks: 13}`. Weeks count whole days: the window of `weeks: 13` from 2023-10-28 ends on
start + 13 * 7 - 1 days = 2024-01-26, inclusive (91 days), the date the author's break ends.

Days are counted inside the window only; a day is *logged* when an entry that is not skipped
covers it (a day claimed by a logged and a skipped entry counts as logged), *skipped* when
only skipped entries cover it, *not logged* when it has passed (today included, since today
can still be logged) without any entry, and *ahead* when it is after today.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from .model import Note, Problem, Task
from .timeline_config import TimelineConfig
from .timeline_dates import DateError, coerce_date, frontmatter_line, parse_date
from .timeline_entries import JournalEntry

Window = tuple[date, date]
DayStatus = Literal["logged", "skipped", "not-logged", "ahead"]


def plan_window(note: Note, problems: list[Problem],
                config: TimelineConfig | None = None) -> Window | None:
    """The inclusive (start, end) of the note's plan, problems appended to `problems`.

    `end` wins over `weeks` when both are given (with a warning when they disagree); an end
    before its start falls back to `weeks`, or to no window. Without a frontmatter plan, a
    consistent `Target: <start> to <end>` line in the body is the plan. A target line whose end
    is before its start is reported as info when the frontmatter plan corrects it (the author's
    words stay as written and strict builds still pass), as a warning when nothing does.
    """
    config = config or TimelineConfig()
    window = _frontmatter_window(note, problems, config)
    target = _target_line(note, config)
    if target is None:
        return window
    line, start, end = target
    if end < start:
        fixed = f"; the frontmatter plan {window[0]} to {window[1]} is used" if window else ""
        problems.append(Problem(note.path, line, f"plan target end {end} is before its start "
                                f"{start}{fixed}", "info" if window else "warning"))
    return window or (target[1:] if start <= end else None)


def _frontmatter_window(note: Note, problems: list[Problem],
                        config: TimelineConfig) -> Window | None:
    plan = note.frontmatter.get(config.plan_key)
    if plan is None:
        return None
    line = frontmatter_line(note.text, note.body_line, config.plan_key)

    def warn(message: str) -> None:
        problems.append(Problem(note.path, line, message))

    if not isinstance(plan, dict) or "start" not in plan:
        warn(f"plan needs a start date: '{plan}'")
        return None
    try:
        start = coerce_date(plan["start"], config.date_formats)
        end = coerce_date(plan["end"], config.date_formats) if plan.get("end") else None
    except DateError as exc:
        warn(f"{exc} in the plan")
        return None
    weeks = plan.get("weeks")
    by_weeks = start + timedelta(days=int(weeks) * 7 - 1) if isinstance(weeks, int) else None
    if end and end < start:
        warn(f"plan end {end} is before its start {start}")
        end = None
    elif end and by_weeks and end != by_weeks:
        warn(f"plan end {end} is not {weeks} weeks from its start {start} (that is {by_weeks})")
    end = end or by_weeks
    if end is None and "end" not in plan and "weeks" not in plan:
        warn(f"plan starting {start} needs an end date or a number of weeks")
    return (start, end) if end else None


def _target_line(note: Note, config: TimelineConfig) -> tuple[int, date, date] | None:
    """The first `Target: a to b` line of the body, if both ends are dates."""
    match = config.target_re.search(note.text, note.body_start) if config.target_re else None
    if match is None:
        return None
    try:
        start, end = (parse_date(match[g], config.date_formats) for g in ("start", "end"))
    except DateError:
        return None
    return note.line_of(match.start("start")), start, end


def find_window(notes: Iterable[Note], problems: list[Problem],
                config: TimelineConfig | None = None) -> Window | None:
    """The timeline's window: the plan of the first journal (by path) that has one."""
    config = config or TimelineConfig()
    windows = [plan_window(n, problems, config)
               for n in sorted(notes, key=lambda n: n.path) if config.is_journal(n)]
    return next((w for w in windows if w), None)


def day_statuses(entries: Iterable[JournalEntry], window: Window,
                 today: date) -> dict[date, DayStatus]:
    """The status of every day of the window, in date order."""
    covered: dict[date, bool] = {}  # day -> logged (True) or only skipped (False)
    for entry in entries:
        for day in entry.dates():
            covered[day] = covered.get(day, False) or not entry.skipped
    statuses: dict[date, DayStatus] = {}
    for offset in range((window[1] - window[0]).days + 1):
        day = window[0] + timedelta(days=offset)
        if day in covered:
            statuses[day] = "logged" if covered[day] else "skipped"
        else:
            statuses[day] = "not-logged" if day <= today else "ahead"
    return statuses


@dataclass(frozen=True)
class TimelineStats:
    """Progress through the plan, counted in days of `span` (the window, else the entries)."""

    window: Window | None
    span: Window | None  # what was counted: the plan window, or first to last dated entry
    today: date
    days: int
    logged: int
    skipped: int
    not_logged: int
    ahead: int
    longest_streak: int
    longest_streak_start: date | None
    undated: int
    entries: int
    tasks: int
    tasks_done: int
    tasks_late: int  # done after their due date
    tasks_overdue: int  # not done, due before today


TaskCounts = tuple[int, int, int, int]  # tasks, done, done late, overdue


def task_counts(tasks: Sequence[Task], today: date) -> TaskCounts:
    """How many `tasks` there are, are done, were done late and are overdue `today`."""
    lateness = [task_lateness(t, today) for t in tasks]
    return (len(tasks), sum(1 for t in tasks if t.status_type == "DONE"),
            sum(1 for x in lateness if x and x.kind == "late"), sum(1 for x in lateness if x and x.kind == "overdue"))


def timeline_summary(entries: Sequence[JournalEntry], tasks: Sequence[Task],
                     window: Window | None, today: date, counted: TaskCounts | None = None) -> TimelineStats:
    """Days logged, skipped, not yet logged and ahead; the longest run of logged days; and
    `task_counts(tasks, today)`, unless the caller has them (`counted`)."""
    starts = [e.start for e in entries if e.start]
    ends = [e.end for e in entries if e.end]
    span = window or ((min(starts), max(ends)) if starts and ends else None)
    statuses = day_statuses(entries, span, today) if span else {}
    counts = {s: sum(1 for v in statuses.values() if v == s)
              for s in ("logged", "skipped", "not-logged", "ahead")}
    streak, streak_start = _longest_streak(statuses)
    total, done, late, overdue = task_counts(tasks, today) if counted is None else counted
    return TimelineStats(
        window=window, span=span, today=today, days=len(statuses), logged=counts["logged"],
        skipped=counts["skipped"], not_logged=counts["not-logged"], ahead=counts["ahead"],
        longest_streak=streak, longest_streak_start=streak_start,
        undated=sum(1 for e in entries if e.undated_index is not None), entries=len(entries),
        tasks=total, tasks_done=done, tasks_late=late, tasks_overdue=overdue,
    )


def _longest_streak(statuses: dict[date, DayStatus]) -> tuple[int, date | None]:
    """The longest run of consecutive logged days (the earliest, on a tie) and its start."""
    best, best_start, run, run_start = 0, None, 0, None
    for day, status in statuses.items():  # in date order, one per day
        if status != "logged":
            run = 0
            continue
        run, run_start = run + 1, run_start if run else day
        if run > best:
            best, best_start = run, run_start
    return best, best_start


def task_date(task: Task, name: str) -> date | None:
    """A task's date field (`due`, `done`, `created`, ...) when it names a real day."""
    value = getattr(task, name)
    return value.value if value is not None else None  # `value` is None for a day that is none


@dataclass(frozen=True)
class Lateness:
    """How a task's completion compares with its due date: `days` is always >= 0."""

    kind: Literal["early", "on-time", "late", "overdue"]
    days: int

    def __str__(self) -> str:
        unit = "day" if self.days == 1 else "days"
        return {"early": f"done {self.days} {unit} before due", "on-time": "done on the due date",
                "late": f"done {self.days} {unit} after due",
                "overdue": f"{self.days} {unit} overdue"}[self.kind]


def task_lateness(task: Task, today: date) -> Lateness | None:
    """Done tasks against their due date; open tasks whose due date has passed are overdue."""
    due, done = task_date(task, "due"), task_date(task, "done")
    if due is None:
        return None
    if done is not None:
        gap = (done - due).days
        return Lateness("late" if gap > 0 else "early" if gap < 0 else "on-time", abs(gap))
    if task.status_type in ("TODO", "IN_PROGRESS", "ON_HOLD") and due < today:
        return Lateness("overdue", (today - due).days)
    return None


def task_problems(tasks: Iterable[Task]) -> list[Problem]:
    """Tasks whose dates contradict themselves: done before created, or a day that is none."""
    problems = []
    for task in sorted(tasks, key=lambda t: (t.path, t.line)):
        for name in ("created", "scheduled", "start", "due", "done", "cancelled"):
            value = getattr(task, name)
            if value is not None and not value.valid:
                problems.append(Problem(task.path, task.line,
                                        f"task {name} date does not exist '{value.raw}'"))
        created, done = task_date(task, "created"), task_date(task, "done")
        if created and done and done < created:
            problems.append(Problem(task.path, task.line, f"task done {done} before it was "
                                    f"created {created} '{task.description}'"))
    return problems


def task_homes(entries: Iterable[JournalEntry]) -> Callable[[Task], JournalEntry | None]:
    """`task_home` for any task, among `entries` of any notes: they are grouped by note once,
    and each task looks only at its own note's. Scanning every entry for every task cost 10 ms
    of each timeline at 1,000 notes (2,450 tasks, 100 entries), in a build and in each `serve`
    rebuild that makes the timeline again."""
    by_note = entries_by_note(entries)
    return lambda task: task_home(task, by_note.get(task.path, ()))


def entries_by_note(entries: Iterable[JournalEntry]) -> dict[str, list[JournalEntry]]:
    """The entries of each note, in their order."""
    by_note: dict[str, list[JournalEntry]] = {}
    for entry in entries:
        by_note.setdefault(entry.path, []).append(entry)
    return by_note


def task_home(task: Task, entries: Iterable[JournalEntry]) -> JournalEntry | None:
    """The journal entry whose body holds the task line (the innermost one), if any, among
    `entries`, the entries of the task's own note (`entries_by_note`).

    The author's tasks carry no `➕ created` date; the day they were written down is the day
    of the entry they sit in, which is what "tasks created that day" means for a journal.
    """
    home = None
    for entry in entries:
        if entry.line < task.line <= entry.end_line and (home is None or entry.line > home.line):
            home = entry
    return home
