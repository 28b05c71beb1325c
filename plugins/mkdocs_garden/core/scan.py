"""Read one note into a `Note`: headings, links, embeds, tags, block ids, callouts, comments.

The note is parsed once with markdown-it (so code, math and comments are never links) and
every element keeps its exact span in the file, so the rewriter can splice the source instead
of re-rendering it. Nothing here knows about MkDocs; the renderer's slug function is passed in.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it.token import Token

from .frontmatter import property_strings, read_frontmatter
from .model import (
    BlockId,
    Callout,
    Checkbox,
    Heading,
    HtmlPiece,
    Link,
    Note,
    Problem,
    RawHtml,
    Span,
    Tag,
)
from .sanitize import html_pieces
from .syntax import garden_parser
from .syntax.wikilink import split_wikilink

Slugify = Callable[[str, str], str]

_CALLOUT = re.compile(r"^\[!([^\]\n]+)\]([+-]?)[ \t]*(.*)$")
_BLOCK_ID = re.compile(r"(?:^|(?<=[ \t])|(?<=\]\])|(?<=\)))\^([A-Za-z0-9_-]+)[ \t]*$")
_WIKILINK_IN_TEXT = re.compile(r"(!?)\[\[([^\[\]\n]+?)\]\]")
_BLOCK_ID_NAME = re.compile(r"[A-Za-z0-9_-]+")
_CHECKBOX = re.compile(r"^\[[^\]\n]\](?:[ \t]|$)")
_VERBATIM = {"fence", "code_block", "math_block", "math_block_label", "html_block"}
_MAX_TAG_PARENTS = ("paragraph_open", "heading_open")


def default_slugify(value: str, separator: str) -> str:
    """Python-Markdown's default `toc` slug (ASCII, lower case), the id MkDocs gives headings."""
    import unicodedata

    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(rf"[{separator}\s]+", separator, value)


def unique_id(base: str, used: set[str]) -> str:
    """Python-Markdown's rule for repeated ids: `x`, `x_1`, `x_2` ..."""
    candidate, count = base, 0
    while candidate in used or not candidate:
        count += 1
        candidate = f"{base}_{count}"
    used.add(candidate)
    return candidate


@dataclass
class _Lines:
    """Offsets of the starts of lines, to turn (line, column) into an offset and back."""

    text: str
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    def line(self, index: int) -> str:
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[index] : end]

    def line_of(self, offset: int) -> int:
        """0-based line index of an offset."""
        return bisect.bisect_right(self.starts, offset) - 1


def scan_note(path: str, text: str, *, slugify: Slugify = default_slugify, separator: str = "-") -> Note:
    """Parse `text` (the whole file, LF newlines) of the note at vault path `path`."""
    # markdown-it replaces NUL in token content, which would shift every span on its line.
    text = text.replace("\x00", "\ufffd")
    fm = read_frontmatter(path, text)
    lines = _Lines(text)
    body_line0 = lines.line_of(fm.body_start) if fm.body_start < len(text) else len(lines.starts) - 1
    env: dict = {}  # the footnote plugin keeps the tokens of inline footnotes here
    tokens = garden_parser().parse(text[fm.body_start :], env)
    reader = _Reader(path, text, lines, body_line0, slugify, separator, env)
    reader.read(tokens)
    links = _frontmatter_links(path, text, fm.raw, fm.raw_start, fm.data, lines) + reader.links
    return Note(
        path=path,
        text=text,
        frontmatter=fm.data,
        body_start=fm.body_start,
        body_line=body_line0 + 1,
        headings=tuple(reader.headings),
        links=tuple(links),
        tags=tuple(reader.tags),
        block_ids=tuple(reader.block_ids),
        callouts=tuple(reader.callouts),
        comments=tuple(reader.comments),
        verbatim=tuple(reader.verbatim),
        checkboxes=tuple(reader.checkboxes),
        inline_footnotes=tuple(reader.inline_footnotes),
        raw_html=tuple(reader.raw_html),
        problems=fm.problems + tuple(reader.problems),
    )


