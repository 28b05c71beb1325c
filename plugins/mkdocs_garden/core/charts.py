"""The timeline's charts, drawn with matplotlib at build time as deterministic SVG.

* `calendar_svg`: the plan window as a GitHub-style calendar (weeks as columns, Monday on
  top), each day coloured logged / skipped / not logged / ahead, with markers for tasks due and
  done, today outlined.
* `tasks_burnup_svg`: cumulative tasks due against tasks done over time.

Decisions:

* `matplotlib.figure.Figure` with the SVG canvas, never pyplot: no global figure registry, no
  GUI backend, safe under `mkdocs serve`. matplotlib is imported inside the drawing functions,
  so a build whose charts are all cached never pays for the import.
* Deterministic bytes: `svg.hashsalt` fixed (clip-path ids), `metadata={"Date": None}`, text
  kept as `<text>` (`svg.fonttype: none`, smaller and selectable), nothing random.
* Light and dark: the page shows the charts with `<img>`, which isolates the SVG from the
  page's CSS, so `currentColor` would always be black. The background is transparent and all
  text and axes use one mid-tone grey (`MUTED`, about 4:1 contrast on white and on Material's
  slate `#1e2129`); fills are saturated mid-tones that read on both.
* Alt text: `describe_*` give one sentence of what the chart shows; it is the SVG's `<title>`
  and the page's alt text, so both say the same.
* Cache: `cached_svg` keys on the inputs, matplotlib's version and this module's source, so an
  unchanged vault never redraws and a change here or in matplotlib always does.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import io
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .model import Task
from .timeline_entries import JournalEntry
from .timeline_plan import Window, day_statuses, task_date

MUTED = "#7d8590"
LOGGED = "#2da44e"
SKIPPED = "#d4a72c"
DUE = "#e5534b"
DONE = "#4493f8"
_RC: Any = {"svg.hashsalt": "mkdocs-garden", "svg.fonttype": "none", "font.size": 9,
       "font.family": "sans-serif", "text.color": MUTED, "axes.edgecolor": MUTED,
       "axes.labelcolor": MUTED, "xtick.color": MUTED, "ytick.color": MUTED}
_SOURCE_DIGEST = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def describe_calendar(window: Window | None, entries: Sequence[JournalEntry],
                      tasks: Sequence[Task], today: date) -> str:
    """The calendar's alt text: its span and what it counts."""
    if window is None:
        return "Calendar of the journal: no dated entries yet."
    marks = _marked_days(_read_task_dates(tasks), window)
    return _describe_calendar(window, day_statuses(entries, window, today), marks)


def _describe_calendar(window: Window, statuses: Mapping[date, str],
                       marks: tuple[list[date], list[date]]) -> str:
    counts = {"logged": 0, "skipped": 0, "not-logged": 0, "ahead": 0}
    for status in statuses.values():
        counts[status] += 1
    due, done = (len(days) for days in marks)
    return (f"Calendar of the plan from {window[0]} to {window[1]}: {counts['logged']} days "
            f"logged, {counts['skipped']} skipped, {counts['not-logged']} not logged and "
            f"{counts['ahead']} ahead; tasks due on {due} days and done on {done} days.")


def describe_burnup(tasks: Sequence[Task], window: Window | None) -> str:
    """The burn-up chart's alt text: totals due and done, and how many were done late."""
    return _describe_burnup(_read_task_dates(tasks), window)


def _describe_burnup(dates: _TaskDates, window: Window | None) -> str:
    span = _burnup_span(dates, window)
    if span is None:
        return "Tasks due and done over time: no dated tasks."
    return (f"Tasks due and done over time, {span[0]} to {span[1]}: {len(dates.due)} tasks due, "
            f"{len(dates.done)} done, {dates.late} of them after their due date.")


