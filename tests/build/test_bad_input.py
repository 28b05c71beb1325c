"""Bad input: each case gets a message naming file and line, the build goes on, and the
vault is byte-for-byte unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.garden_build import Built, build_site, tree_hash, write_vault

pytestmark = pytest.mark.build

from tests.paths import CORPORA

BAD: dict[str, str | bytes] = {
    "index.md": "# Home\n\n[[Broken FM]] [[Latin]] [[Empty]] [[Self]] [[Dup]] [[Secret]] "
                "[[Café notes]] [[日本語ノート]] [[🌱 Seedling]] [[With Space]]\n",
    "Broken FM.md": "---\ntitle: [unclosed\nfoo: : bar\n---\n# Broken FM\n\nbody survives\n",
    "Latin.md": "# Latin\n\ncaf\xe9 na\xefve\n".encode("latin-1"),
    "Empty.md": "",
    "Self.md": "# Self\n\n![[Self]]\n\n## Part\n\npart text\n\n![[Self#Part]]\n",
    "a/Dup.md": "# Dup A\n",
    "b/Dup.md": "# Dup B\n",
    "Secret.md": "---\npublish: false\ntitle: Top Secret Title\n---\nCANARY-SECRET\n",
    "Café notes.md": "# Café notes\n\naccents\n",
    "日本語ノート.md": "# 日本語ノート\n\nCJK\n",
    "🌱 Seedling.md": "# 🌱 Seedling\n\nemoji\n",
    "With Space.md": "# With Space\n\nspaced\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("bad")
    docs = write_vault(root, BAD)
    before = tree_hash(docs)
    result = build_site(root)
    assert tree_hash(docs) == before
    return result


def test_build_goes_on(built: Built) -> None:
    assert not built.failed
    for page in ("Broken FM.md", "Latin.md", "Empty.md", "Self.md", "Café notes.md"):
        assert built.html(page)


@pytest.mark.parametrize("expected", [
    "Broken FM.md:3: malformed frontmatter ignored",
    "Latin.md:3: not valid UTF-8; read as Windows-1252",
    "Self.md:3: embed cycle or depth limit: '![[Self]]'",
    "index.md:3: ambiguous link '[[Dup]]' resolved to 'a/Dup.md'; candidates: a/Dup.md, b/Dup.md",
])
def test_each_problem_names_file_and_line(built: Built, expected: str) -> None:
    assert any(expected in message for message in built.warnings), built.warnings


def test_malformed_frontmatter_body_still_renders(built: Built) -> None:
    page = built.html("Broken FM.md")
    assert "body survives" in page and "unclosed" not in page


def test_latin1_note_is_decoded(built: Built) -> None:
    assert "café naïve" in built.html("Latin.md")


def test_self_embed_of_another_section_is_allowed(built: Built) -> None:
    assert built.html("Self.md").count("part text") == 2


def test_link_to_private_note_is_plain_text_without_its_title(built: Built) -> None:
    page = built.html("index.md")
    assert "Secret" in page and "Top Secret Title" not in built.all_text()
    assert "CANARY-SECRET" not in built.all_text()


@pytest.mark.parametrize("name, url", [
    ("Café notes", "Caf%C3%A9%20notes/"),
    ("日本語ノート", "%E6%97%A5%E6%9C%AC%E8%AA%9E%E3%83%8E%E3%83%BC%E3%83%88/"),
    ("🌱 Seedling", "%F0%9F%8C%B1%20Seedling/"),
    ("With Space", "With%20Space/"),
])
def test_unusual_names_link(built: Built, name: str, url: str) -> None:
    assert f'<a href="{url}">{name}</a>' in built.html("index.md")


def test_tasks_demo_corpus_builds_and_resolves(tmp_path: Path) -> None:
    source = CORPORA / "tasks-demo"
    assert source.is_dir(), "the shared corpora are missing"
    shutil.copytree(source, tmp_path / "docs")
    before = tree_hash(tmp_path / "docs")
    built = build_site(tmp_path)
    assert not built.failed
    assert tree_hash(tmp_path / "docs") == before
    unresolved = sorted(m.split("mkdocs_garden: ", 1)[1] for m in built.warnings if "unresolved link" in m)
    # Only the links the corpus breaks on purpose stay unresolved: one says so, and `pa#th`
    # splits at its `#` into a note `pa` that does not exist, in Obsidian too (spec §1.1).
    assert unresolved == [
        "Test Data/link_in_task_wikilink.md:25: unresolved link (not written yet): '[[pa#th/path/link_in_task_wikilink]]'",
        "Test Data/link_is_broken.md:3: unresolved link (not written yet): '[[broken link - do not fix me]]'",
    ]


# Found by fuzzing the scanner: each crashed the whole build (a RecursionError, and a KeyError
# inside mdit-py-plugins). Obsidian shows them as notes with footnotes, and so does the garden.
FUZZED = {
    "index.md": "# Home\n\n[[Self footnote]] [[Footnote in footnote]]\n",
    "Self footnote.md": "# Self footnote\n\nbefore ^[^[]] after\n",
    "Footnote in footnote.md": "# Footnote in footnote\n\n^[[^1]][^1]\n[^1]:\n",
}


def test_fuzzed_footnote_notes_build(tmp_path: Path) -> None:
    write_vault(tmp_path, FUZZED)
    built = build_site(tmp_path, strict=True)
    assert not built.failed and built.warnings == []
    assert "before <sup" in built.html("Self footnote.md") and "<p>^[]&#160;" in built.html("Self footnote.md")
    assert built.html("Footnote in footnote.md").count('class="footnote-ref"') == 3


def test_a_note_the_scanner_fails_on_is_reported_and_the_build_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs_garden.core import vault

    real = vault.scan_note

    def scan_note(path: str, text: str, **options):  # type: ignore[no-untyped-def]
        if path == "Bad.md":  # a scanner bug not found yet
            raise RuntimeError("scanner fault")
        return real(path, text, **options)

    monkeypatch.setattr(vault, "scan_note", scan_note)
    write_vault(tmp_path, {
        "index.md": "# Home\n\n[[Bad]]\n",
        "Bad.md": "# Bad\n\n<script>alert(1)</script> [[index]] %%CANARY-COMMENT%% kept\n",
    })
    built = build_site(tmp_path)
    assert not built.failed
    assert any("Bad.md:1: could not be scanned (RuntimeError: scanner fault); read as plain text" in m
               for m in built.warnings), built.warnings
    page = built.html("Bad.md")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [[index]]  kept" in page and "<script>alert" not in page
    assert "CANARY-COMMENT" not in built.all_text()
    assert 'href="Bad/"' in built.html("index.md")


def test_a_note_at_the_path_of_a_garden_page_is_published_with_a_warning(tmp_path: Path) -> None:
    """A vault note where the garden would write its tags page: the author's note is published
    there, the tags page is not, and the warning names the note and the option to change; with
    the option changed, both are there and nothing is said."""
    vault = {"index.md": "# Home\n\n#plants\n", "tags.md": "# My own tags note\n\nhand written\n"}
    write_vault(tmp_path / "a", vault)
    built = build_site(tmp_path / "a")
    assert not built.failed and "hand written" in built.html("tags.md")
    assert [m for m in built.warnings if "tags.md" in m] == [
        "WARNING mkdocs_garden: tags.md:1: this note has the path of the garden's page `tags_page`, so the note "
        "is published there and that page is not; set `tags_page` to another path to have both"]

    write_vault(tmp_path / "b", vault)
    built = build_site(tmp_path / "b", garden={"tags_page": "garden/tags.md"})
    assert "hand written" in built.html("tags.md") and 'id="tag-plants"' in built.html("garden/tags.md")
    assert not [m for m in built.warnings if "tags" in m]


def test_a_vault_file_at_the_path_of_a_generated_file_is_published_with_a_warning(tmp_path: Path) -> None:
    """Past the four own pages: a note where the garden would write a folder page and an
    attachment where it would write the timeline's data. The author's files are published as
    written, the garden's are not made, and each is named in a warning; the other folder pages
    and the timeline page are made as usual."""
    write_vault(tmp_path, {
        "index.md": "# Home\n\n[[Log]] [[Day]]\n",
        "daily/Day.md": "# Day\n\n- [ ] water 📅 2024-05-02\n",
        "ideas/Log.md": "# Log\n\nan idea\n",
        "garden/folders/daily.md": "# My daily folder note\n\nhand written\n",
        "garden/timeline.json": '{"mine": true}\n',
    })
    built = build_site(tmp_path)
    assert not built.failed
    assert "hand written" in built.html("garden/folders/daily.md")
    assert (built.site / "garden" / "timeline.json").read_text(encoding="utf-8") == '{"mine": true}\n'
    assert [m for m in built.warnings if "path of a file the garden makes" in m] == [
        f"WARNING mkdocs_garden: {path}:1: this file has the path of a file the garden makes, so the file is "
        "published there and the garden's is not; move the file to have both"
        for path in ("garden/timeline.json", "garden/folders/daily.md")]
    assert "Log" in built.html("garden/folders/ideas.md") and "timeline" in built.html("garden/timeline.md")
