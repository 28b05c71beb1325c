"""Table-driven tests of the resolution policy (spec §1.3-§1.4, §3)."""

from __future__ import annotations

import pytest

from mkdocs_garden.core.model import Link, Span
from mkdocs_garden.core.resolve import Resolver, heading_key
from mkdocs_garden.core.scan import scan_note

VAULT = {
    "Index.md": "# Index\n",
    "Note.md": "# Note\n\n## Heading One\n\ntext ^blk1\n\n## Parent\n\n### Child\n\n## Other\n\n### Child\n",
    "Note.1.md": "dotted\n",
    "a/b/Note.md": "deep\n",
    "a/b/Other.md": "[[Thing]]\n",
    "a/b/Thing.md": "deep thing\n",
    "zzzz/Thing.md": "longer path string\n",
    "zzzz/Note.md": "z\n",
    "Obsidian Sync/Security and privacy.md": "sync\n",
    "Obsidian Publish/Security and privacy.md": "publish\n",
    "Obsidian Sync/Headless Sync.md": "[[Security and privacy]]\n",
    "Obsidian Publish/Intro.md": "[[Security and privacy]]\n",
    "x/y.md": "root xy\n",
    "src/x/y.md": "relative xy\n",
    "src/here.md": "here\n",
    "Linking notes and files/Embed files.md": "# Embed files\n",
    "Functions.md": "### `hasTag()`\n\n## How large can each remote vault be?\n",
    "Caf\u00e9.md": "nfc\n",
    "Case.md": "upper\n",
    "case.md": "lower\n",
    "Aliased.md": "---\naliases: [Old Name]\n---\nbody\n",
    "attachments/Figure 1.png": None,
    "attachments/doc.pdf": None,
    "Attachments.md": "# Attachments\n",
}
NOTES = {p: scan_note(p, t) for p, t in VAULT.items() if t is not None}
RESOLVER = Resolver(VAULT, NOTES)


def _link(target: str, subpath: str = "") -> Link:
    return Link("wiki", target, subpath, None, False, 1, Span(0, 0), "")


CASES = [
    # (source note, link path, subpath, expected path, expected anchor, why)
    ("Index.md", "Note", "", "Note.md", "", "bare name: shortest path wins over deeper same names"),
    ("Index.md", "Note.md", "", "Note.md", "", "`.md` written out is the same link"),
    ("Index.md", "note", "", "Note.md", "", "case-insensitive"),
    ("Index.md", "Note.1", "", "Note.1.md", "", "as-written form first, then with .md"),
    ("Index.md", "b/Note", "", "a/b/Note.md", "", "path-suffix match"),
    ("Index.md", "zzzz/Note", "", "zzzz/Note.md", "", "a folder-qualified suffix"),
    ("a/b/Other.md", "Thing", "", "a/b/Thing.md", "", "same folder wins over shorter paths"),
    ("Index.md", "Thing", "", "a/b/Thing.md", "", "shortest path string, not fewest folders"),
    ("a/b/Other.md", "Note", "", "Note.md", "", "an exact vault path beats the same folder"),
    ("Obsidian Sync/Headless Sync.md", "Security and privacy", "", "Obsidian Sync/Security and privacy.md", "", "same-folder rule (help vault)"),
    ("Obsidian Publish/Intro.md", "Security and privacy", "", "Obsidian Publish/Security and privacy.md", "", "same-folder rule, other side"),
    ("src/here.md", "x/y", "", "x/y.md", "", "vault path beats a path relative to the source"),
    ("src/here.md", "./x/y", "", "src/x/y.md", "", "explicit relative path"),
    ("src/x/y.md", "../here", "", "src/here.md", "", "parent-relative path"),
    ("Index.md", "/x/y", "", "x/y.md", "", "a leading slash is the vault root"),
    ("Index.md", "x\\y", "", "x/y.md", "", "backslashes are folder separators"),
    ("Index.md", "Embed Files", "", "Linking notes and files/Embed files.md", "", "case-insensitive basename (help vault)"),
    ("Index.md", "Cafe\u0301", "", "Caf\u00e9.md", "", "NFD link reaches an NFC file name"),
    ("Index.md", "Case", "", "Case.md", "", "exact case preferred when names differ only in case"),
    ("Index.md", "case", "", "case.md", "", "exact case preferred, other way"),
    ("Index.md", "Figure 1.png", "", "attachments/Figure 1.png", "", "attachments need their extension"),
    ("Index.md", "doc.pdf", "page=3", "attachments/doc.pdf", "", "attachment fragments are not headings"),
    ("Index.md", "attachments", "", "Attachments.md", "", "folders are never targets"),
    ("Index.md", "Note", "Heading One", "Note.md", "heading-one", "heading subpath"),
    ("Index.md", "Note", "heading one", "Note.md", "heading-one", "heading subpath, any case"),
    ("Index.md", "Note", "Other#Child", "Note.md", "child_1", "heading chain: the last heading inside the first"),
    ("Index.md", "Note", "Parent#Child", "Note.md", "child", "heading chain, first section"),
    ("Index.md", "Note", "^blk1", "Note.md", "^blk1", "block reference"),
    ("Index.md", "Functions", "hasTag", "Functions.md", "hastag", "inline code in headings matches leniently"),
    ("Index.md", "Functions", "How large can each remote vault be", "Functions.md",
     "how-large-can-each-remote-vault-be", "trailing punctuation is lenient"),
    ("Note.md", "", "Parent", "Note.md", "parent", "[[#Heading]] is the current note"),
]


