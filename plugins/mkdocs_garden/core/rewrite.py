"""Turn a note's Obsidian Markdown into the standard Markdown MkDocs renders.

Every change is an edit at an exact source span (STYLE.md §3): wikilinks become relative `.md`
links MkDocs checks, embeds are transcluded (recursively, with cycles stopped), callouts become
admonitions, comments vanish, tags link to the tag page, block ids become anchors. Links to
private or missing notes become plain or "unwritten" text. Raw HTML the author wrote is
sanitised as Obsidian does (`sanitize.py`); what the garden itself writes is not.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .callouts import callout_edits, closing_quote_edit, plain_callout_edit
from .model import Link, Note, Problem
from .resolve import Resolution, find_block, find_heading
from .sanitize import sanitize_pieces
from .text import md_text
from .vault import Vault

Edit = tuple[int, int, str]
MAX_EMBEDS_PER_PAGE = 100
IMAGE_EXTENSIONS = {"avif", "bmp", "gif", "jpeg", "jpg", "png", "svg", "webp"}
AUDIO_EXTENSIONS = {"flac", "m4a", "mp3", "ogg", "wav", "3gp"}
VIDEO_EXTENSIONS = {"mkv", "mov", "mp4", "ogv", "webm"}
_SIZE = re.compile(r"(\d{1,6})(?:x(\d{1,6}))?")


@dataclass(frozen=True)
class PageTargets:
    """How the page being written refers to other files; the adapter knows the URLs.

    `md_href(path, anchor)` gives a link for Markdown (relative to the page's source file, so
    MkDocs checks it); `html_href` one for raw HTML (relative to the page's URL);
    `tag_href(tag)` the tag page's anchor for a tag.
    """

    md_href: Callable[[str, str], str]
    html_href: Callable[[str, str], str]
    tag_href: Callable[[str], str]


class Rewriter:
    """Rewrites notes of one vault; `extra_edits` lets other features (tasks) add theirs.

    `sanitize_html` (the `raw_html: sanitize` option) makes the author's raw HTML harmless on
    every note page, in the note and in what it embeds; notebook pages keep theirs.
    """

    def __init__(self, vault: Vault, *, embed_depth: int = 6,
                 extra_edits: Callable[[Note, PageTargets], list[Edit]] | None = None,
                 sanitize_html: bool = True) -> None:
        self.vault = vault
        self.embed_depth = embed_depth
        self.extra_edits = extra_edits
        self.sanitize_html = sanitize_html
        self.problems: list[Problem] = []
        self.plain = False
        self.sanitizing = sanitize_html
        self.embeds_left = MAX_EMBEDS_PER_PAGE

    def page_markdown(self, note: Note, *, plain: bool = False) -> Callable[[PageTargets], str]:
        """A function from the page's targets to its Markdown body (frontmatter removed).

        `plain` is for renderers other than Python-Markdown (notebook cells): no admonition
        syntax, so callouts stay quotes with a bold title and embeds become links.
        """
        self.plain = plain
        # A notebook's outputs carry scripts of their own; its page is published as written.
        self.sanitizing = self.sanitize_html and not note.path.endswith(".ipynb")
        self.embeds_left = MAX_EMBEDS_PER_PAGE
        return lambda targets: self.render(note, note.body_start, len(note.text), targets, ((note.path, ""),))

    def render(self, note: Note, start: int, end: int, targets: PageTargets,
               stack: tuple[tuple[str, str], ...]) -> str:
        """The Markdown of `note.text[start:end]` with every edit inside that range applied."""
        html_edits = self._html_edits(note)
        edits = [e for e in self._edits(note, targets, stack, html_edits) if start <= e[0] and e[1] <= end]
        notes = [f for f in note.inline_footnotes if start <= f.start and f.end <= end]
        # Obsidian's inline footnotes `^[text]` become numbered footnotes Python-Markdown knows,
        # defined at the end of the page (an embedded copy shows them in brackets instead).
        top = len(stack) == 1
        texts = [splice(note.text, f.start + 2, f.end - 1, html_edits) for f in notes]
        labels = [f"[^garden-{i + 1}]" if top else f" ({text})" for i, text in enumerate(texts)]
        edits += [(f.start, f.end, label) for f, label in zip(notes, labels)]
        text = splice(note.text, start, end, _with_html(edits, html_edits, start, end))
        if top and notes:
            text += "\n\n" + "\n".join(f"{label}: {text}" for text, label in zip(texts, labels)) + "\n"
        return text

    def _html_edits(self, note: Note) -> list[Edit]:
        """The edits that make the note's raw HTML harmless (none when it is kept)."""
        if not self.sanitizing:
            return []
        edits: list[Edit] = []
        for region in note.raw_html:
            pieces = [(p.span.start, p.span.end, p.text) for p in region.pieces]
            edits += sanitize_pieces(pieces, region.end)
        return edits

    def _edits(self, note: Note, targets: PageTargets, stack: tuple[tuple[str, str], ...],
               html_edits: list[Edit]) -> list[Edit]:
        edits: list[Edit] = [(c.start, c.end, "") for c in note.comments]
        for link, target in self.vault.links.get(note.path, ()):
            if link.kind != "frontmatter":
                edits.append(self._link_edit(note, link, target, targets, stack, html_edits))
        for tag in note.tags:
            if tag.span is not None:
                href = targets.tag_href(tag.name)
                edits.append((tag.span.start, tag.span.end, f"[#{tag.name}]({href})" + self._attrs(".garden-tag")))
        embedded = len(stack) > 1  # an embedded copy must not repeat the original's ids
        for block in note.block_ids:
            anchor = "" if embedded else f'<span class="garden-block" id="^{html.escape(block.id)}"></span>'
            space = " " if anchor and note.text[block.marker.start] == " " else ""
            edits.append((block.marker.start, block.marker.end, space + anchor))
        for box in note.checkboxes:
            edits.append((box.span.start, box.span.end, checkbox_html(box.char)))
        starts = _line_starts(note.text)
        for callout in note.callouts:
            if self.plain:
                edits.append(plain_callout_edit(note, callout, starts))
            else:
                edits.extend(callout_edits(note, callout, starts))
                edits.append(closing_quote_edit(note, callout, starts))
        if self.extra_edits is not None:
            edits.extend(self.extra_edits(note, targets))
        return edits

    def _report(self, problem: Problem) -> None:
        """Once per place: a fan-out of embeds reaches the same cut-off many times."""
        if problem not in self.problems:
            self.problems.append(problem)

    def _attrs(self, attributes: str) -> str:
        """An attr_list suffix; plain renderers (notebook cells) would show it as text."""
        return "" if self.plain else f"{{ {attributes} }}"

    def _link_edit(self, note: Note, link: Link, target: Resolution, targets: PageTargets,
                   stack: tuple[tuple[str, str], ...], html_edits: list[Edit]) -> Edit:
        """A link's replacement; text kept as the author wrote it (a Markdown link's label)
        gets the raw HTML edits inside it."""
        span = (link.span.start, link.span.end)
        shown = display_text(link)
        if not self.vault.is_public(target.path):
            if target.path is not None and target.path in self.vault.private:
                # Plain text: the alias, else the name as written, never the heading or block
                # of the private note (the subpath names its content).
                plain = link.display if link.display and not link.embed else link.target
                return (*span, html.escape(plain))
            if link.kind == "markdown" and target.kind == "missing":
                return (*span, splice(note.text, *span, html_edits))  # not ours: MkDocs reports it in its own words
            return (*span, f'<span class="garden-unwritten" title="Not written yet">{html.escape(shown)}</span>')
        assert target.path is not None
        if link.embed:
            return (*span, self._embed(note, link, target, targets, stack))
        if link.kind == "markdown":  # the author's own Markdown label, kept as written
            label = splice(note.text, link.span.start + 1, link.span.start + 1 + len(link.display or ""), html_edits)
        else:  # an alias is inline Markdown (spec §1.2), but never raw HTML
            label = html.escape(link.display, quote=False) if link.display is not None else md_text(shown)
        return (*span, f"[{label}]({targets.md_href(target.path, target.anchor)})")

    def _embed(self, note: Note, link: Link, target: Resolution, targets: PageTargets,
               stack: tuple[tuple[str, str], ...]) -> str:
        path = target.path or ""
        extension = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
        if target.kind == "attachment":
            return _media(path, extension, link, targets)
        key = (path, link.subpath)
        prefix = _block_prefix(note.text, link.span.start, link.span.end)
        if prefix is not None:
            prefix = _callout_prefix(prefix, [c.depth for c in note.callouts if c.lines[0] < link.line <= c.lines[1]])
        title = f"[{md_text(display_text(link) if link.subpath else self.vault.notes[path].title)}]" \
                f"({targets.md_href(path, target.anchor)})"
        if prefix is None or self.plain:
            return title + self._attrs(".garden-embed-link")
        if key in stack or len(stack) > self.embed_depth:
            self._report(Problem(note.path, link.line, f"embed cycle or depth limit: '{link.raw}' shown as a link"))
            return title + self._attrs(".garden-embed-link")
        self.embeds_left -= 1
        if self.embeds_left < 0:  # embeds fan out as a tree; a page gets a bounded number
            if self.embeds_left == -1:
                self._report(Problem(note.path, link.line, f"more than {MAX_EMBEDS_PER_PAGE} embeds on one page; "
                                     f"'{link.raw}' and later ones shown as links"))
            return title + self._attrs(".garden-embed-link")
        body = self._embedded_body(self.vault.notes[path], target, targets, stack + (key,))
        indent = prefix + "    "
        lines = [f'!!! garden-embed "{title}"'] + [(indent + line) if line.strip() else prefix.rstrip() for line in body.split("\n")]
        return "\n".join(lines)

    def _embedded_body(self, note: Note, target: Resolution, targets: PageTargets,
                       stack: tuple[tuple[str, str], ...]) -> str:
        start, end = section_span(note, target)
        text = self.render(note, start, end, targets, stack)
        return _dedent(text).strip("\n")


def checkbox_html(char: str) -> str:
    """A read-only checkbox; any status character other than a space shows as checked and is
    kept in `data-task`, as Obsidian renders it (spec §6)."""
    checked = " checked" if char != " " else ""
    label = {" ": "open", "x": "done", "X": "done", "-": "cancelled", "/": "in progress"}.get(char, f"status {char}")
    return (f'<input type="checkbox" class="garden-task" data-task="{html.escape(char, quote=True)}" '
            f'aria-label="Task: {html.escape(label, quote=True)}" disabled{checked}>')


def section_span(note: Note, target: Resolution) -> tuple[int, int]:
    """The text an embed shows: the body, a heading's section or a block (spec §2)."""
    starts = _line_starts(note.text)

    def offset(line: int) -> int:  # start of a 1-based line; past the end is the text's end
        return starts[line - 1] if line - 1 < len(starts) else len(note.text)

    if target.block is not None:
        first, last = target.block.lines
        return offset(first), min(offset(last + 1), len(note.text))
    if target.heading is not None:
        heading = target.heading
        later = [h for h in note.headings if h.line > heading.line and h.level <= heading.level]
        return offset(heading.line), (offset(later[0].line) if later else len(note.text))
    return note.body_start, len(note.text)


def display_text(link: Link) -> str:
    """What Obsidian shows for a link (spec §1.2): the alias, `Note > Heading`, or the name."""
    if link.display:
        return link.display
    if not link.subpath:
        return link.target
    part = link.subpath if link.subpath.startswith("^") else link.subpath.split("#")[-1]
    return f"{link.target} > {part}" if link.target else part


def splice(text: str, start: int, end: int, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (an edit overlapping an earlier one is dropped); edits
    outside `start:end` are ignored."""
    out: list[str] = []
    pos = start
    for edit_start, edit_end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        if edit_start < pos or edit_end > end:
            continue
        out.append(text[pos:edit_start])
        out.append(replacement)
        pos = edit_end
    out.append(text[pos:end])
    return "".join(out)


def _with_html(edits: list[Edit], html_edits: list[Edit], start: int, end: int) -> list[Edit]:
    """The edits of a range, with the raw HTML edits winning every overlap.

    An edit that cuts across an HTML edit is dropped. One that holds it whole wins instead:
    it either replaces the text whole (a comment, a task's fields) or already applied the
    HTML edits inside (a Markdown link's label, an inline footnote). An HTML edit reaching
    past the range (a `<script>` whose end lies outside an embedded section) is cut at the
    range's edge, dropping what it covers."""
    kept = [e for e in edits if not any(_crosses(e, h) for h in html_edits)]
    clipped = [(max(s, start), min(e, end), r if start <= s and e <= end else "")
               for s, e, r in html_edits if s < end and e > start]
    return kept + [h for h in clipped if not any(_holds(e, h) for e in kept)]


def _holds(edit: Edit, inner: Edit) -> bool:
    return edit[0] < edit[1] and edit[0] <= inner[0] and inner[1] <= edit[1]


def _crosses(edit: Edit, inner: Edit) -> bool:
    """`edit` overlaps the HTML edit `inner` without holding it whole."""
    return edit[0] < inner[1] and inner[0] < edit[1] and not _holds(edit, inner)


def _media(path: str, extension: str, link: Link, targets: PageTargets) -> str:
    """Images keep Obsidian's `|W` / `|WxH` size; PDFs, audio and video get players."""
    name = posixpath.basename(path)
    fragment = link.subpath
    if extension in IMAGE_EXTENSIONS:
        alt, size = _image_size(link.display or "")
        attrs = " ".join(f'{k}="{v}"' for k, v in size.items())
        return f"![{md_text(alt or posixpath.splitext(name)[0])}]({targets.md_href(path, '')})" + (f"{{ {attrs} }}" if attrs else "")
    src = html.escape(targets.html_href(path, "") + (f"#{fragment}" if fragment else ""), quote=True)
    if extension == "pdf":
        return f'<iframe class="garden-pdf" src="{src}" title="{html.escape(name)}" loading="lazy"></iframe>'
    if extension in AUDIO_EXTENSIONS:
        return f'<audio class="garden-audio" controls src="{src}"></audio>'
    if extension in VIDEO_EXTENSIONS:
        return f'<video class="garden-video" controls src="{src}"></video>'
    return f"[{md_text(link.display or name)}]({targets.md_href(path, '')})"


def _image_size(display: str) -> tuple[str, dict[str, str]]:
    """Obsidian's `alt|WxH`, `WxH` and `W` (also `alt WxH`): the alt text and the size."""
    alt, _, last = display.strip().rpartition("|")
    if not _:
        alt, _, last = display.strip().rpartition(" ")
    match = _SIZE.fullmatch(last.strip())
    if not match:
        return display, {}
    size = {"width": match.group(1)} | ({"height": match.group(2)} if match.group(2) else {})
    return alt.strip(), size


def _block_prefix(text: str, start: int, end: int) -> str | None:
    """The container prefix (`> `, indentation) when an embed stands alone on its line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before, after = text[line_start:start], text[end:line_end]
    if before.strip(" \t>") or (after.strip() and not re.fullmatch(r"\s*\^[A-Za-z0-9_-]+\s*", after)):
        return None
    return re.sub(r"[^>\s]", " ", before)


def _callout_prefix(prefix: str, callout_depths: list[int]) -> str:
    """The prefix continuation lines need once the callouts around them became admonitions:
    the `>` of each enclosing callout turns into four spaces, as `callout_edits` does."""
    out, depth = [], 0
    for index, char in enumerate(prefix):
        if char == ">":
            if depth in callout_depths:
                out.append("    ")
                depth += 1
                continue
            depth += 1
        if char == " " and index and prefix[index - 1] == ">" and depth - 1 in callout_depths:
            continue
        out.append(char)
    return "".join(out)


def _dedent(text: str) -> str:
    lines = text.split("\n")
    widths = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(widths, default=0)
    return "\n".join(line[cut:] for line in lines)


@lru_cache(maxsize=4096)
def _line_starts(text: str) -> list[int]:
    """Offsets where lines start (cached: a note is rendered and embedded many times)."""
    starts, found = [0], text.find("\n")
    while found >= 0:
        starts.append(found + 1)
        found = text.find("\n", found + 1)
    return starts


def forget_line_starts() -> None:
    """Drop the cached line offsets (a one-off build lets the notes go once its pages are written)."""
    _line_starts.cache_clear()


__all__ = ["PageTargets", "Rewriter", "display_text", "section_span", "splice", "find_block", "find_heading"]
