"""Journal entries: the days of the timeline, found in daily notes, frontmatter and log headings.

Three sources, one `JournalEntry` each day (or range of days):

* a daily note, whose file name is a date (`2023-11-03.md`; `TimelineConfig.daily_note_pattern`);
* any other note with a `date` in its frontmatter (`frontmatter_date_key`);
* a heading inside a journal note (frontmatter `journal: true`) matching one of the
  `heading_patterns`. The default patterns take the author's forms: `Day 7 (11-03-2023)`,
  `Day 10-18 (11-06-2023 to 11-14-2023)`, `Day 19`, `Undated Day 1`, and ISO `2023-11-03`.

Decisions, so that the timeline tells the story the author wrote:

* A heading entry's body is every line up to the next heading of the same or a higher level, so
  `####` sub-headings stay inside their day.
* `Undated Day N` entries stay dateless (inventing a date for days the author called undated
  would contradict them); they are marked `undated_index=N` and ordered before every dated day.
* A numbered day without a date gets one from the nearest explicitly dated day of the same
  journal, counting one day per day number (Day 7 is 2023-11-03, so Day 1 is 2023-10-28), and is
  marked `inferred`. A range `Day 10-18` counts from its end for later days. A journal with no
  dated heading at all falls back to its plan start as Day 1; with no plan either, a warning.
* An entry is skipped when its body (comments removed) starts with the word "Skipped"
  (`skipped_pattern`), so "Skipped. Not gonna lie, ..." is a skipped range with the author's
  words kept in its summary.
* A journal note is not itself a daily-note or frontmatter-date entry: its file name or `date`
  dates the log, not one day of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from .model import Heading, Note, Problem
from .timeline_config import DEFAULT_HEADING_PATTERNS, TimelineConfig
from .timeline_dates import DateError, coerce_date, frontmatter_line, parse_date
from .timeline_text import body_links, section_body, summarize

EntrySource = Literal["heading", "daily-note", "frontmatter"]


@dataclass(frozen=True)
class JournalEntry:
    """One logged (or skipped) day, or range of days, of the garden's journal.

    `line` is the 1-based line of the heading (1 for a daily note, the `date:` line for a
    frontmatter date); `anchor` is the caller's `Heading.anchor` ("" for whole notes). `start`
    and `end` are inclusive and equal unless the entry is a range; both are None for undated
    days. `links` are raw link targets in the body, in order, for the caller to resolve.
    """

    path: str
    line: int
    heading: str
    anchor: str
    source: EntrySource
    day_number: int | None = None
    day_end: int | None = None
    start: date | None = None
    end: date | None = None
    inferred: bool = False
    inferred_from: str | None = None  # the heading (or "the plan start") the date comes from
    skipped: bool = False
    undated_index: int | None = None
    summary: str = ""
    links: tuple[str, ...] = ()
    end_line: int = 0  # the body's last line: tasks on lines line+1 .. end_line belong here

    @property
    def key(self) -> str:
        """A stable id, `path:line`, unique per entry (used by the JSON and the page)."""
        return f"{self.path}:{self.line}"

    @property
    def days(self) -> int:
        """How many calendar days the entry covers (0 when it has no date)."""
        return (self.end - self.start).days + 1 if self.start and self.end else 0

    def dates(self) -> list[date]:
        """Every day the entry covers, in order."""
        return [self.start + timedelta(days=i) for i in range(self.days)] if self.start else []

    @property
    def label(self) -> str:
        """`Day 7`, `Day 10–18`, `Undated Day 1`, or the heading for entries without numbers."""
        if self.undated_index is not None:
            return f"Undated Day {self.undated_index}"
        if self.day_number is None:
            return self.heading
        end = f"–{self.day_end}" if self.day_end is not None else ""
        return f"Day {self.day_number}{end}"


def journal_entries(notes: Iterable[Note], config: TimelineConfig | None = None,
                    ) -> tuple[list[JournalEntry], list[Problem]]:
    """Every journal entry of the vault, in timeline order, with the problems found on the way.

    Order: undated days first (by journal, then N), then dated entries by start date, then
    numbered days that could not be dated. Bad input never stops the rest: each problem is
    reported with its file and line and the entry is kept with what could be read.
    """
    config = config or TimelineConfig()
    notes = sorted(notes, key=lambda n: n.path)
    journals = [n for n in notes if config.is_journal(n)]
    problems: list[Problem] = []
    matched: set[int] = set()
    entries: list[JournalEntry] = []
    for note in notes:
        if config.is_journal(note):
            entries += _heading_entries(note, config, problems, matched)
        else:
            entries += _file_entries(note, config, problems)
    plan_starts = {n.path: s for n in journals if (s := _quiet_plan_start(n, config))}
    entries = infer_dates(entries, plan_starts)
    problems += _journal_problems(journals, entries, config)
    problems += _unmatched_pattern_problems(journals, matched, config)
    problems += same_day_problems(entries)
    return sort_entries(entries), problems


def _heading_entries(note: Note, config: TimelineConfig, problems: list[Problem],
                     matched: set[int]) -> list[JournalEntry]:
    """The entries of one journal note: one per heading that a pattern matches."""
    headings = sorted(note.headings, key=lambda h: h.line)
    found: list[JournalEntry] = []
    for index, heading in enumerate(headings):
        text = heading.text.strip().strip("*_").strip()  # `**Day 7**` is still Day 7
        hit = next(((i, m) for i, p in enumerate(config.heading_res) if (m := p.fullmatch(text))),
                   None)
        if hit is None:
            continue
        matched.add(hit[0])
        end_line = next((h.line - 1 for h in headings[index + 1:] if h.level <= heading.level),
                        note.text.count("\n") + 1)
        body = section_body(note, heading.line, end_line)
        groups = {k: v for k, v in hit[1].groupdict().items() if v is not None}
        found.append(_heading_entry(note, heading, groups, body, end_line, config, problems))
    return found


def _heading_entry(note: Note, heading: Heading, groups: dict[str, str], body: str,
                   end_line: int, config: TimelineConfig, problems: list[Problem],
                   ) -> JournalEntry:
    """One heading's entry, its dates checked; what cannot be read is dropped, not fatal."""
    def warn(message: str) -> None:
        problems.append(Problem(note.path, heading.line, message))

    day = int(groups["day"]) if "day" in groups else None
    day_end = int(groups["day_end"]) if "day_end" in groups else None
    if day is not None and day_end is not None and day_end < day:
        warn(f"day range end {day_end} is before its start {day} in '{heading.text}'")
        day_end = None
    start = _checked_date(groups.get("date"), heading.text, config, warn)
    end = _checked_date(groups.get("date_end"), heading.text, config, warn)
    if start and end and end < start:
        warn(f"range end {end} is before its start {start} in '{heading.text}'")
        end = None
    span = (day_end - day) if day is not None and day_end is not None else 0
    if start and end is None:
        end = start + timedelta(days=span)
    elif start and end and span and (end - start).days != span:
        warn(f"days {day}-{day_end} are {span + 1} days but the dates {start} to {end} are "
             f"{(end - start).days + 1} in '{heading.text}'")
    return JournalEntry(
        path=note.path, line=heading.line, heading=heading.text, anchor=heading.anchor,
        source="heading", day_number=day, day_end=day_end, start=start,
        end=end if start else None,
        undated_index=int(groups["undated"]) if "undated" in groups else None,
        skipped=bool(config.skipped_re.match(body.lstrip())),
        summary=summarize(body, config.summary_length),
        links=body_links(note, heading.line, end_line), end_line=end_line,
    )


