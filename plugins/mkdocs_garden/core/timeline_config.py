"""How the timeline finds its days: heading patterns, date formats, the daily-note name.

Validated when built, so that a bad regex in `mkdocs.yml` fails with the option's name before
any note is read (the adapter turns the `ValueError` into a `PluginError`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Note
from .timeline_dates import DEFAULT_DATE_FORMATS, format_regex

# A date's shape in the author's headings: the formats decide what it means.
_DATE = r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"
_TO = r"\s*(?:to|[-–—])\s*"
DEFAULT_HEADING_PATTERNS: tuple[str, ...] = (
    r"(?i)undated\s+day\s+(?P<undated>\d+)",
    (rf"(?i)day\s+(?P<day>\d+)(?:\s*[-–—]\s*(?P<day_end>\d+))?"
     rf"(?:\s*\(\s*(?P<date>{_DATE})(?:{_TO}(?P<date_end>{_DATE}))?\s*\))?"),
    rf"(?P<date>\d{{4}}-\d{{2}}-\d{{2}})(?:{_TO}(?P<date_end>\d{{4}}-\d{{2}}-\d{{2}}))?(?:\s.*)?",
)
DEFAULT_TARGET_PATTERN = (rf"(?im)^[^\w\n]*target\b[^:\n]{{0,40}}:\s*(?P<start>{_DATE}){_TO}"
                          rf"(?P<end>{_DATE})")
# The groups a heading pattern may name.
PATTERN_GROUPS = frozenset({"day", "day_end", "date", "date_end", "undated"})


@dataclass
class TimelineConfig:
    """Where the timeline finds its days. Treat as immutable once built (patterns are compiled).

    `heading_patterns` must match a journal heading's whole text; their named groups are
    `day`, `day_end`, `date`, `date_end` and `undated`. `date_formats` use `%Y`, `%m`, `%d`.
    """

    heading_patterns: tuple[str, ...] = DEFAULT_HEADING_PATTERNS
    date_formats: tuple[str, ...] = DEFAULT_DATE_FORMATS
    daily_note_pattern: str | None = r"(?P<date>\d{4}-\d{2}-\d{2})"  # on the file name's stem
    frontmatter_date_key: str | None = "date"
    journal_key: str = "journal"  # notes with `journal: true` are logs with dated headings
    plan_key: str = "plan"  # `plan: {start, end, weeks}` in a journal's frontmatter
    skipped_pattern: str = r"(?i)skipped\b"  # matched at the start of an entry's body
    # A prose line restating the plan (`Target: 10/28/2023 to 1/26/2023`), checked for sense.
    plan_target_pattern: str | None = DEFAULT_TARGET_PATTERN
    summary_length: int = 200
    # Compiled from the options above by __post_init__.
    heading_res: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)
    daily_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    skipped_re: re.Pattern[str] = field(init=False, repr=False, compare=False)
    target_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Fail at configuration time with the option's name, not mid-build with a KeyError.
        self.heading_res = tuple(_compile("heading_patterns", p, PATTERN_GROUPS)
                                 for p in self.heading_patterns)
        self.daily_re = (_compile("daily_note_pattern", self.daily_note_pattern, {"date"}, True)
                         if self.daily_note_pattern else None)
        self.skipped_re = _compile("skipped_pattern", self.skipped_pattern, set())
        self.target_re = (_compile("plan_target_pattern", self.plan_target_pattern,
                                   {"start", "end"}, True) if self.plan_target_pattern else None)
        for fmt in self.date_formats:
            format_regex(fmt)

    def is_journal(self, note: Note) -> bool:
        """A note whose frontmatter says `journal: true` (YAML `yes`/`true` strings too)."""
        value = note.frontmatter.get(self.journal_key)
        return value is True or (isinstance(value, str) and value.lower() in {"true", "yes"})


def _compile(option: str, pattern: str, groups: set[str] | frozenset[str],
             need: bool = False) -> re.Pattern[str]:
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"timeline {option} '{pattern}' is not a valid regex: {exc}") from None
    unknown = set(compiled.groupindex) - set(groups)
    if unknown:
        raise ValueError(f"timeline {option} '{pattern}': unknown groups {sorted(unknown)}")
    if need and set(groups) - set(compiled.groupindex):
        raise ValueError(f"timeline {option} '{pattern}' needs the groups {sorted(groups)}")
    return compiled
