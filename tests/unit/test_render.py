"""Note pages rendered by markdown-it (core/render.py): CommonMark as Obsidian reads it, in the
markup Material styles (what Python-Markdown's extensions write)."""

from __future__ import annotations

import pytest

from mkdocs_garden.core.render import HeadingOptions, render_note
from mkdocs_garden.core.scan import default_slugify

PLAIN = HeadingOptions(default_slugify)


def _html(markdown: str, headings: HeadingOptions = PLAIN) -> str:
    return render_note(markdown, lambda written: f"URL[{written}]", headings).html


@pytest.mark.parametrize(("markdown", "expected"), [
    # Obsidian nests a list indented by two spaces, and starts one right after a line of text.
    ("- a\n  - b\n", "<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>\n"),
    ("Intro\n- a\n", "<p>Intro</p>\n<ul>\n<li>a</li>\n</ul>\n"),
    ("1) one\n2) two\n", '<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n'),
    ("==mark== and ~~gone~~", "<p><mark>mark</mark> and <del>gone</del></p>\n"),
    ("$x^2$ and\n\n$$\ny\n$$\n", '<p><span class="arithmatex">\\(x^2\\)</span> and</p>\n<div class="arithmatex">\\[y\\]</div>\n'),
    ("| a | b |\n|:--|--:|\n| 1 | 2 |\n", '<th style="text-align:left">a</th>'),
    # Attribute lists the rewriter writes after links and images; attributes in name order.
    ("[#t](tags.md#tag-t){ .garden-tag }", '<a class="garden-tag" href="URL[tags.md#tag-t]">#t</a>'),
    ('![pic](pic.png){ width="200" }', '<img alt="pic" src="URL[pic.png]" width="200" />'),
    # External links and same-page anchors are left alone.
    ("[a](https://e.org) [b](#here)", '<a href="https://e.org">a</a> <a href="#here">b</a>'),
    ("```python\nx = 1\n```\n", '<div class="highlight"><pre><span></span><code><span class="n">x</span> '
                                '<span class="o">=</span> <span class="mi">1</span>\n</code></pre></div>\n'),
    ("```nosuchlanguage\n<b>\n```\n", '<div class="highlight"><pre><span></span><code>&lt;b&gt;\n</code></pre></div>\n'),
])
def test_obsidian_markdown_renders_as_obsidian_shows_it(markdown: str, expected: str) -> None:
    assert expected in _html(markdown)


@pytest.mark.parametrize(("markdown", "expected"), [
    ("!!! note\n    body\n", '<div class="admonition note">\n<p class="admonition-title">Note</p>\n<p>body</p>\n</div>\n'),
    ('!!! info todo "Title *x*"\n    body\n',
     '<div class="admonition info todo">\n<p class="admonition-title">Title <em>x</em></p>\n<p>body</p>\n</div>\n'),
    ('??? tip "Folded"\n    body\n', '<details class="tip">\n<summary>Folded</summary>\n<p>body</p>\n</details>\n'),
    ('???+ warning ""\n    body\n', '<details class="warning" open="open">\n<summary></summary>\n<p>body</p>\n</details>\n'),
    # Blank lines inside do not end it (the sanitiser may leave several where raw HTML was).
    ("!!! note\n    one\n\n\n\n    two\nout\n", "<p>one</p>\n<p>two</p>\n</div>\n<p>out</p>\n"),
    # It interrupts a paragraph, as an embed on the line after some text does.
    ('Text\n!!! garden-embed "[Other](Other.md)"\n    body\n',
     '<p>Text</p>\n<div class="admonition garden-embed">\n<p class="admonition-title"><a href="URL[Other.md]">Other</a></p>'),
    ("- item\n\n    !!! note\n        inside\n\n    after\n",
     '<li>\n<p>item</p>\n<div class="admonition note">\n<p class="admonition-title">Note</p>\n<p>inside</p>\n</div>\n<p>after</p>\n</li>'),
])
def test_admonitions_as_python_markdown_and_pymdownx_details_write_them(markdown: str, expected: str) -> None:
    assert expected in _html(markdown)


def test_footnotes_as_python_markdown_writes_them() -> None:
    html = _html("One[^a] two[^a] three[^2].\n\n[^a]: First *note*.\n[^2]: Second.\n")
    assert '<sup id="fnref:a"><a class="footnote-ref" href="#fn:a">1</a></sup>' in html
    assert '<sup id="fnref2:a"><a class="footnote-ref" href="#fn:a">1</a></sup>' in html
    assert '<sup id="fnref:2"><a class="footnote-ref" href="#fn:2">2</a></sup>' in html
    assert '<div class="footnote">\n<hr />\n<ol>\n<li id="fn:a">\n<p>First <em>note</em>.&#160;' in html
    assert '<a class="footnote-backref" href="#fnref2:a" title="Jump back to footnote 1 in the text">&#8617;</a>' in html


def test_headings_get_unique_ids_a_table_of_contents_and_the_title() -> None:
    rendered = render_note("# Title & *x*\n\n## Part[^1]\n\n### Deep\n\n## Part\n\n[^1]: n\n", lambda w: w, PLAIN)
    assert '<h1 id="title-x">Title &amp; <em>x</em></h1>' in rendered.html
    assert '<h2 id="part">Part<sup' in rendered.html and '<h2 id="part_1">Part</h2>' in rendered.html
    assert rendered.title == "Title & x"
    [top] = rendered.toc
    assert (top["id"], top["name"], top["level"]) == ("title-x", "Title &amp; x", 1)
    assert [(c["id"], [g["id"] for g in c["children"]]) for c in top["children"]] == [("part", ["deep"]), ("part_1", [])]
    assert {"title-x", "part", "deep", "part_1", "fn:1", "fnref:1"} <= rendered.anchors


def test_a_page_not_opening_with_a_top_heading_has_no_title_from_it() -> None:
    assert render_note("Text\n\n# Later\n", lambda w: w, PLAIN).title is None
    assert render_note("## Second level\n", lambda w: w, PLAIN).title is None


def test_permalinks_follow_the_toc_settings() -> None:
    html = _html("## A b\n", HeadingOptions(default_slugify, "_", permalink=True))
    assert html == '<h2 id="a_b">A b<a class="headerlink" href="#a_b" title="Permanent link">&para;</a></h2>\n'
    custom = HeadingOptions(default_slugify, permalink="#", permalink_class="anchor", permalink_title="")
    assert _html("## A\n", custom) == '<h2 id="a">A<a class="anchor" href="#a">#</a></h2>\n'


def test_raw_html_and_block_anchors_are_kept_and_their_ids_known() -> None:
    rendered = render_note('Para <span class="garden-block" id="^b1"></span>\n\n<div id="box">x</div>\n', lambda w: w, PLAIN)
    assert '<span class="garden-block" id="^b1"></span>' in rendered.html and '<div id="box">x</div>' in rendered.html
    assert {"^b1", "box"} <= rendered.anchors


def test_the_table_of_contents_lists_the_toc_depth_levels_and_every_heading_keeps_its_id() -> None:
    markdown = "# T\n\n## A\n\n### B\n\n#### C\n"
    rendered = render_note(markdown, lambda w: w, HeadingOptions(default_slugify, toc_levels=(2, 3)))
    assert [(e["id"], [c["id"] for c in e["children"]]) for e in rendered.toc] == [("a", ["b"])]
    assert '<h4 id="c">C</h4>' in rendered.html
