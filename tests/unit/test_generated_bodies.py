"""The adapter's side of the generated pages: links made relative to the page, memos kept
only while serving, and a warning (not a silent gap) when a placeholder is lost."""

from __future__ import annotations

from types import SimpleNamespace

from mkdocs.structure.files import File, Files
from mkdocs_garden.core.prerender import html_body
from mkdocs_garden.pages import GeneratedBodies

BODY = '<ul>\n<li><a href="../notes/A%20note.md#x">A note</a></li>\n<li><a href="Gone.md">Gone</a></li>\n</ul>'


def _files(extra: str = "", gone: bool = False) -> tuple[Files, File]:
    """The site's files: a tasks page (with `extra` after its list) and a note; `gone`: the
    note its second link names is there too."""
    config = SimpleNamespace(site_dir="/site", use_directory_urls=True,
                             plugins=SimpleNamespace(_current_plugin="garden"))
    page = File.generated(config, "garden/tasks.md", content=f"# Tasks\n\n## Open\n\n{html_body(BODY + extra)}\n")  # type: ignore[arg-type]
    notes = [File(path, src_dir="/vault", dest_dir="/site", use_directory_urls=True)
             for path in ["notes/A note.md", *(["garden/Gone.md"] if gone else [])]]
    return Files([page, *notes]), page


def _fill(bodies: GeneratedBodies, files: Files, page: File, said: list[str],
          content: str = "<p>garden-prerendered-0</p>", uris: frozenset[str] | None = None) -> str:
    """`fill` the page's rendered skeleton `content`, warnings into `said`; `uris`: the site's
    files as the caller kept them (by default, made afresh from `files`)."""
    return bodies.fill(content, page, files, said.append, frozenset(files.src_uris) if uris is None else uris)


def test_links_become_urls_relative_to_the_page_and_a_missing_one_is_reported() -> None:
    files, page = _files()
    bodies, said = GeneratedBodies(), []
    bodies.split_pages(files, ["garden/tasks.md"])
    assert page.content_string == "# Tasks\n## Open\n\ngarden-prerendered-0\n\n"
    html = _fill(bodies, files, page, said, "<h1>Tasks</h1>\n<h2>Open</h2>\n<p>garden-prerendered-0</p>")
    assert '<a href="../../notes/A%20note/#x">A note</a>' in html and '<a href="Gone.md">' in html
    assert said == ["generated link to 'Gone.md', which is not in the site"]


def test_a_lost_placeholder_is_a_warning() -> None:
    files, page = _files()
    bodies, said = GeneratedBodies(), []
    bodies.split_pages(files, ["garden/tasks.md"])
    _fill(bodies, files, page, said, "<h1>Tasks</h1>\n<p>something else</p>")
    assert said[0] == ("1 of its 1 generated sections were lost: a Markdown extension rewrote their "
                       "placeholder paragraphs")


def test_only_a_serving_instance_keeps_what_it_rendered() -> None:
    for keep in (False, True):
        files, page = _files()
        bodies = GeneratedBodies(keep=keep)
        bodies.split_pages(files, ["garden/tasks.md"])
        first = _fill(bodies, files, page, [])
        assert ("garden/tasks.md" in bodies.split) == keep  # a build fills a page once
        files, page = _files()  # the next build makes the page again
        bodies.split_pages(files, ["garden/tasks.md"])
        again = _fill(bodies, files, page, [])
        assert first == again and (first is again) == keep


def test_a_page_made_again_while_serving_keeps_its_links_while_the_files_hold() -> None:
    """The timeline and the tasks page are made again after most edits, with most of their
    links unchanged: each link's URL is kept, its warning said again, and both are worked out
    afresh once the site's files change."""
    bodies = GeneratedBodies(keep=True)
    files, page = _files()
    uris = frozenset(files.src_uris)
    bodies.split_pages(files, ["garden/tasks.md"])
    said: list[str] = []
    first = _fill(bodies, files, page, said, uris=uris)
    files, page = _files(extra="<p>edited</p>")  # the same files: the caller gives the same `uris`
    bodies.split_pages(files, ["garden/tasks.md"])
    again = _fill(bodies, files, page, said, uris=uris)
    assert again == first.replace("</ul>", "</ul><p>edited</p>")
    assert said == ["generated link to 'Gone.md', which is not in the site"] * 2
    files, page = _files(extra="<p>edited again</p>", gone=True)
    bodies.split_pages(files, ["garden/tasks.md"])
    said.clear()
    html = _fill(bodies, files, page, said)
    assert '<a href="../Gone/">Gone</a>' in html and said == []
