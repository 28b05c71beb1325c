"""Notebook execution and its cache, with a real kernel on small notebooks written per test."""

from __future__ import annotations

import hashlib
import json
import socket
import time
from pathlib import Path
from typing import Any

import nbclient
import nbformat
import pytest
from mkdocs_garden.core.notebooks import (
    NotebookError,
    NotebookOptions,
    NotebookResult,
    cache_key,
    evict,
    execute_notebook,
    kernel_fingerprint,
)
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

pytestmark = pytest.mark.slow

PLOT = "%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A vault with a `nb/` folder for notebooks; the cache lives beside it, as in a real site."""
    (tmp_path / "vault" / "nb").mkdir(parents=True)
    return tmp_path / "vault"


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / ".cache" / "notebooks"


def refuse(*args: Any, **kwargs: Any) -> None:
    """Stands in for `nbclient.NotebookClient` where no notebook may be executed."""
    raise AssertionError("a kernel was started")


@pytest.fixture
def no_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nbclient, "NotebookClient", refuse)


def write_notebook(path: Path, *cells: str | nbformat.NotebookNode, **metadata: Any) -> Path:
    """A notebook of code cells (plain strings) and given cells, with notebook `metadata`."""
    nb = new_notebook(metadata=metadata)
    nb.cells = [new_code_cell(c) if isinstance(c, str) else c for c in cells]
    nbformat.write(nb, path)
    return path


def run(path: Path, cache: Path, vault: Path, **options: Any) -> NotebookResult:
    return execute_notebook(path, cache, NotebookOptions(**options), vault_root=vault)


