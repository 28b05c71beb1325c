"""Which renderer turns a note into HTML: markdown-it by default (CommonMark, as Obsidian reads
the note), Python-Markdown with `renderer: python-markdown`. Real builds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.garden_build import build_site, write_vault

pytestmark = pytest.mark.build

NOTE = """# Plan

Steps
- first
  - nested under first

## Part

See [[Other#^block|the block]] and [missing](Nowhere.md).

*[HTML]: Hyper Text Markup Language

HTML
"""

HOOK = '''
def on_page_markdown(markdown, page, **kwargs):
    if page.file.src_uri == "Plan.md":
        assert "Other.md#^block" in markdown, markdown  # the garden's rewrite came first
        return markdown + "\\nHOOKED\\n"
    return markdown
'''


def _build(root: Path, renderer: str | None = None):  # type: ignore[no-untyped-def]
    write_vault(root, {"index.md": "# Home\n\n[[Plan]]\n", "Plan.md": NOTE, "Other.md": "# Other\n\nText ^block\n"})
    (root / "hooks.py").write_text(HOOK, encoding="utf-8")
    return build_site(root, garden={"renderer": renderer} if renderer else None,
                      extra={"hooks": [str(root / "hooks.py")],
                             "markdown_extensions": ["abbr", {"toc": {"permalink": True}}]})


def _article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


def test_notes_render_as_obsidian_reads_them_by_default(tmp_path: Path) -> None:
    built = _build(tmp_path)
    assert not built.failed, built.messages
    page = built.html("Plan.md")
    article = _article(page)
    assert "<p>Steps</p>\n<ul>\n<li>first\n<ul>\n<li>nested under first</li>" in article
    # Ids and permalinks from the `toc` settings; the table of contents and title from them.
    assert '<h2 id="part">Part<a class="headerlink" href="#part" title="Permanent link">&para;</a></h2>' in article
    toc = page[page.index('md-nav--secondary'):]
    assert re.search(r'<a href="#part" class="md-nav__link">\s*<span class="md-ellipsis">\s*Part', toc)
    assert "<title>Plan - Test garden</title>" in page
    # A block link's fragment as written; a hook after the garden had its say.
    assert '<a href="../Other/#^block">the block</a>' in article
    assert "<p>HOOKED</p>" in article
    # Python-Markdown extensions are not what renders a note.
    assert "<abbr" not in article
    assert any(re.search(r"Plan\.md:9: .*'Nowhere\.md'", m) for m in built.warnings), built.warnings


def test_python_markdown_renders_them_when_asked(tmp_path: Path) -> None:
    built = _build(tmp_path, "python-markdown")
    assert not built.failed, built.messages
    article = _article(built.html("Plan.md"))
    assert '<abbr title="Hyper Text Markup Language">HTML</abbr>' in article  # mkdocs.yml's extensions apply
    assert "<li>first\n<ul>" not in article  # and its list rules: two spaces do not nest
    assert '<h2 id="part">Part<a class="headerlink" href="#part" title="Permanent link">&para;</a></h2>' in article
    assert "<p>HOOKED</p>" in article
    assert any("Nowhere.md" in m for m in built.warnings), built.warnings


@pytest.mark.parametrize(("depth", "listed"), [(6, True), ("1-1", False), (1, False)])
def test_toc_depth_of_mkdocs_yml_decides_what_the_table_of_contents_lists(tmp_path: Path, depth: int | str,
                                                                          listed: bool) -> None:
    write_vault(tmp_path, {"index.md": "# Home\n\n## Part\n"})
    built = build_site(tmp_path, extra={"markdown_extensions": [{"toc": {"toc_depth": depth}}]})
    page = built.html("index.md")
    assert '<h2 id="part">Part</h2>' in page
    assert bool(re.search(r'<a href="#part" class="md-nav__link">', page)) is listed
