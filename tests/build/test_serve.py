"""`mkdocs serve` while writing: rebuilds reflect edits, renames and deletes, parse only what
changed, ignore Obsidian's own folder, and never loop."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from mkdocs_garden.core.backlinks import MentionMemo
from mkdocs_garden.serve import is_ignored
from tests.garden_build import build_site, write_vault

pytestmark = [pytest.mark.build, pytest.mark.usefixtures("one_day")]


def test_rebuilds_reflect_edits_renames_and_deletes(tmp_path: Path) -> None:
    docs = write_vault(tmp_path, {
        "index.md": "# Home\n\n[[A]] [[B]]\n",
        "A.md": "# A\n\nfirst version\n",
        "B.md": "# B\n\nlinks [[A]]\n",
    })
    first = build_site(tmp_path)
    assert "first version" in first.html("A.md")

    (docs / "A.md").write_text("# A\n\nsecond version\n", encoding="utf-8")
    (docs / "B.md").rename(docs / "C.md")
    second = build_site(tmp_path)
    assert "second version" in second.html("A.md")
    assert "garden-unwritten" in second.html("index.md")  # [[B]] is gone
    assert any("unresolved link (not written yet): '[[B]]'" in m for m in second.warnings)

    (docs / "C.md").unlink()
    third = build_site(tmp_path)
    assert not (third.site / "C" / "index.html").exists()


def test_only_changed_notes_are_parsed_again(tmp_path: Path) -> None:
    notes = {f"n{i}.md": f"# N{i}\n\n[[n{(i + 1) % 20}]]\n" for i in range(20)}
    docs = write_vault(tmp_path, notes)
    build_site(tmp_path, command="serve")
    plugin = _find_plugin()
    (docs / "n3.md").write_text("# N3 edited\n\n[[n4]]\n", encoding="utf-8")
    build_site(tmp_path, command="serve")
    assert plugin.cache.parsed == ["n3.md"]
    assert len(plugin.cache.entries) == 20  # the old version of n3 was evicted


def test_a_rebuild_reads_again_only_the_files_that_changed(tmp_path: Path) -> None:
    notes = {f"n{i}.md": f"# N{i}\n\n[[n{(i + 1) % 20}]]\n" for i in range(20)}
    docs = write_vault(tmp_path, notes)
    build_site(tmp_path, command="serve")
    plugin = _find_plugin()
    plugin.reader._clock = lambda: time.time_ns() + 3600 * 10**9  # as if an hour had passed
    build_site(tmp_path, command="serve")
    assert len(plugin.reader.read_again) == 20  # each was read first within its settling time
    (docs / "n3.md").write_text("# N3 edited\n\n[[n4]]\n", encoding="utf-8")
    third = build_site(tmp_path, command="serve")
    assert [Path(p).name for p in plugin.reader.read_again] == ["n3.md"]
    assert "N3 edited" in third.html("n3.md") and plugin.cache.parsed == ["n3.md"]


def test_a_rebuild_renders_again_only_the_pages_whose_signature_moved(tmp_path: Path) -> None:
    """Rewritten Markdown and the mentions/graph HTML are kept per page under the signature
    `--dirty` uses; an edit to n3 changes n3's page and n4's mentions (n3 links n4), no more."""
    notes = {f"n{i}.md": f"# N{i}\n\n[[n{(i + 1) % 20}]]\n" for i in range(20)}
    docs = write_vault(tmp_path, notes)
    build_site(tmp_path, command="serve")
    plugin = _find_plugin()
    def made(field: str) -> dict[str, object]:
        return {path: getattr(record, field) for path, record in plugin._pages.items()}

    fields = ("markdown", "sections", "rendered", "badged")
    before = {field: made(field) for field in fields}
    assert all(len(before[field]) == 20 and None not in before[field].values() for field in fields)
    mentions = {p: kept[2] for p, kept in plugin._mention_memo.made.items()}
    (docs / "n3.md").write_text("# N3 edited\n\n[[n4]]\n", encoding="utf-8")
    second = build_site(tmp_path, command="serve")
    redone = {field: sorted(p for p, kept in made(field).items() if kept is not before[field].get(p)) for field in fields}
    assert redone["markdown"] == ["n3.md"]
    assert redone["sections"] == ["n3.md", "n4.md"]
    assert redone["rendered"] == ["n3.md"]  # the note's HTML: n4's own Markdown did not change
    assert redone["badged"] == ["n3.md"]  # the content with its stage badge and the sections' mark
    redone = sorted(p for p, kept in plugin._mention_memo.made.items() if kept[2] is not mentions.get(p))
    assert redone == ["n3.md"]  # the mentions its links make
    assert "N3 edited" in second.html("n3.md") and 'href="../n3/#n3-edited"' in second.html("n4.md")
    # A kept page still gets its sections: linked mentions, from n4 for the untouched n5.
    assert "garden-linked" in second.html("n5.md") and 'href="../n4/' in second.html("n5.md")
    (docs / "n7.md").unlink()  # a deleted note's pages leave every memo
    build_site(tmp_path, command="serve")
    assert "n7.md" not in plugin._pages and len(plugin._pages) == 19


def test_generated_pages_follow_edits_and_keep_only_what_did_not_change(tmp_path: Path) -> None:
    """The tags, tasks and folder pages are split and rendered again only when their Markdown
    changed; an edit that adds a tag and a task shows on both pages, and nowhere stale."""
    notes = {f"n{i}.md": f"# N{i}\n\n#topic{i % 3} [[n{(i + 1) % 6}]]\n" for i in range(6)}
    docs = write_vault(tmp_path, notes)
    build_site(tmp_path, command="serve")
    plugin = _find_plugin()
    splits, bodies = dict(plugin.bodies._kept), dict(plugin.bodies._rendered)
    assert {"tags.md", "garden/tasks.md", "garden/folders/index.md"} <= set(splits) == set(bodies)
    (docs / "n3.md").write_text("# N3\n\n#fresh [[n4]]\n\n- [ ] water the ferns 📅 2024-05-01\n", encoding="utf-8")
    second = build_site(tmp_path, command="serve")
    redone = sorted(p for p, kept in plugin.bodies._rendered.items() if kept is not bodies.get(p))
    assert redone == ["garden/tasks.md", "garden/timeline.md", "tags.md"]
    tags, tasks = second.html("tags.md"), second.html("garden/tasks.md")
    assert 'id="tag-fresh"' in tags and 'href="../n3/"' in tags and "garden-prerendered" not in tags
    assert "water the ferns" in tasks and 'href="../../n3/#task-5"' in tasks


def test_a_one_off_build_keeps_no_page_in_memory(tmp_path: Path) -> None:
    write_vault(tmp_path, {"index.md": "# Home\n\n[[A]]\n", "A.md": "# A\n"})
    build_site(tmp_path)
    plugin = _find_plugin()
    assert plugin._mention_memo == MentionMemo() and plugin._pages  # a record a page, holding nothing it made:
    assert all(getattr(record, field) is None for record in plugin._pages.values()
               for field in ("placed", "markdown", "rendered", "scrubbed", "badged", "sections"))
    assert plugin.bodies._kept == plugin.bodies._rendered == {}
    # Nor the vault index once its pages are written: notes, texts and parse cache go before
    # the search plugin encodes its index, the build's peak of memory, and so do the views
    # (graph, mentions) once the graph data is written.
    assert plugin.vault is None and plugin.texts == {} and plugin.cache.entries == {} and plugin._facts == {}
    assert plugin.views is None and (tmp_path / "site" / "garden" / "graph.json").is_file()


def _find_plugin():
    """The instance MkDocs keeps across builds in this process (the plugin has on_startup)."""
    import gc

    from mkdocs_garden.plugin import GardenPlugin

    found = [o for o in gc.get_objects() if isinstance(o, GardenPlugin) and o._pages]
    assert len(found) == 1, "expected one kept garden plugin instance"
    return found[0]


@pytest.mark.parametrize("path, ignored", [
    ("docs/.obsidian/workspace.json", True),
    ("docs/.trash/old.md", True),
    ("docs/notes/.obsidian/x", True),
    ("docs/note.md~", True),
    ("docs/note.md", False),
    ("docs/sub/.hidden-but-not-ignored.md", False),
])
def test_ignored_paths(path: str, ignored: bool) -> None:
    assert is_ignored(os.path.abspath(path), os.path.abspath("docs")) is ignored


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def _wait(predicate, seconds: float = 30) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


@pytest.mark.slow
def test_live_server_rebuilds_on_save_and_not_for_obsidian_files(tmp_path: Path) -> None:
    docs = write_vault(tmp_path, {"index.md": "# Home\n\nversion one [[Other]]\n", "Other.md": "# Other\n"})
    (docs / ".obsidian").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: S\ntheme: material\nplugins: [garden]\n")
    port = _free_port()
    log = open(tmp_path / "serve.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    builds = lambda: len(re.findall("Building documentation", (tmp_path / "serve.log").read_text()))  # noqa: E731
    try:
        url = f"http://127.0.0.1:{port}/"
        assert _wait(lambda: "version one" in _get(url)), (tmp_path / "serve.log").read_text()
        (docs / "index.md").write_text("# Home\n\nversion two [[Other]]\n", encoding="utf-8")
        assert _wait(lambda: "version two" in _get(url))
        time.sleep(3)  # let the server settle
        settled = builds()
        (docs / ".obsidian" / "workspace.json").write_text("{}")
        time.sleep(4)
        assert builds() == settled, "a change in .obsidian/ rebuilt the site"
        time.sleep(3)
        assert builds() == settled, "the server rebuilds in a loop"
        assert not list(docs.rglob("*.html")), "the build wrote into the vault"
    finally:
        server.terminate()
        server.wait(10)
        log.close()
