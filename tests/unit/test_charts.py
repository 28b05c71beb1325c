"""The timeline's charts: valid, deterministic SVG written without matplotlib, with alt text,
readable in both palettes, drawn quickly for any span."""

from __future__ import annotations

import bisect
import itertools
import os
import re
import subprocess
import sys
import time
import warnings
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
from mkdocs_garden.core import charts, svg_text
from mkdocs_garden.core.charts import (
    DONE,
    DUE,
    LOGGED,
    MUTED,
    SKIPPED,
    calendar_svg,
    tasks_burnup_svg,
    timeline_charts,
)
from mkdocs_garden.core.model import Task, TaskDate
from mkdocs_garden.core.tasks import tasks_in_text
from mkdocs_garden.core.timeline_entries import JournalEntry

SVG = "{http://www.w3.org/2000/svg}"
PLUGINS = str(Path(__file__).resolve().parents[2] / "plugins")
WINDOW = (date(2023, 10, 28), date(2024, 1, 26))
TODAY = date(2023, 11, 20)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def entry(line: int, start: date, end: date | None = None, skipped: bool = False) -> JournalEntry:
    return JournalEntry("j.md", line, f"Day {line}", f"day-{line}", "heading", day_number=line,
                        start=start, end=end or start, skipped=skipped)


ENTRIES = [entry(1, date(2023, 10, 28)), entry(3, date(2023, 10, 30), skipped=True),
           entry(7, date(2023, 11, 3)),
           entry(10, date(2023, 11, 6), date(2023, 11, 14), skipped=True)]


def task(line: int, due: str, done: str | None = None) -> Task:
    return Task("j.md", line, "x" if done else " ", "DONE" if done else "TODO", f"task {line}", 6,
                due=TaskDate(due, date.fromisoformat(due)),
                done=TaskDate(done, date.fromisoformat(done)) if done else None)


TASKS = [task(20, "2023-11-04", "2023-11-09"), task(21, "2023-11-03", "2023-11-04"),
         task(22, "2023-11-17")]


def drawings() -> list[tuple[str, str]]:
    return [("calendar", calendar_svg(WINDOW, ENTRIES, TASKS, TODAY)),
            ("burnup", tasks_burnup_svg(TASKS, WINDOW, TODAY))]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def by_class(root: ET.Element) -> dict[str, ET.Element]:
    """The first element of each class (the legend's marks come after the chart's)."""
    found: dict[str, ET.Element] = {}
    for e in root.iter():
        found.setdefault(e.get("class", ""), e)
    return found


def squares(d: str) -> list[tuple[float, float]]:
    """The corners of a path of squares, checking every subpath is one 17.6 pt square."""
    found = re.findall(r"M(-?[\d.]+) (-?[\d.]+)h17\.6v17\.6h-17\.6z", d)
    assert "".join(f"M{x} {y}h17.6v17.6h-17.6z" for x, y in found) == d
    return [(float(x), float(y)) for x, y in found]


@pytest.mark.parametrize(
    ("name", "title"),
    [
        # 24 days have passed by 11-20: 2 logged, 1 + 9 skipped, 12 without an entry.
        ("calendar", ("Calendar of the plan from 2023-10-28 to 2024-01-26: 2 days logged, 10 "
         "skipped, 12 not logged and 67 ahead; tasks due on 3 days and done on 2 days.")),
        ("burnup", ("Tasks due and done over time, 2023-10-28 to 2024-01-26: 3 tasks due, 2 done, "
         "2 of them after their due date.")),
    ],
)
def test_charts_are_valid_svg_with_a_title(name: str, title: str) -> None:
    root = parse(dict(drawings())[name])
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None
    assert root.find(f"{SVG}title").text == title  # type: ignore[union-attr]
    # A viewBox to scale by in the page's <img>, and the size it has at 100%.
    width, height = (float(root.get(a, "").removesuffix("pt")) for a in ("width", "height"))
    assert root.get("viewBox") == f"0 0 {width:g} {height:g}" and width > 100 and height > 100


def test_title_and_labels_are_escaped() -> None:
    svg = svg_text.svg_document(10, 10, "a < b & c", [svg_text.label(0, 0, "<x> & y")], font_size=9)
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "a < b & c"  # type: ignore[union-attr]
    assert root.find(f"{SVG}text").text == "<x> & y"  # type: ignore[union-attr]


