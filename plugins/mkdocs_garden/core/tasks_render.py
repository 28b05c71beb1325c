"""How tasks look on the site: status labels, date chips and the static Tasks page.

Pure functions of `Task` values and a `today` date. `today` is passed in, never read from the
clock here, so a page built twice from the same vault and `SOURCE_DATE_EPOCH` is identical.
Every piece of note text is escaped with `html.escape` before it reaches the output.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import partial

from .memo import RebuildMemo, making
from .model import Task, TaskDate
from .prerender import html_body, inline_html

_LABELS = {
    "TODO": "open", "DONE": "done", "IN_PROGRESS": "in progress", "ON_HOLD": "on hold",
    "CANCELLED": "cancelled", "NON_TASK": "not a task",
}
_OPEN = frozenset({"TODO", "IN_PROGRESS", "ON_HOLD"})
_MARKS = {"DONE": "☑", "CANCELLED": "☒"}  # every open status shows an empty box
# (field, chip text) in the order Tasks writes the dates (§7.4.6).
_DATE_CHIPS = (
    ("created", "created"), ("start", "starts"), ("scheduled", "scheduled"),
    ("due", "due"), ("cancelled", "cancelled"), ("done", "done"),
)
_PRIORITY_NAMES = {0: "highest", 1: "high", 2: "medium", 4: "low", 5: "lowest"}
_SOON_DAYS = 7
_GROUPS = ("Overdue", "Due soon", "Later", "No due date", "Done", "Cancelled")
_EPOCH = re.compile(r"[0-9]+")
_BRACKETS = re.compile(r"([\[\]])")


def task_status_label(task: Task) -> str:
    """A reader's word for the status type: "open", "done", "in progress", "cancelled" ..."""
    return _LABELS.get(task.status_type, "open")


def _valid(value: TaskDate | None) -> date | None:
    return value.value if value is not None and value.valid else None


def lateness_days(task: Task) -> int | None:
    """Days between due and done (positive: late, negative: early); None unless both are real."""
    done, due = _valid(task.done), _valid(task.due)
    return (done - due).days if done is not None and due is not None else None


# An HTML comment holding the due date: another plugin that reads the Markdown, or a renderer
# that left it unsettled, shows nothing.
_OVERDUE_OPEN, _OVERDUE_CLOSE = "<!--garden-overdue:", "-->"
_OVERDUE_MARK = re.compile(f"{_OVERDUE_OPEN}(\\d{{4}}-\\d{{2}}-\\d{{2}}){_OVERDUE_CLOSE}( ?)")


def _overdue_days(task: Task, today: date) -> int:
    due = _valid(task.due)
    if task.status_type not in _OPEN or due is None or due >= today:
        return 0
    return (today - due).days


def _overdue_chip(days: int) -> str:
    return _chip("overdue", f"overdue by {_days(days)}")


def settle_overdue(text: str, today: date) -> str:
    """`text` (HTML or Markdown holding chips made without a day) with each mark an overdue
    chip if its task is overdue on `today`, else gone with the space `task_chips_html` would
    not have written (the one before it, or else the one after)."""
    if _OVERDUE_OPEN not in text:
        return text
    pieces, done = [], 0
    # The pattern starts with its mark: the search skips to each one (a leading optional space
    # would make it try every position of every page).
    for found in _OVERDUE_MARK.finditer(text):
        start, end = found.span()
        try:
            days = (today - date.fromisoformat(found.group(1))).days
        except ValueError:  # not a mark the chips wrote: a note's own text
            continue
        after = found.group(2)
        if days > 0:
            pieces += [text[done:start], _overdue_chip(days), after]
        elif start > done and text[start - 1] == " ":
            pieces += [text[done:start - 1], after]
        else:
            pieces.append(text[done:start])
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def overdue_shown(tasks: Sequence[Task], today: date) -> str:
    """All that `task_chips_html` shows of `today` for these tasks (how long each open one is
    overdue), as text: a note whose text holds the same tasks shows the same chips while it
    holds. So a page is signed with this, not with the day, and a new day renders again only
    the pages whose tasks are overdue."""
    return ",".join(f"{i}:{days}" for i, task in enumerate(tasks) if (days := _overdue_days(task, today)))


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _chip(kind: str, text: str, title: str = "", extra: str = "") -> str:
    classes = f"garden-chip garden-chip--{kind}" + (f" garden-chip--{extra}" if extra else "")
    attr = f' title="{html.escape(title)}"' if title else ""
    return f'<span class="{classes}"{attr}>{html.escape(text)}</span>'


