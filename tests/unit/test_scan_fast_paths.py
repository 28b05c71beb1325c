"""The scanner's shortcuts give what the long way gives: the garden parser's own `text` rule,
headings read from the note's tokens instead of parsed again, and the block id found at the
last `^` instead of searched for."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.rules_inline import text as stock_text

from mkdocs_garden.core.scan import _BLOCK_ID, _block_id_match, _plain_text, _reads_differently_alone
from mkdocs_garden.core.syntax import garden_parser

FRAGMENTS = [
    "# ", "## ", "Title", "\n", "\n\n", "  ", "\t", "- ", "1. ", "> ", "> [!note] Title\n", "[[Note]]",
    "[[Note#Head|alias]]", "![[img.png]]", "[[", "]]", "[", "]", "(", ")", "[x](Other.md)", "![alt](a.png)",
    "[ref]", "[ref]: target.md\n", "[^1]", "[^1]: note\n", "^[inline [[L]]]", " ^id-1", "^", "#tag", " #a/b",
    "#1984", "*", "**", "_", "~~", "`", "`code`", "$", "$$", "$x$", "%%", "%% c %%", "<", "<b>", "<img/src=x>",
    "\\<", "\\", "\\*", "&amp;", "&#35;", "&", "-", ":", "=", "===", "---", "@", "+", "{", "}", "|", "\\|",
    "| a | b |\n|---|---|\n| [[x\\|y]] | c |\n", "```\ncode\n```\n", "    code", "- [ ] task", "<div>\n",
    "<https://a.b>", "é", "😀", "word", " ", "!", "*a*", "_b_", "~~s~~",
]
NOTES = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)


def _stock_text_parser(emphasis: bool) -> MarkdownIt:
    md = garden_parser.__wrapped__(emphasis=emphasis)  # a fresh parser, not the shared one
    md.inline.ruler.at("text", stock_text)
    return md


STOCK = {emphasis: _stock_text_parser(emphasis) for emphasis in (False, True)}


@settings(max_examples=500, deadline=None)
@given(NOTES, st.booleans())
def test_the_garden_text_rule_gives_the_stock_tokens(text: str, emphasis: bool) -> None:
    ours_env: dict = {}
    stock_env: dict = {}
    ours = garden_parser(emphasis=emphasis).parse(text, ours_env)
    assert ours == STOCK[emphasis].parse(text, stock_env)
    assert _without_empty_footnotes(ours_env) == _without_empty_footnotes(stock_env)


def _without_empty_footnotes(env: dict) -> dict:
    """The footnote reference rule adds empty footnote data to `env` whenever it is tried,
    which the stock rule does at more places; empty, it is the same as none."""
    if env.get("footnotes") == {"refs": {}, "list": {}}:
        return {key: value for key, value in env.items() if key != "footnotes"}
    return env


@settings(max_examples=500, deadline=None)
@given(NOTES)
@example("# A [ref]\n\n[ref]: t.md\n")  # a reference resolves in the note only
@example("# A [^1]\n\n[^1]: note\n")
@example("# A *b* ~~c~~\n")
def test_a_heading_read_from_its_note_has_the_text_of_a_heading_parsed_alone(text: str) -> None:
    env: dict = {}
    tokens = garden_parser().parse(text, env)
    for opener, inline in zip(tokens, tokens[1:]):
        if opener.type == "heading_open" and not _reads_differently_alone(inline.content, env):
            alone = garden_parser(emphasis=True).parseInline(inline.content)[0].children or []
            assert _plain_text(inline.children or []) == _plain_text(alone)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=" \t^])(a1-_!x\n", max_size=16))
def test_a_block_id_is_found_at_the_last_caret(line: str) -> None:
    found, searched = _block_id_match(line), _BLOCK_ID.search(line)
    assert (found and (found.span(), found.groups())) == (searched and (searched.span(), searched.groups()))
