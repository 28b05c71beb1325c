"""A one-off build lets the vault go once every page is rendered (`on_env`): the templates,
the garden's sections and the search index, where a build's memory peaks, are made without
the notes and their texts. `mkdocs serve` keeps them for the next rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.garden_build import build_site, write_vault

pytestmark = pytest.mark.build

# A hook run after every page is rendered: how many of this vault's notes are alive (their
# texts hold the case's mark: other tests' builds may leave their notes in the process),
# written beside mkdocs.yml. The garden freezes its index for the collector (`gc.freeze`), so
# the count unfreezes first.
HOOK = '''
import gc
from pathlib import Path
from mkdocs_garden.core.model import Note

MARK = {mark!r}

def on_page_context(context, page, config, nav):
    gc.unfreeze()
    alive = sum(isinstance(o, Note) and MARK in o.text for o in gc.get_objects())
    gc.freeze()
    with open(Path(config.config_file_path).parent / "alive.txt", "a", encoding="utf-8") as out:
        out.write(f"{{page.file.src_uri}} {{alive}}\\n")
    return context
'''


def _vault(mark: str) -> dict[str, str]:
    """Three notes, each holding `mark` (one per test case, found in no other test's notes)."""
    return {
        "index.md": f"# Home\n\n[[Fern]] and ![[Moss#Care]] {mark}\n",
        "Fern.md": f"---\nstage: seedling\n---\n# Fern\n\nNext to [[Moss]]. #plants {mark}\n\n- [ ] water 📅 2024-05-03\n",
        "Moss.md": f"# Moss\n\n## Care\n\nMist it. Fern likes it too. {mark}\n",
    }


def _alive(root: Path) -> dict[str, int]:
    lines = (root / "alive.txt").read_text(encoding="utf-8").split("\n")
    return {path: int(count) for path, count in (line.rsplit(" ", 1) for line in lines if line)}


@pytest.mark.parametrize("command", ["build", "serve"])
def test_a_one_off_build_holds_no_note_while_pages_are_written(tmp_path: Path, command: str) -> None:
    mark = f"release-test-{command}-7c1f"
    write_vault(tmp_path, _vault(mark))
    (tmp_path / "hook.py").write_text(HOOK.format(mark=mark), encoding="utf-8")
    built = build_site(tmp_path, extra={"hooks": ["hook.py"]}, command=command)
    alive = _alive(tmp_path)
    assert set(alive) >= {"index.md", "Fern.md", "Moss.md"}
    if command == "build":
        assert set(alive.values()) == {0}
    else:  # serving keeps the notes for the next rebuild: the count does see them
        assert min(alive.values()) == 3
    # What the sections show of the notes is still there: titles, the stage badge, mentions.
    fern = built.html("Fern.md")
    assert 'garden-stage--seedling">Seedling' in fern and "Linked mentions" in fern
    assert 'class="garden-mention-source" href="../">index</a>' in fern  # its title: the file name
    assert "Recently tended" in built.html("index.md") and ">Moss</a>" in built.html("index.md")
    if command == "serve":
        # MkDocs keeps one plugin instance per process once it has served: a one-off build
        # starts it afresh, so that no later serve test finds this vault's memos in it.
        build_site(tmp_path)
