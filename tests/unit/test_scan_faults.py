"""A note the scanner fails on costs that note, never the build: it is reported at its first
line and read as plain text, and its frontmatter still decides whether it is published."""

from __future__ import annotations

import pytest

from mkdocs_garden.core import vault
from mkdocs_garden.core.vault import PrivacyRules, build_vault


@pytest.fixture
def failing_on_bad(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scanner raises on any note named `Bad*.md` (standing for a bug not found yet)."""
    real = vault.scan_note

    def scan_note(path: str, text: str, **options):  # type: ignore[no-untyped-def]
        if path.startswith("Bad"):
            raise RuntimeError("scanner fault")
        return real(path, text, **options)

    monkeypatch.setattr(vault, "scan_note", scan_note)


def test_the_note_is_reported_and_read_as_plain_text(failing_on_bad: None) -> None:
    texts = {"Bad.md": "---\ntags: [t]\n---\n# Bad\n\n[[Good]] <b>x</b> %%secret%% end\n",
             "Good.md": "# Good\n\n[[Bad]]\n"}
    built = build_vault(texts, [], privacy=PrivacyRules())
    assert [str(p) for p in built.problems] == ["Bad.md:1: could not be scanned (RuntimeError: scanner fault); read as plain text"]
    bad = built.notes["Bad.md"]
    # One indented code block: no link, tag or HTML is read in it, and the comment is gone.
    assert bad.text[bad.body_start:] == "    # Bad\n\n    [[Good]] <b>x</b>  end\n"
    assert (bad.links, bad.raw_html, bad.frontmatter, bad.body_line) == ((), (), {"tags": ["t"]}, 4)
    assert bad.verbatim == ((4, 7),)
    assert [target.path for _, target in built.links["Good.md"]] == ["Bad.md"]
    assert "Bad.md" not in built.private


@pytest.mark.parametrize("body, shown", [
    ("a %%hidden\nstill hidden", "    a "),
    ("a <!-- hidden --> b <!-- to the end", "    a  b "),
])
def test_comments_are_taken_out_to_the_end_when_unclosed(failing_on_bad: None, body: str, shown: str) -> None:
    note = build_vault({"Bad.md": body}, [], privacy=PrivacyRules()).notes["Bad.md"]
    assert note.text == shown


def test_a_private_note_stays_private(failing_on_bad: None) -> None:
    built = build_vault({"Bad.md": "---\npublish: false\n---\nsecret\n"}, [], privacy=PrivacyRules())
    assert built.private == {"Bad.md"}


def test_a_note_whose_frontmatter_cannot_be_read_either_is_not_published(
        failing_on_bad: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def read_frontmatter(path: str, text: str):  # type: ignore[no-untyped-def]
        raise ValueError("frontmatter fault")

    monkeypatch.setattr(vault, "read_frontmatter", read_frontmatter)
    built = build_vault({"Bad.md": "secret\n"}, [], privacy=PrivacyRules())
    assert built.private == {"Bad.md"}
    assert [str(p) for p in built.problems] == ["Bad.md:1: could not be scanned (RuntimeError: scanner fault); not published"]


def test_the_fuzzed_footnote_notes_scan_without_a_problem() -> None:
    built = build_vault({"A.md": "^[^[]]", "B.md": "^[[^1]][^1]\n[^1]:"}, [], privacy=PrivacyRules())
    assert built.problems == [] and len(built.notes["A.md"].inline_footnotes) == 1
