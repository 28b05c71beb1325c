"""The unlinked-mention name finder matches exactly what one big case-insensitive regex
alternation of whole-word names would (the obvious implementation, quadratic in practice)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs_garden.core.backlinks import NameFinder


def _reference(names: list[str], text: str) -> list[tuple[int, int]]:
    ordered = sorted({n.lower() for n in names}, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in ordered) + r")(?!\w)", re.IGNORECASE)
    return [match.span() for match in pattern.finditer(text)]


CASES = [
    (["Attention reason", "attention"], "See attention reason, then Attention."),
    (["cat"], "cats concatenate a cat. CAT!"),
    (["C++", "C"], "C++ and C and C#"),
    (["#tag", "tag"], "a #tag and tag and x#tag"),
    (["co-op", "co"], "the co-op, a co op"),
    (["a b", "a b c"], "a b c d a b"),
    (["Über", "über alles"], "ÜBER ALLES und über"),
]


def test_fixed_cases() -> None:
    for names, text in CASES:
        assert NameFinder(names).find(text) == _reference(names, text), (names, text)


def test_finds_the_longest_name_at_a_place() -> None:
    text = "Read attention reason today"
    assert NameFinder(["attention", "attention reason"]).find(text) == [(5, 21)]


_ALPHABET = st.sampled_from(list("ab c-#_.Ü\nA"))


@settings(max_examples=400, deadline=None)
@given(names=st.lists(st.text(_ALPHABET, min_size=1, max_size=5), min_size=1, max_size=6),
       text=st.text(_ALPHABET, max_size=60))
def test_same_spans_as_one_regex(names: list[str], text: str) -> None:
    assert NameFinder(names).find(text) == _reference(names, text)


@pytest.mark.parametrize("syntax", ["*", "_", "`", "~", "&", "<", ">", "[]", "![]()", "\\", "\n", "\r", "\x00", "\"'"])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_mention_contexts_render_as_markdown_it_does(syntax: str, data: st.DataObject) -> None:
    """The plain-prose shortcut gives exactly markdown-it's output (each kind of syntax
    character is tried on its own, so short strings like `*a*` come up)."""
    from mkdocs_garden.core.backlinks import _inline_renderer, render_inline

    text = data.draw(st.text(st.sampled_from(list("ab \t") + list(syntax)), max_size=12))
    assert render_inline(text) == _inline_renderer().renderInline(text)


def test_contexts_show_other_links_by_their_display_text() -> None:
    """A heading link shows `Note > Heading` (its `>` plain text, no markdown-it needed); an
    alias that starts with `>` is text too, not a quote marker to strip."""
    from mkdocs_garden.core.backlinks import linked_mentions
    from mkdocs_garden.core.vault import PrivacyRules, build_vault

    notes = {"A.md": "# A\n\n[[C|> quoted]] then [[B]].\n\nSee [[B#Sec]] and [[C]].\n",
             "B.md": "# B\n\n## Sec\n", "C.md": "# C\n"}
    mentions = linked_mentions(build_vault(notes, [], privacy=PrivacyRules()))
    mark = '<mark class="garden-mention">'
    assert [m.context_html for m in mentions["B.md"]] == [f"&gt; quoted then {mark}B</mark>.",
                                                          f"See {mark}B &gt; Sec</mark> and C."]
    assert [m.context_html for m in mentions["C.md"]] == [f"{mark}&gt; quoted</mark> then B.",
                                                          f"See B &gt; Sec and {mark}C</mark>."]


def test_the_mentions_of_an_ascii_vault_are_ascii() -> None:
    """What the garden itself adds to a mention (the mark, the cut ellipses, the jump arrow)
    is ASCII. One wider character would make the whole page a wider string, and encoding
    such pages on write cost more than making the mentions did."""
    from mkdocs_garden.core.backlinks import linked_mentions, mentions_html
    from mkdocs_garden.core.vault import PrivacyRules, build_vault

    long_line = " ".join(["word"] * 80) + " [[B]] " + " ".join(["more"] * 80)
    notes = {"A.md": f"# A\n\n## Part\n\n{long_line}\n\n- [[B|*the* B]]\n", "B.md": "# B\n"}
    mentions = linked_mentions(build_vault(notes, [], privacy=PrivacyRules()))["B.md"]
    section = mentions_html("Linked mentions", mentions, lambda s: "../a/", lambda s: s, "garden-linked")
    assert "&#8230; word" in section and "more &#8230;" in section and "&#8617;" in section
    assert section.isascii()
