"""Table-driven tests of the syntax rules (spec §1.1, §1.5, §3, §4, §5, §6): what the scanner
finds in a note, and where."""

from __future__ import annotations

import pytest

from mkdocs_garden.core.scan import scan_note
from mkdocs_garden.core.syntax import garden_parser


def _links(text: str) -> list[tuple]:
    note = scan_note("n.md", text)
    return [(l.kind, l.target, l.subpath, l.display, l.embed, note.text[l.span.start:l.span.end]) for l in note.links]


LINK_CASES = [
    # (text, expected (kind, target, subpath, display, embed, source text), rule)
    ("[[Note]]", [("wiki", "Note", "", None, False, "[[Note]]")], "plain"),
    ("[[Note|Alias **b**]]", [("wiki", "Note", "", "Alias **b**", False, "[[Note|Alias **b**]]")], "display splits at the first |"),
    ("[[a|b|c]]", [("wiki", "a", "", "b|c", False, "[[a|b|c]]")], "only the first | splits"),
    ("[[Note#H1#H2]]", [("wiki", "Note", "H1#H2", None, False, "[[Note#H1#H2]]")], "subpath splits at the first #"),
    ("[[#Heading]]", [("wiki", "", "Heading", None, False, "[[#Heading]]")], "same-note heading"),
    ("[[Note#^blk]]", [("wiki", "Note", "^blk", None, False, "[[Note#^blk]]")], "block subpath"),
    ("[[ foo ]]", [("wiki", "foo", "", None, False, "[[ foo ]]")], "spaces around the target are trimmed"),
    ("[[ foo#^abc |x]]", [("wiki", "foo", "^abc", "x", False, "[[ foo#^abc |x]]")], "trimmed with subpath and display"),
    ("![[img.png|100x145]]", [("wiki", "img.png", "", "100x145", True, "![[img.png|100x145]]")], "embed with size"),
    ("![[x]", [], "unclosed embed is text"),
    ("[[x", [], "unclosed link is text"),
    ("[[a\nb]]", [], "a link stays on one line"),
    ("`[[code]]`", [], "code span"),
    ("```\n[[fence]]\n```", [], "fenced code"),
    ("> ```\n> [[fence in quote]]\n> ```", [], "fence inside a quote"),
    ("- item\n\n  ```\n  [[fence in list]]\n  ```", [], "fence inside a list item"),
    ("    [[indented code]]", [], "indented code"),
    ("%%[[comment]]%%", [], "inline comment"),
    ("%%\n[[block comment]]\n\nstill comment\n%%", [], "block comment with a blank line"),
    ("<!-- [[html comment]] -->", [], "HTML comment"),
    ("$[[math]]$", [], "inline math"),
    ("$$\n[[display math]]\n$$", [], "display math"),
    ("<div>\n[[in html]]\n</div>", [], "raw HTML block is literal (spec §1.5 INFER)"),
    ("| a | [[b\\|c]] |\n|---|---|", [("wiki", "b", "", "c", False, "[[b\\|c]]")], "escaped bar in a table"),
    ("[t](Note%20name.md)", [("markdown", "Note name.md", "", "t", False, "[t](Note%20name.md)")], "markdown link, encoded"),
    ("[t](<Note name.md>)", [("markdown", "Note name.md", "", "t", False, "[t](<Note name.md>)")], "markdown link, angle brackets"),
    ("[t](https://example.org/x.md)", [], "external links are not vault links"),
    ("> [!tip]\n> [[in callout]]", [("wiki", "in callout", "", None, False, "[[in callout]]")], "links in callouts"),
    ("text ![[Note]] text", [("wiki", "Note", "", None, True, "![[Note]]")], "inline embed"),
]


@pytest.mark.parametrize("text, expected, rule", LINK_CASES, ids=[c[2] for c in LINK_CASES])
def test_links(text: str, expected: list[tuple], rule: str) -> None:
    assert _links(text) == expected, rule


def test_frontmatter_links_are_links() -> None:
    note = scan_note("n.md", '---\nup: "[[Index]]"\nrelated:\n  - "[[A|a]]"\n---\nbody\n')
    assert [(l.kind, l.target, l.display, l.line) for l in note.links] == [
        ("frontmatter", "Index", None, 2), ("frontmatter", "A", "a", 4)]


