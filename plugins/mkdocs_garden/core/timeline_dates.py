"""Dates as journal authors write them: parsed strictly, with a reason when they are not dates.

The timeline must tell "this is not a date I recognise" (a format problem) from "this is shaped
like a date but the day does not exist" (`02-30-2023`), because the second is the author's typo
and deserves a warning that says so. `datetime.strptime` folds both into one `ValueError`, so
formats here are a small strftime subset (`%Y`, `%m`, `%d` and literal characters) turned into
regexes: a shape match followed by a failing `date(y, m, d)` is an impossible date.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any

# The author writes MM-DD-YYYY in headings and MM/DD/YYYY in prose; Obsidian writes ISO.
DEFAULT_DATE_FORMATS: tuple[str, ...] = ("%Y-%m-%d", "%m-%d-%Y", "%m/%d/%Y")

_DIRECTIVES = {"%Y": r"(?P<Y>\d{4})", "%m": r"(?P<m>\d{1,2})", "%d": r"(?P<d>\d{1,2})"}


class DateError(ValueError):
    """Text that is not a date; `impossible` when it has a date's shape but names no day."""

    def __init__(self, text: str, impossible: bool) -> None:
        self.text = text
        self.impossible = impossible
        what = "date does not exist" if impossible else "unrecognised date"
        super().__init__(f"{what} '{text}'")


@lru_cache(maxsize=64)
def format_regex(fmt: str) -> re.Pattern[str]:
    """The regex of one format; raises ValueError for directives other than %Y, %m, %d."""
    parts: list[str] = []
    for token in re.split(r"(%.)", fmt):
        if token in _DIRECTIVES:
            parts.append(_DIRECTIVES[token])
        elif token.startswith("%") and len(token) == 2:
            raise ValueError(f"date format '{fmt}': only %Y, %m and %d are supported")
        else:
            parts.append(re.escape(token))
    pattern = "".join(parts)
    if not all(f"(?P<{g}>" in pattern for g in "Ymd"):
        raise ValueError(f"date format '{fmt}' needs %Y, %m and %d")
    return re.compile(pattern)


def parse_date(text: str, formats: tuple[str, ...] = DEFAULT_DATE_FORMATS) -> date:
    """The date `text` names under the first format whose shape it has.

    Raises DateError: `impossible=True` when a format's shape matched but the day does not
    exist (the first such format decides, so `%m-%d-%Y` before `%d-%m-%Y` is the tie-break).
    """
    text = text.strip()
    for fmt in formats:
        match = format_regex(fmt).fullmatch(text)
        if match is None:
            continue
        try:
            return date(int(match["Y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            raise DateError(text, impossible=True) from None
    raise DateError(text, impossible=False)


def coerce_date(value: Any, formats: tuple[str, ...] = DEFAULT_DATE_FORMATS) -> date:
    """A frontmatter value as a date: YAML already gives `date`/`datetime` for ISO values."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date(value, formats)
    raise DateError(str(value), impossible=False)


def frontmatter_line(text: str, body_line: int, key: str) -> int:
    """The 1-based line of top-level `key:` in the frontmatter, else 1 (the file itself).

    The scanner keeps no per-key positions, and a warning about `plan:` is only useful if it
    points at `plan:`; a top-level YAML key always starts its line, so a prefix test suffices.
    """
    prefix = f"{key}:"
    for number, line in enumerate(text.splitlines()[: max(body_line - 1, 0)], start=1):
        if line.startswith(prefix):
            return number
    return 1
