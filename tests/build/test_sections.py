"""A note page's local graph and mentions are written into its HTML in `on_post_page`, not
kept in `page.content` (which MkDocs holds for every page until the build ends), and a plugin
that removes the garden's mark gets a warning naming the page, not a silent gap."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.garden_build import Built, build_site, write_vault

pytestmark = pytest.mark.build

_VAULT = {"index.md": "# Home\n\nSee [[A]].\n", "A.md": "# A\n\nBack to [[index|home]].\n"}

_WATCH = '''
from mkdocs.plugins import event_priority

@event_priority(-200)  # after every other plugin wrote the page
def on_post_page(output, page, **kwargs):
    with open("seen.txt", "a") as out:
        out.write(f"{page.file.src_uri} {'garden-mentions' in page.content} {'garden-mentions' in output}\\n")
    return output
'''

_STRIP = '''
import re
from mkdocs.plugins import event_priority

@event_priority(-200)  # after the garden's on_page_context
def on_page_context(context, page, **kwargs):
    if page.file.src_uri == "A.md":
        page.content = re.sub(r"<!--.*?-->", "", page.content)
    return context
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
    assert "garden:sections" not in built.all_text()


def test_a_removed_mark_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = _build_with_hook(tmp_path, monkeypatch, _STRIP)
    assert any("A.md: another plugin removed the garden's mark" in m for m in built.warnings)
    assert "garden-mentions" not in built.html("A.md") and "garden-mentions" in built.html("index.md")
