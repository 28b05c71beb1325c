"""Make Material's search index safe to render: every vault string in it becomes text.

Material's search UI builds each result with its own JSX factory, which appends string
children with `el.innerHTML += child` (`src/templates/assets/javascripts/utilities/h/index.ts`),
so every field it prints is parsed as HTML: the title (`<h1>`/`<h2>`), the text teaser, and
each tag (`<span class="md-tag">{tag}</span>` in `templates/search/index.tsx`). Its search
plugin escapes what it extracts from the page's HTML (`title` and `text`), but copies
`page.meta["tags"]` verbatim into each entry (`SearchIndex.create_entry_for_section` in
`material/plugins/search/plugin.py`), and falls back to `page.meta["title"]` unescaped when a
section has no heading. A vault's frontmatter tag such as `"><img src=x onerror=...>` thus
runs as soon as any query lists that note (any query: a prefix like `p` that matches the
note's text is enough).

`harden_search_index` rewrites the index written by the search plugin so that Material shows
each of those strings as text:

- `tags` are plain text: each is HTML-escaped (once: they come straight from the frontmatter).
  A tag holding `&`, `<` or `>` then no longer matches its key in Material's `extra.tags`
  icon mapping (it keeps the default tag icon).
- `title` and `text` are HTML fragments by Material's design, holding escaped text and the
  bare tags its indexer keeps (`<p>`, `<code>`, `<pre>`, lists, `<sub>`, `<sup>`, no
  attributes). A fragment made of only those is left exactly as it is; any other markup (a raw
  `<img>`, `<script>`, a kept tag with attributes) is shown as its source text.

`location` is left alone: MkDocs percent-encodes page URLs and Material sets it as an `href`
attribute (never as HTML). Everything else in the index is kept as is.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

# The tags Material's search indexer keeps (`Parser.keep` in material/plugins/search/plugin.py).
KEPT_TAGS = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})

# A `<` that does not open one of them, bare: in an element's content, the only character
# that can start markup (character references only ever make text).
_STRAY_LT = re.compile(r"<(?!/?(?:{})>)".format("|".join(sorted(KEPT_TAGS))))


_ESCAPED = re.compile("[&<>]")

# What the index's own JSON text shows of each check above, without decoding it (a property
# of valid JSON: `"title":` outside a key would need an unescaped quote inside a string):
# `<` spelt as an escape, a `title` or `text` that is neither a string nor null, and each
# tag list that is not a list of literal strings without `&`, `<`, `>` or escapes.
_ESCAPED_LT = re.compile(r"\\u003c", re.IGNORECASE)
_ODD_FIELD = re.compile(r'"(?:title|text)":(?!"|null)')
_ODD_TAGS = re.compile(r'"tags":(?!\[(?:"[^"\\&<>]*"(?:,"[^"\\&<>]*")*)?\])')
_CHECKS = (_STRAY_LT, _ESCAPED_LT, _ODD_FIELD, _ODD_TAGS)

# Where an entry of the index starts: only JSON's own structure can spell it (inside a string
# a quote is always escaped), and no check above reads across it. While serving, the checks
# read only the entries that differ from the last index (they take 10 ms over the 5 MB index
# of 1,000 notes; an edit changes one page's entries).
_ENTRY = '{"location":'
_STEP = 1 << 16  # characters compared at a time when finding what a rebuild changed
_FINE_STEP = 256  # and the smallest step, once a step differs
_PROBE = 512  # characters of an entry looked for in the last index, to compare on from there
_RESYNC_TRIES = 8  # entries of the new index looked for after a change, before reading the rest
_RESYNC_WINDOW = 1 << 20  # characters of the last index a probe is looked for in


def fragment_as_text(value: str) -> str:
    """`value` (a search index `title` or `text`) with no markup but Material's kept bare tags:
    every other `<` becomes `&lt;`, so other markup shows as its own source text.

    Material's own output (escaped text and bare kept tags) comes back unchanged, and so does
    an already hardened fragment. Linear in the length, whatever the input.
    """
    return _STRAY_LT.sub("&lt;", value)


def tag_as_text(tag: Any) -> str:
    """A frontmatter tag as Material's search result prints it (as HTML): escaped."""
    return html.escape(str(tag), quote=False)


def harden_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """One index entry with its printed fields safe: a new dict when one of them changes
    (other keys untouched), else `entry` itself."""
    changed: dict[str, Any] = {}
    for key in ("title", "text"):
        value = entry.get(key)
        if value is not None and (type(value) is not str or _STRAY_LT.search(value)):
            changed[key] = fragment_as_text(str(value))
    tags = entry.get("tags")
    if tags is not None and not _plain_strings(tags):
        changed["tags"] = [tag_as_text(tag) for tag in (tags if isinstance(tags, list) else [tags])]
    return {**entry, **changed} if changed else entry


def _plain_strings(tags: Any) -> bool:
    """Tags that `tag_as_text` leaves as they are: a list of strings without `&`, `<`, `>`
    (checked at once: every index entry of a tagged page repeats its tags)."""
    return (isinstance(tags, list) and all(type(tag) is str for tag in tags)
            and _ESCAPED.search("".join(tags)) is None)