def _checked_date(text: str | None, heading: str, config: TimelineConfig,
                  warn: Callable[[str], None]) -> date | None:
    """A heading's date, or None with a warning naming the text the author wrote."""
    if text is None:
        return None
    try:
        return parse_date(text, config.date_formats)
    except DateError as exc:
        warn(f"{exc} in journal heading '{heading}'")
        return None


def _file_entries(note: Note, config: TimelineConfig,
                  problems: list[Problem]) -> list[JournalEntry]:
    """A daily note (dated by its file name) or a note with a frontmatter date: one entry."""
    match = config.daily_re.fullmatch(note.stem) if config.daily_re else None
    key = config.frontmatter_date_key
    if match:
        raw, line, source = match["date"], 1, "daily-note"
    elif key and note.frontmatter.get(key) is not None:
        raw, line = note.frontmatter[key], frontmatter_line(note.text, note.body_line, key)
        source = "frontmatter"
    else:
        return []
    try:
        day = coerce_date(raw, config.date_formats)
    except DateError as exc:
        problems.append(Problem(note.path, line, f"{exc} in the note's {source} date"))
        return []
    body, last = note.text[note.body_start:], note.text.count("\n") + 1
    return [JournalEntry(
        path=note.path, line=line, heading=note.title, anchor="", source=source,  # type: ignore[arg-type]
        start=day, end=day, skipped=bool(config.skipped_re.match(body.lstrip())),
        summary=summarize(body, config.summary_length),
        links=body_links(note, note.body_line - 1, last), end_line=last,
    )]


def _quiet_plan_start(note: Note, config: TimelineConfig) -> date | None:
    """The plan start, if readable; `plan_window` is the one that reports what is wrong."""
    plan = note.frontmatter.get(config.plan_key)
    try:
        return coerce_date(plan.get("start"), config.date_formats) if isinstance(plan, dict) \
            else None
    except DateError:
        return None


