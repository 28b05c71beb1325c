"""Obsidian Tasks lines, read the way the Tasks plugin reads them (its "emoji format").

A task is a list item with a one-character checkbox (`- [ ] ...`). Its metadata is read
*backwards*: signifiers such as `📅 2023-11-04`, Dataview fields such as `[due:: 2023-11-04]`
and `#tags` are stripped from the end of the line, in any order, until the end is ordinary
text. Whatever is left is the description. See spec §7 (`obsidian-markdown.md`).

Every matcher here finds its candidate with `str.rfind` (a field's value never contains its
own signifier, so the field can only start at the last one) and then checks the rest of the
line with an unambiguous pattern: no regex can backtrack, whatever the line.

The rendering helpers live in `tasks_render` and are re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import get_args

from .model import Task, TaskDate, TaskStatusType

__all__ = [
    "lateness_days",
    "overdue_shown",
    "parse_task_line",
    "settle_overdue",
    "task_chips_html",
    "task_status_label",
    "tasks_in_text",
    "tasks_page_markdown",
    "today_for_build",
]

# What JavaScript's `trim()` and `\s` treat as white space: Tasks trims with them, so we must too.
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008" \
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
# Non-breaking spaces are *not* spaces for Tasks (§7.3); tolerant mode reads them as spaces.
_NBSP = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " "})
_VS16 = "\ufe0f"  # the emoji variation selector that may follow any signifier

# Indentation and `>` (blockquotes, callouts), a list marker, at least one space (§7.1).
_LIST_ITEM = re.compile(r"[\s>]*(?:[-*+]|[0-9]+[.)]) +")
_TASK_LINE = re.compile(r"[\s>]*(?:[-*+]|[0-9]+[.)]) +\[(.)\]")
_BLOCK_ID = re.compile(r"[a-zA-Z0-9-]+")
_TAG_BODY = r"""[^ !@#$%^&*(),.?":{}|<>]+"""
_TAG_END = re.compile(_TAG_BODY)
_TAGS = re.compile(r"(?<!\S)#" + _TAG_BODY)
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_ID = r"[a-zA-Z0-9_-]+"
_DATAVIEW = re.compile(r"([\[(]) *([a-zA-Z]+)::([^\])]*)([\])])(?: *,)?")

_PRIORITIES = {"🔺": 0, "⏫": 1, "🔼": 2, "🔽": 4, "⏬": 5,
               "highest": 0, "high": 1, "medium": 2, "low": 4, "lowest": 5}
_DEFAULT_STATUS: dict[str, TaskStatusType] = {
    " ": "TODO", "x": "DONE", "X": "DONE", "/": "IN_PROGRESS", "-": "CANCELLED",
}
_STATUS_TYPES: dict[str, TaskStatusType] = {name: name for name in get_args(TaskStatusType)}
DATE_FIELDS = ("created", "start", "scheduled", "due", "cancelled", "done")


@dataclass(frozen=True)
class _Field:
    """One kind of trailing metadata: its signifiers, its Dataview key and its value shape."""

    name: str
    emojis: str  # the signifier and its alternates, one code point each
    value: re.Pattern[str] | None  # what follows the emoji; None for priority (no value)
    key: str  # the Dataview inline-field key
    dataview_value: re.Pattern[str]


def _field(name: str, emojis: str, value: str | None, key: str, dv: str | None = None) -> _Field:
    compiled = re.compile(value) if value is not None else None
    return _Field(name, emojis, compiled, key, re.compile(dv if dv is not None else value or ""))


# The order Tasks tries them within one pass; each is read at most once per pass (§7.4.2).
_FIELDS = (
    _field("priority", "🔺⏫🔼🔽⏬", None, "priority", "highest|high|medium|low|lowest"),
    _field("done", "✅", _DATE.pattern, "completion"),
    _field("cancelled", "❌", _DATE.pattern, "cancelled"),
    _field("due", "📅📆🗓", _DATE.pattern, "due"),
    _field("scheduled", "⏳⌛", _DATE.pattern, "scheduled"),
    _field("start", "🛫", _DATE.pattern, "start"),
    _field("created", "➕", _DATE.pattern, "created"),
    _field("recurrence", "🔁", r"[a-zA-Z0-9, !]+", "repeat"),
    _field("on_completion", "🏁", r"[a-zA-Z]+", "onCompletion"),
    _field("tag", "", None, ""),
    _field("id", "🆔", _ID, "id"),
    _field("depends_on", "⛔", rf"{_ID}(?: *, *{_ID})*", "dependsOn"),
)
_MAX_PASSES = 21  # Tasks' failsafe: `do { ... } while (matched && runs <= 20)`


@dataclass
class _Fields:
    """What the backwards reader found, as lengths of the body that stay in the description.

    `rest` is what is left once fields *and* trailing tags are gone; `tail` is where the
    leftmost non-tag field begins, so tags written before the fields stay visible.
    """

    rest: int
    tail: int
    values: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)  # in line order