def _date_chips(task: Task) -> Iterator[str]:
    for name, label in _DATE_CHIPS:
        value: TaskDate | None = getattr(task, name)
        if value is None:
            continue
        if value.valid:
            yield _chip(name, f"{label} {value.raw}")
        else:  # Tasks consumes the text but drops the date from every search (§7.3)
            yield _chip(name, f"{label} {value.raw} (invalid date)",
                        title="not a real calendar date", extra="invalid")


def _finish_chip(verb: str, finished: date | None, due: date | None) -> str | None:
    """How far from the due date a task was finished (done or cancelled)."""
    if finished is None or due is None:
        return None
    days = (finished - due).days
    if days > 0:
        return _chip("late", f"{verb} {_days(days)} after due")
    if days < 0:
        return _chip("early", f"{verb} {_days(-days)} before due")
    return _chip("on-time", f"{verb} on due date")


def task_chips_html(task: Task, today: date | None) -> str:
    """Readable chips for a task's metadata, as one HTML string in a fixed order.

    Priority, recurrence, every date (invalid ones flagged), how late or early it was finished,
    how long an open task is overdue relative to `today`, and a marker for a missing checkbox.
    With no `today`, an open task with a due date gets a mark in place of the overdue chip,
    which `settle_overdue` turns into the chip, or nothing, for the day: the rest of a page
    does not change with the day, and what was made of it can be kept.
    """
    chips: list[str] = []
    priority = _PRIORITY_NAMES.get(task.priority)
    if priority:
        chips.append(_chip("priority", f"{priority} priority", extra=f"priority-{priority}"))
    if task.recurrence:
        chips.append(_chip("recurrence", f"repeats {task.recurrence}"))
    chips.extend(_date_chips(task))
    due = _valid(task.due)
    for verb, finished in (("done", task.done), ("cancelled", task.cancelled)):
        chip = _finish_chip(verb, _valid(finished), due)
        if chip:
            chips.append(chip)
    if today is None:
        if task.status_type in _OPEN and due is not None:
            chips.append(f"{_OVERDUE_OPEN}{due.isoformat()}{_OVERDUE_CLOSE}")
    elif overdue := _overdue_days(task, today):
        chips.append(_overdue_chip(overdue))
    if task.checkbox_missing:
        chips.append(_chip("no-checkbox", "no checkbox",
                           title="written without a checkbox; read as a task in tolerant mode"))
    return " ".join(chips)


def _group_of(task: Task, today: date) -> str | None:
    """Which section of the Tasks page a task belongs to; None for non-tasks."""
    if task.status_type in ("DONE", "CANCELLED"):
        return "Done" if task.status_type == "DONE" else "Cancelled"
    if task.status_type not in _OPEN:
        return None
    due = _valid(task.due)
    if due is None:
        return "No due date"
    if due < today:
        return "Overdue"
    return "Due soon" if due <= today + timedelta(days=_SOON_DAYS) else "Later"


def _sort_key(task: Task, group: str) -> tuple[bool, date, str, int]:
    """By the date that defines the group, then path, then line; undated last."""
    when = _valid({"Done": task.done, "Cancelled": task.cancelled}.get(group, task.due))
    return (when is None, when or date.min, task.path, task.line)


