"""Real builds: every link and embed form of the spec ends up as working HTML."""

from __future__ import annotations

import re

import pytest

from tests.garden_build import Built, build_site, tree_hash, write_vault

pytestmark = pytest.mark.build

VAULT: dict[str, str | bytes] = {
    "index.md": (
        "# Home\n\n"
        "Plain [[Note]], alias [[Note|the note]], heading [[Note#Second Part]], "
        "chain [[Note#Second Part#Deeper]], block [[Note#^key-idea]], folder [[folder/Deep]], "
        "extension [[Note.md]], pdf [[paper.pdf]], markdown [md](Note.md), "
        "encoded [enc](folder/With%20Space.md), angle [ang](<folder/With Space.md>), "
        "missing [[Nowhere]], private [[Hidden]], same-note [[#Home]].\n\n"
        "| col | link |\n|---|---|\n| a | [[Note\\|in table]] |\n\n"
        "Code `[[Not a link]]` and $[[math]]$ and %%[[comment]]%% stay out.\n\n"
        "```\n[[fenced]]\n```\n"
    ),
    "Note.md": (
        "---\naliases: [Old Name]\ntags: [concept]\nup: \"[[index]]\"\n---\n"
        "# Note\n\nIntro with #inline-tag and #nested/child.\n\n"
        "A key idea worth linking. ^key-idea\n\n"
        "## Second Part\n\ntext\n\n### Deeper\n\ndeep text\n\n## Third\n\nthird\n"
    ),
    "folder/Deep.md": "# Deep\n\nBack to [[index]] and [[Note#Third]].\n\n![[Note#Second Part]]\n",
    "folder/With Space.md": "# With Space\n\nspaced\n",
    "Hidden.md": "---\npublish: false\n---\n# Hidden\n\nCANARY-HIDDEN-1 [[Note]]\n",
    "paper.pdf": b"%PDF-1.4\n",
    "Embeds.md": (
        "# Embeds\n\n![[Note]]\n\n![[Note#^key-idea]]\n\n![[pic.png|120]]\n\n![[pic.png|120x80]]\n\n"
        "![[paper.pdf#page=3]]\n\n![[sound.ogg]]\n\n![[Hidden]]\n\n![[Embeds]]\n"
    ),
    "pic.png": b"\x89PNG\r\n\x1a\n",
    "sound.ogg": b"OggS",
    "Callouts.md": (
        "# Callouts\n\n> [!tip] Custom title\n> body [[Note]]\n\n> [!FAQ]- Folded\n> hidden body\n\n"
        "> [!warning]+\n> open body\n> > [!todo] Nested\n> > inner\n\n> [!calendar] Unknown type\n> x\n\n"
        "> plain quote\n"
    ),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("links")
    docs = write_vault(root, VAULT)
    before = tree_hash(docs)
    result = build_site(root, garden={"unresolved_links": "warn"})
    assert tree_hash(docs) == before, "the build changed the vault"
    return result


def _links(html: str) -> dict[str, str]:
    """Link text -> href of every anchor in the article."""
    article = html.split('<article', 1)[1].split("</article>", 1)[0]
    return {re.sub("<[^>]+>", "", text): href for href, text in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', article)}


@pytest.mark.parametrize("text, href", [
    ("Note", "Note/"),
    ("the note", "Note/"),
    ("Note &gt; Second Part", "Note/#second-part"),
    ("Note &gt; Deeper", "Note/#deeper"),
    ("Note &gt; ^key-idea", "Note/#^key-idea"),
    ("folder/Deep", "folder/Deep/"),
    ("Note.md", "Note/"),
    ("paper.pdf", "paper.pdf"),
    ("md", "Note/"),
    ("enc", "folder/With%20Space/"),
    ("ang", "folder/With%20Space/"),
    ("in table", "Note/"),
    ("Home", "#home"),
])
def test_link_forms_resolve(built: Built, text: str, href: str) -> None:
    assert _links(built.html("index.md")).get(text) == href


def test_unresolved_link_is_an_unwritten_span_with_a_warning(built: Built) -> None:
    assert '<span class="garden-unwritten" title="Not written yet">Nowhere</span>' in built.html("index.md")
    assert any("index.md:3: unresolved link (not written yet): '[[Nowhere]]'" in m for m in built.warnings)


def test_code_math_and_comments_are_not_links(built: Built) -> None:
    page = built.html("index.md")
    assert "<code>[[Not a link]]</code>" in page
    assert "[[fenced]]" in page
    assert "[[comment]]" not in page and "Nowhere" in page


def test_private_note_is_plain_text_and_absent(built: Built) -> None:
    page = built.html("index.md")
    assert "Hidden" in page and 'href="Hidden/"' not in page
    assert not (built.site / "Hidden").exists()
    assert "CANARY-HIDDEN-1" not in built.all_text()


def test_tags_link_to_the_tag_page(built: Built) -> None:
    page = built.html("Note.md")
    assert 'href="../tags/#tag-inline-tag"' in page
    tags = built.html("tags.md")
    for anchor in ("tag-concept", "tag-inline-tag", "tag-nested", "tag-nested-child"):
        assert f'id="{anchor}"' in tags


def test_block_id_becomes_an_anchor(built: Built) -> None:
    page = built.html("Note.md")
    assert 'id="^key-idea"' in page and "^key-idea</p>" not in page


def test_embeds(built: Built) -> None:
    page = built.html("Embeds.md")
    assert page.count('class="admonition garden-embed"') >= 2
    assert "A key idea worth linking." in page
    assert '<img alt="pic" src="../pic.png" width="120" />' in page
    assert '<img alt="pic" height="80" src="../pic.png" width="120" />' in page
    assert '<iframe class="garden-pdf" src="../paper.pdf#page=3"' in page
    assert '<audio class="garden-audio" controls src="../sound.ogg">' in page
    assert "CANARY-HIDDEN-1" not in page
    assert any("Embeds.md" in m and "embed cycle" in m for m in built.warnings)


def test_heading_embed_includes_subheadings_only_to_the_next_same_level(built: Built) -> None:
    page = built.html("folder/Deep.md")
    assert "deep text" in page and "third</p>" not in page


def test_callouts_become_admonitions(built: Built) -> None:
    page = built.html("Callouts.md")
    assert '<div class="admonition tip">' in page and "Custom title" in page
    assert '<details class="question faq">' in page and "<summary>Folded</summary>" in page
    assert '<details class="warning" open="open">' in page and "<summary>Warning</summary>" in page
    assert '<div class="admonition info todo">' in page
    assert '<div class="admonition note calendar">' in page
    assert "<blockquote>" in page


def test_frontmatter_links_count(built: Built) -> None:
    # `up: "[[index]]"` is a real link: resolved without a warning.
    assert not any("Note.md" in m and "index" in m for m in built.warnings)


def test_inline_footnotes_become_footnotes(tmp_path) -> None:
    write_vault(tmp_path, {"index.md": "# Home\n\nA claim.^[The source, with **bold**.] Another.^[Second.]\n"})
    page = build_site(tmp_path).html("index.md")
    assert page.count('class="footnote-ref"') == 2
    assert "The source, with <strong>bold</strong>." in page and "^[" not in page