def test_charts_are_byte_identical_across_calls() -> None:
    assert drawings() == drawings()


def test_calendar_draws_a_square_a_day_one_path_per_kind() -> None:
    """One path per kind of square, not an element a day; fills under outlines, today's
    outline heavier, weeks as columns with Monday on top."""
    root = parse(calendar_svg(WINDOW, ENTRIES, TASKS, TODAY))
    kinds = by_class(root)
    # The counts of the alt text: 2 logged, 10 skipped, 12 not logged, 67 ahead, and today.
    order = ["logged", "skipped", "not-logged", "ahead", "today"]
    drawn = {kind: squares(kinds[kind].get("d", "")) for kind in order}
    assert [len(drawn[kind]) for kind in order] == [2, 10, 12, 67, 1]
    paths = [p.get("class") for p in root.iter(f"{SVG}path") if p.get("class") in order]
    assert paths == order  # fills first, so outlines are drawn over them
    assert [(kinds[k].get("fill"), kinds[k].get("fill-opacity")) for k in order[:3]] == [
        (LOGGED, None), (SKIPPED, None), (MUTED, "0.3")]
    assert [(kinds[k].get("fill"), kinds[k].get("stroke"), kinds[k].get("stroke-width"),
             kinds[k].get("stroke-linejoin")) for k in order[3:]] == [
        ("none", MUTED, "0.6", "miter"), ("none", MUTED, "1.6", "miter")]
    corners = [c for kind in order[:4] for c in drawn[kind]]
    assert len(set(corners)) == 91  # a square a day of the window
    rows, columns = sorted({y for _, y in corners}), sorted({x for x, _ in corners})
    assert len(rows) == 7 and len(columns) == 14
    assert {round(b - a, 2) for a, b in itertools.pairwise(rows)} == {20.0}
    # Today (a Monday) is on the top row; the first day (a Saturday) in the first column.
    [today] = drawn["today"]
    assert today in drawn["not-logged"] and today[1] == rows[0]
    assert drawn["logged"][0] == (columns[0], rows[5])


def test_calendar_marks_tasks_due_and_done_inside_their_squares() -> None:
    root = parse(calendar_svg(WINDOW, ENTRIES, TASKS, TODAY))
    kinds = by_class(root)
    due, done = kinds["due"], kinds["done"]
    assert (due.get("fill"), due.get("stroke"), done.get("fill"), done.get("stroke")) == (
        "#ffffff", DUE, DONE, "#ffffff")
    circles = [(float(c.get("cx", "")), float(c.get("cy", ""))) for c in due.iter(f"{SVG}circle")]
    diamonds = [(float(x), float(y) + 3.6) for x, y in
                re.findall(r"M(-?[\d.]+) (-?[\d.]+)l3\.6 3\.6l-3\.6 3\.6l-3\.6-3\.6z", done.get("d", ""))]
    assert (len(circles), len(diamonds)) == (3, 2)  # the distinct days
    cells = [c for kind in ("logged", "skipped", "not-logged", "ahead") for c in squares(kinds[kind].get("d", ""))]
    # Due markers up and left in their day's square, done markers down and right.
    for markers, offset in ((circles, 6 - 1.2), (diamonds, 14 - 1.2)):
        for x, y in markers:
            assert any(abs(x - cx - offset) < 0.02 and abs(y - cy - offset) < 0.02 for cx, cy in cells)


def test_calendar_labels_weekdays_months_and_legend() -> None:
    root = parse(calendar_svg(WINDOW, ENTRIES, TASKS, TODAY))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["Mon", "Wed", "Fri", "Sun", "Nov 2023", "Dec", "Jan 2024",
                     "logged", "skipped", "not logged", "ahead", "task due", "task done"]
    # Everything, legend included, inside the picture (by the text width estimate).
    width = float(root.get("width", "").removesuffix("pt"))
    legend = by_class(root)["legend"]
    shift = float(re.findall(r"translate\(([\d.]+) ", legend.get("transform", ""))[0])
    last = [t for t in legend.iter(f"{SVG}text")][-1]
    assert shift > 0 and shift + float(last.get("x", "")) + svg_text.text_width("task done", 7) < width


