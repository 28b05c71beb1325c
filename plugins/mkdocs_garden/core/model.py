"""The plain data the whole garden is made of.

Everything here is a frozen dataclass built from text alone: no MkDocs, no rendering. A
`VaultIndex` holds every note of one build; backlinks, the graph, tag pages and the timeline
are computed from it and nothing else, so the order in which pages render never matters.
"""

from __future__ import annotations

import copyreg
from dataclasses import dataclass, field, fields
from functools import cached_property
from operator import attrgetter
from typing import Any, Literal

LinkKind = Literal["wiki", "markdown", "frontmatter"]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range of character offsets into a note's source text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Heading:
    """An ATX or setext heading: its level, the text as written and its 1-based source line."""

    level: int
    text: str
    line: int
    anchor: str = ""  # the id the renderer gives it, filled in by the scanner


@dataclass(frozen=True, slots=True)
class BlockId:
    """A `^id` marker: the block it names spans `lines` (1-based, inclusive)."""

    id: str
    line: int
    marker: Span  # the ` ^id` text to hide in the output
    lines: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Link:
    """One outgoing reference of a note, as written, before resolution.

    `target` is the path part (may be empty for `[[#Heading]]`), `subpath` what follows the
    first `#` (without it), `display` the alias after `|` or the Markdown link text.
    """

    kind: LinkKind
    target: str
    subpath: str
    display: str | None
    embed: bool
    line: int
    span: Span  # the whole `[[...]]`, `![[...]]` or `[text](url)` in the source
    raw: str


@dataclass(frozen=True, slots=True)
class Tag:
    """An inline `#tag` (or a frontmatter tag, where `line` is the frontmatter's)."""

    name: str  # as written, without the `#`
    line: int
    span: Span | None = None

    @property
    def key(self) -> str:
        """Obsidian groups tags case-insensitively."""
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Callout:
    """A blockquote whose first line is `[!type]`: lines are 1-based and inclusive."""

    type: str
    title: str | None
    fold: Literal["", "+", "-"]
    metadata: str
    lines: tuple[int, int]
    depth: int


@dataclass(frozen=True, slots=True)
class Checkbox:
    """The `[c]` of a task list item: any single status character is kept (spec §6)."""

    char: str
    line: int
    span: Span


