"""The garden keeps its index out of the cyclic garbage collector's way for the page-building
phase only: frozen after `on_files`, unfrozen when the build ends, whether it succeeds or
fails (a `serve` rebuild must be able to free the previous build's index)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from tests.garden_build import build_site, write_vault

pytestmark = pytest.mark.build

_HOOK = '''
import gc
from mkdocs.exceptions import PluginError

seen = []

def on_page_markdown(markdown, page, **kwargs):
    with open("frozen.txt", "a") as out:
        out.write(f"{page.file.src_uri} {gc.get_freeze_count()} {gc.isenabled()}\\n")
    if "FAIL" in markdown:
        raise PluginError(f"{page.file.src_uri}: failing on purpose")
    return markdown
'''


@pytest.mark.parametrize("fail", [False, True])
def test_index_frozen_while_pages_build_and_unfrozen_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           fail: bool) -> None:
    write_vault(tmp_path, {"index.md": "# Home\n\n[[A]]\n", "A.md": "# A\n\n[[index]]" + (" FAIL" if fail else "") + "\n"})
    (tmp_path / "hooks.py").write_text(_HOOK, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert gc.get_freeze_count() == 0 and gc.isenabled()

    built = build_site(tmp_path, extra={"hooks": ["hooks.py"]})

    assert built.failed is fail
    seen = (tmp_path / "frozen.txt").read_text(encoding="utf-8").splitlines()
    assert seen, "the hook saw no page"
    for line in seen:
        page, frozen, enabled = line.split()
        assert int(frozen) > 0 and enabled == "True", line  # frozen during pages, collector back on
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_the_collector_runs_while_notebooks_execute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nbformat

    from mkdocs_garden.core import notebooks

    seen: list[bool] = []
    execute = notebooks.execute_notebook

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return execute(*args, **kwargs)

    monkeypatch.setattr(notebooks, "execute_notebook", watched)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# A notebook")]
    write_vault(tmp_path, {"index.md": "# Home\n\n[[n.ipynb]]\n", "n.ipynb": nbformat.writes(notebook)})
    jupyter = {"mkdocs-jupyter": {"include": ["*.ipynb"], "execute": False}}
    built = build_site(tmp_path, plugins=["search", {"garden": {"notebooks": {"execute": False}}}, jupyter])
    assert not built.failed and seen == [True]
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_no_collection_walks_the_index_while_it_is_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without notebooks to execute, `on_files` runs with the collector off from start to end
    (turning it on midway made it walk everything the scan had made)."""
    from mkdocs_garden.plugin import GardenPlugin

    collections: list[int] = []
    on_files = GardenPlugin.on_files

    def watched(self, files, *, config):  # type: ignore[no-untyped-def]
        def count(phase: str, info: dict) -> None:
            if phase == "start":
                collections.append(info["generation"])

        gc.callbacks.append(count)
        try:
            return on_files(self, files, config=config)
        finally:
            gc.callbacks.remove(count)

    monkeypatch.setattr(GardenPlugin, "on_files", watched)
    write_vault(tmp_path, {"index.md": "# Home\n\n[[A]]\n",
                           **{f"n{i}.md": f"# N{i}\n\n[[index]] and [[n{i + 1}]] #tag\n" for i in range(200)}})
    built = build_site(tmp_path)
    assert not built.failed and collections == []