def calendar_svg(window: Window, entries: Sequence[JournalEntry], tasks: Sequence[Task],
                 today: date) -> str:
    """The calendar of `window` as SVG text (see the module docstring)."""
    import matplotlib
    from matplotlib.figure import Figure

    monday = window[0] - timedelta(days=window[0].weekday())
    columns = (window[1] - monday).days // 7 + 1
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(max(0.32 * columns + 1.2, 5.0), 3.0))
        ax = fig.add_axes((0.02, 0.2, 0.96, 0.78))
        ax.set_xlim(-1.4, columns + 0.1)
        ax.set_ylim(7.1, -1.3)  # Monday on top, room above for month names
        ax.set_aspect("equal")
        ax.set_axis_off()
        statuses = day_statuses(entries, window, today)
        marks = _marked_days(_read_task_dates(tasks), window)
        _draw_cells(ax, statuses, monday, today)
        _draw_labels(ax, window, monday, columns)
        for days, offset, style in zip(marks, (0.3, 0.7), (_DUE_STYLE, _DONE_STYLE)):
            ax.scatter([(d - monday).days // 7 + offset for d in days],
                       [d.weekday() + offset for d in days], **style)
        _draw_legend(fig)
        return _finish(fig, _describe_calendar(window, statuses, marks))


# White faces and edges keep the markers visible on every cell colour, in both palettes.
_DUE_STYLE: dict[str, Any] = {"marker": "o", "s": 26, "facecolors": "white", "edgecolors": DUE,
                              "linewidths": 1.6}
_DONE_STYLE: dict[str, Any] = {"marker": "D", "s": 26, "c": DONE, "edgecolors": "white",
                               "linewidths": 0.8}


def _draw_cells(ax: Any, statuses: Mapping[date, str], monday: date, today: date) -> None:
    """One square per day of the window; today's has a heavier outline.

    A collection per fill and one for the outlines, not a patch per day: each patch costs
    matplotlib a transform chain and a data-limit update, about 1 ms a day, so a three-year
    plan spent a second here. Fills go under outlines, as they did patch by patch.
    """
    from matplotlib.collections import PolyCollection

    fills = {"logged": (LOGGED, 1.0), "skipped": (SKIPPED, 1.0), "not-logged": (MUTED, 0.3)}
    squares: dict[str, list[list[tuple[float, float]]]] = {status: [] for status in fills}
    outlines, widths = [], []
    for day, status in statuses.items():
        x, y = (day - monday).days // 7 + 0.06, day.weekday() + 0.06
        square = [(x, y), (x + 0.88, y), (x + 0.88, y + 0.88), (x, y + 0.88)]
        if status in squares:
            squares[status].append(square)
        if status == "ahead" or day == today:
            outlines.append(square)
            widths.append(1.6 if day == today else 0.6)
    for status, (colour, alpha) in fills.items():
        if squares[status]:
            ax.add_collection(PolyCollection(squares[status], facecolors=colour, alpha=alpha,
                                             edgecolors="none", linewidths=0), autolim=False)
    if outlines:  # miter joins, as a Rectangle patch has (a collection's default is round)
        ax.add_collection(PolyCollection(outlines, facecolors="none", edgecolors=MUTED,
                                         linewidths=widths, joinstyle="miter"), autolim=False)


def _draw_labels(ax: Any, window: Window, monday: date, columns: int) -> None:
    """Weekday names on the left, month names over the columns where months begin."""
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun")):
        ax.text(-0.2, row + 0.5, name, ha="right", va="center", fontsize=7)
    for column, text in _month_labels(window, monday, columns):
        ax.text(column + 0.06, -0.35, text, ha="left", va="bottom", fontsize=7)


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
    return [(c, f"{d:%b %Y}" if i == 0 or d.month == 1 else f"{d:%b}")
            for i, (c, d) in enumerate(found)]


def _draw_legend(fig: Any) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=LOGGED, label="logged"), Patch(facecolor=SKIPPED, label="skipped"),
               Patch(facecolor=MUTED, alpha=0.3, label="not logged"),
               Patch(facecolor="none", edgecolor=MUTED, linewidth=0.6, label="ahead"),
               Line2D([], [], linestyle="none", label="task due", **_marker(_DUE_STYLE)),
               Line2D([], [], linestyle="none", label="task done", **_marker(_DONE_STYLE))]
    fig.legend(handles=handles, loc="lower center", ncol=6, frameon=False, fontsize=7,
               handlelength=1.0, columnspacing=1.2)


