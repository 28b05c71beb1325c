"""The fast path for link destinations answers exactly as markdown-it's own parser does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt, helpers
from mkdocs_garden.core.syntax.destinations import fast_destinations, parse_link_destination

_CHARS = st.sampled_from(list("ab/.%20#-_é📅") + [" ", "\t", "\n", "\x00", "\x7f", "(", ")", "\\", "<", ">",
                                                     "&amp;", "&#41;", '"', "'", "\\ ", "\\)"])
_TEXT = st.lists(_CHARS, max_size=24).map("".join)


@settings(max_examples=2000, deadline=None)
@given(_TEXT, st.integers(0, 30), st.integers(0, 30))
def test_every_destination_is_read_as_markdown_it_reads_it(text: str, pos: int, shorter: int) -> None:
    pos = min(pos, len(text))
    maximum = max(pos, len(text) - shorter)
    ours, theirs = parse_link_destination(text, pos, maximum), helpers.parseLinkDestination(text, pos, maximum)
    assert ours.ok == theirs.ok
    if theirs.ok:
        assert (ours.pos, ours.str) == (theirs.pos, theirs.str)


def test_the_fast_path_answers_for_plain_destinations(monkeypatch) -> None:
    """The destinations wikilinks become never reach markdown-it's loop."""
    monkeypatch.setattr(helpers, "parseLinkDestination", lambda *args: (_ for _ in ()).throw(AssertionError(args)))
    for text in ["folder/Some%20note.md#x", "a.md)", "a.md \"title\"", "x&amp;y.md\n"]:
        assert parse_link_destination(text, 0, len(text)).ok


@given(st.lists(st.sampled_from(["[a](", "b", "%20", "(", ")", "\\", " ", "<", ">", "\n", "&amp;", "!",
                                 "[x]: ", "\"t\"", "]"]), max_size=20).map("".join))
def test_pages_render_the_same_with_it(text: str) -> None:
    plain, fast = MarkdownIt("commonmark"), MarkdownIt("commonmark")
    fast_destinations(fast)
    assert fast.render(text) == plain.render(text)