TAG_CASES = [
    ("#tag", ["tag"], "at line start"),
    ("a #tag b", ["tag"], "after a space"),
    ("#inbox/to-read", ["inbox/to-read"], "nested"),
    ("#y1984", ["y1984"], "digits with a letter"),
    ("#1984", [], "digits only is no tag"),
    ("# Heading", [], "ATX heading"),
    ("a#b", [], "inside a word"),
    ("http://x.org/#frag", [], "inside a URL"),
    ("#tag, and more", ["tag"], "punctuation ends a tag"),
    ("#🌱seedling", ["🌱seedling"], "emoji"),
    ("#café", ["café"], "accents"),
    ("`#code`", [], "code"),
    ("%% #hidden %%", [], "comment"),
    ("$#m$", [], "math"),
]


@pytest.mark.parametrize("text, expected, rule", TAG_CASES, ids=[c[2] for c in TAG_CASES])
def test_tags(text: str, expected: list[str], rule: str) -> None:
    assert [t.name for t in scan_note("n.md", text).tags] == expected, rule


def test_frontmatter_and_inline_tags_merge_case_insensitively() -> None:
    note = scan_note("n.md", "---\ntags: [Tag, other]\n---\n#tag and #new\n")
    assert note.all_tags == ("new", "other", "Tag")


BLOCK_CASES = [
    ("para text ^abc", ("abc", (1, 1)), "end of a paragraph"),
    ("- a\n- b ^li\n- c", ("li", (2, 2)), "on a list item"),
    ("- a\n- b\n\n^list", ("list", (1, 2)), "own line after a list: the list"),
    ("> quote\n\n^q", ("q", (1, 1)), "own line after a quote"),
    ("> [!note] T\n> body\n^lazy", ("lazy", (1, 3)), "lazy continuation after a callout: the callout"),
    ("![[img.png]]^glued", ("glued", (1, 1)), "glued after ]]"),
    ("text ^with_under-score", ("with_under-score", (1, 1)), "underscore and dash"),
]


@pytest.mark.parametrize("text, expected, rule", BLOCK_CASES, ids=[c[2] for c in BLOCK_CASES])
def test_block_ids(text: str, expected: tuple, rule: str) -> None:
    blocks = scan_note("n.md", text).block_ids
    assert [(b.id, b.lines) for b in blocks] == [expected], rule


def test_x_caret_2_is_no_block_id() -> None:
    assert scan_note("n.md", "x^2").block_ids == ()


CALLOUT_CASES = [
    ("> [!tip]\n> b", ("tip", None, "", "", 0), "no title"),
    ("> [!NOTE] Title here\n> b", ("note", "Title here", "", "", 0), "case-insensitive type, title"),
    ("> [!faq]- Folded", ("faq", "Folded", "-", "", 0), "folded, title only"),
    ("> [!faq]+ Open", ("faq", "Open", "+", "", 0), "open"),
    ("> [!note|wide] M", ("note", "M", "", "wide", 0), "metadata"),
    ("> [!Table of contents]", ("table of contents", None, "", "", 0), "multi-word type"),
]


@pytest.mark.parametrize("text, expected, rule", CALLOUT_CASES, ids=[c[2] for c in CALLOUT_CASES])
def test_callouts(text: str, expected: tuple, rule: str) -> None:
    callouts = scan_note("n.md", text).callouts
    assert [(c.type, c.title, c.fold, c.metadata, c.depth) for c in callouts] == [expected], rule


def test_nested_callouts_have_depths() -> None:
    callouts = scan_note("n.md", "> [!note] A\n> > [!todo] B\n> > inner\n").callouts
    assert [(c.type, c.depth, c.lines) for c in callouts] == [("note", 0, (1, 3)), ("todo", 1, (2, 3))]


@pytest.mark.parametrize("text, chars", [
    ("- [ ] a\n- [x] b\n- [/] c\n- [-] d\n- [?] e", [" ", "x", "/", "-", "?"]),
    ("1. [>] n\n> - [!] quoted", [">", "!"]),
    ("- plain [x] not at start", []),
    ("[x] not in a list", []),
])
def test_task_checkboxes_keep_any_status(text: str, chars: list[str]) -> None:
    assert [b.char for b in scan_note("n.md", text).checkboxes] == chars


