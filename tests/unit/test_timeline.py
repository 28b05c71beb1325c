"""The timeline: journal entries, date inference, the plan, stats, the page and its JSON.

The author's journal is rebuilt here from the seed export (day lines restored as `###`
headings, checkboxes restored on task lines), so these tests do not depend on the vault's copy;
one test also reads `docs/journal/...` through the real scanner when that file is there.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import markdown
import pytest
import yaml
from mkdocs_garden.core.charts import timeline_charts
from mkdocs_garden.core.memo import RebuildMemo
from mkdocs_garden.core.model import Heading, Link, Note, Span, Task, TaskDate
from mkdocs_garden.core.timeline import (
    DEFAULT_HEADING_PATTERNS,
    TimelineConfig,
    build_timeline,
    infer_dates,
    journal_entries,
    plan_window,
    task_lateness,
    task_problems,
    timeline_json,
    timeline_json_text,
    timeline_page_markdown,
    timeline_summary,
)
from mkdocs_garden.core.timeline_config import DEFAULT_TARGET_PATTERN
from mkdocs_garden.core.timeline_text import summarize

ROOT = Path(__file__).resolve().parents[2]
JOURNAL_PATH = "journal/13 week Mech Interp Study Journal.md"

# The seed export with Obsidian's formatting restored: headings, checkboxes, one wikilink.
JOURNAL = """\
---
journal: true
plan:
  start: 2023-10-28
  end: 2024-01-26
  weeks: 13
---
# 13 week Mech Interp Study Journal

## Foreword

Mech Interp is super cool! I’m gonna set aside 13 weeks to study it.

## Timeline

Target: 10/28/2023 to 1/26/2023 (end of my winter break)

### Undated Day 1

- Read some basic definitions of Linear Algebra Done Right.

### Undated Day 2

- Finished Linear Algebra Done Right Chapter 1. Re-learnt subspaces, sums of subspaces, direct sums.
- Looking ahead, to solidfy my linear algebra for MI, I should master Chapter 1-3, 5-6, and 7d.

### Day 1

- Read Linear Algebra Done Right Chapter 2 up until the last definition.
- [x] Why bases matter for machine learning - high level view. 📅 2023-10-28 ✅ 2023-10-28

### Day 2

- Yesterday i assigned the “why bases matters” task, I have a high-level answer.

### Day 3

Skipped

### Day 4

- Did 15 exercises for [[Chapter 2]]. I didn’t try too hard.

### Day 5

Skipped

### Day 6

Skipped

### Day 7 (11-03-2023)

Wrote MLP forward stuff.
- [x] Review Batch Normaliztaion, Optimizers, Regularization 📅 2023-11-04 ✅ 2023-11-09
- [x] What is Skip Connections and Residual Blocks? 📅 2023-11-03 ✅ 2023-11-04
- [x] Understand the gradients that are taken. 📅 2023-11-12 ✅ 2023-11-15

### Day 8 (11-04-2023)

Studied backpropagation.

### Day 9 (11-05-2023)

Rewatched 3b1b’s video and I think all the formulae individually makes sense.

### Day 10-18 (11-06-2023 to 11-14-2023)

Skipped. Not gonna lie, played a little too much minesweeper.

### Day 19

- Deleted my online minesweeper account.

### Day 20