def _match_emoji(f: _Field, text: str) -> tuple[int, str] | None:
    """`emoji [FE0F] spaces value` at the very end of `text`: (start, value)."""
    start = max(text.rfind(emoji) for emoji in f.emojis)
    if start < 0:
        return None
    pos = start + 1 + text.startswith(_VS16, start + 1)
    if f.value is None:  # priority: the emoji is the whole field
        return (start, text[start]) if pos == len(text) else None
    while text.startswith(" ", pos):  # only U+0020: Tasks does not take NBSP here
        pos += 1
    found = f.value.fullmatch(text, pos)
    return (start, found.group()) if found else None


def _match_dataview(f: _Field, text: str) -> tuple[int, str] | None:
    """`[key:: value]` or `(key:: value)`, maybe followed by a comma, at the end of `text`."""
    start = max(text.rfind("["), text.rfind("("))
    found = _DATAVIEW.fullmatch(text, max(start, 0)) if start >= 0 else None
    if not found or found[2] != f.key or "[(".index(found[1]) != "])".index(found[4]):
        return None
    value = found[3].strip(" ")
    return (start, value) if f.dataview_value.fullmatch(value) else None


def _match_tag(text: str) -> tuple[int, str] | None:
    """A `#tag` at the end of `text`, preceded by white space or nothing."""
    start = text.rfind("#")
    if start < 0 or (start > 0 and text[start - 1] not in _JS_SPACE):
        return None
    return (start, text[start:]) if _TAG_END.fullmatch(text, start + 1) else None


def _match(f: _Field, text: str) -> tuple[int, str] | None:
    if f.name == "tag":
        return _match_tag(text)
    return _match_emoji(f, text) or _match_dataview(f, text)


def _read_fields(body: str, tolerant: bool) -> _Fields:
    """Strip fields and tags from the end of `body` until the end is plain text (§7.4)."""
    text = body.translate(_NBSP) if tolerant else body
    found = _Fields(rest=len(text), tail=len(text))
    for _ in range(_MAX_PASSES):
        matched = False
        for f in _FIELDS:
            hit = _match(f, text[: found.rest])
            if hit is None:
                continue
            start, value = hit
            if f.name == "tag":  # tags go back to the description, in their line order
                found.tags.insert(0, body[start : found.rest])
            else:  # read right to left, so an earlier duplicate overwrites a later one
                found.values[f.name] = value
            found.rest = len(text[:start].rstrip(_JS_SPACE))
            if f.name != "tag":  # fields are removed right to left: the last one is leftmost
                found.tail = found.rest
            matched = True
        if not matched:
            break
    return found


def _task_date(raw: str | None) -> TaskDate | None:
    """A shape-checked `YYYY-MM-DD`; the value is None when no such day exists (2022-02-29)."""
    if raw is None:
        return None
    try:  # every caller matched `_DATE` already; `date` rejects days that do not exist
        return TaskDate(raw, date(int(raw[:4]), int(raw[5:7]), int(raw[8:10])))
    except ValueError:
        return TaskDate(raw)


def _recurrence(raw: str | None) -> str | None:
    """Keep a rule Tasks could parse; anything not starting `every ...` is dropped (§7.3)."""
    rule = (raw or "").strip()
    words = rule.split()
    return rule if len(words) >= 2 and words[0].lower() == "every" else None


def _on_completion(raw: str | None) -> str | None:
    value = (raw or "").lower()
    return value if value in ("keep", "delete") else None


def _status_type(char: str, statuses: Mapping[str, str] | None) -> TaskStatusType:
    """Configured statuses first, then the core ones; any other character is a TODO (§7.2)."""
    configured = (statuses or {}).get(char)
    if configured is None:
        return _DEFAULT_STATUS.get(char, "TODO")
    kind = configured.strip().upper().replace(" ", "_").replace("-", "_")
    if kind not in _STATUS_TYPES:
        raise ValueError(f"unknown task status type {configured!r} for status {char!r}")
    return _STATUS_TYPES[kind]


def _implicit_status(found: _Fields) -> str | None:
    """The status of a checkbox-less journal item, or None when it has no date (§7.5)."""
    if not any(name in found.values for name in DATE_FIELDS):
        return None
    if "cancelled" in found.values:  # §7.5 lists ❌ first: an explicit cancellation wins
        return "-"
    return "x" if "done" in found.values else " "