def _frontmatter_links(path: str, text: str, raw: str, raw_start: int, data: dict, lines: _Lines) -> list[Link]:
    """Links written in property values (`up: "[[Index]]"`) count as Obsidian links."""
    found: list[Link] = []
    wanted = {s for s in property_strings(data) if "[[" in s}
    if not wanted:
        return found
    for match in _WIKILINK_IN_TEXT.finditer(raw):
        target, subpath, display = split_wikilink(match.group(2))
        start = raw_start + match.start()
        found.append(Link("frontmatter", target, subpath, display, bool(match.group(1)),
                          lines.line_of(start) + 1, Span(start, raw_start + match.end()),
                          match.group(0)))
    return found


class _Reader:
    """Walks the token stream once, collecting everything with file positions."""

    def __init__(self, path: str, text: str, lines: _Lines, body_line0: int,
                 slugify: Slugify, separator: str, env: dict) -> None:
        self.path, self.text, self.lines, self.body_line0 = path, text, lines, body_line0
        self.slugify, self.separator, self.env = slugify, separator, env
        self.headings: list[Heading] = []
        self.links: list[Link] = []
        self.tags: list[Tag] = []
        self.block_ids: list[BlockId] = []
        self.callouts: list[Callout] = []
        self.comments: list[Span] = []
        self.verbatim: list[tuple[int, int]] = []
        self.checkboxes: list[Checkbox] = []
        self.inline_footnotes: list[Span] = []
        self.raw_html: list[RawHtml] = []
        self.problems: list[Problem] = []
        self._ids: set[str] = set()
        self._row_cursor: dict[int, int] = {}

    def _file_lines(self, token: Token) -> tuple[int, int]:
        """A block token's 1-based inclusive file lines."""
        assert token.map is not None
        return self.body_line0 + token.map[0] + 1, self.body_line0 + token.map[1]

    def read(self, tokens: list[Token]) -> None:
        stack: list[Token] = []
        last_closed: dict[int, Token] = {}  # depth -> the last block closed at that depth
        quote_depth = 0
        for index, token in enumerate(tokens):
            if token.type == "blockquote_open":
                self._callout(tokens, index, quote_depth)
                quote_depth += 1
            elif token.type == "blockquote_close":
                quote_depth -= 1
            if token.type in _VERBATIM and token.map:
                self.verbatim.append(self._file_lines(token))
                if token.type == "html_block":
                    self._html_block(token)
            elif token.type == "garden_comment" and token.map:
                first, last = self._file_lines(token)
                start = self.lines.starts[first - 1]
                end_line = last if last < len(self.lines.starts) else len(self.lines.starts)
                end = self.lines.starts[end_line] if end_line < len(self.lines.starts) else len(self.text)
                self.comments.append(Span(start, end))
                self.verbatim.append((first, last))
            elif token.type == "inline":
                self._inline(token, stack, last_closed, tokens[index - 1])
            if token.nesting == 1:
                stack.append(token)
            elif token.nesting == -1 and stack:
                opener = stack.pop()
                last_closed[len(stack)] = opener
                for depth in [d for d in last_closed if d > len(stack)]:
                    del last_closed[depth]
            elif token.nesting == 0 and token.block and token.map:
                last_closed[len(stack)] = token

    def _callout(self, tokens: list[Token], index: int, depth: int) -> None:
        if index + 2 >= len(tokens) or tokens[index + 1].type != "paragraph_open":
            return
        first_line = tokens[index + 2].content.split("\n", 1)[0]
        match = _CALLOUT.match(first_line)
        if not match:
            return
        kind, _, metadata = match.group(1).partition("|")
        title = match.group(3).strip() or None
        lines = self._file_lines(tokens[index])
        self.callouts.append(Callout(kind.strip().lower(), title, match.group(2), metadata.strip(),  # type: ignore[arg-type]
                                     lines, depth))

    def _html_block(self, token: Token) -> None:
        """An HTML block's constructs, placed in the file (container markers left out)."""
        content = token.content.removesuffix("\n")
        found = html_pieces(content)
        if found:
            to_file = self._block_position(token, content)
            self._add_html([(to_file(s), to_file(e - 1) + 1, text) for s, e, text in found],
                           to_file(len(content) - 1) + 1)

    def _block_position(self, token: Token, content: str) -> Callable[[int], int]:
        """Map an offset in a block token's content to the file. Each content line ends its
        source line; only the indentation before it may differ (a tab read as spaces)."""
        assert token.map is not None
        starts, columns, leads, line_starts = [0], [], [], []
        for i, part in enumerate(content.split("\n")):
            line = self.body_line0 + token.map[0] + i
            source, body = self.lines.line(line), part.lstrip(" \t")
            leads.append(len(part) - len(body))
            line_starts.append(self.lines.starts[line])
            column = len(source) - len(body) if source.endswith(body) else self._column(source, part, line, False) + leads[-1]
            columns.append(line_starts[-1] + column)
            starts.append(starts[-1] + len(part) + 1)

        def to_file(pos: int) -> int:  # inside the indentation, count back from the text
            i = bisect.bisect_right(starts, pos) - 1
            return max(columns[i] + pos - starts[i] - leads[i], line_starts[i])

        return to_file

    def _add_html(self, found: list[tuple[int, int, str]], end: int) -> None:
        """One region of raw HTML. A piece is checked against the file, so a sanitising edit
        never lands beside its tag; one that cannot be placed is reported instead."""
        pieces = []
        for start, stop, text in found:
            written = self.text[start:stop]
            if "\n" not in text and written != text and written.replace("\\|", "|") != text:
                line = self.lines.line_of(start)
                begin = self.lines.starts[line]
                finish = begin + len(self.lines.line(line))
                start = self.text.find(text, begin, finish)
                if start < 0:
                    self.problems.append(Problem(self.path, line + 1, f"raw HTML '{text[:40]}' could not be placed; left as written"))
                    continue
                stop = start + len(text)
            pieces.append(HtmlPiece(text, Span(start, stop)))
        if pieces:
            self.raw_html.append(RawHtml(tuple(pieces), max(end, pieces[-1].span.end)))

    def _position(self, token: Token, table: bool) -> Callable[[int], int]:
        """Map an offset in an inline token's content to an offset in the file.

        Most inline tokens hold no link, tag or id, so a line's column is only found when an
        offset on it is asked for. Table cells are placed at once and in order: each one
        searches its row from where the cell before it ended."""
        assert token.map is not None
        parts = token.content.split("\n")
        content_starts = [0]
        for part in parts[:-1]:
            content_starts.append(content_starts[-1] + len(part) + 1)
        first_line = self.body_line0 + token.map[0]
        columns: dict[int, int] = {}
        if table:
            for i, part in enumerate(parts):
                columns[i] = self._column(self.lines.line(first_line + i), part, first_line + i, True)

        def to_file(pos: int) -> int:
            i = bisect.bisect_right(content_starts, pos) - 1
            if i not in columns:
                columns[i] = self._column(self.lines.line(first_line + i), parts[i], first_line + i, False)
            within = pos - content_starts[i]
            if table:  # the table rule unescaped `\|`: each `|` before `pos` was two characters
                within += parts[i][:within].count("|")
            return self.lines.starts[first_line + i] + columns[i] + within

        return to_file

    def _column(self, source: str, part: str, line_index: int, table: bool) -> int:
        if table:
            escaped = part.replace("|", "\\|")
            column = source.find(escaped, self._row_cursor.get(line_index, 0))
            if column >= 0:
                self._row_cursor[line_index] = column + len(escaped)
            return max(column, 0)
        stripped, wanted = source.rstrip(), part.rstrip()
        column = len(stripped) - len(wanted)
        if column >= 0 and stripped[column:] == wanted:
            return column
        found = source.find(part)
        return found if found >= 0 else 0

    def _inline(self, token: Token, stack: list[Token], last_closed: dict[int, Token], opener: Token) -> None:
        if token.map is None:  # an inline footnote `^[...]`, moved out of its paragraph by the plugin
            return
        table = bool(stack) and stack[-1].type in ("th_open", "td_open")
        to_file = self._position(token, table)
        html: list[tuple[int, int, str]] = []
        for child in token.children or []:
            if child.type != "text":  # most children, and never a link, tag or HTML
                self._child(child, to_file, html)
        if html:
            self._add_html(html, to_file(len(token.content) - 1) + 1 if token.content else to_file(0))
        if opener.type == "heading_open":
            self._heading(token, opener)
        elif _opens_list_item(opener, stack):
            self._checkbox(token, to_file)
        if opener.type == "paragraph_open" or opener.type == "heading_open":
            self._block_id(token, opener, stack, last_closed, to_file)

    def _checkbox(self, token: Token, to_file: Callable[[int], int]) -> None:
        """A list item's first paragraph starting `[c] ` is a task list item."""
        if _CHECKBOX.match(token.content):
            start = to_file(0)
            self.checkboxes.append(Checkbox(token.content[1], self.lines.line_of(start) + 1, Span(start, start + 3)))

    def _child(self, child: Token, to_file: Callable[[int], int], html: list[tuple[int, int, str]]) -> None:
        meta = child.meta or {}
        self._html_child(child, to_file, html)
        if child.type == "wikilink":
            start, end = to_file(meta["start"]), to_file(meta["end"] - 1) + 1
            self.links.append(Link("wiki", meta["path"], meta["subpath"], meta["display"], meta["embed"],
                                   self.lines.line_of(start) + 1, Span(start, end), self.text[start:end]))
        elif child.type in ("link_open", "image") and "start" in meta:
            self._markdown_link(child, meta, to_file)
        elif child.type == "garden_tag":
            start = to_file(meta["start"])
            self.tags.append(Tag(child.content, self.lines.line_of(start) + 1, Span(start, to_file(meta["end"] - 1) + 1)))
        elif child.type == "footnote_ref" and "inline_start" in meta:
            self.inline_footnotes.append(Span(to_file(meta["inline_start"]), to_file(meta["inline_end"] - 1) + 1))
        elif child.type == "garden_comment_inline":
            self.comments.append(Span(to_file(meta["start"]), to_file(meta["end"] - 1) + 1))

    def _html_child(self, child: Token, to_file: Callable[[int], int], html: list[tuple[int, int, str]],
                    footnote: int = -1) -> None:
        """Raw HTML: a tag or stray `<` joins the paragraph's region; the text of an image's
        alt or an inline footnote was parsed apart, with offsets from its own start, and makes
        a region of its own. `footnote` is the number of the inline footnote being read."""
        meta = child.meta or {}
        if child.type in ("html_inline", "garden_lt") and "start" in meta:
            text = child.content if child.type == "html_inline" else self.text[to_file(meta["start"]) : to_file(meta["end"] - 1) + 1]
            html.append((to_file(meta["start"]), to_file(meta["end"] - 1) + 1, text))
            return
        if child.type == "image" and child.children and "label" in meta:
            children, offset = child.children, meta["label"][0]
        elif child.type == "footnote_ref" and "inline_start" in meta and meta.get("id", -1) > footnote:
            # A footnote inside another is numbered after it (`syntax.footnotes`); one that is
            # not would lead back to a footnote being read, and round again for ever.
            footnote = meta["id"]
            children = self.env.get("footnotes", {}).get("list", {}).get(footnote, {}).get("tokens", [])
            offset = meta["inline_start"] + 2
        else:
            return
        nested: list[tuple[int, int, str]] = []
        for grandchild in children:
            self._html_child(grandchild, lambda pos: to_file(offset + pos), nested, footnote)
        if nested:
            self._add_html(nested, nested[-1][1])

    def _markdown_link(self, child: Token, meta: dict, to_file: Callable[[int], int]) -> None:
        href = str(child.attrs.get("href" if child.type == "link_open" else "src", ""))
        if not href or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//|^#$", href):
            return  # external, or a bare `#`
        from urllib.parse import unquote

        path, _, subpath = unquote(href).partition("#")
        start, end = to_file(meta["start"]), to_file(meta["end"] - 1) + 1
        label = self.text[to_file(meta["label"][0]) : to_file(meta["label"][1] - 1) + 1] if meta["label"][1] > meta["label"][0] else ""
        if self.text[end - 1 : end] != ")":
            return  # a reference-style link: its definition is elsewhere
        self.links.append(Link("markdown", path, subpath, label, child.type == "image",
                               self.lines.line_of(start) + 1, Span(start, end), self.text[start:end]))

    def _heading(self, token: Token, opener: Token) -> None:
        # The id comes from the rendered text, so emphasis markers must be read as such here:
        # the heading is parsed again, alone, with emphasis on. Without a character that reads
        # differently in that parse, the tokens already at hand are the same.
        children = token.children or []
        if _reads_differently_alone(token.content, self.env):
            children = garden_parser(emphasis=True).parseInline(token.content)[0].children or []
        text = _plain_text(children)
        anchor = unique_id(self.slugify(text, self.separator), self._ids)
        level = int(opener.tag[1])
        self.headings.append(Heading(level, text, self._file_lines(opener)[0], anchor))

    def _block_id(self, token: Token, opener: Token, stack: list[Token],
                  last_closed: dict[int, Token], to_file: Callable[[int], int]) -> None:
        content = token.content
        last_line = content.rsplit("\n", 1)[-1]
        match = _block_id_match(last_line)
        if not match:
            return
        offset_in_content = len(content) - len(last_line) + match.start()
        start = to_file(offset_in_content)
        marker = Span(start - (1 if self.text[start - 1 : start] == " " else 0),
                      to_file(len(content) - 1) + 1)
        own_line = not last_line[: match.start()].strip()
        block = self._block_for(opener, stack, last_closed, own_line, "\n" in content)
        lines = self._file_lines(block)
        if block is opener and own_line:
            lines = (lines[0], lines[1] - 1)
        while lines[1] > lines[0] and not self.lines.line(lines[1] - 1).strip():
            lines = (lines[0], lines[1] - 1)  # a list's range ends with its trailing blank line
        self.block_ids.append(BlockId(match.group(1), self.lines.line_of(start) + 1, marker, lines))

    def _block_for(self, opener: Token, stack: list[Token], last_closed: dict[int, Token],
                   own_line: bool, multiline: bool) -> Token:
        """The block a `^id` names (spec §3): its own paragraph or list item, the block before
        a lone id line, or the enclosing callout when a lazy continuation swallowed the id."""
        parents = stack[:-1]
        if not own_line:
            if parents and parents[-1].type == "list_item_open":
                return parents[-1]
            return opener
        if multiline:
            return next((t for t in reversed(parents) if t.type == "blockquote_open"), opener)
        previous = last_closed.get(len(stack) - 1)
        return previous if previous is not None and previous.map else opener


