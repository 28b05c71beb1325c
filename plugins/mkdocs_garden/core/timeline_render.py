"""The timeline page: progress through the plan, the charts, then the days.

Progress and charts are Markdown; the days are HTML (`prerender.html_body`), which the plugin
publishes without a Markdown pass, its links (relative to the page's source, from the
caller's functions) made relative to the page. Summaries are the author's Markdown, rendered
here by markdown-it, with three edits that keep the page whole: wikilinks become links (or
plain text when unresolved), headings become bold lines (they would flood the table of
contents), and `<` outside code spans is escaped (an unclosed tag in the first 200 characters
of a day would swallow the rest of the page).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial

from .memo import Ask, RebuildMemo, making
from .model import Task
from .prerender import block_html, html_body
from .timeline_entries import JournalEntry
from .timeline_plan import TimelineStats, task_date, task_lateness
from .timeline_rows import EventKind, TimelineRow, timeline_rows

LinkForEntry = Callable[[JournalEntry], str]
LinkForTask = Callable[[Task], "str | None"]
LinkForTarget = Callable[[str, str], "tuple[str, str] | None"]  # (source, target) -> (title, url)

# Every repeat is bounded, so a run of `[[`, `[` or spaces with no closing bracket costs linear
# time: each start scans a bounded stretch instead of the rest of the text.
_WIKILINK = r"!?\[\[(?P<wt>[^\[\]|#^\n]{0,200})(?P<ws>[#^][^\[\]|\n]{0,200})?(?:\|(?P<wd>[^\[\]\n]{0,200}))?\]\]"
_MDLINK = (r"(?P<mi>!?)\[(?P<mt>[^\[\]\n]{0,200})\]\([ \t]{0,8}(?:<(?P<mu>[^<>\n]{0,300})>|(?P<mv>[^()\[\]\s]{0,300}))"
           r"(?:[ \t]{1,8}\"[^\"\n]{0,200}\")?[ \t]{0,8}\)")
_MAX_TEXT = 500
_LINK = re.compile(f"(?P<wiki>{_WIKILINK})|(?P<md>{_MDLINK})")  # one pass: output is not re-read
_NOT_AUTOLINK = re.compile(r"<(?![a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*>)")
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]{1,8}(.{0,300}?)(?:[ \t]{1,8}#{1,6})?[ \t]{0,8}$")
_EVENT_WORDS = {"written": "written here", "created": "created", "due": "due", "done": "done"}
_STATUS_MARKS = {"DONE": "✓", "CANCELLED": "✗"}
_MARKERS = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_[]~=$"})


@dataclass(frozen=True)
class _Links:
    entry: LinkForEntry
    task: LinkForTask
    target: LinkForTarget


def timeline_page_markdown(
    entries: Sequence[JournalEntry], tasks: Sequence[Task], stats: TimelineStats, *,
    link_for_entry: LinkForEntry, link_for_task: LinkForTask, link_for_target: LinkForTarget,
    charts: Sequence[tuple[str, str]], today: date, today_source: str, title: str = "Timeline",
    rows_memo: RebuildMemo[str] | None = None, target_stamp: object = None,
) -> str:
    """The whole timeline page.

    `link_for_entry` gives the URL of an entry's heading (relative `.md#anchor` is best);
    `link_for_task` the URL of a task line, or None; `link_for_target(source_path, target)`
    resolves a raw link target to (title, url), or None when it names no published note.
    `charts` are the chart images to show, each as (alt text, URL), in order (see
    `charts.timeline_charts`); `today_source` says where `today` comes from ("build date",
    "SOURCE_DATE_EPOCH" ...), shown beside it.

    `rows_memo` (kept by the caller across `serve` rebuilds) keeps each day's HTML: a saved
    note moves only its own days (a line added above a task moves the task's anchor), and
    making every day again took about 0.1 s of a rebuild at 1,000 notes. While it keeps them,
    `link_for_entry` and `link_for_task` must give the same link for an equal entry or task.
    A kept day asks `link_for_target` again for its links, unless `target_stamp` (a value
    equal in two calls only when `link_for_target` answers alike in both) is the last call's.
    """
    links = _Links(link_for_entry, link_for_task, link_for_target)
    parts = [f"# {title}"] if title else []
    parts += ["## Progress", _render_progress(stats, today, today_source)]
    if charts:
        parts += ["## Charts", "\n\n".join(f"![{_escape(alt)}]({_url(url)}){{ .garden-chart }}"
                                           for alt, url in charts)]
    parts.append("## Days")
    rows = timeline_rows(entries, tasks)
    used: set[str] = set()
    with making(rows_memo, None if target_stamp is None else {"target": target_stamp}) as memo:
        days = [_kept_row(row, _row_id(row, used), links, today, memo) for row in rows]
    parts.append(html_body("\n".join(days)) if days else "No journal entries yet.")
    return "\n\n".join(parts) + "\n"


def _render_progress(stats: TimelineStats, today: date, today_source: str) -> str:
    """The progress block: the plan, a progress bar, and the day counts in one table."""
    asof = f"as of {_time(today)} ({html.escape(today_source)})"
    if stats.span is None:
        return f"No dated journal entries yet, {asof}."
    start, end = stats.span
    if stats.window:
        weeks = f"{stats.days // 7} weeks, " if stats.days % 7 == 0 else ""
        plan = f"**Plan:** {_time(start)} to {_time(end)} ({weeks}{stats.days} days), {asof}"
    else:
        plan = (f"**No plan** in the journal's frontmatter (`plan: {{start: YYYY-MM-DD, weeks: "
                f"N}}`): counted from {_time(start)} to {_time(end)}, {asof}")
    passed = stats.days - stats.ahead
    streak = (f"{_days(stats.longest_streak)} from {_time(stats.longest_streak_start)}"
              if stats.longest_streak_start else "none")
    lines = [
        '<div class="garden-timeline-progress" markdown>', "", plan, "",
        (f'<progress value="{passed}" max="{stats.days}" aria-label="Days of the plan passed">'
         f"day {passed} of {stats.days}</progress>"), "",
        "| Logged | Skipped | Not logged | Ahead | Longest streak |",
        "| ---: | ---: | ---: | ---: | :--- |",
        (f"| {_days(stats.logged)} | {_days(stats.skipped)} | {_days(stats.not_logged)} "
         f"| {_days(stats.ahead)} | {streak} |"), "",
        f"**Tasks:** {stats.tasks}, {stats.tasks_done} done ({stats.tasks_late} late), "
        f"{stats.tasks_overdue} overdue."
        + (f" {stats.undated} undated entries come before Day 1." if stats.undated else ""),
        "", "</div>",
    ]
    return "\n".join(lines)


def _kept_row(row: TimelineRow, row_id: str, links: _Links, today: date, memo: RebuildMemo[str]) -> str:
    """`_render_row`, kept under everything the row holds (entries and tasks are dataclasses,
    compared by value) and the answers of the targets it looked up. An entry's or a task's
    own link is the same for the same entry or task (see `timeline_page_markdown`)."""
    key = (row.kind, row.entries, row.start, row.end, row.events, today)  # not changed once made

    def make(ask: Ask) -> str:
        return _render_row(row, row_id, _Links(links.entry, links.task, partial(ask, "target")), today)

    return memo.get(row_id, key, make, {"target": links.target})


def _render_row(row: TimelineRow, row_id: str, links: _Links, today: date) -> str:
    """One day (or run of skipped days), as HTML: its heading line, summaries (the author's
    Markdown, rendered), links and tasks."""
    body = [f"<p>{_render_row_head(row, links)}</p>"]
    for entry in row.entries:
        if entry.summary and not (row.kind == "skipped" and _bare_skip(entry.summary)):
            body.append(block_html(_render_summary(entry, links)))
    targets = [_render_target(e.path, t, links) for e in row.entries for t in e.links]
    if targets:
        body.append("<p><strong>Links:</strong> " + ", ".join(dict.fromkeys(targets)) + "</p>")
    if row.events:
        items = "\n".join(_render_task(task, kinds, links, today) for task, kinds in row.tasks())
        body.append(f"<p><strong>Tasks:</strong></p>\n<ul>\n{items}\n</ul>")
    status = {"entry": "logged", "skipped": "skipped", "tasks": "tasks-only"}[row.kind]
    return (f'<div class="garden-timeline-day garden-timeline-day--{status}" '
            f'id="{row_id}">\n' + "\n".join(body) + "\n</div>")


def _render_row_head(row: TimelineRow, links: _Links) -> str:
    """`<strong><a href="url">Day 7</a></strong> · Fri 2023-11-03`, with the run or inference
    spelled out."""
    if row.kind == "tasks":
        return f"<strong>{_when(row.start, row.end)}</strong> · no entry"
    first, last = row.entries[0], row.entries[-1]
    when = _when(row.start, row.end, first)
    if len(row.entries) == 1:
        skipped = " skipped" if row.kind == "skipped" else ""
        return f"<strong>{_link(_escape(first.label), links.entry(first))}{skipped}</strong> · {when}"
    numbers = (first.day_number, last.day_end or last.day_number)
    label = (f"Day {numbers[0]}–{numbers[1]}" if None not in numbers
             else f"{len(row.entries)} entries")
    each = ", ".join(_link(_escape(e.label), links.entry(e)) for e in row.entries)
    return f"<strong>{label} skipped</strong> · {when} · {each}"


def _when(start: date | None, end: date | None, entry: JournalEntry | None = None) -> str:
    """The date (range) of a row, marked undated or inferred as the entry says."""
    if start is None or end is None:
        undated = entry is not None and entry.undated_index is not None
        return ('<span class="garden-timeline-undated">undated</span>' if undated
                else '<span class="garden-timeline-undated">no date</span>')
    text = _time(start) if start == end else \
        f"{_time(start)} – {_time(end)} ({(end - start).days + 1} days)"
    if entry is not None and entry.inferred:
        why = html.escape(f"inferred from {entry.inferred_from}", quote=True)
        text += f' <span class="garden-timeline-inferred" title="{why}">inferred</span>'
    return text


def _render_summary(entry: JournalEntry, links: _Links) -> str:
    """The entry's summary as Markdown, made safe to place inside the page (see the module
    docstring); its links are HTML already."""
    lines = [_HEADING.sub(r"**\1**", line) for line in entry.summary.split("\n")]
    parts = re.split(r"(`+[^`]*`+)", "\n".join(lines))  # odd indexes are code spans
    for i in range(0, len(parts), 2):
        pieces, cursor = [], 0
        for match in _LINK.finditer(parts[i]):
            pieces += [_NOT_AUTOLINK.sub("&lt;", parts[i][cursor:match.start()]),
                       _render_link(entry.path, match, links)]
            cursor = match.end()
        parts[i] = "".join(pieces) + _NOT_AUTOLINK.sub("&lt;", parts[i][cursor:])
    return "".join(parts)


def _render_link(source: str, match: re.Match[str], links: _Links) -> str:
    """A wikilink or relative Markdown link of the summary, resolved by the caller."""
    if match["wiki"]:
        target = match["wt"].strip()
        display = (match["wd"] or match["wt"] + (match["ws"] or "")).strip()
        return _render_target(source, target, links, display) if target else _escape(display)
    url = match["mu"] if match["mu"] is not None else match["mv"]
    if match["mi"]:
        return _escape(match["mt"])  # an image in a one-line summary shows as its alt text
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|#", url):
        return match[0]  # a URL or an in-page anchor needs no resolving
    return _render_target(source, url, links, match["mt"])


def _render_target(source: str, target: str, links: _Links, display: str | None = None) -> str:
    """A link to the note a raw target names, or its name as text when it names none."""
    found = links.target(source, target)
    if found is None:
        return f'<span class="garden-timeline-unresolved">{_escape(display or target)}</span>'
    return _link(_escape(display or found[0]), found[1])  # titles and aliases are vault text


def _render_task(task: Task, kinds: list[EventKind], links: _Links, today: date) -> str:
    """`<li>✓ <a href="url">description</a> — due, done · done 5 days after due</li>`."""
    mark = _STATUS_MARKS.get(task.status_type, "○")
    url = links.task(task)
    text = _escape(_plain(task.description[:_MAX_TEXT]))  # bounded: _LINK is quadratic on `[[[[`
    name = _link(text, url) if url else text
    words = [_EVENT_WORDS[k] for k in kinds]
    events = ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]
    return f"<li>{mark} {name} — {events} · {_task_state(task, today, 'done' in kinds)}</li>"


def _task_state(task: Task, today: date, done_here: bool) -> str:
    """Done on time, late or early (and when, unless it is this row); open; or cancelled."""
    lateness = task_lateness(task, today)
    done = task_date(task, "done")
    if task.status_type == "CANCELLED":
        return "cancelled"
    if done is not None:
        when = "" if done_here else f" ({done})"
        return f"{lateness}{when}" if lateness else f"done{when}"
    return f"open, {lateness}" if lateness else "open"


def _row_id(row: TimelineRow, used: set[str]) -> str:
    """`day-2023-11-03` (stable links into the page), or `undated-1`; unique on the page."""
    if row.start:
        base = f"day-{row.start.isoformat()}"
    else:
        entry = row.entries[0]
        base = (f"undated-{entry.undated_index}" if entry.undated_index is not None
                else f"day-{entry.day_number}-undated")
    found, n = base, 2
    while found in used:
        found, n = f"{base}-{n}", n + 1
    used.add(found)
    return found


def _bare_skip(summary: str) -> bool:
    return summary.strip().rstrip(".!").lower() == "skipped"


def _plain(text: str) -> str:
    """Link markup reduced to its display text, for use inside another link's text."""
    def display(m: re.Match[str]) -> str:
        if m["wiki"]:
            return (m["wd"] or m["wt"] + (m["ws"] or "")).strip()
        return m["mt"]

    return _LINK.sub(display, text)


def _escape(text: str) -> str:
    """Text shown as written in HTML and in Markdown alike: markup and Markdown's inline
    markers become character references."""
    return html.escape(text, quote=True).translate(_MARKERS)


def _url(url: str) -> str:
    """A link destination; spaces (note names have them) need the `<...>` form."""
    return f"<{url}>" if re.search(r"[\s()]", url) else url


def _link(text: str, url: str) -> str:
    """An HTML link; `text` is escaped already."""
    return f'<a href="{html.escape(url, quote=True)}">{text}</a>'


def _time(day: date | None) -> str:
    return f'<time datetime="{day.isoformat()}">{day:%a} {day.isoformat()}</time>' if day else ""


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"