def harden_search_index(text: str, unchanged_by: str | None = None) -> str:
    """The JSON text of a search index (`search/search_index.json`) with every entry hardened.

    An index with nothing to change comes back as it is, seen so in its text without being
    decoded or written out again (most of the cost while serving); one with changes is
    written as Material writes it (compact separators, ASCII). `unchanged_by`: an earlier
    index in which the checks found nothing (`harden_search_index_file` returns it); only the
    entries of `text` that differ from it are read (hardening works entry by entry, and the
    others are the same text).
    """
    return _hardened(text, unchanged_by)[0]


def _hardened(text: str, unchanged_by: str | None) -> tuple[str, bool]:
    """`harden_search_index`, and whether the checks found nothing in `text`."""
    if _clean(text, None if unchanged_by is None else _changed_spans(unchanged_by, text)):
        return text, True
    data = json.loads(text)
    docs = data.get("docs") if isinstance(data, dict) else None
    if not isinstance(docs, list):
        return text, False
    hardened = [harden_entry(doc) if isinstance(doc, dict) else doc for doc in docs]
    if all(new is old for new, old in zip(hardened, docs)):
        return text, False
    data["docs"] = hardened
    return json.dumps(data, separators=(",", ":")), False


def _clean(text: str, changed: list[tuple[int, int]] | None = None) -> bool:
    """True when no entry of the index would change, read off its JSON text from the first
    `docs` key on (the config before it holds `title` and `tags` objects): a serve rebuild
    then learns it without decoding the index (5 MB at 1,000 notes). With `changed` (spans
    of `text`), only the entries that overlap them are read."""
    docs = text.find('"docs":')  # the first: the index's own, or one before it
    if docs < 0:
        return False
    for first, last in changed if changed is not None else [(docs, len(text))]:
        start = max(docs, text.rfind(_ENTRY, docs, first))
        found = text.find(_ENTRY, last)
        end = found if found >= 0 else len(text)
        if any(pattern.search(text, start, end) for pattern in _CHECKS):
            return False
    return True


def _changed_spans(old: str, new: str) -> list[tuple[int, int]]:
    """Spans of `new` outside which it is the same text as `old`, piece by piece in order.

    A rebuild changes the entries of a page or two, often far apart (the edited note's, and
    the graph page's count of links near the end): one span from the first change to the
    last would be most of the index. So after each change the comparison finds its place in
    `old` again, at the next entry of `new` whose first `_PROBE` characters `old` holds ahead
    (an entry's location starts it, and each page's is its own). A span a little too wide is
    only read for nothing; every character outside the spans is compared, and where pieces
    compared at two places of `old` meet, a span (maybe empty) says so: an entry made of
    both is new."""
    old_docs, new_docs = old.find('"docs":'), new.find('"docs":')
    if old_docs < 0 or new_docs < 0:
        return [(0, len(new))]
    # Entries are compared only with entries: the checks read nothing before `"docs":`.
    end = len(new) - _same_run(old, new, len(old), len(new), min(len(old) - old_docs, len(new) - new_docs),
                               backwards=True)
    spans: list[tuple[int, int]] = []
    at_old, at_new = old_docs, new_docs
    while True:
        at_new += (run := _same_run(old, new, at_old, at_new, min(len(old) - at_old, len(new) - at_new)))
        at_old += run
        if at_new >= end:
            if at_new - at_old != len(new) - len(old):  # where the two pieces meet, the text was cut
                spans.append((end, at_new))
            return spans
        change, boundary, found = at_new, at_new, -1
        for _ in range(_RESYNC_TRIES):
            boundary = new.find(_ENTRY, boundary + 1, end)
            if boundary < 0:
                break
            found = old.find(new[boundary:boundary + _PROBE], at_old, at_old + _RESYNC_WINDOW)
            if found >= 0:
                break
        if boundary < 0 or found < 0:
            spans.append((change, end))
            return spans
        spans.append((change, boundary))
        at_new, at_old = boundary, found


def _same_run(old: str, new: str, at_old: int, at_new: int, limit: int, *, backwards: bool = False) -> int:
    """How many characters, up to `limit`, `new` and `old` share from `at_new` and `at_old`
    on (or, going `backwards`, before them), counted `_STEP` at a time and then in smaller
    steps, to the nearest `_FINE_STEP`."""
    run, step = 0, _STEP
    while True:
        while run + step <= limit and (
                old.endswith(new[at_new - run - step:at_new - run], 0, at_old - run) if backwards
                else old.startswith(new[at_new + run:at_new + run + step], at_old + run)):
            run += step
        if step <= _FINE_STEP:
            return run
        step = max(step // 16, _FINE_STEP)


def harden_search_index_file(path: str | Path, unchanged_by: str | None = None) -> str | None:
    """Harden the index at `path` in place. Call it once for each index the search plugin
    writes (in `on_post_build`, after it): tags are escaped on every call. The file is
    rewritten only when something changed.

    Returns the index's text when the checks found nothing in it, for the next build's call
    to compare with as `unchanged_by` (while serving, see `harden_search_index`); None
    otherwise, or when there is no index (search disabled)."""
    target = Path(path)
    if not target.is_file():
        return None
    before = target.read_text(encoding="utf-8")
    after, clean = _hardened(before, unchanged_by)
    if after != before:
        target.write_text(after, encoding="utf-8")
    # Only an index in which the checks found nothing: hardening may leave text they flag
    # (an odd value in a field it does not read, such as a note's `search.boost`), and a
    # later entry that is a copy of such text must not pass as read.
    return before if clean else None