@pytest.mark.parametrize("source, target, subpath, path, anchor, why", CASES, ids=[c[-1] for c in CASES])
def test_resolution(source: str, target: str, subpath: str, path: str, anchor: str, why: str) -> None:
    result = RESOLVER.resolve(_link(target, subpath), NOTES[source])
    assert (result.path, result.anchor) == (path, anchor), why
    assert not result.via_alias


def test_missing_link_is_missing() -> None:
    assert RESOLVER.resolve(_link("Chapter 2"), NOTES["Index.md"]).kind == "missing"


def test_alias_is_only_a_reported_fallback() -> None:
    result = RESOLVER.resolve(_link("Old Name"), NOTES["Index.md"])
    assert (result.path, result.via_alias) == ("Aliased.md", True)


def test_missing_heading_keeps_the_note_and_flags_the_anchor() -> None:
    result = RESOLVER.resolve(_link("Note", "Nope"), NOTES["Index.md"])
    assert (result.path, result.broken_anchor, result.anchor) == ("Note.md", True, "")


def test_ambiguous_bare_name_lists_the_candidates() -> None:
    result = RESOLVER.resolve(_link("Security and privacy"), NOTES["Index.md"])
    assert result.path == "Obsidian Sync/Security and privacy.md"  # shortest path, then a-z
    assert set(result.candidates) == {"Obsidian Sync/Security and privacy.md",
                                      "Obsidian Publish/Security and privacy.md"}


def test_a_vault_path_match_is_not_ambiguous() -> None:
    assert RESOLVER.resolve(_link("Note"), NOTES["Index.md"]).candidates == ()


@pytest.mark.parametrize("target", ["../../etc/passwd", "..\\..\\x", "C:/Windows/win.ini", "../outside"])
def test_paths_outside_the_vault_never_resolve(target: str) -> None:
    result = RESOLVER.resolve(_link(target), NOTES["Index.md"])
    assert result.kind == "outside" and result.path is None


def test_heading_key_is_lenient() -> None:
    assert heading_key("A: b | c") == heading_key("a b c")


def test_a_notebook_is_found_by_file_name_or_by_its_title() -> None:
    notebook = scan_note("nb/pca.ipynb", "# PCA, measured\n\ncells")
    notes = {"nb/pca.ipynb": notebook, **NOTES}
    resolver = Resolver([*VAULT, "nb/pca.ipynb"], notes)
    for target in ("pca.ipynb", "nb/pca.ipynb", "PCA, measured"):
        result = resolver.resolve(_link(target), NOTES["Index.md"])
        assert (result.path, result.via_alias) == ("nb/pca.ipynb", False), target
