"""Tasks inside their notes: the raw emoji metadata gives way to readable chips.

Works as extra edits for the rewriter. The checkbox itself is the rewriter's (any status
character); a task written without one (tolerant mode) gets one inserted. Tags and a block id
that sat among the fields keep their rendering, since the metadata tail is replaced whole.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from .model import Note, Task
from .rewrite import checkbox_html
from .tasks import task_chips_html

Edit = tuple[int, int, str]
# MULTILINE: `match(text, pos)` anchors `^` at the line start `pos`, not the text's start.
_MARKER = re.compile(r"^(?:[ \t]*>)*[ \t]*(?:[-*+]|\d+[.)])[ \t]+", re.M)


def task_anchor(task: Task) -> str:
    """The id a task's line carries, so the tasks page and the timeline can link to it."""
    return f"task-{task.line}"


def task_edits(note: Note, tasks: list[Task], tag_href: Callable[[str], str]) -> list[Edit]:
    """Edits rendering each task of `note` (tasks must come from this note's text). The
    overdue chips are marks, which `settle_overdue` makes the day's after rendering: the
    Markdown is the same on every day."""
    starts = [0] + [m.end() for m in re.finditer("\n", note.text)]
    edits: list[Edit] = []
    for task in tasks:
        line_start = starts[task.line - 1]
        line_end = starts[task.line] - 1 if task.line < len(starts) else len(note.text)
        tail_start = min(line_start + task.fields_start, line_end)
        kept = _kept_in_tail(note, tail_start, line_end, tag_href)
        chips = f'<span class="garden-task-meta" id="{task_anchor(task)}">{task_chips_html(task, None)}</span>'
        edits.append((tail_start, line_end, (" " if tail_start > line_start and note.text[tail_start - 1] != " " else "")
                      + " ".join([*kept, chips])))
        if task.checkbox_missing:
            marker = _MARKER.match(note.text, line_start, line_end)
            if marker:
                edits.append((marker.end(), marker.end(), checkbox_html(task.status_char) + " "))
    return edits


def _kept_in_tail(note: Note, start: int, end: int, tag_href: Callable[[str], str]) -> list[str]:
    """Tags and block anchors written among the fields, rendered as the rewriter would."""
    kept = [f"[#{t.name}]({tag_href(t.name)}){{ .garden-tag }}" for t in note.tags
            if t.span is not None and start <= t.span.start < end]
    kept += [f'<span class="garden-block" id="^{html.escape(b.id)}"></span>' for b in note.block_ids
             if start <= b.marker.start < end]
    return kept