def _marker(style: dict[str, Any]) -> dict[str, Any]:
    """A scatter style as Line2D keywords, for the legend."""
    return {"marker": style["marker"], "markersize": style["s"] ** 0.5,
            "markerfacecolor": style.get("c", style.get("facecolors")),
            "markeredgecolor": style["edgecolors"], "markeredgewidth": style["linewidths"]}


def tasks_burnup_svg(tasks: Sequence[Task], window: Window | None,
                     today: date | None = None) -> str:
    """Cumulative tasks due (dashed) against tasks done (solid) over the window and the tasks'
    own dates, with today marked when it falls inside."""
    import matplotlib
    from matplotlib.dates import AutoDateLocator, DateFormatter, date2num
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    task_dates = _read_task_dates(tasks)
    span = _burnup_span(task_dates, window)
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(7.0, 2.8))
        ax = fig.add_axes((0.08, 0.16, 0.9, 0.8))
        ax.patch.set_alpha(0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if span is None:
            ax.text(0.5, 0.5, "No dated tasks", ha="center", va="center", transform=ax.transAxes)
        else:
            for name, colour, dash in (("due", DUE, "--"), ("done", DONE, "-")):
                dates = task_dates.due if name == "due" else task_dates.done
                # Due dates are known ahead; what will be done is not, so "done" stops today.
                end = span[1] if name == "due" or today is None else min(span[1], today)
                # The count changes only on the tasks' own dates: a vertex there, not one a day.
                shown = sorted({span[0], end, *(d for d in dates if span[0] <= d <= end)}) if end >= span[0] else []
                counts = [bisect.bisect_right(dates, day) for day in shown]
                ax.step(date2num(shown), counts, where="post", color=colour, linestyle=dash,
                        linewidth=1.8, label=f"tasks {name}")
            if today and span[0] <= today <= span[1]:
                ax.axvline(float(date2num(today)), color=MUTED, linestyle=":", linewidth=1,
                           label="today")
            if span[1] - span[0] < timedelta(days=2):  # a date locator needs a range to divide
                ax.set_xlim(date2num(span[0] - timedelta(days=1)), date2num(span[1] + timedelta(days=1)))
            ax.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=8))
            ax.xaxis.set_major_formatter(DateFormatter("%b %d"))
            ax.legend(loc="upper left", frameon=False, fontsize=8)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(bottom=0)
        ax.set_ylabel("tasks (cumulative)")
        return _finish(fig, _describe_burnup(task_dates, window))


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
    """One pass over the tasks: a big vault has tens of thousands, and the charts, their alt
    text and their cache keys all need the same dates (read again for each, they once cost
    the burn-up half of its 0.19 s at 10,000 notes)."""
    pairs = [(task_date(t, "due"), task_date(t, "done")) for t in tasks]
    late = sum(1 for due, done in pairs if due and done and done > due)
    return _TaskDates(sorted(d for d, _ in pairs if d), sorted(d for _, d in pairs if d), late)


def _marked_days(dates: _TaskDates, window: Window) -> tuple[list[date], list[date]]:
    """The distinct days of the window on which some task is due, and on which one was done."""
    return (sorted({d for d in dates.due if window[0] <= d <= window[1]}),
            sorted({d for d in dates.done if window[0] <= d <= window[1]}))


