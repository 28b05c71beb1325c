"""The adapter's side of the generated pages: links made relative to the page, memos kept
only while serving, and a warning (not a silent gap) when a placeholder is lost."""

from __future__ import annotations

from types import SimpleNamespace

from mkdocs.structure.files import File, Files
from mkdocs_garden.core.prerender import html_body
from mkdocs_garden.pages import GeneratedBodies

BODY = '<ul>\n<li><a href="../notes/A%20note.md#x">A note</a></li>\n<li><a href="Gone.md">Gone</a></li>\n</ul>'


def _files() -> tuple[Files, File]:
    config = SimpleNamespace(site_dir="/site", use_directory_urls=True,
                             plugins=SimpleNamespace(_current_plugin="garden"))
    page = File.generated(config, "garden/tasks.md", content=f"# Tasks\n\n## Open\n\n{html_body(BODY)}\n")  # type: ignore[arg-type]
    note = File("notes/A note.md", src_dir="/vault", dest_dir="/site", use_directory_urls=True)
    return Files([page, note]), page


def test_links_become_urls_relative_to_the_page_and_a_missing_one_is_reported() -> None:
    files, page = _files()
    bodies, said = GeneratedBodies(), []
    bodies.split_pages(files, ["garden/tasks.md"])
    assert page.content_string == "# Tasks\n## Open\n\ngarden-prerendered-0\n\n"
    html = bodies.fill("<h1>Tasks</h1>\n<h2>Open</h2>\n<p>garden-prerendered-0</p>", page, files, said.append)
    assert '<a href="../../notes/A%20note/#x">A note</a>' in html and '<a href="Gone.md">' in html
    assert said == ["generated link to 'Gone.md', which is not in the site"]


def test_a_lost_placeholder_is_a_warning() -> None:
    files, page = _files()
    bodies, said = GeneratedBodies(), []
    bodies.split_pages(files, ["garden/tasks.md"])
    bodies.fill("<h1>Tasks</h1>\n<p>something else</p>", page, files, said.append)
    assert said[0] == ("1 of its 1 generated sections were lost: a Markdown extension rewrote their "
                       "placeholder paragraphs")


def test_only_a_serving_instance_keeps_what_it_rendered() -> None:
    for keep in (False, True):
        files, page = _files()
        bodies = GeneratedBodies(keep=keep)
        bodies.split_pages(files, ["garden/tasks.md"])
        first = bodies.fill("<p>garden-prerendered-0</p>", page, files, print)
        assert ("garden/tasks.md" in bodies.split) == keep  # a build fills a page once
        files, page = _files()  # the next build makes the page again
        bodies.split_pages(files, ["garden/tasks.md"])
        again = bodies.fill("<p>garden-prerendered-0</p>", page, files, print)
        assert first == again and (first is again) == keep