def _opens_list_item(opener: Token, stack: list[Token]) -> bool:
    """Is this paragraph the first line of a list item (where a task checkbox sits)?"""
    if len(stack) < 2 or stack[-2].type != "list_item_open":
        return False
    item = stack[-2]
    return bool(opener.map and item.map and opener.map[0] == item.map[0])


def _block_id_match(line: str) -> re.Match[str] | None:
    """`_BLOCK_ID.search(line)`, tried only where it can match: at the last `^`, since nothing
    after an id's caret is another one (a search tries every position, and is slow)."""
    caret = line.rfind("^")
    return _BLOCK_ID.match(line, caret) if caret >= 0 else None


def _reads_differently_alone(content: str, env: dict) -> bool:
    """Could inline `content` parse differently alone with emphasis on than it did in its note
    without? Only `*`, `_` and `~` start emphasis; only `[` starts a reference link or a
    footnote reference, which resolve in the note (whose `env` holds the definitions) but not
    alone."""
    if "*" in content or "_" in content or "~" in content:
        return True
    return "[" in content and bool(env.get("references") or env.get("footnotes", {}).get("refs"))


def _plain_text(children: list[Token]) -> str:
    """The text a renderer shows for inline tokens (the heading's id is made from it)."""
    out: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline", "math_inline", "entity", "garden_lt"):
            out.append(child.content)
        elif child.type == "wikilink":
            out.append(_wikilink_display(child.meta))
        elif child.type == "garden_tag":
            out.append("#" + child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type == "image":
            out.append(child.content)
    text = "".join(out).strip()
    head, caret, tail = text.rpartition("^")  # a trailing block id is not part of the title
    if caret and _BLOCK_ID_NAME.fullmatch(tail) and (not head or head[-1].isspace()):
        text = head.rstrip()
    return text


def _wikilink_display(meta: dict) -> str:
    """What Obsidian shows for a wikilink (spec §1.2)."""
    if meta.get("display"):
        return meta["display"]
    path, subpath = meta.get("path", ""), meta.get("subpath", "")
    if not subpath:
        return path
    shown = subpath.split("#")[-1] if not subpath.startswith("^") else subpath
    return f"{path} > {shown}" if path else shown
