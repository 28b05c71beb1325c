"""The timeline's charts: valid, deterministic SVG with alt text, readable in both palettes,
and a content-keyed cache that never redraws an unchanged vault."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
from mkdocs_garden.core import charts
from mkdocs_garden.core.charts import (
    MUTED,
    cached_svg,
    calendar_svg,
    chart_cache_key,
    prune_chart_cache,
    tasks_burnup_svg,
    timeline_charts,
)
from mkdocs_garden.core.model import Task, TaskDate
from mkdocs_garden.core.tasks import tasks_in_text
from mkdocs_garden.core.timeline_entries import JournalEntry

SVG = "{http://www.w3.org/2000/svg}"
WINDOW = (date(2023, 10, 28), date(2024, 1, 26))
TODAY = date(2023, 11, 20)


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
    svg = dict(drawings())[name]
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None
    assert root.find(f"{SVG}title").text == title  # type: ignore[union-attr]


def test_charts_are_byte_identical_across_calls() -> None:
    assert drawings() == drawings()


def test_calendar_draws_a_square_a_day_in_a_few_collections() -> None:
    """Drawn a patch a day, a three-year plan cost a second; the squares, their fills and the
    outlines (today's heavier) must stay what they were."""
    svg = calendar_svg(WINDOW, ENTRIES, TASKS, TODAY)
    cells = svg.split('<g id="axes_1">')[1].split('<g id="legend_1">')[0]
    assert "patch_" not in cells and cells.count('<g id="PolyCollection_') == 4
    styles = re.findall(r'<path d="M [^"]*z\s*"[^>]*style="([^"]*)"', cells)
    outline = f"fill: none; stroke: {MUTED}; stroke-width: %s; stroke-linejoin: miter"
    # The counts of the alt text: 2 logged, 10 skipped, 12 not logged, 67 ahead, and today.
    assert [styles.count(s) for s in ("fill: #2da44e", "fill: #d4a72c",
                                      f"fill: {MUTED}; fill-opacity: 0.3",
                                      outline % "0.6", outline % "1.6")] == [2, 10, 12, 67, 1]
    assert len(styles) == 2 + 10 + 12 + 67 + 1


def test_alt_text_keys_and_drawings_read_the_same_task_dates(tmp_path: Path) -> None:
    """The task dates are read once for a chart's key, alt text and drawing: the alt text
    stays the `describe_*` sentence, which is also the drawn SVG's title."""
    start = date(2023, 10, 1)
    window = (start, start + timedelta(days=60))
    tasks = [task(30, str(start)), task(31, str(start + timedelta(days=90)), str(start)), *TASKS]
    calendar, burnup = timeline_charts(tmp_path, window, ENTRIES, tasks, start)
    assert calendar.alt == charts.describe_calendar(window, ENTRIES, tasks, start)
    assert burnup.alt == charts.describe_burnup(tasks, window) == (
        "Tasks due and done over time, 2023-10-01 to 2023-12-30: 5 tasks due, 3 done, "
        "2 of them after their due date.")
    assert all(f"<title>{c.alt}</title>" in c.svg for c in (calendar, burnup))


def test_charts_have_transparent_background_and_mid_tone_text() -> None:
    for _, svg in drawings():
        text_fills = re.findall(r"<text [^>]*fill: (#[0-9a-f]{6})", svg)
        assert text_fills and set(text_fills) == {MUTED}
        assert "#000000" not in svg  # black would vanish on the dark palette
        assert 'style="fill: #ffffff"' not in svg.split("<g id=\"axes_1\">")[0]  # no backdrop


def test_burnup_without_dated_tasks_says_so() -> None:
    svg = tasks_burnup_svg([], None)
    assert "No dated tasks" in svg
    ET.fromstring(svg.encode("utf-8"))


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


def test_cache_hit_does_not_draw(tmp_path: Path) -> None:
    calls = []

    def draw() -> str:
        calls.append(1)
        return "<svg/>"

    assert cached_svg(tmp_path, ("calendar", WINDOW), draw) == "<svg/>"
    assert cached_svg(tmp_path, ("calendar", WINDOW), draw) == "<svg/>"
    assert len(calls) == 1
    cached_svg(tmp_path, ("calendar", (WINDOW[0], date(2024, 1, 27))), draw)
    assert len(calls) == 2  # a different input is a different chart
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".svg", ".svg"]  # no temp files


def test_cache_key_refuses_unstable_reprs() -> None:
    assert chart_cache_key(("a", 1, WINDOW)) == chart_cache_key(("a", 1, WINDOW))
    with pytest.raises(ValueError, match="stable repr"):
        chart_cache_key((object(),))


def test_prune_removes_only_unused_charts(tmp_path: Path) -> None:
    keep = chart_cache_key(("keep",))
    cached_svg(tmp_path, ("keep",), lambda: "<svg/>")
    cached_svg(tmp_path, ("old",), lambda: "<svg/>")
    removed = prune_chart_cache(tmp_path, [keep])
    assert [p.name for p in removed] == [f"{chart_cache_key(('old',))}.svg"]
    assert [p.name for p in tmp_path.iterdir()] == [f"{keep}.svg"]
    assert prune_chart_cache(tmp_path / "missing", []) == []


def test_timeline_charts_are_cached_by_what_they_draw(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    first = timeline_charts(tmp_path, WINDOW, ENTRIES, TASKS, TODAY)
    late = timeline_charts(tmp_path, WINDOW, ENTRIES, TASKS, date(2024, 3, 1))
    assert [c.name for c in first] == ["calendar", "burnup"]
    assert all(c.svg.count("<title>") == 1 and c.alt in c.svg for c in first)

    def fail(*args: object) -> str:
        raise AssertionError("redrawn")

    monkeypatch.setattr(charts, "calendar_svg", fail)
    monkeypatch.setattr(charts, "tasks_burnup_svg", fail)
    # A new summary, and a later day once the plan is over, change nothing that is drawn.
    edited = [JournalEntry(**{**e.__dict__, "summary": "edited"}) for e in ENTRIES]
    assert timeline_charts(tmp_path, WINDOW, edited, TASKS, TODAY) == first
    assert late == timeline_charts(tmp_path, WINDOW, ENTRIES, TASKS, date(2024, 4, 1))


def test_timeline_charts_without_window_or_tasks(tmp_path: Path) -> None:
    assert timeline_charts(tmp_path, None, [], [], TODAY) == []


@pytest.mark.parametrize("days", [0, 1, 4, 5, 30, 400, 20_000])
def test_burnup_draws_any_span_quietly_and_quickly(days: int) -> None:
    """A few days once made matplotlib's date locator warn; decades of days once cost a
    vertex (and a count over every task) per day."""
    import time
    import warnings

    start = date(2024, 1, 2)
    end = start + timedelta(days=days)
    text = f"- [ ] x 📅 {start}\n- [x] y 📅 {end} ✅ {end}\n" * 50
    tasks = tasks_in_text("a.md", text)
    clock = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        svg = tasks_burnup_svg(tasks, None, today=start + timedelta(days=1))
    assert time.process_time() - clock < 5
    assert "<svg" in svg
