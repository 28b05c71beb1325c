"""Notebooks as members of the garden: their Markdown cells are read like a note (so their
links count for mentions and the graph), and rewritten before publishing.

A notebook's Markdown cells are joined into one text with a marker line between cells; the
marker is an HTML comment, a block of its own for markdown-it, so the cells never run into each
other and the rewritten text splits back into the same cells.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

CELL_MARKER = "<!-- garden:cell -->"
_JOIN = f"\n\n{CELL_MARKER}\n\n"


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def notebook_markdown(data: bytes) -> str:
    """The Markdown cells of a notebook as one text (empty if the file is not a notebook)."""
    try:
        cells = json.loads(data.decode("utf-8")).get("cells", [])
    except (ValueError, UnicodeDecodeError, AttributeError):
        return ""
    return _JOIN.join(_source(c) for c in cells if isinstance(c, dict) and c.get("cell_type") == "markdown")


def rewrite_notebook(executed: Path, target: Path, rewrite_text: Callable[[str], str]) -> None:
    """Write `executed` to `target` with its Markdown cells replaced by the rewritten text.

    `rewrite_text` receives the joined cells (as `notebook_markdown` makes them) and returns
    their rewritten form with the markers kept.
    """
    notebook = json.loads(executed.read_text(encoding="utf-8"))
    cells = [c for c in notebook.get("cells", []) if c.get("cell_type") == "markdown"]
    rewritten = rewrite_text(_JOIN.join(_source(c) for c in cells)).split(CELL_MARKER)
    if len(rewritten) != len(cells):
        raise ValueError(f"{executed}: the rewritten cells do not match the notebook's cells")
    for cell, text in zip(cells, rewritten):
        cell["source"] = text.strip("\n")
    text = json.dumps(notebook, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return  # an unchanged copy keeps its mtime, so `--dirty` builds skip the page
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)
