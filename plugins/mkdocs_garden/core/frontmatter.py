"""YAML frontmatter: where it ends, what it holds, and the links inside its values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import yaml

try:  # The C loader is several times faster on large vaults.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from .model import Problem

# The same shape MkDocs accepts, so both agree on where the body starts.
_FRONTMATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.S)


@dataclass(frozen=True)
class Frontmatter:
    """The parsed block: its data, its raw YAML and where the body begins."""

    data: dict[str, Any]
    raw: str
    raw_start: int  # offset of the YAML text in the note
    body_start: int
    problems: tuple[Problem, ...] = ()


def read_frontmatter(path: str, text: str) -> Frontmatter:
    """Split and parse the frontmatter of `text`; bad YAML is a problem, never an exception."""
    match = _FRONTMATTER.match(text)
    if not match:
        return Frontmatter({}, "", 0, 0)
    raw = match.group(1) or ""
    body_start = match.end()
    # MkDocs drops the blank lines after the frontmatter; skip them too so offsets agree.
    while body_start < len(text) and text[body_start] == "\n":
        body_start += 1
    try:
        data = yaml.load(raw, Loader=_Loader) if raw.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = 2 + (mark.line if mark is not None else 0)
        reason = getattr(error, "problem", None) or "invalid YAML"
        problem = Problem(path, line, f"malformed frontmatter ignored: {reason}")
        return Frontmatter({}, raw, match.start(1), body_start, (problem,))
    if not isinstance(data, dict):
        problem = Problem(path, 2, "frontmatter is not a mapping of properties; ignored")
        return Frontmatter({}, raw, match.start(1), body_start, (problem,))
    return Frontmatter(_plain(data), raw, match.start(1), body_start)


def _plain(value: Any) -> Any:
    """Keys as strings and dates as ISO text, so the data is JSON-safe and hashable to compare."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def property_strings(data: Any) -> list[str]:
    """Every string inside a property value, depth first, in document order."""
    if isinstance(data, dict):
        return [s for v in data.values() for s in property_strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in property_strings(v)]
    return [data] if isinstance(data, str) else []