- Read the Attention blog post.
- [ ] Understand: What is the Curse of Dimensionality? 📅 2023-11-17
- [ ] Master PCA 📅 2023-11-19
- [ ] Run, completely, one mech interp notebook 📅 2023-11-17
"""

AFTER_PLAN = date(2024, 2, 1)
MID_PLAN = date(2023, 11, 20)


# --- building notes and tasks without the real scanner ------------------------------------


def make_note(path: str, text: str, headings: bool = True) -> Note:
    """A `Note` with frontmatter, ATX headings (outside fences), wikilinks and `%%` comments."""
    body_start, frontmatter = 0, {}
    match = re.match(r"---\n(.*?\n)---\n", text, re.DOTALL)
    if match:
        frontmatter, body_start = yaml.safe_load(match[1]) or {}, match.end()
    found, fenced = [], False
    for number, line in enumerate(text.split("\n"), start=1):
        fenced ^= line.startswith("```")
        atx = re.match(r"(#{1,6})\s+(.*?)\s*$", line)
        if atx and not fenced and number > text.count("\n", 0, body_start):
            slug = re.sub(r"[\s-]+", "-", re.sub(r"[^\w\s-]", "", atx[2]).strip().lower())
            found.append(Heading(len(atx[1]), atx[2], number, slug))
    links = tuple(
        Link("wiki", m[2].split("|")[0], "", None, bool(m[1]), text.count("\n", 0, m.start()) + 1,
             Span(m.start(), m.end()), m[0])
        for m in re.finditer(r"(!?)\[\[([^\]]+)\]\]", text))
    comments = tuple(Span(m.start(), m.end()) for m in re.finditer(r"%%.*?%%", text, re.DOTALL))
    return Note(path, text, frontmatter, body_start, text.count("\n", 0, body_start) + 1,
                headings=tuple(found) if headings else (), links=links, comments=comments)


def line_of(text: str, needle: str) -> int:
    return text.count("\n", 0, text.index(needle)) + 1


def make_task(text: str, needle: str, due: str | None = None, done: str | None = None,
              created: str | None = None, path: str = JOURNAL_PATH) -> Task:
    def when(raw: str | None) -> TaskDate | None:
        if raw is None:
            return None
        try:
            return TaskDate(raw, date.fromisoformat(raw))
        except ValueError:
            return TaskDate(raw)

    return Task(path, line_of(text, needle), "x" if done else " ", "DONE" if done else "TODO",
                needle, 6, due=when(due), done=when(done), created=when(created))


def author_tasks() -> list[Task]:
    return [
        make_task(JOURNAL, "Why bases matter", "2023-10-28", "2023-10-28"),
        make_task(JOURNAL, "Review Batch", "2023-11-04", "2023-11-09"),
        make_task(JOURNAL, "What is Skip", "2023-11-03", "2023-11-04"),
        make_task(JOURNAL, "Understand the gradients", "2023-11-12", "2023-11-15"),
        make_task(JOURNAL, "Understand: What is the Curse", "2023-11-17"),
        make_task(JOURNAL, "Master PCA", "2023-11-19"),
        make_task(JOURNAL, "Run, completely", "2023-11-17"),
    ]


def journal(body: str, frontmatter: str = "journal: true\n") -> str:
    """A journal note: the frontmatter takes lines 1-3, so the body starts on line 4."""
    return f"---\n{frontmatter}---\n{body}"


def d(month: int, day: int, year: int = 2023) -> date:
    return date(year, month, day)


# --- the author's journal ------------------------------------------------------------------

AUTHOR_DAYS = [
    # label,          start,     end,       inferred, skipped, undated
    ("Undated Day 1", None, None, False, False, 1),
    ("Undated Day 2", None, None, False, False, 2),
    ("Day 1", d(10, 28), d(10, 28), True, False, None),  # Day 7 is 11-03: 6 days earlier
    ("Day 2", d(10, 29), d(10, 29), True, False, None),
    ("Day 3", d(10, 30), d(10, 30), True, True, None),
    ("Day 4", d(10, 31), d(10, 31), True, False, None),
    ("Day 5", d(11, 1), d(11, 1), True, True, None),
    ("Day 6", d(11, 2), d(11, 2), True, True, None),
    ("Day 7", d(11, 3), d(11, 3), False, False, None),
    ("Day 8", d(11, 4), d(11, 4), False, False, None),
    ("Day 9", d(11, 5), d(11, 5), False, False, None),
    ("Day 10–18", d(11, 6), d(11, 14), False, True, None),  # the 9-day gap
    ("Day 19", d(11, 15), d(11, 15), True, False, None),  # counted from the range's end
    ("Day 20", d(11, 16), d(11, 16), True, False, None),
]


def test_author_journal_entries() -> None:
    entries, problems = journal_entries([make_note(JOURNAL_PATH, JOURNAL)])
    got = [(e.label, e.start, e.end, e.inferred, e.skipped, e.undated_index) for e in entries]
    assert got == AUTHOR_DAYS
    assert problems == []
    day7 = entries[8]
    assert (day7.line, day7.anchor) == (line_of(JOURNAL, "### Day 7"), "day-7-11-03-2023")
    assert entries[2].inferred_from == "Day 7 (11-03-2023)"
    assert entries[5].links == ("Chapter 2",)
    assert entries[11].summary == "Skipped. Not gonna lie, played a little too much minesweeper."
    assert entries[11].days == 9


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # After the plan: 91 days. Logged: Days 1, 2, 4, 7, 8, 9, 19, 20 = 8. Skipped: Days 3, 5,
        # 6 and the 9 days of Day 10-18 = 12. Days 1-20 cover 2023-10-28..11-16 = 20 days, so
        # 91 - 20 = 71 not logged. Longest streak: Days 7-9 (11-03..11-05) = 3.
        (AFTER_PLAN, {"days": 91, "logged": 8, "skipped": 12, "not_logged": 71, "ahead": 0}),
        # On 2023-11-20, 24 days have passed (10-28..11-20): 24 - 20 = 4 not logged, 91 - 24 ahead.
        (MID_PLAN, {"days": 91, "logged": 8, "skipped": 12, "not_logged": 4, "ahead": 67}),
    ],
)
def test_author_stats(today: date, expected: dict[str, int]) -> None:
    timeline = build_timeline([make_note(JOURNAL_PATH, JOURNAL)], author_tasks(), today=today)
    stats = timeline.stats
    assert {k: getattr(stats, k) for k in expected} == expected
    assert (stats.longest_streak, stats.longest_streak_start) == (3, d(11, 3))
    assert (stats.undated, stats.entries) == (2, 14)
    # Done: 4; late: Review (5 days), Skip connections (1), gradients (3); bases on time.
    assert (stats.tasks, stats.tasks_done, stats.tasks_late) == (7, 4, 3)
    assert stats.tasks_overdue == 3  # all three open tasks are due 11-17 or 11-19


def test_task_facts_kept_across_calls_give_what_a_fresh_timeline_does() -> None:
    """The tasks' problems and counts, kept while serving: the journal's words change and they
    are not worked out again; a task or the day changes and they are."""
    memo, tasks = RebuildMemo(keep=True), author_tasks()
    journal = make_note(JOURNAL_PATH, JOURNAL)
    first = build_timeline([journal], tasks, today=MID_PLAN, memo=memo)
    assert first == build_timeline([journal], tasks, today=MID_PLAN) and memo.made == ["tasks"]
    reworded = make_note(JOURNAL_PATH, JOURNAL.replace("Skipped", "Skipped again", 1))
    again = build_timeline([reworded], list(tasks), today=MID_PLAN, memo=memo)
    assert memo.made == [] and again == build_timeline([reworded], tasks, today=MID_PLAN)
    done = [*tasks[:4], replace(tasks[4], status_type="DONE"), *tasks[5:]]  # an open task done
    moved = build_timeline([journal], done, today=MID_PLAN, memo=memo)
    assert moved == build_timeline([journal], done, today=MID_PLAN) and moved.stats != first.stats
    earlier = build_timeline([journal], done, today=d(11, 18), memo=memo)  # Master PCA not due yet
    assert earlier == build_timeline([journal], done, today=d(11, 18)) and memo.made == ["tasks"]
    assert (earlier.stats.tasks_overdue, moved.stats.tasks_overdue) == (1, 2)


def test_author_plan_window_and_target_line() -> None:
    note = make_note(JOURNAL_PATH, JOURNAL)
    problems: list = []
    assert plan_window(note, problems) == (d(10, 28), date(2024, 1, 26))
    assert [(p.line, p.level, p.message) for p in problems] == [(
        line_of(JOURNAL, "Target:"), "info",
        ("plan target end 2023-01-26 is before its start 2023-10-28; the frontmatter plan "
        "2023-10-28 to 2024-01-26 is used"))]


@pytest.mark.parametrize(
    ("task", "kind", "days"),
    [
        (make_task(JOURNAL, "Why bases matter", "2023-10-28", "2023-10-28"), "on-time", 0),
        (make_task(JOURNAL, "Review Batch", "2023-11-04", "2023-11-09"), "late", 5),
        (make_task(JOURNAL, "What is Skip", "2023-11-03", "2023-11-04"), "late", 1),
        (make_task(JOURNAL, "Understand the gradients", "2023-11-12", "2023-11-15"), "late", 3),
        (make_task(JOURNAL, "Master PCA", "2023-11-19"), "overdue", 74),  # 11-19 -> 02-01
        (make_task(JOURNAL, "Master PCA", "2023-11-19", "2023-11-17"), "early", 2),
    ],
)
def test_task_lateness(task: Task, kind: str, days: int) -> None:
    lateness = task_lateness(task, AFTER_PLAN)
    assert lateness is not None and (lateness.kind, lateness.days) == (kind, days)


def test_open_task_not_yet_due_has_no_lateness() -> None:
    assert task_lateness(make_task(JOURNAL, "Master PCA", "2023-11-19"), d(11, 19)) is None


# --- entry sources --------------------------------------------------------------------------


def test_daily_notes_and_frontmatter_dates() -> None:
    notes = [
        make_note("daily/2023-11-21.md", "Worked on [[PCA]].\n"),
        make_note("daily/2023-11-22.md", "skipped, sick\n"),
        make_note("talks/Neel.md", "---\ndate: 2023-11-23\n---\nNotes from the talk.\n"),
        make_note("concepts/PCA.md", "No date here.\n"),
    ]
    entries, problems = journal_entries(notes)
    assert problems == []
    got = [(e.path, e.source, e.start, e.skipped, e.line, e.links) for e in entries]
    assert got == [
        ("daily/2023-11-21.md", "daily-note", d(11, 21), False, 1, ("PCA",)),
        ("daily/2023-11-22.md", "daily-note", d(11, 22), True, 1, ()),
        ("talks/Neel.md", "frontmatter", d(11, 23), False, 2, ()),
    ]


def test_configured_daily_note_pattern_and_formats() -> None:
    config = TimelineConfig(daily_note_pattern=r"Log (?P<date>\d{2}\.\d{2}\.\d{4})",
                            date_formats=("%d.%m.%Y",))
    entries, _ = journal_entries([make_note("Log 03.11.2023.md", "x\n")], config)
    assert [e.start for e in entries] == [d(11, 3)]


def test_setext_underline_and_comments_stay_out_of_the_body() -> None:
    text = journal("Day 1 (11-01-2023)\n---\n%% private %%Public words.\n")
    note = make_note("j.md", text, headings=False)
    note = Note(note.path, note.text, note.frontmatter, note.body_start, note.body_line,
                headings=(Heading(2, "Day 1 (11-01-2023)", 4, "day-1"),), comments=note.comments)
    entries, _ = journal_entries([note])
    assert entries[0].summary == "Public words."


def test_skipped_pattern_is_configurable() -> None:
    config = TimelineConfig(skipped_pattern=r"(?i)(skipped|rest day)\b")
    text = journal("### Day 1 (11-01-2023)\nRest day.\n")
    entries, _ = journal_entries([make_note("j.md", text)], config)
    assert entries[0].skipped


# --- inference ------------------------------------------------------------------------------


def test_infer_dates_from_nearest_anchor_and_plan_start() -> None:
    text = journal("### Day 2\nx\n### Day 5 (11-10-2023)\nx\n### Day 9 (11-20-2023)\nx\n"
                   "### Day 8\nx\n")
    entries, problems = journal_entries([make_note("j.md", text)])
    by_label = {e.label: (e.start, e.inferred, e.inferred_from) for e in entries}
    assert by_label["Day 2"] == (d(11, 7), True, "Day 5 (11-10-2023)")
    assert by_label["Day 8"] == (d(11, 19), True, "Day 9 (11-20-2023)")  # nearer than Day 5
    assert problems == []
    planned = journal("### Day 1\nx\n### Day 3\nx\n",
                      "journal: true\nplan: {start: 2023-10-28, weeks: 1}\n")
    entries, problems = journal_entries([make_note("p.md", planned)])
    assert [(e.start, e.inferred_from) for e in entries] == [
        (d(10, 28), "the plan start"), (d(10, 30), "the plan start")]
    assert problems == []


def test_infer_dates_leaves_other_journals_and_undated_days_alone() -> None:
    a = make_note("a.md", journal("### Undated Day 1\nx\n### Day 1 (11-01-2023)\nx\n"))
    b = make_note("b.md", journal("### Day 2\nx\n"))
    entries, _ = journal_entries([a, b])
    assert [(e.path, e.label, e.start) for e in entries] == [
        ("a.md", "Undated Day 1", None), ("a.md", "Day 1", d(11, 1)), ("b.md", "Day 2", None)]
    assert infer_dates(entries) == entries  # already inferred: nothing left to do


# --- bad input: a warning with file and line, and the rest still built ----------------------

BAD_INPUT = [
    # name, journal body, extra config, (line, message part), days still dated
    ("impossible date", "### Day 2 (11-03-2023)\nx\n### Day 3 (02-30-2023)\nx\n### Day 4\nx\n",
     {}, (6, "date does not exist '02-30-2023' in journal heading 'Day 3 (02-30-2023)'"),
     {"Day 2": d(11, 3), "Day 3": d(11, 4), "Day 4": d(11, 5)}),
    ("range end before start",
     "### Day 10-18 (11-14-2023 to 11-06-2023)\nSkipped\n### Day 19\nx\n", {},
     (4, "range end 2023-11-06 is before its start 2023-11-14"),
     {"Day 10–18": d(11, 14), "Day 19": d(11, 23)}),
    ("day range reversed", "### Day 18-10 (11-06-2023)\nx\n### Day 19\nx\n", {},
     (4, "day range end 10 is before its start 18"), {"Day 18": d(11, 6), "Day 19": d(11, 7)}),
    ("range days disagree with dates", "### Day 10-18 (11-06-2023 to 11-10-2023)\nSkipped\n",
     {}, (4, "days 10-18 are 9 days but the dates 2023-11-06 to 2023-11-10 are 5"),
     {"Day 10–18": d(11, 6)}),
    ("two entries on one day", "### Day 7 (11-03-2023)\nx\n### 2023-11-03\ny\n### Day 8\nz\n",
     {}, (6, "two entries on 2023-11-03: '2023-11-03' and 'Day 7 (11-03-2023)' at j.md:4"),
     {"Day 7": d(11, 3), "2023-11-03": d(11, 3), "Day 8": d(11, 4)}),
    ("journal without dates", "### Day 1\nx\n### Day 2\ny\n", {},
     (4, "journal has no dates: none of its 2 days is dated"), {"Day 1": None, "Day 2": None}),
    ("journal without day headings", "## Notes\nx\n", {},
     (2, "journal has no heading matching the journal heading patterns"), {}),
    ("pattern that matches nothing", "### Day 1 (11-01-2023)\nx\n",
     {"heading_patterns": (*DEFAULT_HEADING_PATTERNS, r"Week (?P<day>\d+)")},
     (2, r"journal heading pattern 'Week (?P<day>\d+)' matches no heading in 1 journal(s)"),
     {"Day 1": d(11, 1)}),
]


@pytest.mark.parametrize(("name", "body", "options", "problem", "dated"), BAD_INPUT,
                         ids=[case[0] for case in BAD_INPUT])
def test_bad_input_is_reported_and_the_rest_built(
    name: str, body: str, options: dict, problem: tuple[int, str], dated: dict
) -> None:
    entries, problems = journal_entries([make_note("j.md", journal(body))],
                                        TimelineConfig(**options))
    assert [(p.path, p.line, p.level) for p in problems] == [("j.md", problem[0], "warning")]
    assert problem[1] in problems[0].message
    assert {e.label: e.start for e in entries} == dated


@pytest.mark.parametrize(
    ("path", "text", "line", "message"),
    [
        ("daily/2023-02-30.md", "x\n", 1, ("date does not exist '2023-02-30' in the note's "
         "daily-note date")),
        ("talk.md", "---\ntitle: t\ndate: '02-30-2023'\n---\nx\n", 3,
         "date does not exist '02-30-2023' in the note's frontmatter date"),
        ("talk.md", "---\ndate: someday\n---\nx\n", 2,
         "unrecognised date 'someday' in the note's frontmatter date"),
    ],
)
def test_bad_file_dates(path: str, text: str, line: int, message: str) -> None:
    entries, problems = journal_entries([make_note(path, text),
                                         make_note("daily/2023-11-01.md", "fine\n")])
    assert [(p.path, p.line, p.message) for p in problems] == [(path, line, message)]
    assert [e.start for e in entries] == [d(11, 1)]


PLAN_CASES = [
    # frontmatter plan, body, expected window, (line, level, message part) or None
    ("plan: {start: 2023-10-28, weeks: 13}\n", "", (d(10, 28), date(2024, 1, 26)), None),
    ("plan: {start: 2023-10-28, end: 2023-01-26}\n", "", None,
     (3, "warning", "plan end 2023-01-26 is before its start 2023-10-28")),
    ("plan: {start: 2023-10-28, end: 2023-01-26, weeks: 13}\n", "",
     (d(10, 28), date(2024, 1, 26)),
     (3, "warning", "plan end 2023-01-26 is before its start 2023-10-28")),
    ("plan: {start: 2023-10-28, end: 2024-01-31, weeks: 13}\n", "",
     (d(10, 28), date(2024, 1, 31)),
     (3, "warning", ("plan end 2024-01-31 is not 13 weeks from its start 2023-10-28 "
      "(that is 2024-01-26)"))),
    ("plan: {start: '2023-02-30', weeks: 2}\n", "", None,
     (3, "warning", "date does not exist '2023-02-30' in the plan")),
    ("plan: 13 weeks\n", "", None, (3, "warning", "plan needs a start date: '13 weeks'")),
    ("plan: {start: 2023-10-28}\n", "", None,
     (3, "warning", "plan starting 2023-10-28 needs an end date or a number of weeks")),
    ("", "Target: 10/28/2023 to 1/26/2024\n", (d(10, 28), date(2024, 1, 26)), None),
    ("", "**Target**: 10/28/2023 to 1/26/2023\n", None,
     (4, "warning", "plan target end 2023-01-26 is before its start 2023-10-28")),
]


@pytest.mark.parametrize(("plan", "body", "window", "problem"), PLAN_CASES)
def test_plan_window(plan: str, body: str, window: tuple | None, problem: tuple | None) -> None:
    note = make_note("j.md", journal(body, "journal: true\n" + plan))
    problems: list = []
    assert plan_window(note, problems) == window
    assert [(p.line, p.level, p.message) for p in problems] == ([problem] if problem else [])


def test_task_problems() -> None:
    tasks = [make_task(JOURNAL, "Master PCA", "2023-11-19", "2023-11-01", "2023-11-10"),
             make_task(JOURNAL, "Run, completely", "2023-02-30")]
    assert [(p.line, p.message) for p in task_problems(tasks)] == [
        (line_of(JOURNAL, "Master PCA"),
         "task done 2023-11-01 before it was created 2023-11-10 'Master PCA'"),
        (line_of(JOURNAL, "Run, completely"), "task due date does not exist '2023-02-30'"),
    ]


def test_build_timeline_collects_every_problem_in_place_order() -> None:
    bad = make_task(JOURNAL, "Master PCA", "2023-11-19", "2023-11-01", "2023-11-10")
    timeline = build_timeline([make_note(JOURNAL_PATH, JOURNAL)], [*author_tasks()[:5], bad],
                              today=AFTER_PLAN)
    assert [(p.line, p.level) for p in timeline.problems] == [
        (line_of(JOURNAL, "Target:"), "info"), (line_of(JOURNAL, "Master PCA"), "warning")]
    assert len(timeline.entries) == 14


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"heading_patterns": ("Day (?P<day>\\d+",)}, "is not a valid regex"),
        ({"heading_patterns": ("Day (?P<number>\\d+)",)}, "unknown groups ['number']"),
        ({"daily_note_pattern": "\\d+"}, "needs the groups ['date']"),
        ({"date_formats": ("%d %B %Y",)}, "only %Y, %m and %d are supported"),
    ],
)
def test_config_is_checked_when_built(options: dict, error: str) -> None:
    with pytest.raises(ValueError, match=re.escape(error)):
        TimelineConfig(**options)


@pytest.mark.parametrize("pattern", [*DEFAULT_HEADING_PATTERNS, DEFAULT_TARGET_PATTERN])
@pytest.mark.parametrize("attack", ["day " + "1" * 5000 + "(", "Day 1 (" + "1-" * 3000,
                                    "target" + " " * 5000 + "x", "2023-11-03 " + "to " * 3000])
def test_patterns_do_not_backtrack(pattern: str, attack: str) -> None:
    started = time.perf_counter()
    re.compile(pattern).fullmatch(attack)
    re.compile(pattern).search(attack)
    assert time.perf_counter() - started < 0.5


# --- summaries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("\n\nShort.\n\n\n\nSecond.\n", "Short.\n\nSecond."),
        ("word " * 60, ("word " * 40).strip() + " …"),
        ("a " * 90 + "[[A long wikilink target]] tail", ("a " * 90).strip() + " …"),
        ("a " * 95 + "[text](https://example.org/long) tail", ("a " * 95).strip() + " …"),
        ("a " * 97 + "`code span here`", ("a " * 97).strip() + " …"),
        ("line one\n" + "x" * 250, "line one …"),
    ],
)
def test_summary_is_short_and_never_leaves_markup_open(body: str, expected: str) -> None:
    assert summarize(body, 200) == expected


# --- the page and the JSON ------------------------------------------------------------------


def _page(today: date = AFTER_PLAN) -> str:
    timeline = build_timeline([make_note(JOURNAL_PATH, JOURNAL)], author_tasks(), today=today)
    return timeline_page_markdown(
        timeline.entries, timeline.tasks, timeline.stats,
        link_for_entry=lambda e: f"../{e.path}#{e.anchor}",
        link_for_task=lambda t: f"../{t.path}#L{t.line}",
        link_for_target=lambda source, target: (target, f"../{target}.md"),
        charts=[(chart.alt, f"{chart.name}.svg") for chart in
                timeline_charts(timeline.stats.span, timeline.entries, timeline.tasks, today)],
        today=today, today_source="build date")


def test_page_shows_progress_days_and_tasks() -> None:
    page = _page()
    assert "| 8 days | 12 days | 71 days | 0 days |" in page
    assert "<strong>Day 5–6 skipped</strong>" in page
    assert page.count("garden-timeline-day--skipped") == 3  # Day 3, Days 5-6, Day 10-18
    assert f'<a href="../{JOURNAL_PATH}#day-7-11-03-2023">Day 7</a>' in page
    assert ">Undated Day 1</a>" in page and "undated</span>" in page
    assert 'title="inferred from Day 7 (11-03-2023)">inferred</span>' in page
    assert '<a href="../Chapter 2.md">Chapter 2</a>' in page
    assert "done 5 days after due (2023-11-09)" in page  # on Day 7, where it was written
    assert "— done · done 5 days after due</li>" in page  # in the skipped range, on 11-09
    assert page.count("open, 76 days overdue") == 4  # two tasks, each on Day 20 and on 11-17
    assert '<time datetime="2023-11-17">Fri 2023-11-17</time></strong> · no entry' in page
    calendar = page.index("![Calendar of the plan from 2023-10-28 to 2024-01-26: 8 days logged")
    assert calendar < page.index("![Tasks due and done over time")


def test_page_renders_with_balanced_blocks_in_order() -> None:
    html = markdown.markdown(_page(MID_PLAN), extensions=["md_in_html", "attr_list", "tables"])
    # progress + 15 rows: 2 undated, Days 1, 2, 3, 4, 5-6, 7, 8, 9, 10-18, 19, 20, and the two
    # days with tasks due but no entry (11-17, 11-19)
    assert html.count("<div") == html.count("</div>") == 16
    ids = re.findall(r'<div class="garden-timeline-day[^"]*" id="([^"]+)"', html)
    assert ids[:3] == ["undated-1", "undated-2", "day-2023-10-28"]
    assert ids[-3:] == ["day-2023-11-16", "day-2023-11-17", "day-2023-11-19"]
    assert '<img alt="Calendar of the plan' in html and 'class="garden-chart"' in html


def test_page_without_plan_or_entries() -> None:
    stats = timeline_summary([], [], None, MID_PLAN)
    page = timeline_page_markdown([], [], stats, link_for_entry=str, link_for_task=lambda t: None,
                                  link_for_target=lambda s, t: None, charts=[],
                                  today=MID_PLAN, today_source="SOURCE_DATE_EPOCH")
    assert "No dated journal entries yet" in page and "No journal entries yet." in page


def test_timeline_json_is_versioned_complete_and_deterministic() -> None:
    def build() -> str:
        timeline = build_timeline([make_note(JOURNAL_PATH, JOURNAL)], author_tasks(),
                                  today=AFTER_PLAN)
        document = timeline_json(timeline.entries, timeline.tasks, timeline.window,
                                 timeline.stats, url_for_entry=lambda e: f"journal/#{e.anchor}")
        return json.dumps(document, ensure_ascii=False, indent=1)

    text = build()
    assert text == build()
    document = json.loads(text)
    assert json.dumps(document, ensure_ascii=False, indent=1) == text
    assert list(document) == ["version", "as_of", "plan", "stats", "entries", "tasks"]
    assert document["version"] == 1
    assert document["plan"] == {"start": "2023-10-28", "end": "2024-01-26", "days": 91}
    assert document["stats"]["logged"] == 8 and document["stats"]["longest_streak"] == 3
    gap = document["entries"][11]
    assert (gap["day"], gap["day_end"], gap["start"], gap["end"], gap["days"], gap["skipped"]) \
        == (10, 18, "2023-11-06", "2023-11-14", 9, True)
    assert gap["id"] == f"{JOURNAL_PATH}:{gap['line']}" and gap["url"].endswith("#day-10-18-"
                                                                                  "11-06-2023-to-11-14-2023")
    review = document["tasks"][1]
    assert review["due"] == "2023-11-04" and review["done"] == "2023-11-09"
    assert review["lateness"] == {"kind": "late", "days": 5}
    assert review["entry"] == document["entries"][8]["id"]  # written under Day 7
    assert review["path"] == JOURNAL_PATH and review["line"] == line_of(JOURNAL, "Review Batch")


def test_timeline_json_text_is_the_document_in_compact_json_kept_note_by_note() -> None:
    memo: RebuildMemo[str] = RebuildMemo(keep=True)

    def text_and_document(tasks: list[Task], journal: str = JOURNAL) -> tuple[str, str]:
        timeline = build_timeline([make_note(JOURNAL_PATH, journal)], tasks, today=AFTER_PLAN)
        parts = (timeline.entries, timeline.tasks, timeline.window, timeline.stats)
        text = timeline_json_text(*parts, url_for_entry=lambda e: f"journal/#{e.anchor}", tasks_memo=memo)
        document = timeline_json(*parts, url_for_entry=lambda e: f"journal/#{e.anchor}")
        return text, json.dumps(document, ensure_ascii=False, separators=(",", ":"))

    elsewhere = [Task("a.md", 3, " ", "TODO", "read", 6), Task("z.md", 1, " ", "TODO", "write", 6)]
    text, dumped = text_and_document([*elsewhere, *author_tasks()])
    assert text == dumped and not text.isascii() and memo.made == ["a.md", JOURNAL_PATH, "z.md"]
    moved = date(2023, 11, 20)
    edited = [replace(t, due=TaskDate(str(moved), moved)) if t.description == "Master PCA" else t
              for t in author_tasks()]  # new objects, equal but for the one task
    text, dumped = text_and_document([*elsewhere, *edited])
    assert text == dumped and '"due":"2023-11-20"' in text
    assert memo.made == [JOURNAL_PATH]  # the other notes' tasks are kept
    # The same lines, but "Day 20" is no heading: the tasks under it are Day 19's now.
    text, dumped = text_and_document([*elsewhere, *edited], JOURNAL.replace("### Day 20\n", "Day 20\n"))
    assert text == dumped and f'"entry":"{JOURNAL_PATH}:{line_of(JOURNAL, "### Day 19")}"}}' in text
    assert memo.made == [JOURNAL_PATH]


# --- the vault's own copy, read by the real scanner -----------------------------------------


@pytest.mark.skipif(not (ROOT / "docs" / JOURNAL_PATH).exists(), reason="journal not in vault")
def test_vault_journal_through_the_scanner() -> None:
    from mkdocs_garden.core.scan import scan_note
    from mkdocs_garden.core.tasks import tasks_in_text

    text = (ROOT / "docs" / JOURNAL_PATH).read_text(encoding="utf-8")
    note = scan_note(JOURNAL_PATH, text)
    timeline = build_timeline([note], tasks_in_text(JOURNAL_PATH, text), today=AFTER_PLAN)
    got = [(e.label, e.start, e.end, e.inferred, e.skipped, e.undated_index)
           for e in timeline.entries]
    assert got == AUTHOR_DAYS
    stats = timeline.stats
    assert (stats.logged, stats.skipped, stats.not_logged, stats.longest_streak) == (8, 12, 71, 3)
    assert (stats.tasks, stats.tasks_done, stats.tasks_late, stats.tasks_overdue) == (7, 4, 3, 3)
    assert [p.level for p in timeline.problems] == ["info"]  # the "to 1/26/2023" target line


def test_summary_links_resolve_and_html_cannot_escape_the_row() -> None:
    text = journal("### Day 1 (11-01-2023)\n#### Morning\nSee <https://example.org>, a <b> tag, "
                   "`<code>`, [[Target|shown]], [[Missing]], [md](Other.md), ![img](a.png).\n")
    timeline = build_timeline([make_note("j.md", text)], [], today=MID_PLAN)
    page = timeline_page_markdown(
        timeline.entries, [], timeline.stats, link_for_entry=lambda e: "j.md",
        link_for_task=lambda t: None, charts=[], today=MID_PLAN, today_source="test",
        link_for_target=lambda s, t: None if t == "Missing" else (t, f"{t.removesuffix('.md')}.md"))
    assert ('<p><strong>Morning</strong>\nSee <a href="https://example.org">https://example.org</a>, '
            'a &lt;b&gt; tag, <code>&lt;code&gt;</code>, <a href="Target.md">shown</a>, '
            '<span class="garden-timeline-unresolved">Missing</span>, <a href="Other.md">md</a>, img.</p>') in page