@dataclass(frozen=True, slots=True)
class HtmlPiece:
    """One construct of raw HTML the author wrote (a tag, a comment, a `<` that starts no
    tag) as the parser read it, container markers left out, and where it sits in the file."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class RawHtml:
    """The raw HTML of one region: an HTML block, or the inline tags of one paragraph (a
    `<script>` never closed runs to the region's `end`)."""

    pieces: tuple[HtmlPiece, ...]
    end: int


@dataclass(frozen=True, slots=True)
class Problem:
    """A message about the vault that names its place: `path:line: message`."""

    path: str
    line: int
    message: str
    level: Literal["warning", "info"] = "warning"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Note:
    """One Markdown file of the vault, scanned.

    `path` is the vault-relative POSIX path with its extension (`Folder/Note.md`); `text` the
    decoded source (the frontmatter included, so that every line number is the file's own).
    """

    path: str
    text: str
    frontmatter: dict[str, Any]
    body_start: int  # offset of the first character after the frontmatter
    body_line: int  # 1-based line of that character
    headings: tuple[Heading, ...] = ()
    links: tuple[Link, ...] = ()
    tags: tuple[Tag, ...] = ()
    block_ids: tuple[BlockId, ...] = ()
    callouts: tuple[Callout, ...] = ()
    comments: tuple[Span, ...] = ()
    verbatim: tuple[tuple[int, int], ...] = ()  # 1-based inclusive line ranges: code, math, HTML
    checkboxes: tuple[Checkbox, ...] = ()
    inline_footnotes: tuple[Span, ...] = ()  # `^[text]`, which Python-Markdown does not know
    raw_html: tuple[RawHtml, ...] = ()
    problems: tuple[Problem, ...] = ()

    @cached_property
    def stem(self) -> str:
        """The file name without folder and extension: Obsidian's name for the note."""
        name = self.path.rsplit("/", 1)[-1]
        return name.rsplit(".", 1)[0] if "." in name else name

    @cached_property
    def folder(self) -> str:
        """The vault-relative folder, '' at the root."""
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""

    @cached_property  # asked for every mention and list entry of every page
    def title(self) -> str:
        """The frontmatter title if any, else the file name, as Obsidian shows it."""
        value = self.frontmatter.get("title")
        if isinstance(value, (str, int, float)) and str(value).strip():
            return str(value).strip()
        if self.path.endswith(".ipynb"):  # a notebook is known by its first H1, as Jupyter shows it
            return next((h.text for h in self.headings if h.level == 1), self.stem)
        return self.stem

    @cached_property
    def heading_lines(self) -> list[int]:
        """The line of each heading, in order (a mention looks up the heading above it)."""
        return [heading.line for heading in self.headings]

    @cached_property  # read for every note by every build's resolver and namespace key
    def aliases(self) -> tuple[str, ...]:
        """The `aliases` property (also the legacy `alias`), a string or a list."""
        return tuple(_string_list(self.frontmatter.get("aliases", self.frontmatter.get("alias"))))

    @cached_property  # read for every note by the graph, the tag index and the folder pages
    def all_tags(self) -> tuple[str, ...]:
        """Frontmatter and inline tags, keyed case-insensitively, first spelling kept, sorted."""
        seen: dict[str, str] = {}
        fm = _string_list(self.frontmatter.get("tags", self.frontmatter.get("tag")))
        for name in [t.lstrip("#") for t in fm] + [t.name for t in self.tags]:
            if name:
                seen.setdefault(name.lower(), name)
        return tuple(seen[k] for k in sorted(seen))

    def line_of(self, offset: int) -> int:
        """The 1-based line holding `offset`."""
        return self.text.count("\n", 0, offset) + 1


def _string_list(value: Any) -> list[str]:
    """Obsidian list properties accept a scalar, a list, or a comma-separated string."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    text = str(value)
    return [part.strip() for part in text.split(",") if part.strip()]


@dataclass(frozen=True)
class Attachment:
    """A non-Markdown file of the vault (image, PDF, notebook ...), by vault path."""

    path: str


@dataclass
class VaultIndex:
    """Every note and attachment of one build, with the published subset decided.

    Mutable only while it is being built; everything derived from it treats it as read-only.
    """

    notes: dict[str, Note] = field(default_factory=dict)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    private: set[str] = field(default_factory=set)  # paths (notes and attachments) never published
    problems: list[Problem] = field(default_factory=list)

    def is_published(self, path: str) -> bool:
        """A note or attachment that may reach the site."""
        return path not in self.private and (path in self.notes or path in self.attachments)

    def published_notes(self) -> list[Note]:
        """Published notes in path order (the order everything emitted is sorted by)."""
        return [self.notes[p] for p in sorted(self.notes) if p not in self.private]


TaskStatusType = Literal["TODO", "DONE", "IN_PROGRESS", "ON_HOLD", "CANCELLED", "NON_TASK"]


@dataclass(frozen=True, slots=True)
class TaskDate:
    """A date field of a task: the raw `YYYY-MM-DD` text, and its value when it is a real date."""

    raw: str
    value: Any = None  # datetime.date, or None when the raw text names no real date

    @property
    def valid(self) -> bool:
        return self.value is not None


@dataclass(frozen=True, slots=True)
class Task:
    """One Obsidian Tasks line (emoji format, or Dataview `[key:: value]` fields).

    `line` is 1-based in the note's file. `fields_start` is the column where the trailing
    metadata (signifiers, tags among them, block id) begins, so a renderer can replace that tail.
    """

    path: str
    line: int
    status_char: str
    status_type: TaskStatusType
    description: str
    fields_start: int
    priority: int = 3  # 0 highest ... 3 none ... 5 lowest
    due: TaskDate | None = None
    scheduled: TaskDate | None = None
    start: TaskDate | None = None
    created: TaskDate | None = None
    done: TaskDate | None = None
    cancelled: TaskDate | None = None
    recurrence: str | None = None
    on_completion: str | None = None
    id: str | None = None
    depends_on: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    block_id: str | None = None
    checkbox_missing: bool = False


# The build cache (build_cache.py) pickles notes and tasks made of these records, tens of
# thousands a build. A frozen dataclass with slots pickles through `__getstate__`, which calls
# `fields()` for every object: three times the time of one `attrgetter` call (0.2 s against
# 0.07 s for 1,000 notes). So each is pickled as its class and its fields, in `__init__`'s order.
# Each has two fields or more, so its getter gives a tuple.
_SLOTTED = (Span, Heading, BlockId, Link, Tag, Callout, Checkbox, HtmlPiece, RawHtml, Problem, TaskDate, Task)
_FIELDS = {record: attrgetter(*(f.name for f in fields(record))) for record in _SLOTTED}


def _by_fields(record: Any) -> tuple[type, tuple[Any, ...]]:
    return type(record), _FIELDS[type(record)](record)


for _record in _SLOTTED:
    copyreg.pickle(_record, _by_fields)