@dataclass(frozen=True)
class _Anchor:
    """An explicitly dated day (or range) that undated numbered days count from."""

    first: int
    last: int
    start: date
    end: date
    label: str
    line: int

    def distance(self, day: int) -> int:
        """How many day numbers lie between `day` and this anchor (0 inside a range)."""
        return self.first - day if day < self.first else max(day - self.last, 0)

    def date_of(self, day: int) -> date:
        """The date of Day `day`, one calendar day per day number away from the anchor."""
        if day > self.last:  # count from the end of a range for the days after it
            return self.end + timedelta(days=day - self.last)
        return self.start + timedelta(days=day - self.first)


def infer_dates(entries: Sequence[JournalEntry],
                plan_starts: Mapping[str, date] | None = None) -> list[JournalEntry]:
    """Entries with dates filled in for numbered days that have none, marked `inferred`.

    Day N takes the nearest explicitly dated day of the same journal (ties: the earlier
    heading) and counts one calendar day per day number. A journal without any dated day uses
    its plan start (from `plan_starts`, by path) as Day 1. Undated days are left dateless.
    """
    anchors: dict[str, list[_Anchor]] = {}
    for e in entries:
        if e.source == "heading" and e.day_number is not None and e.start and e.end:
            last = e.day_end if e.day_end is not None else e.day_number
            anchors.setdefault(e.path, []).append(
                _Anchor(e.day_number, last, e.start, e.end, e.heading, e.line))
    for path, start in (plan_starts or {}).items():
        if path not in anchors:
            anchors[path] = [_Anchor(1, 1, start, start, "the plan start", 0)]
    result = []
    for e in entries:
        candidates = anchors.get(e.path, [])
        if e.start is not None or e.day_number is None or e.source != "heading" or not candidates:
            result.append(e)
            continue
        anchor = min(candidates, key=lambda a: (a.distance(e.day_number or 0), a.line))
        start = anchor.date_of(e.day_number)
        span = (e.day_end - e.day_number) if e.day_end is not None else 0
        result.append(replace(e, start=start, end=start + timedelta(days=span), inferred=True,
                              inferred_from=anchor.label))
    return result


def sort_entries(entries: Iterable[JournalEntry]) -> list[JournalEntry]:
    """Timeline order: undated days, then by date, then numbered days that have no date."""
    def key(e: JournalEntry) -> tuple[int, date, str, int, int]:
        if e.undated_index is not None:
            return (0, date.min, e.path, e.undated_index, e.line)
        if e.start is not None:
            return (1, e.start, e.path, e.day_number or 0, e.line)
        return (2, date.min, e.path, e.day_number or 0, e.line)

    return sorted(entries, key=key)


def same_day_problems(entries: Iterable[JournalEntry]) -> list[Problem]:
    """A warning on the later entry (in file order) of each pair that claims the same day."""
    seen: dict[date, JournalEntry] = {}
    problems: dict[tuple[str, str], Problem] = {}
    for e in sorted(entries, key=lambda e: (e.path, e.line)):
        for day in e.dates():
            other = seen.setdefault(day, e)
            if other is not e and (other.key, e.key) not in problems:
                how = " (inferred)" if e.inferred or other.inferred else ""
                problems[(other.key, e.key)] = Problem(
                    e.path, e.line, f"two entries on {day}{how}: '{e.heading}' and "
                    f"'{other.heading}' at {other.path}:{other.line}")
    return list(problems.values())


def _journal_problems(journals: Sequence[Note], entries: Sequence[JournalEntry],
                      config: TimelineConfig) -> list[Problem]:
    """Journals with no day heading, or with days but no date to place any of them."""
    problems = []
    for note in journals:
        own = [e for e in entries if e.path == note.path and e.source == "heading"]
        if not own:
            line = frontmatter_line(note.text, note.body_line, config.journal_key)
            problems.append(Problem(note.path, line, "journal has no heading matching the "
                                    "journal heading patterns"))
        elif not any(e.start for e in own):
            problems.append(Problem(note.path, own[0].line, f"journal has no dates: none of its "
                                    f"{len(own)} days is dated and it has no plan start to "
                                    "count from"))
    return problems


def _unmatched_pattern_problems(journals: Sequence[Note], matched: set[int],
                                config: TimelineConfig) -> list[Problem]:
    """A pattern the user configured that matches nothing is almost surely a typo.

    The default patterns are a wide net (most vaults use one form), so they are exempt. The
    warning points at the first journal's `journal:` line: the headings it was tried against.
    """
    if not journals:
        return []
    note = journals[0]
    line = frontmatter_line(note.text, note.body_line, config.journal_key)
    return [Problem(note.path, line, f"journal heading pattern '{pattern}' matches no heading "
                    f"in {len(journals)} journal(s)")
            for i, pattern in enumerate(config.heading_patterns)
            if i not in matched and pattern not in DEFAULT_HEADING_PATTERNS]