def test_headings_and_anchors() -> None:
    note = scan_note("n.md", "# Title\n\n## Same\n\n## Same\n\n### `code()` and [[Link|shown]]\n\nSetext\n---\n")
    assert [(h.level, h.text, h.anchor, h.line) for h in note.headings] == [
        (1, "Title", "title", 1), (2, "Same", "same", 3), (2, "Same", "same_1", 5),
        (3, "code() and shown", "code-and-shown", 7), (2, "Setext", "setext", 9)]


def test_comments_are_recorded_with_exact_spans() -> None:
    text = "a %%x%% b\n\n%%\nblock\n%%\nc"
    note = scan_note("n.md", text)
    assert [text[c.start:c.end] for c in note.comments] == ["%%x%%", "%%\nblock\n%%\n"]


FOOTNOTE_CASES = [
    # (text, the source of each inline footnote of the paragraph, rule)
    ("^[^[]]", ["^[^[]]"], "a footnote whose text is an empty inline footnote (found by fuzzing)"),
    ("^[[^1]][^1]\n[^1]:", ["^[[^1]]"], "one holding a reference to a footnote defined after (found by fuzzing)"),
    ("a^[x ^[y] z] b^[two]", ["^[x ^[y] z]", "^[two]"], "a nested one belongs to its footnote, not the paragraph"),
    ("^[" * 100 + "x" + "]" * 100, ["^[" * 100 + "x" + "]" * 100], "deep nesting is read a few levels down only"),
]


@pytest.mark.parametrize("text, expected, rule", FOOTNOTE_CASES, ids=[c[2] for c in FOOTNOTE_CASES])
def test_inline_footnotes(text: str, expected: list[str], rule: str) -> None:
    note = scan_note("n.md", text)
    assert [text[f.start:f.end] for f in note.inline_footnotes] == expected, rule
    assert note.problems == ()


def test_nesting_past_markdown_its_limit_scans() -> None:
    assert scan_note("n.md", "^[" * 1000 + "x" + "]" * 1000).problems == ()


def test_a_footnote_made_inside_an_inline_footnote_is_numbered_after_it() -> None:
    # mdit-py-plugins numbers an inline footnote before parsing its text, so the `[^1]` inside
    # took the same number and lost its entry (`KeyError: 'count'` at the second `[^1]`).
    env: dict = {}
    garden_parser().parse("^[[^1]][^1]\n\n[^1]: d\n", env)
    entries = env["footnotes"]["list"]
    assert [t.meta["id"] for t in entries[0]["tokens"] if t.type == "footnote_ref"] == [1]
    assert entries[1] == {"label": "1", "count": 2}


@pytest.mark.parametrize("text", [
    "a ^[x ^[y <i onclick=f>z</i>] w] b\n",
    "^[" * 30 + "<i onclick=f>z</i>" + "]" * 30 + "\n",
])
def test_raw_html_in_nested_inline_footnotes_is_placed_exactly(text: str) -> None:
    note = scan_note("n.md", text)  # the sanitiser edits these spans
    assert [text[p.span.start:p.span.end] for r in note.raw_html for p in r.pieces] == ["<i onclick=f>", "</i>"]


def test_a_footnote_whose_tokens_name_itself_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # What the plugin's own inline rule leaves for `^[^[]]`: the reader must not go round.
    from mdit_py_plugins.footnote.index import footnote_inline

    from mkdocs_garden.core import scan

    def stock_rule(state, silent):  # type: ignore[no-untyped-def]
        start = state.pos
        if not footnote_inline(state, silent):
            return False
        if not silent:
            state.tokens[-1].meta.update(inline_start=start, inline_end=state.pos)
        return True

    md = garden_parser.__wrapped__()
    md.inline.ruler.at("footnote_inline", stock_rule)
    monkeypatch.setattr(scan, "garden_parser", lambda **_: md)
    assert [(f.start, f.end) for f in scan.scan_note("n.md", "x ^[^[]] y").inline_footnotes] == [(2, 8)]