def stdout_of(result: NotebookResult) -> list[str]:
    """The printed text of each code cell of the executed notebook."""
    nb = nbformat.read(result.executed_path, as_version=4)
    return ["".join(o.get("text", "") for o in c.outputs if o.output_type == "stream")
            for c in nb.cells if c.cell_type == "code"]


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file below `folder` with the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_executes_then_serves_the_cache(vault: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    nb = write_notebook(vault / "nb" / "plot.ipynb", "print(6 * 7)", PLOT)
    first = run(nb, cache, vault)
    assert not first.from_cache and first.executed_path == cache / f"{first.key}.ipynb"
    assert first.warnings == []
    executed = nbformat.read(first.executed_path, as_version=4)
    assert executed.cells[0].outputs == [new_output("stream", name="stdout", text="42\n")]
    kinds = [(o.output_type, sorted(o.get("data", {}))) for o in executed.cells[1].outputs]
    assert ("display_data", ["image/png", "text/plain"]) in kinds
    assert first.key == cache_key(nb, NotebookOptions(), kernel_fingerprint("python3"))

    monkeypatch.setattr(nbclient, "NotebookClient", refuse)
    started = time.monotonic()
    second = run(nb, cache, vault, timeout=5)  # the timeout does not change the output
    assert second == NotebookResult(first.executed_path, True, [], first.key)
    assert time.monotonic() - started < 1


def test_reexecutes_only_when_an_input_changes(vault: Path, cache: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    folder = vault / "nb"
    (folder / "helper.py").write_text("VALUE = 1\n")
    (folder / "data").mkdir()
    (folder / "data" / "n.txt").write_text("5")
    nb = write_notebook(folder / "uses.ipynb", "import helper\nprint(helper.VALUE)",
                        "print(open('data/n.txt').read())")
    assert stdout_of(run(nb, cache, vault)) == ["1\n", "5\n"]

    with monkeypatch.context() as patch:
        patch.setattr(nbclient, "NotebookClient", refuse)
        # Files the notebook cannot read, and outputs saved by Jupyter, change nothing.
        (vault / "elsewhere.txt").write_text("changed")
        (tmp_path / "outside.txt").write_text("changed")
        (folder / "beside.md").write_text("# a note next to the notebook")
        (folder / "other.ipynb").write_text("{}")
        (folder / ".ipynb_checkpoints").mkdir()
        (folder / ".ipynb_checkpoints" / "helper-checkpoint.py").write_text("VALUE = 9\n")
        (folder / "__pycache__").mkdir()
        (folder / "__pycache__" / "helper.cpython-311.pyc").write_bytes(b"\0")
        saved = nbformat.read(nb, as_version=4)
        saved.cells[0].outputs = [new_output("stream", name="stdout", text="stale\n")]
        saved.cells[0].execution_count = 7
        nbformat.write(saved, nb)
        assert run(nb, cache, vault).from_cache

    (folder / "helper.py").write_text("VALUE = 2\n")
    assert stdout_of(run(nb, cache, vault)) == ["2\n", "5\n"]
    (folder / "data" / "n.txt").write_text("6")
    assert stdout_of(run(nb, cache, vault)) == ["2\n", "6\n"]
    write_notebook(nb, "import helper\nprint(helper.VALUE * 10)")
    assert stdout_of(run(nb, cache, vault)) == ["20\n"]


def test_a_failing_cell_names_notebook_cell_and_error(vault: Path, cache: Path) -> None:
    nb = write_notebook(vault / "nb" / "fails.ipynb", new_markdown_cell("# Intro"), "x = 1",
                        "x / 0", "print('never')")
    with pytest.raises(NotebookError) as caught:
        run(nb, cache, vault)
    assert str(caught.value) == "nb/fails.ipynb: cell 3: ZeroDivisionError: division by zero"
    assert (caught.value.notebook, caught.value.cell) == ("nb/fails.ipynb", 3)
    assert "x / 0" in caught.value.detail  # the traceback, for a verbose log
    assert not cache.exists() or not any(cache.iterdir())


def test_a_hanging_cell_times_out(vault: Path, cache: Path) -> None:
    nb = write_notebook(vault / "nb" / "hangs.ipynb", "x = 1", "import time\ntime.sleep(60)")
    started = time.monotonic()
    with pytest.raises(NotebookError) as caught:
        run(nb, cache, vault, timeout=3)
    assert time.monotonic() - started < 15
    assert str(caught.value) == "nb/hangs.ipynb: cell 2: timed out after 3 s"


def test_writes_stay_out_of_the_vault(vault: Path, cache: Path) -> None:
    folder = vault / "nb"
    (folder / "input.csv").write_text("a,b\n1,2\n")
    nb = write_notebook(
        folder / "writes.ipynb",
        "open('out.txt', 'w').write('x')\nopen('input.csv', 'a').write('3,4\\n')",
        "import os, pathlib\npathlib.Path('~/dotfile').expanduser().write_text('x')\n"
        "os.makedirs('made/deeper')\nprint(open('input.csv').read().count('\\n'))")
    before = tree_digest(vault)
    assert stdout_of(run(nb, cache, vault)) == ["", "3\n"]
    assert tree_digest(vault) == before


def test_environment_is_allowlisted(vault: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
                                    ) -> None:
    monkeypatch.setenv("GARDEN_SECRET_TEST", "s3cret")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = write_notebook(
        vault / "nb" / "env.ipynb",
        "import os\nprint(os.environ.get('GARDEN_SECRET_TEST'))\n"
        f"print(os.environ['HOME'] == {str(Path.home())!r}, os.environ['PYTHONHASHSEED'])\n"
        "print(os.environ['MPLBACKEND'])")
    controlled = "False 0\nmodule://matplotlib_inline.backend_inline\n"
    assert stdout_of(run(nb, cache, vault)) == ["None\n" + controlled]
    # The garden's own settings win even when the allowlist names them.
    allowed = (*NotebookOptions().env_allow, "GARDEN_SECRET_TEST", "HOME", "MPLBACKEND")
    assert stdout_of(run(nb, cache, vault, env_allow=allowed)) == ["s3cret\n" + controlled]


def test_notebooks_marked_not_to_execute_keep_their_outputs(vault: Path, cache: Path,
                                                           no_kernel: None) -> None:
    cell = new_code_cell("print('slow training run')", execution_count=1,
                         outputs=[new_output("stream", name="stdout", text="saved\n")])
    nb = write_notebook(vault / "nb" / "kept.ipynb", cell, garden={"execute": False})
    other = write_notebook(vault / "nb" / "other.ipynb", "1 / 0")
    before = tree_digest(vault)
    assert run(nb, cache, vault) == NotebookResult(nb, from_cache=False)
    assert run(other, cache, vault, execute=False) == NotebookResult(other, from_cache=False)
    assert tree_digest(vault) == before and not cache.exists()


def test_execution_is_byte_identical(vault: Path, cache: Path) -> None:
    nb = write_notebook(vault / "nb" / "same.ipynb", "print(sorted({'b', 'a'}), set('garden'))",
                        "import time\nfor i in range(3):\n    print(i, flush=True)\n"
                        "    time.sleep(0.2)", PLOT)
    raw = json.loads(nb.read_text())
    del raw["cells"][0]["id"]  # nbformat would invent a random id for it
    nb.write_text(json.dumps(raw))
    first = run(nb, cache, vault)
    content = first.executed_path.read_bytes()
    assert evict(cache, keep=set()) == [first.executed_path]
    second = run(nb, cache, vault)
    assert not second.from_cache and second.executed_path.read_bytes() == content
    # Prints reach the client in flush-timed chunks; they are published as one output.
    executed = nbformat.read(second.executed_path, as_version=4)
    assert executed.cells[1].outputs == [new_output("stream", name="stdout", text="0\n1\n2\n")]


def test_matplotlib_use_is_reported_with_its_cell(vault: Path, cache: Path) -> None:
    nb = write_notebook(vault / "nb" / "agg.ipynb", "# matplotlib.use('Agg') would hide plots",
                        "import matplotlib as mpl\nmpl.use('Agg')", "s = 'matplotlib.use('",
                        "!echo matplotlib.use\nimport matplotlib\nmatplotlib.use ('Agg')")
    warnings = run(nb, cache, vault).warnings
    assert [w.split(":")[:2] for w in warnings] == [["nb/agg.ipynb", " cell 2"],
                                                    ["nb/agg.ipynb", " cell 4"]]
    assert "plots will be missing" in warnings[0]
    assert run(nb, cache, vault).warnings == warnings  # a cache hit still warns


def test_evict_keeps_used_entries_and_unrelated_files(tmp_path: Path) -> None:
    used, stale = "a" * 64, "b" * 64
    for name in (f"{used}.ipynb", f"{stale}.ipynb", f".{stale}.ipynb.x1.tmp", "notes.txt"):
        (tmp_path / name).write_text("{}")
    assert evict(tmp_path, keep={used}) == [tmp_path / f".{stale}.ipynb.x1.tmp",
                                            tmp_path / f"{stale}.ipynb"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{used}.ipynb", "notes.txt"]
    assert evict(tmp_path / "missing", keep=set()) == []


def test_cache_key_covers_kernel_and_environment(vault: Path, monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    nb = write_notebook(vault / "nb" / "k.ipynb", "print(1)")
    key = cache_key(nb, NotebookOptions(), "kernel A")
    assert cache_key(nb, NotebookOptions(timeout=1), "kernel A") == key
    assert cache_key(nb, NotebookOptions(), "kernel B") != key
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert cache_key(nb, NotebookOptions(), "kernel A") != key


def test_unreadable_notebooks_and_bad_options_fail_clearly(vault: Path, cache: Path) -> None:
    broken = vault / "nb" / "broken.ipynb"
    broken.write_text("{not json")
    with pytest.raises(NotebookError, match=r"^nb/broken\.ipynb: not a readable notebook"):
        run(broken, cache, vault)
    nb = write_notebook(vault / "nb" / "k.ipynb", "print(1)")
    with pytest.raises(NotebookError, match=r"^nb/k\.ipynb: no Jupyter kernel named 'nope'"):
        run(nb, cache, vault, kernel_name="nope")
    with pytest.raises(ValueError, match="timeout"):
        NotebookOptions(timeout=0)


def test_a_dead_or_broken_kernel_names_the_notebook(vault: Path, cache: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    nb = write_notebook(vault / "nb" / "dies.ipynb", "x = 1", "import os\nos._exit(1)")
    with pytest.raises(NotebookError, match=r"^nb/dies\.ipynb: cell 2: the kernel died$"):
        run(nb, cache, vault)
    spec = tmp_path / "share" / "kernels" / "garden-broken-test" / "kernel.json"
    spec.parent.mkdir(parents=True)
    spec.write_text(json.dumps({"language": "python", "display_name": "broken", "argv": [
        "python", "-c", "import sys; sys.exit('kernel boom')", "{connection_file}"]}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "share"))
    with pytest.raises(NotebookError) as caught:
        run(nb, cache, vault, kernel_name="garden-broken-test")
    assert str(caught.value).startswith("nb/dies.ipynb: kernel 'garden-broken-test' did not start")
    assert "kernel boom" in caught.value.detail  # the kernel's own stderr


def test_missing_loopback_fails_fast(vault: Path, cache: Path, monkeypatch: pytest.MonkeyPatch,
                                     no_kernel: None) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> None:
        raise OSError(101, "Network is unreachable")

    monkeypatch.setattr(socket, "create_server", unreachable)
    nb = write_notebook(vault / "nb" / "k.ipynb", "print(1)")
    with pytest.raises(NotebookError, match=r"^nb/k\.ipynb: Jupyter kernels need loopback"):
        run(nb, cache, vault)
