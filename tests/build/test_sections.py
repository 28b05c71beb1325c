"""A note page's local graph and mentions reach its HTML, but are not kept in `page.content`
(which MkDocs holds for every page until the build ends) once the page is rendered; a plugin
that changes `page.content` after the garden keeps its change, and the sections too."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.garden_build import Built, build_site, write_vault

pytestmark = pytest.mark.build

_VAULT = {"index.md": "# Home\n\nSee [[A]].\n", "A.md": "# A\n\nBack to [[index|home]].\n"}

# Each page's content is looked at once the build is over, as MkDocs keeps it. A.md is
# rendered last, after every generated page: no later page's context takes its sections out.
_WATCH = '''
from mkdocs.plugins import event_priority

written = []

@event_priority(-200)  # after the garden added its pages
def on_files(files, **kwargs):
    note = files.get_file_from_path("A.md")
    files.remove(note)
    files.append(note)
    return files

@event_priority(-200)  # after every other plugin wrote the page
def on_post_page(output, page, **kwargs):
    written.append((page, 'garden-mentions' in output))
    return output

@event_priority(-200)  # after every other plugin
def on_post_build(config, **kwargs):
    with open("seen.txt", "a") as out:
        for page, shown in written:
            out.write(f"{page.file.src_uri} {'garden-mentions' in page.content} {shown}\\n")
'''

_STRIP = '''
import re
from mkdocs.plugins import event_priority

changed = []

@event_priority(-200)  # after the garden's on_page_context
def on_page_context(context, page, **kwargs):
    if page.file.src_uri == "A.md":
        page.content = re.sub(r"<!--.*?-->", "", page.content) + "<p>added by a hook</p>"
    changed.append(page)
    return context

@event_priority(-200)  # after every other plugin
def on_post_build(config, **kwargs):
    with open("seen.txt", "a") as out:
        for page in changed:
            out.write(f"{page.file.src_uri} {'added by a hook' in page.content} {'garden-mentions' in page.content}\\n")
'''


def _build_with_hook(root: Path, monkeypatch: pytest.MonkeyPatch, hook: str) -> Built:
    write_vault(root, _VAULT)
    (root / "hooks.py").write_text(hook, encoding="utf-8")
    monkeypatch.chdir(root)  # the hook writes beside the config
    built = build_site(root, extra={"hooks": ["hooks.py"]})
    assert not built.failed
    return built


def test_sections_reach_the_html_but_not_page_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = _build_with_hook(tmp_path, monkeypatch, _WATCH)
    seen = sorted((tmp_path / "seen.txt").read_text(encoding="utf-8").splitlines())
    assert [line for line in seen if line.split()[0] in _VAULT] == ["A.md False True", "index.md False True"]
    assert 'class="garden-mention-source"' in built.html("A.md")


def test_a_plugin_changing_page_content_after_the_garden_keeps_its_change(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    built = _build_with_hook(tmp_path, monkeypatch, _STRIP)
    seen = sorted((tmp_path / "seen.txt").read_text(encoding="utf-8").splitlines())
    assert [line for line in seen if line.split()[0] in _VAULT] == ["A.md True True", "index.md False False"]
    assert "garden-mentions" in built.html("A.md") and "added by a hook" in built.html("A.md")
    assert not built.warnings
