"""Real builds with notebooks: executed at build time, outputs published, failures named,
hangs timed out, and the cache re-executes only what changed (asserted through the log)."""

from __future__ import annotations

import base64
from pathlib import Path

import nbformat
import pytest

from tests.garden_build import Built, build_site, tree_hash, write_vault

pytestmark = [pytest.mark.build, pytest.mark.slow]

JUPYTER = {"mkdocs-jupyter": {"include": ["*.ipynb"], "execute": False, "allow_errors": False}}


def _notebook(*cells: tuple[str, str]) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src)
                for kind, src in cells]
    return nbformat.writes(nb)


def _build(root: Path, **garden: object) -> Built:
    return build_site(root, garden={"notebooks": {"timeout": 20}, **garden},
                      plugins=["search", {"garden": {"notebooks": {"timeout": 20}, **garden}}, JUPYTER])


def _executed(built: Built) -> list[str]:
    return sorted(m.split(": ")[1] for m in built.messages if m.endswith(": executed"))


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    write_vault(tmp_path, {
        "index.md": "# Home\n\nSee [[compute.ipynb|the computation]] and [[Plot notebook]].\n",
        "Concept.md": "# Concept\n\nexplained\n",
        "compute.ipynb": _notebook(("md", "# Computation\n\nUses [[Concept]]."), ("code", "print(6 * 7)")),
        "plot.ipynb": _notebook(("md", "# Plot notebook"),
                                ("code", "%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()")),
    })
    return tmp_path


def test_notebooks_execute_publish_and_cache(vault: Path) -> None:
    before = tree_hash(vault / "docs")
    first = _build(vault)
    assert not first.failed, first.messages
    assert _executed(first) == ["compute.ipynb", "plot.ipynb"]
    compute = first.html("compute.md")
    assert "42" in compute and 'href="../Concept/"' in compute  # output, and the wikilink rewritten
    plot = first.html("plot.md")
    assert 'src="data:image/png;base64,' in plot
    png = plot.split('src="data:image/png;base64,', 1)[1].split('"', 1)[0]
    assert base64.b64decode(png).startswith(b"\x89PNG")
    home = first.html("index.md")
    assert 'href="compute/"' in home and 'href="plot/"' in home
    assert "Linked mentions" in compute or "garden-linked" in compute  # the home page links it
    assert tree_hash(vault / "docs") == before, "the build wrote into the vault"

    second = _build(vault)
    assert _executed(second) == [], "an unchanged garden executed a notebook again"

    nb = nbformat.reads((vault / "docs" / "plot.ipynb").read_text(), as_version=4)
    nb.cells[1].source += "\nprint('edited')"
    (vault / "docs" / "plot.ipynb").write_text(nbformat.writes(nb))
    third = _build(vault)
    assert _executed(third) == ["plot.ipynb"]


def test_failing_notebook_fails_the_build_naming_notebook_and_cell(tmp_path: Path) -> None:
    write_vault(tmp_path, {"index.md": "# Home\n", "bad.ipynb": _notebook(("md", "# Bad"), ("code", "x = 1"), ("code", "1 / 0"))})
    built = _build(tmp_path)
    assert built.failed
    assert any("bad.ipynb: cell 3: ZeroDivisionError" in m for m in built.messages), built.messages


def test_hanging_cell_times_out(tmp_path: Path) -> None:
    write_vault(tmp_path, {"index.md": "# Home\n", "slow.ipynb": _notebook(("code", "import time\ntime.sleep(120)"))})
    built = build_site(tmp_path, plugins=["search", {"garden": {"notebooks": {"timeout": 3}}}, JUPYTER])
    assert built.failed
    assert any("slow.ipynb: cell 1: timed out after 3 s" in m for m in built.messages), built.messages


def test_notebook_marked_not_to_execute_keeps_its_outputs(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["garden"] = {"execute": False}
    cell = nbformat.v4.new_code_cell("raise SystemExit('never run')")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="STORED-OUTPUT-123\n")]
    nb.cells = [nbformat.v4.new_markdown_cell("# Stored"), cell]
    write_vault(tmp_path, {"index.md": "# Home\n", "stored.ipynb": nbformat.writes(nb)})
    built = _build(tmp_path)
    assert not built.failed and "STORED-OUTPUT-123" in built.html("stored.md")