@pytest.mark.parametrize(
    ("window", "labels"),
    [
        (WINDOW, [(1, "Nov 2023"), (5, "Dec"), (10, "Jan 2024")]),  # Oct 28 is too near Nov 1
        ((date(2023, 10, 2), date(2023, 11, 30)), [(0, "Oct 2023"), (4, "Nov")]),
    ],
)
def test_month_labels(window: tuple[date, date], labels: list[tuple[int, str]]) -> None:
    monday = date.fromordinal(window[0].toordinal() - window[0].weekday())
    columns = (window[1] - monday).days // 7 + 1
    assert charts._month_labels(window, monday, columns) == labels


def test_charts_have_transparent_background_and_mid_tone_text() -> None:
    for _, svg in [*drawings(), ("empty", tasks_burnup_svg([], None))]:
        root = parse(svg)
        texts = list(root.iter(f"{SVG}text"))
        assert texts and {t.get("fill") for t in texts} == {MUTED}
        assert "#000000" not in svg and "black" not in svg  # black would vanish on the dark palette
        assert root.get("style") is None and root.find(f"{SVG}rect") is None  # no backdrop
        lines = [e for e in root.iter() if e.get("stroke") and e.get("class") not in (
            "logged", "skipped", "due", "done", "today")]
        assert {e.get("stroke") for e in lines} <= {MUTED, DUE, DONE}


def test_burnup_without_dated_tasks_says_so() -> None:
    root = parse(tasks_burnup_svg([], None))
    [note] = [t for t in root.iter(f"{SVG}text") if t.text == "No dated tasks"]
    assert note.get("text-anchor") == "middle"
    assert not {"due", "done", "x-ticks"} & set(by_class(root))