def _render_item(task: Task, today: date, link: str) -> str:
    """One list item: box, description, chips and a link to the source line."""
    label = task_status_label(task)
    mark = (f'<span class="garden-task-status" data-task="{html.escape(task.status_char)}" '
            f'title="{html.escape(label)}">{_MARKS.get(task.status_type, "☐")}</span>')
    # The description stays Markdown (emphasis, code) but cannot inject HTML, and its brackets
    # are escaped: a note's relative links would point nowhere from this page.
    text = inline_html(_BRACKETS.sub(r"\\\1", html.escape(task.description, quote=False)))
    text = text or "<em>(no description)</em>"
    chips = task_chips_html(task, today)
    if label not in ("open", "done", "cancelled"):
        chips = " ".join(filter(None, (_chip("status", label), chips)))
    source = f'<a href="{html.escape(link)}">{html.escape(f"{task.path}:{task.line}")}</a>'
    return "<li>" + " ".join(filter(None, (mark, text, chips, f"· {source}"))) + "</li>"


def _render_today(today: date, today_source: str, counts: Mapping[str, int]) -> str:
    open_count = sum(counts[g] for g in _GROUPS[:4])
    summary = f"{open_count} open ({counts['Overdue']} overdue), {counts['Done']} done, " \
        f"{counts['Cancelled']} cancelled" if any(counts.values()) else ""
    return (f'<p class="garden-tasks-today">Today is taken as <strong>{today.isoformat()}</strong>'
            f" (source: {html.escape(today_source)})."
            + (f" {html.escape(summary)}." if summary else "") + "</p>")


def tasks_page_markdown(
    tasks: Sequence[Task],
    today: date,
    *,
    link_for: Callable[[Task], str],
    today_source: str,
    items_memo: RebuildMemo[str] | None = None,
) -> str:
    """The Markdown of a static Tasks page (its lists are HTML bodies, `prerender.html_body`).

    Open tasks grouped Overdue / Due soon (next 7 days) / Later / No due date, then Done and
    Cancelled with how late or early they finished; each group sorted by its date, then path,
    then line. `link_for` gives the relative URL (with anchor) of a task's source line.
    `items_memo` (kept by the caller across `serve` rebuilds) keeps each task's list item: a
    saved note moves only its own tasks. While it keeps them, `link_for` must give the same
    link for an equal task.
    """
    groups: dict[str, list[Task]] = {name: [] for name in _GROUPS}
    for task in tasks:
        group = _group_of(task, today)
        if group is not None:
            groups[group].append(task)
    counts = {name: len(members) for name, members in groups.items()}
    lines = ["# Tasks", "", html_body(_render_today(today, today_source, counts)), ""]
    if not any(counts.values()):
        return "\n".join([*lines, "No tasks were found in the published notes.", ""])
    with making(items_memo) as memo:
        for name in _GROUPS:
            members = sorted(groups[name], key=partial(_sort_key, group=name))
            if members:
                items = "\n".join(_kept_item(task, today, link_for, memo) for task in members)
                lines += [f"## {name}", "", html_body(f"<ul>\n{items}\n</ul>"), ""]
    return "\n".join(lines)


def _kept_item(task: Task, today: date, link_for: Callable[[Task], str], memo: RebuildMemo[str]) -> str:
    """`_render_item`, kept under all it reads."""
    return memo.get(f"{task.path}:{task.line}", (task, today), lambda _ask: _render_item(task, today, link_for(task)))


def today_for_build(
    environ: Mapping[str, str], now: datetime | None = None
) -> tuple[date, str]:
    """The date a build calls "today", and where it came from.

    `SOURCE_DATE_EPOCH` (seconds since 1970, read in UTC) wins when it is a valid timestamp,
    so reproducible builds agree on what is overdue; otherwise the local date of `now`.
    """
    raw = environ.get("SOURCE_DATE_EPOCH", "").strip()
    source = "build date"
    if raw:
        try:
            if _EPOCH.fullmatch(raw):
                return datetime.fromtimestamp(int(raw), tz=UTC).date(), "SOURCE_DATE_EPOCH"
        except (OverflowError, OSError, ValueError):
            pass
        source = "build date (SOURCE_DATE_EPOCH ignored: not a Unix timestamp)"
    return (now or datetime.now()).date(), source
