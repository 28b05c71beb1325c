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