def dated_tasks(start: date, days: int, count: int) -> list[Task]:
    """`count` tasks due from `start` over `days` days; two of three done, some late."""
    lines = []
    for i in range(count):
        due = start + timedelta(days=days * i // max(count - 1, 1))
        lines.append(f"- [x] t{i} 📅 {due} ✅ {due + timedelta(days=i % 3)}" if i % 3
                     else f"- [ ] t{i} 📅 {due}")
    return tasks_in_text("a.md", "\n".join(lines) + "\n")


def x_ticks(root: ET.Element) -> list[tuple[float, str]]:
    group = by_class(root)["x-ticks"]
    return [(float(t.get("x", "")), t.text or "") for t in group.iter(f"{SVG}text")]


def vertices(d: str) -> list[tuple[float, float]]:
    """The vertices of a post-step path `Mx yHxVyHxVy...`, checking it has that shape."""
    start = re.match(r"M(-?[\d.]+) (-?[\d.]+)", d)
    assert start
    steps = re.findall(r"H(-?[\d.]+)V(-?[\d.]+)", d[start.end():])
    assert start[0] + "".join(f"H{x}V{y}" for x, y in steps) == d
    return [(float(start[1]), float(start[2])), *((float(x), float(y)) for x, y in steps)]


def day_at(x: float, first: tuple[float, date], last: tuple[float, date]) -> tuple[float, float]:
    """The day ordinal at `x` on an axis through two known points, and how far off it may be
    (each of the three coordinates is rounded to 0.01 pt)."""
    scale = (last[0] - first[0]) / (last[1] - first[1]).days
    return first[1].toordinal() + (x - first[0]) / scale, 0.03 / scale


@pytest.mark.parametrize(
    ("days", "labels"),
    [
        (4, ["Jan 03", "Jan 05", "Jan 07"]),  # every other day of the month
        (30, ["Jan 01", "Jan 08", "Jan 15", "Jan 22", "Jan 29"]),  # Mondays
        (91, ["2024", "Feb 01", "Mar 01", "Apr 01"]),  # months; a January tick names its year
        (400, ["2024", "Jul 01", "2025"]),
        (20_000, ["2040", "2060", "2080"]),
    ],
)
def test_burnup_ticks_are_round_dates_in_order_and_counts_integers(days: int, labels: list[str]) -> None:
    start = date(2024, 1, 2)
    tasks = dated_tasks(start, days, 12)
    root = parse(tasks_burnup_svg(tasks, None, start + timedelta(days=days // 2)))
    due = vertices(by_class(root)["due"].get("d", ""))  # from the span's first day to its last
    end = max(d for t in tasks for d in (charts.task_date(t, "due"), charts.task_date(t, "done")) if d)
    axis = ((due[0][0], start), (due[-1][0], end))
    ticks = x_ticks(root)
    assert 3 <= len(ticks) <= 8
    assert [x for x, _ in ticks] == sorted(x for x, _ in ticks)
    spine = by_class(root)["spines"].get("d", "")
    left, right = (float(v) for v in re.findall(r"M(-?[\d.]+) .*H(-?[\d.]+)$", spine)[0])
    pad = (end - start).days * 0.05
    dates = []
    for x, label in ticks:
        assert left <= x <= right
        at, error = day_at(x, *axis)
        found = [d for k in range(-1, 2) if abs((d := date.fromordinal(round(at) + k)).toordinal() - at) <= error
                 and label in (f"{MONTHS[d.month - 1]} {d.day:02d}", *([str(d.year)] if (d.month, d.day) == (1, 1) else []))]
        assert found, (label, date.fromordinal(round(at)))
        assert start - timedelta(days=pad) <= found[0] <= end + timedelta(days=pad)
        dates.append(found[0])
    assert dates == sorted(set(dates))
    assert [label for _, label in ticks] == labels
    counts = [int(t.text or "") for t in by_class(root)["y-ticks"].iter(f"{SVG}text")]
    assert counts[0] == 0 and len(counts) <= 8
    assert len({b - a for a, b in itertools.pairwise(counts)}) == 1 and counts[-1] >= 12


def test_burnup_steps_have_vertices_at_task_dates_only() -> None:
    start, today = date(2022, 3, 5), date(2023, 2, 1)
    tasks = dated_tasks(start, 700, 40)
    root = parse(tasks_burnup_svg(tasks, None, today))
    kinds = by_class(root)
    due, done = (vertices(kinds[name].get("d", "")) for name in ("due", "done"))
    due_dates = sorted(charts.task_date(t, "due") for t in tasks)  # type: ignore[type-var]
    done_dates = sorted(d for t in tasks if (d := charts.task_date(t, "done")))
    end = max(due_dates[-1], done_dates[-1])
    axis = ((due[0][0], start), (due[-1][0], end))

    def days_of(points: list[tuple[float, float]]) -> list[date]:
        found = []
        for x, _ in points:
            at, error = day_at(x, *axis)
            assert abs(at - round(at)) <= error
            found.append(date.fromordinal(round(at)))
        return found

    assert days_of(due) == sorted({start, end, *due_dates})
    assert days_of(done) == sorted({start, today, *(d for d in done_dates if d <= today)})
    # Each vertex's height is the count so far, on the y axis' own ticks.
    ticks = {int(t.text or ""): float(t.get("y", "")) - 3.2 for t in kinds["y-ticks"].iter(f"{SVG}text")}
    per_task = (ticks[0] - ticks[max(ticks)]) / max(ticks)
    for points, dates in ((due, due_dates), (done, done_dates)):
        heights = [round((ticks[0] - y) / per_task, 1) for _, y in points]
        assert heights == [bisect.bisect_right(dates, d) for d in days_of(points)]
    [line] = [e for e in root.iter(f"{SVG}path") if e.get("class") == "today"]
    assert float(re.findall(r"M(-?[\d.]+) ", line.get("d", ""))[0]) == done[-1][0]
    legend = by_class(root)["legend"]
    assert [t.text for t in legend.iter(f"{SVG}text")] == ["tasks due", "tasks done", "today"]
    assert [p.get("stroke") for p in legend.iter(f"{SVG}path")] == [DUE, DONE, MUTED]


def test_importing_and_drawing_the_charts_does_not_import_matplotlib() -> None:
    code = ("import sys\nfrom datetime import date\n"
            "from mkdocs_garden.core.charts import timeline_charts\n"
            "from mkdocs_garden.core.tasks import tasks_in_text\n"
            "from mkdocs_garden.core.timeline_entries import JournalEntry\n"
            "e = JournalEntry('j.md', 1, 'Day 1', 'day-1', 'heading', day_number=1,"
            " start=date(2024, 1, 2), end=date(2024, 1, 2), skipped=False)\n"
            "tasks = tasks_in_text('a.md', '- [x] y 📅 2024-01-03 ✅ 2024-01-04\\n')\n"
            "drawn = timeline_charts((date(2024, 1, 1), date(2024, 2, 1)), [e], tasks, date(2024, 1, 9))\n"
            "assert [c.name for c in drawn] == ['calendar', 'burnup'], drawn\n"
            "assert 'matplotlib' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                   env={**os.environ, "PYTHONPATH": PLUGINS})


def test_alt_text_and_drawings_read_the_same_task_dates() -> None:
    """The alt text says what is drawn (a task due outside the window is not on the calendar),
    and is the drawn SVG's title."""
    start = date(2023, 10, 1)
    window = (start, start + timedelta(days=60))
    tasks = [task(30, str(start)), task(31, str(start + timedelta(days=90)), str(start)), *TASKS]
    calendar, burnup = timeline_charts(window, ENTRIES, tasks, start)
    assert calendar.alt == (
        "Calendar of the plan from 2023-10-01 to 2023-11-30: 2 days logged, 10 skipped, 1 not logged "
        "and 48 ahead; tasks due on 4 days and done on 3 days.")  # today is the window's first day
    assert burnup.alt == (
        "Tasks due and done over time, 2023-10-01 to 2023-12-30: 5 tasks due, 3 done, "
        "2 of them after their due date.")
    assert all(f"<title>{c.alt}</title>" in c.svg for c in (calendar, burnup))
    assert calendar.svg == calendar_svg(window, ENTRIES, tasks, start)
    assert burnup.svg == tasks_burnup_svg(tasks, window, start)


def test_timeline_charts_draw_what_they_show_and_no_day_outside_the_plan() -> None:
    first = timeline_charts(WINDOW, ENTRIES, TASKS, TODAY)
    assert [c.name for c in first] == ["calendar", "burnup"]
    assert all(c.svg.count("<title>") == 1 and c.alt in c.svg for c in first)
    # A new summary changes nothing drawn; nor does a later day once the plan is over, or an
    # earlier one before it starts.
    edited = [JournalEntry(**{**e.__dict__, "summary": "edited"}) for e in ENTRIES]
    assert timeline_charts(WINDOW, edited, TASKS, TODAY) == first
    assert timeline_charts(WINDOW, ENTRIES, TASKS, date(2024, 3, 1)) == \
        timeline_charts(WINDOW, ENTRIES, TASKS, date(2024, 4, 1)) != first
    assert timeline_charts(WINDOW, ENTRIES, TASKS, date(2023, 1, 1)) == \
        timeline_charts(WINDOW, ENTRIES, TASKS, date(2022, 1, 1))


def test_timeline_charts_without_window_or_tasks() -> None:
    assert timeline_charts(None, [], [], TODAY) == []
    assert [c.name for c in timeline_charts(WINDOW, ENTRIES, [], TODAY)] == ["calendar"]


@pytest.mark.parametrize("days", [0, 1, 4, 5, 30, 400, 20_000])
def test_burnup_draws_any_span_quietly_and_quickly(days: int) -> None:
    """Decades of days once cost a vertex (and a count over every task) per day."""
    start = date(2024, 1, 2)
    end = start + timedelta(days=days)
    text = f"- [ ] x 📅 {start}\n- [x] y 📅 {end} ✅ {end}\n" * 50
    tasks = tasks_in_text("a.md", text)
    clock = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        svg = tasks_burnup_svg(tasks, None, today=start + timedelta(days=1))
    assert time.process_time() - clock < 0.5
    root = parse(svg)
    assert len(vertices(by_class(root)["due"].get("d", ""))) <= 2
    assert 3 <= len(x_ticks(root)) <= 8


def test_calendar_of_a_long_plan_is_quick() -> None:
    window = (date(2021, 1, 1), date(2023, 12, 31))
    entries = [entry(i, window[0] + timedelta(days=i), skipped=i % 3 == 0) for i in range(0, 1000, 2)]
    clock = time.process_time()
    svg = calendar_svg(window, entries, TASKS, date(2023, 6, 1))
    assert time.process_time() - clock < 0.5
    kinds = by_class(parse(svg))
    assert sum(len(squares(kinds[k].get("d", ""))) for k in ("logged", "skipped", "not-logged", "ahead")) == 1095