@dataclass(frozen=True)
class _Body:
    """The trimmed text after the checkbox, the column it starts at, and its block id."""

    text: str
    column: int
    block_id: str | None


def _split_body(line: str, end_of_marker: int) -> _Body:
    """Trim the text after the marker and split off a trailing ` ^block-id` (§7.4.1)."""
    raw = line[end_of_marker:]
    column = end_of_marker + len(raw) - len(raw.lstrip(_JS_SPACE))
    text = raw.strip(_JS_SPACE)
    caret = text.rfind("^")
    if caret > 0 and text[caret - 1] == " " and _BLOCK_ID.fullmatch(text, caret + 1):
        return _Body(text[: caret - 1].rstrip(_JS_SPACE), column, text[caret + 1 :])
    return _Body(text, column, None)


def parse_task_line(
    line: str,
    *,
    path: str = "",
    line_no: int = 0,
    global_filter: str = "",
    tolerant: bool = False,
    statuses: Mapping[str, str] | None = None,
) -> Task | None:
    """Read one line as Obsidian Tasks would; None when it is not a task.

    `statuses` maps extra status characters to a type (`"DONE"`, `"ON_HOLD"` ...). With
    `tolerant`, a list item *without* a checkbox whose tail holds at least one date signifier
    is a task too (`checkbox_missing=True`), and non-breaking spaces count as spaces.
    """
    checkbox = _TASK_LINE.match(line)
    item = checkbox or (_LIST_ITEM.match(line) if tolerant else None)
    if item is None:
        return None
    body = _split_body(line, item.end())
    if global_filter and global_filter not in body.text:
        return None
    found = _read_fields(body.text, tolerant)
    if checkbox:
        char = checkbox[1]
        return _build_task(body, found, char, _status_type(char, statuses), path=path,
                           line_no=line_no, global_filter=global_filter)
    implicit = _implicit_status(found)
    if implicit is None:
        return None
    return _build_task(body, found, implicit, _DEFAULT_STATUS[implicit], path=path,
                       line_no=line_no, global_filter=global_filter, missing=True)


def _build_task(body: _Body, found: _Fields, char: str, status_type: TaskStatusType, *,
                path: str, line_no: int, global_filter: str, missing: bool = False) -> Task:
    """Turn the raw field texts into a `Task` (dates checked, rules validated, tags listed)."""
    values = found.values
    description = " ".join([body.text[: found.rest], *found.tags]).strip(_JS_SPACE)
    tags = tuple(
        tag[1:] for tag in (m.group() for m in _TAGS.finditer(description)) if tag != global_filter
    )
    dates = {name: _task_date(values.get(name)) for name in DATE_FIELDS}
    depends = values.get("depends_on", "").replace(" ", "").split(",")
    return Task(
        path=path, line=line_no, status_char=char, status_type=status_type,
        description=description, fields_start=body.column + found.tail,
        priority=_PRIORITIES.get(values.get("priority", ""), 3),
        due=dates["due"], scheduled=dates["scheduled"], start=dates["start"],
        created=dates["created"], done=dates["done"], cancelled=dates["cancelled"],
        recurrence=_recurrence(values.get("recurrence")),
        on_completion=_on_completion(values.get("on_completion")),
        id=values.get("id"), depends_on=tuple(d for d in depends if d),
        tags=tags, block_id=body.block_id, checkbox_missing=missing,
    )


def tasks_in_text(
    path: str,
    text: str,
    *,
    excluded_lines: Collection[int] = (),
    global_filter: str = "",
    tolerant: bool = False,
    statuses: Mapping[str, str] | None = None,
) -> list[Task]:
    """Every task of one note, in line order.

    `excluded_lines` are 1-based lines Tasks never reads (code, comments, frontmatter); the
    caller knows them from its parse. Lines are split on `\\n` only so that numbers agree with
    `Note.line_of`.
    """
    excluded = set(excluded_lines)
    tasks = []
    for number, line in enumerate(text.split("\n"), start=1):
        if number in excluded:
            continue
        task = parse_task_line(line.removesuffix("\r"), path=path, line_no=number,
                               global_filter=global_filter, tolerant=tolerant, statuses=statuses)
        if task is not None:
            tasks.append(task)
    return tasks


# Re-exported so callers need one import; kept apart to keep each module small.
from .tasks_render import (
    lateness_days,
    overdue_shown,
    settle_overdue,
    task_chips_html,
    task_status_label,
    tasks_page_markdown,
    today_for_build,
)
