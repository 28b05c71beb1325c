"""Generated pages rendered by markdown-it instead of Python-Markdown (core/prerender.py).

The split page must show what Python-Markdown showed for the same Markdown: the same text,
the same links and the same elements, whatever `<p>` wrapping or attribute order differ.
"""

from __future__ import annotations

import html
import re
from datetime import date
from html.parser import HTMLParser

import markdown
import pytest
from mkdocs_garden.core.prerender import fill, inline_html, render_body, split_page
from mkdocs_garden.core.tasks import tasks_in_text, tasks_page_markdown

from tests.paths import SHARED

DEMO = SHARED / "corpora" / "tasks-demo"
EXTENSIONS = ["toc", "tables", "md_in_html", "attr_list", "pymdownx.mark", "pymdownx.tilde",
              "pymdownx.arithmatex"]
CONFIGS = {"pymdownx.arithmatex": {"generic": True}}


class _Shown(HTMLParser):
    """What a reader gets from HTML: text, link targets, and elements other than `<p>`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str | None] = []
        self.elements: list[tuple[str, str | None, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("a", "img"):
            self.links.append(found.get("href" if tag == "a" else "src"))
        if tag != "p":
            self.elements.append((tag, found.get("class"), found.get("id")))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def shown(page: str) -> tuple[str, list[str | None], list[tuple[str, str | None, str | None]]]:
    parser = _Shown()
    parser.feed(page)
    return re.sub(r"\s+", " ", "".join(parser.text)).strip(), parser.links, parser.elements


def both(source: str, href=lambda url: url) -> tuple[str, str]:
    """(Python-Markdown's HTML, the split page's HTML) for `source`."""
    def render(text: str) -> str:
        return markdown.markdown(text, extensions=EXTENSIONS, extension_configs=CONFIGS)

    split = split_page(source)
    return render(source), fill(render(split.skeleton), [render_body(b, href) for b in split.bodies])


def test_headings_stay_markdown_and_bodies_become_placeholders() -> None:
    split = split_page("# Tags\n\nintro\n\n## \\#book { #tag-book }\n\n- [A](A.md)\n- [B](b/B.md)\n")
    assert split.skeleton == ("# Tags\n\ngarden-prerendered-0\n\n## \\#book { #tag-book }\n\n"
                              "garden-prerendered-1\n\n")
    assert len(split.bodies) == 2
    pm, ours = both("# Tags\n\nintro\n\n## \\#book { #tag-book }\n\n- [A](A.md)\n- [B](b/B.md)\n")
    assert '<h2 id="tag-book">#book</h2>' in ours
    assert shown(ours) == shown(pm)


def test_links_and_images_go_through_href_but_not_external_ones() -> None:
    split = split_page("- [A](../a%20b.md#x) [web](https://e.org) [top](#here)\n\n![c](charts/c.svg){ .garden-chart }\n")
    (body,) = split.bodies
    page = render_body(body, lambda url: f"URL({url})")
    assert 'href="URL(../a%20b.md#x)"' in page
    assert 'href="https://e.org"' in page and 'href="#here"' in page
    assert '<img alt="c" class="garden-chart" src="URL(charts/c.svg)" />' in page


@pytest.mark.parametrize("source", [
    "x ==marked== y, ~~struck~~, `code ==no==`, $a^2$ and a $5 bill",
    "**Plan:** <time datetime=\"2024-01-01\">Mon</time> &amp; 1 < 2",
    '<div class="garden-timeline-day" id="d1" markdown>\n\n**[Day 1](a.md#d)** · x\n\n- one\n- two\n\n</div>',
    "| a | b |\n| ---: | :--- |\n| 1 | 2 |",
    "- <span class=\"garden-task-status\" title=\"open\">☐</span> *do* it · [a.md:3](<a.md#task-3>)",
])
def test_constructs_the_generators_write_show_the_same(source: str) -> None:
    pm, ours = both(source)
    assert shown(ours) == shown(pm)
    assert "markdown>" not in ours and "garden-prerendered" not in ours


def test_inline_display_math_is_display_math_as_in_obsidian() -> None:
    """pymdownx.arithmatex reads `$$b$$` inside a paragraph as `$` + `$b$` + `$`."""
    (body,) = split_page("so $$b$$ holds").bodies
    assert render_body(body, str) == '<p>so <span class="arithmatex">\\[b\\]</span> holds</p>\n'


def test_the_demo_vaults_task_descriptions_show_as_python_markdown_shows_them() -> None:
    """968 task descriptions as people write them, escaped as the tasks page escapes them."""
    tasks = [task for path in sorted(DEMO.rglob("*.md"))
             for task in tasks_in_text(path.relative_to(DEMO).as_posix(), path.read_text(encoding="utf-8"))]
    assert len(tasks) > 900
    for task in tasks:
        source = re.sub(r"([\[\]])", r"\\\1", html.escape(task.description, quote=False))
        # On the page a description followed a status box inside a list item, as here.
        python_markdown = markdown.markdown(f"- x {source}", extensions=EXTENSIONS, extension_configs=CONFIGS)
        assert shown(f"<ul><li>x {inline_html(source)}</li></ul>") == shown(python_markdown), task.description


def test_a_tasks_page_is_html_bodies_under_markdown_headings() -> None:
    tasks = tasks_in_text("n.md", "- [ ] *one* 📅 2024-01-02\n- [x] two ✅ 2024-01-01\n")
    split = split_page(tasks_page_markdown(tasks, date(2024, 6, 1), link_for=lambda t: f"n.md#task-{t.line}",
                                           today_source="test"))
    assert split.skeleton.split() == ["#", "Tasks", "garden-prerendered-0", "##", "Overdue",
                                      "garden-prerendered-1", "##", "Done", "garden-prerendered-2"]
    assert all(isinstance(body, str) for body in split.bodies)
    overdue = render_body(split.bodies[1], lambda url: "../" + url)
    assert "<em>one</em>" in overdue and '<a href="../n.md#task-1">n.md:1</a>' in overdue


def test_a_body_renders_again_for_another_page() -> None:
    """`mkdocs serve` keeps split pages across rebuilds: rendering must not change the tokens."""
    (body,) = split_page("- [A](a.md#x) ![i](i.png)\n").bodies
    first = render_body(body, lambda url: "one/" + url)
    second = render_body(body, lambda url: "two/" + url)
    assert 'href="one/a.md#x"' in first and 'src="one/i.png"' in first
    assert 'href="two/a.md#x"' in second and 'src="two/i.png"' in second


def test_a_placeholder_is_found_when_another_extension_gave_its_paragraph_attributes() -> None:
    assert fill('<h2 id="x">X</h2>\n<p class="lead">garden-prerendered-0</p>', ["<ul><li>a</li></ul>"]) \
        == '<h2 id="x">X</h2>\n<ul><li>a</li></ul>'
    assert fill("<p>garden-prerendered-1</p>", ["only one"]) == "<p>garden-prerendered-1</p>"
