"""The timeline's charts, written directly as deterministic SVG text.

* `calendar_svg`: the plan window as a GitHub-style calendar (weeks as columns, Monday on
  top), each day coloured logged / skipped / not logged / ahead, with markers for tasks due and
  done, today outlined.
* `tasks_burnup_svg`: cumulative tasks due against tasks done over time.

Decisions:

* Written as text with the standard library, as `graph_page.graph_svg` is: a few squares,
  two step lines and some labels cost milliseconds, where importing and driving matplotlib
  cost a cold build about 0.9 s of CPU and 40 MiB of peak memory. So nothing is cached.
* Deterministic bytes: coordinates rounded to two decimals, month names from a fixed table
  (not the locale), nothing random, no ids; the same inputs give the same text.
* Each kind of mark is one element with a `class` (`logged`, `ahead`, `due`, ...): one path
  per kind of square, so a three-year plan stays one element per kind, and tests and
  stylesheets can tell the kinds apart.
* Light and dark: the page shows the charts with `<img>`, which isolates the SVG from the
  page's CSS, so `currentColor` would always be black. The background is transparent and all
  text and axes use one mid-tone grey (`MUTED`, about 4:1 contrast on white and on Material's
  slate `#1e2129`); fills are saturated mid-tones that read on both.
* Text is laid out with an estimate of its width (a little wide for common sans-serif fonts),
  in the page's system font stack; the SVG has a viewBox, so it scales to the page.
* Alt text: one sentence of what the chart shows (`Chart.alt`); it is the SVG's `<title>`
  and the page's alt text, so both say the same.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .model import Task
from .svg_text import (
    MONTHS,
    MUTED,
    count_ticks,
    date_label,
    date_ticks,
    label,
    num,
    svg_document,
    text_width,
)
from .timeline_entries import JournalEntry
from .timeline_plan import Window, day_statuses, task_date

LOGGED = "#2da44e"
SKIPPED = "#d4a72c"
DUE = "#e5534b"
DONE = "#4493f8"


def _describe_calendar(window: Window, statuses: Mapping[date, str],
                       marks: tuple[list[date], list[date]]) -> str:
    counts = {"logged": 0, "skipped": 0, "not-logged": 0, "ahead": 0}
    for status in statuses.values():
        counts[status] += 1
    due, done = (len(days) for days in marks)
    return (f"Calendar of the plan from {window[0]} to {window[1]}: {counts['logged']} days "
            f"logged, {counts['skipped']} skipped, {counts['not-logged']} not logged and "
            f"{counts['ahead']} ahead; tasks due on {due} days and done on {done} days.")


def _describe_burnup(dates: _TaskDates, window: Window | None) -> str:
    span = _burnup_span(dates, window)
    if span is None:
        return "Tasks due and done over time: no dated tasks."
    return (f"Tasks due and done over time, {span[0]} to {span[1]}: {len(dates.due)} tasks due, "
            f"{len(dates.done)} done, {dates.late} of them after their due date.")


# The calendar's grid, in points: a 20 pt pitch, squares of 88% of it.
_PITCH, _SQUARE, _INSET = 20.0, 17.6, 1.2
_CAL_LEFT, _CAL_TOP, _CAL_PAD = 24.0, 20.0, 6.0
_CAL_FONT = 7


def calendar_svg(window: Window, entries: Sequence[JournalEntry], tasks: Sequence[Task],
                 today: date) -> str:
    """The calendar of `window` as SVG text (see the module docstring)."""
    statuses = day_statuses(entries, window, today)
    marks = _marked_days(_read_task_dates(tasks), window)
    return _draw_calendar(window, statuses, marks, today, _describe_calendar(window, statuses, marks))


def _draw_calendar(window: Window, statuses: Mapping[date, str],
                   marks: tuple[list[date], list[date]], today: date, title: str) -> str:
    monday = window[0] - timedelta(days=window[0].weekday())
    columns = (window[1] - monday).days // 7 + 1
    months = _month_labels(window, monday, columns)
    legend, legend_width = _calendar_legend()
    content = max(_CAL_LEFT + columns * _PITCH,
                  *(_CAL_LEFT + c * _PITCH + _INSET + text_width(t, _CAL_FONT) for c, t in months))
    width = max(content, legend_width) + 2 * _CAL_PAD
    left = (width - content) / 2 + _CAL_LEFT  # the grid's left edge, the block centred
    bottom = _CAL_TOP + 7 * _PITCH

    def corner(day: date) -> tuple[float, float]:
        return left + (day - monday).days // 7 * _PITCH, _CAL_TOP + day.weekday() * _PITCH

    parts = _draw_cells(statuses, today, corner)
    for days, offset, style in zip(marks, (0.3 * _PITCH, 0.7 * _PITCH), _MARKERS):
        points = [(x + offset, y + offset) for x, y in map(corner, days)]
        if points:
            parts.append(style(points))
    parts += [label(left - 4, _CAL_TOP + (row + 0.5) * _PITCH + 0.35 * _CAL_FONT, name, "end")
              for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun"))]
    parts += [label(left + c * _PITCH + _INSET, _CAL_TOP - 5, t) for c, t in months]
    shift = f"{num((width - legend_width) / 2)} {num(bottom + 16)}"
    parts.append(f'<g class="legend" transform="translate({shift})">{legend}</g>')
    return svg_document(width, bottom + 28, title, parts, font_size=_CAL_FONT)


def _draw_cells(statuses: Mapping[date, str], today: date,
                corner: Callable[[date], tuple[float, float]]) -> list[str]:
    """One square per day of the window, one path per kind: fills under outlines, today's
    outline heavier, miter joins (squares, not rounded)."""
    squares: dict[str, list[str]] = {"logged": [], "skipped": [], "not-logged": [], "ahead": [],
                                     "today": []}
    for day, status in statuses.items():
        x, y = corner(day)
        square = f"M{num(x + _INSET)} {num(y + _INSET)}h{_SQUARE:g}v{_SQUARE:g}h-{_SQUARE:g}z"
        if status != "ahead":
            squares[status].append(square)
        if status == "ahead" or day == today:
            squares["today" if day == today else "ahead"].append(square)
    return [f'<path class="{kind}" {_SQUARE_STYLES[kind]} d="{"".join(paths)}"/>'
            for kind, paths in squares.items() if paths]


_SQUARE_STYLES = {
    "logged": f'fill="{LOGGED}"', "skipped": f'fill="{SKIPPED}"',
    "not-logged": f'fill="{MUTED}" fill-opacity="0.3"',
    "ahead": f'fill="none" stroke="{MUTED}" stroke-width="0.6" stroke-linejoin="miter"',
    "today": f'fill="none" stroke="{MUTED}" stroke-width="1.6" stroke-linejoin="miter"',
}


def _due_markers(points: Sequence[tuple[float, float]]) -> str:
    """White circles edged in `DUE`: a white face keeps them visible on every square."""
    circles = "".join(f'<circle cx="{num(x)}" cy="{num(y)}" r="2.55"/>' for x, y in points)
    return f'<g class="due" fill="#ffffff" stroke="{DUE}" stroke-width="1.6">{circles}</g>'


def _done_markers(points: Sequence[tuple[float, float]]) -> str:
    """`DONE` diamonds edged in white, in one path."""
    diamonds = "".join(f"M{num(x)} {num(y - 3.6)}l3.6 3.6l-3.6 3.6l-3.6-3.6z" for x, y in points)
    return f'<path class="done" fill="{DONE}" stroke="#ffffff" stroke-width="0.8" d="{diamonds}"/>'


_MARKERS = (_due_markers, _done_markers)


def _calendar_legend() -> tuple[str, float]:
    """The legend row (its origin at the left end, on the row's middle) and its width."""
    square = '<rect x="0" y="-3.5" width="7" height="7" {}/>'.format
    swatch = {"logged": square(_SQUARE_STYLES["logged"]), "skipped": square(_SQUARE_STYLES["skipped"]),
              "not logged": square(_SQUARE_STYLES["not-logged"]),
              "ahead": f'<rect x="0.3" y="-3.2" width="6.4" height="6.4" {_SQUARE_STYLES["ahead"]}/>',
              "task due": _due_markers([(3.5, 0)]), "task done": _done_markers([(3.5, 0)])}
    parts, x = [], 0.0
    for name, mark in swatch.items():
        parts.append(f'<g transform="translate({num(x)} 0)">{mark}</g>'
                     + label(x + 11, 0.35 * _CAL_FONT, name))
        x += 11 + text_width(name, _CAL_FONT) + 10
    return "".join(parts), x - 10


def _month_labels(window: Window, monday: date, columns: int) -> list[tuple[int, str]]:
    """(column, name) for the first column and each column holding a 1st, GitHub-style.

    The first column's label gives way when the next month starts too close for both to be
    read; the first label shown, and every January, carries the year.
    """
    found: list[tuple[int, date]] = []
    for column in range(columns):
        days = [d for i in range(7) if window[0] <= (d := monday + timedelta(days=7 * column + i))
                <= window[1]]
        firsts = [d for d in days if d.day == 1]
        if firsts or column == 0:
            found.append((column, (firsts or days)[0]))
    if len(found) > 1 and found[1][0] - found[0][0] < 3:
        found.pop(0)
    return [(c, f"{MONTHS[d.month - 1]} {d.year}" if i == 0 or d.month == 1 else MONTHS[d.month - 1])
            for i, (c, d) in enumerate(found)]


# The burn-up's frame, in points; the left margin grows with the y labels, the right one holds
# half a date label (a tick may fall on the axis' end).
_BURN_WIDTH, _BURN_HEIGHT, _BURN_TOP, _BURN_RIGHT, _BURN_BOTTOM = 504.0, 200.0, 8.0, 484.0, 172.0
_TICK, _FONT_SIZE = 3.5, 9


def tasks_burnup_svg(tasks: Sequence[Task], window: Window | None,
                     today: date | None = None) -> str:
    """Cumulative tasks due (dashed) against tasks done (solid) over the window and the tasks'
    own dates, with today marked when it falls inside."""
    dates = _read_task_dates(tasks)
    return _draw_burnup(dates, _burnup_span(dates, window), today, _describe_burnup(dates, window))


def _draw_burnup(dates: _TaskDates, span: Window | None, today: date | None, title: str) -> str:
    if span is None:
        left, labels = 40.0, 0.0
        parts = [label((left + _BURN_RIGHT) / 2, (_BURN_TOP + _BURN_BOTTOM) / 2 + 3, "No dated tasks",
                       "middle")]
    else:
        series = _burnup_series(dates, span, today)
        y_ticks, y_top = count_ticks(max((c for _, counts in series for c in counts), default=0))
        labels = text_width(str(y_ticks[-1]), _FONT_SIZE)
        left = max(40.0, 26 + labels)  # room for the tick labels and the axis label beside them
        parts = _draw_burnup_plot(series, span, today, y_ticks, y_top, left)
    # Read upwards, so the glyphs' descent faces the tick labels: 5 pt from them.
    parts += [label(left - 2 * _TICK - labels - 5, (_BURN_TOP + _BURN_BOTTOM) / 2,
                    "tasks (cumulative)", "middle", rotate=True),
              (f'<path class="spines" d="M{num(left)} {_BURN_TOP:g}V{_BURN_BOTTOM:g}H{_BURN_RIGHT:g}" '
               f'fill="none" stroke="{MUTED}" stroke-width="0.8" stroke-linecap="square"/>')]
    return svg_document(_BURN_WIDTH, _BURN_HEIGHT, title, parts, font_size=_FONT_SIZE)


_Series = list[tuple[list[date], list[int]]]


def _burnup_series(dates: _TaskDates, span: Window, today: date | None) -> _Series:
    """(days, counts) of tasks due, then done: a vertex on the tasks' own dates (and the
    span's ends), not one a day. Due dates are known ahead; what will be done is not, so
    "done" stops today."""
    series = []
    for days, stops_today in ((dates.due, False), (dates.done, today is not None)):
        end = min(span[1], today) if stops_today and today else span[1]
        shown = sorted({span[0], end, *(d for d in days if span[0] <= d <= end)}) if end >= span[0] else []
        series.append((shown, [bisect.bisect_right(days, day) for day in shown]))
    return series


def _draw_burnup_plot(series: _Series, span: Window, today: date | None, y_ticks: list[int],
                      y_top: float, left: float) -> list[str]:
    """The steps, today's line, the ticks and the legend of a burn-up with a span."""
    # A span of a day or two gets a day either side; a longer one 5% of itself.
    low, high = span[0].toordinal(), span[1].toordinal()
    pad = 1.0 if high - low < 2 else 0.05 * (high - low)
    scale = (_BURN_RIGHT - left) / (high - low + 2 * pad)

    def x_of(day: date) -> float:
        return left + (day.toordinal() - low + pad) * scale

    def y_of(count: float) -> float:
        return _BURN_BOTTOM - count / y_top * (_BURN_BOTTOM - _BURN_TOP)

    parts, legend = [], []
    for (days, counts), (name, colour, dash) in zip(series, _LINES):
        if days:
            steps = "".join(f"H{num(x_of(d))}V{num(y_of(c))}" for d, c in zip(days[1:], counts[1:]))
            parts.append(f'<path class="{name}" d="M{num(x_of(days[0]))} {num(y_of(counts[0]))}{steps}" '
                         f'fill="none" stroke="{colour}" stroke-width="1.8"{dash}/>')
        legend.append((f"tasks {name}", colour, dash, "1.8"))
    if today is not None and span[0] <= today <= span[1]:
        parts.append(f'<path class="today" d="M{num(x_of(today))} {_BURN_BOTTOM:g}V{_BURN_TOP:g}" '
                     f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="1,1.65"/>')
        legend.append(("today", MUTED, ' stroke-dasharray="1,1.65"', "1"))
    x_ticks, unit = date_ticks(low - pad, high + pad)
    parts.append(_ticks("x-ticks", [(x_of(d), date_label(d, unit)) for d in x_ticks], left))
    parts.append(_ticks("y-ticks", [(y_of(c), str(c)) for c in y_ticks], left))
    rows = "".join(f'<path d="M{num(left + 8)} {num(_BURN_TOP + 8 + 11 * i)}h16" stroke="{colour}" '
                   f'stroke-width="{width}"{dash}/>' + label(left + 30, _BURN_TOP + 11 + 11 * i, name)
                   for i, (name, colour, dash, width) in enumerate(legend))
    return [*parts, f'<g class="legend" font-size="8">{rows}</g>']


_LINES = (("due", DUE, ' stroke-dasharray="6.66,2.88"'), ("done", DONE, ""))


def _ticks(name: str, ticks: list[tuple[float, str]], left: float) -> str:
    """Tick marks outside the axis and their labels, in a group named for the axis."""
    if name == "x-ticks":
        marks = "".join(f"M{num(x)} {_BURN_BOTTOM:g}v{_TICK:g}" for x, _ in ticks)
        labels = "".join(label(x, _BURN_BOTTOM + 2 * _TICK + 7, shown, "middle") for x, shown in ticks)
    else:
        marks = "".join(f"M{num(left)} {num(y)}h-{_TICK:g}" for y, _ in ticks)
        labels = "".join(label(left - 2 * _TICK, y + 3.2, shown, "end") for y, shown in ticks)
    return f'<g class="{name}"><path d="{marks}" stroke="{MUTED}" stroke-width="0.8"/>{labels}</g>'


def _burnup_span(dates: _TaskDates, window: Window | None) -> Window | None:
    """The window widened to every due and done date, or those dates alone without one."""
    ends = [*dates.due[:1], *dates.due[-1:], *dates.done[:1], *dates.done[-1:], *(window or ())]
    return (min(ends), max(ends)) if ends else None


@dataclass(frozen=True)
class _TaskDates:
    """The tasks' valid due and done dates, each list sorted, and how many were done late."""

    due: list[date]
    done: list[date]
    late: int


def _read_task_dates(tasks: Iterable[Task]) -> _TaskDates:
    """One pass over the tasks: a big vault has tens of thousands, and both charts and their
    alt text need the same dates (read again for each, they once cost the burn-up half of
    its 0.19 s at 10,000 notes)."""
    pairs = [(task_date(t, "due"), task_date(t, "done")) for t in tasks]
    late = sum(1 for due, done in pairs if due and done and done > due)
    return _TaskDates(sorted(d for d, _ in pairs if d), sorted(d for _, d in pairs if d), late)


def _marked_days(dates: _TaskDates, window: Window) -> tuple[list[date], list[date]]:
    """The distinct days of the window on which some task is due, and on which one was done."""
    return (sorted({d for d in dates.due if window[0] <= d <= window[1]}),
            sorted({d for d in dates.done if window[0] <= d <= window[1]}))


@dataclass(frozen=True)
class Chart:
    """One drawn chart: its file name's stem, its SVG text and its alt text."""

    name: str
    svg: str
    alt: str


def timeline_charts(window: Window | None, entries: Sequence[JournalEntry],
                    tasks: Sequence[Task], today: date) -> list[Chart]:
    """The calendar (when there is a window) and the burn-up (when a task is dated).

    Pass `TimelineStats.span` as `window` (the plan, else first to last dated entry) so the
    alt text matches the page's. A chart shows `today` only inside its span, so once the plan
    is over (or before it starts) a new day draws the same bytes.
    """
    charts = []
    dates = _read_task_dates(tasks)
    if window is not None:
        statuses = day_statuses(entries, window, today)
        marks = _marked_days(dates, window)
        alt = _describe_calendar(window, statuses, marks)
        charts.append(Chart("calendar", _draw_calendar(window, statuses, marks, today, alt), alt))
    span = _burnup_span(dates, window)
    if span and (dates.due or dates.done):
        alt = _describe_burnup(dates, window)
        charts.append(Chart("burnup", _draw_burnup(dates, span, today, alt), alt))
    return charts
