"""Static checks on the example notebooks in docs/notebooks.

The notebooks are executed at build time (and that execution is tested by the
build tests), so the sources must be committed clean: valid nbformat 4, no
stored outputs, a python3 kernelspec, no code that writes files or switches
matplotlib to a non-inline backend, and at least one wikilink into the garden.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "docs" / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))

EXPECTED = {
    "bases-and-orthogonal-init.ipynb",
    "mlp-backprop-from-scratch.ipynb",
    "pca-svd-and-the-curse-of-dimensionality.ipynb",
    "toy-attention-regex.ipynb",
}

# Substrings that indicate a file write or a backend switch that would drop inline plots.
FORBIDDEN_IN_CODE = (
    "matplotlib.use(",
    "savefig(",
    "open(",
    "to_csv(",
    "write_text(",
    "write_bytes(",
    "np.save(",
    "np.savez",
    ".tofile(",
)

WIKILINK = re.compile(r"\[\[[^\[\]]+\]\]")


def _ids(paths):
    return [p.name for p in paths]


def _read(path: Path):
    return nbformat.read(path, as_version=nbformat.NO_CONVERT)


def _cells(nb, cell_type):
    return [c for c in nb.cells if c.cell_type == cell_type]


def test_expected_notebooks_present():
    names = {p.name for p in NOTEBOOKS}
    missing = EXPECTED - names
    assert not missing, f"missing notebooks in {NOTEBOOK_DIR}: {sorted(missing)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_valid_nbformat4(path):
    nb = _read(path)
    assert nb.nbformat == 4
    nbformat.validate(nb)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_kernelspec_is_python3(path):
    nb = _read(path)
    kernelspec = nb.metadata.get("kernelspec", {})
    assert kernelspec.get("name") == "python3"
    assert kernelspec.get("language", "python") == "python"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_no_outputs_stored(path):
    nb = _read(path)
    for i, cell in enumerate(_cells(nb, "code")):
        assert cell.get("outputs") == [], f"code cell {i} has stored outputs"
        assert cell.get("execution_count") is None, f"code cell {i} has an execution_count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_no_file_writes_or_backend_switch(path):
    nb = _read(path)
    for i, cell in enumerate(_cells(nb, "code")):
        for needle in FORBIDDEN_IN_CODE:
            assert needle not in cell.source, f"code cell {i} contains {needle!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_random_generators_are_seeded(path):
    nb = _read(path)
    code = "\n".join(c.source for c in _cells(nb, "code"))
    assert "default_rng()" not in code, "unseeded np.random.default_rng()"
    assert not re.search(r"np\.random\.(rand|randn|randint|normal|uniform|choice|seed)\(", code), (
        "use a seeded np.random.default_rng(...) generator, not the legacy global RNG"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_has_wikilink_title_and_plot(path):
    nb = _read(path)
    markdown = _cells(nb, "markdown")
    assert markdown, "notebook has no markdown cells"
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source.lstrip().startswith("# "), "first cell must be an H1 title"
    assert any(WIKILINK.search(c.source) for c in markdown), "no [[wikilink]] in markdown cells"
    code = "\n".join(c.source for c in _cells(nb, "code"))
    assert "plt." in code, "notebook should produce at least one matplotlib plot"