def _finish(fig: Any, title: str) -> str:
    """The figure as SVG text with a `<title>` (its accessible name) and `role="img"`."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    FigureCanvasSVG(fig)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None}, transparent=True)
    return re.sub(r"<svg\b([^>]*)>", lambda m: f'<svg{m[1]} role="img">\n <title>'
                  f"{escape(title, quote=False)}</title>", buffer.getvalue(), count=1)


def chart_cache_key(key_parts: tuple[Any, ...]) -> str:
    """The sha256 of the parts' repr, matplotlib's version and this module's source.

    `repr` of dates, numbers, strings and (frozen) dataclasses is stable across runs; an
    object whose repr carries its address would make every build miss, so it is refused.
    """
    text = repr(key_parts)
    if re.search(r" at 0x[0-9a-fA-F]+", text):
        raise ValueError(f"chart cache key parts need a stable repr: {text[:120]}")
    return hashlib.sha256((_key_salt() + text).encode("utf-8")).hexdigest()


@functools.cache
def _key_salt() -> str:
    """Reading an installed version parses its metadata files: once a process is enough."""
    return f"{version('matplotlib')}\0{_SOURCE_DIGEST}\0"


def cached_svg(cache_dir: Path, key_parts: tuple[Any, ...], draw: Callable[[], str]) -> str:
    """The SVG for `key_parts` from `cache_dir`, drawing (and storing) it only when missing.

    Written to a temporary file and renamed, so a crashed or parallel build never leaves a
    half-written chart that later builds would trust.
    """
    return _cached_svg_at(cache_dir, chart_cache_key(key_parts), draw)


def _cached_svg_at(cache_dir: Path, key: str, draw: Callable[[], str]) -> str:
    path = cache_dir / f"{key}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    svg = draw()
    cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(svg, encoding="utf-8")
    os.replace(temporary, path)
    return svg


def prune_chart_cache(cache_dir: Path, keep: Iterable[str]) -> list[Path]:
    """Delete cached charts whose key is not in `keep` (the keys this build used)."""
    wanted = {f"{key}.svg" for key in keep}
    stale = sorted(p for p in cache_dir.glob("*.svg") if p.name not in wanted) \
        if cache_dir.is_dir() else []
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


@dataclass(frozen=True)
class Chart:
    """One drawn chart: `key` is its cache key (keep it from pruning), `alt` its alt text."""

    name: str
    key: str
    svg: str
    alt: str


def timeline_charts(cache_dir: Path, window: Window | None, entries: Sequence[JournalEntry],
                    tasks: Sequence[Task], today: date) -> list[Chart]:
    """The calendar (when there is a window) and the burn-up (when a task is dated), cached.

    Pass `TimelineStats.span` as `window` (the plan, else first to last dated entry) so the
    alt text matches the page's. The keys hold only what each chart draws, so editing a day's
    text redraws nothing; `today` is clamped to the span, so once the plan is over a new day
    changes nothing either.
    """
    charts = []
    dates = _read_task_dates(tasks)
    if window is not None:
        cal_today = _clamp(today, window)
        days = tuple((e.start, e.end, e.skipped) for e in entries if e.start)
        marks = _marked_days(dates, window)
        alt = _describe_calendar(window, day_statuses(entries, window, cal_today), marks)
        charts.append(_chart("calendar", cache_dir, ("calendar", window, cal_today, days, marks),
                             lambda: calendar_svg(window, entries, tasks, cal_today), alt))
    span = _burnup_span(dates, window)
    if span and (dates.due or dates.done):
        burn_today = _clamp(today, span)
        charts.append(_chart("burnup", cache_dir,
                             ("burnup", window, burn_today, tuple(dates.due), tuple(dates.done)),
                             lambda: tasks_burnup_svg(tasks, window, burn_today),
                             _describe_burnup(dates, window)))
    return charts


def _clamp(today: date, span: Window) -> date:
    """Any day before (after) the span draws like the day before (after) it."""
    return min(max(today, span[0] - timedelta(days=1)), span[1] + timedelta(days=1))


def _chart(name: str, cache_dir: Path, parts: tuple[Any, ...], draw: Callable[[], str],
           alt: str) -> Chart:
    key = chart_cache_key(parts)  # the repr of every task date: worth making once
    return Chart(name, key, _cached_svg_at(cache_dir, key, draw), alt)
