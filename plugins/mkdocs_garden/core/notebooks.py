"""Execute Jupyter notebooks at build time, cached by content (no MkDocs here).

A notebook runs in a fresh kernel working in a scratch copy of its folder (relative reads work,
writes land in the copy, never in the vault), with a scratch `HOME` and only the allowed
environment variables. An error or a cell outliving `timeout` raises `NotebookError` naming the
notebook and the cell, so the build fails instead of publishing a broken page or hanging CI.

The executed copy is cached as `<cache_dir>/<key>.ipynb`, keyed by the notebook's source (not its
stored outputs: re-saving it in Jupyter does not invalidate), the kernel, the allowed environment
and every file in the notebook's folder (a module it imports, a data file it reads). Limits:
files outside that folder, and notes (`.md`), other notebooks and hidden entries inside it, are
neither tracked nor copied; installed packages count only through the kernel's Python and
ipykernel versions; and this is a working-directory and environment boundary, not a sandbox (a
notebook can still write to an absolute path or read the build's `/proc/<pid>/environ`).
"""

from __future__ import annotations

import atexit
import hashlib
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import tokenize
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

import nbclient
import nbformat
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from traitlets.config import Config

__all__ = ["NotebookError", "NotebookOptions", "NotebookResult", "cache_key", "evict",
           "execute_notebook", "kernel_fingerprint"]

# Bump when this module changes what it writes, so old cache entries stop matching.
_CACHE_VERSION = 1
# Enough for a kernel to start and a notebook to behave the same on every machine; SYSTEMROOT
# is only set on Windows, where Python's sockets fail without it. SOURCE_DATE_EPOCH is left
# out on purpose: it is in the cache key, and CI sets it per commit, which would re-execute
# every notebook on every push.
_DEFAULT_ENV_ALLOW = ("PATH", "LANG", "LC_ALL", "TZ", "SYSTEMROOT")
# Set by us whatever the allowlist says: HOME points into the scratch folder, a fixed hash seed
# keeps set ordering (and so outputs) stable, and an inherited MPLBACKEND would replace the
# inline backend ipykernel selects and silently drop every plot.
_CONTROLLED_ENV = frozenset({"HOME", "PYTHONHASHSEED", "MPLBACKEND"})
# Notebook metadata that the kernel or Jupyter rewrites without the source changing.
_VOLATILE_METADATA = ("language_info", "widgets")
_UNTRACKED_SUFFIXES = (".ipynb", ".md")
# A cache entry, or what `_write_atomic` leaves behind when the build is killed mid-write.
_CACHE_FILE = re.compile(r"(?P<key>[0-9a-f]{64})\.ipynb|\.[0-9a-f]{64}\.ipynb\..+\.tmp")


@dataclass(frozen=True)
class NotebookOptions:
    """How notebooks are executed; all but `timeout` are part of the cache key."""

    timeout: int = 120
    """Seconds one cell may run before the build fails."""
    kernel_name: str = "python3"
    """The Jupyter kernel spec to run every notebook with."""
    env_allow: tuple[str, ...] = _DEFAULT_ENV_ALLOW
    """Environment variables passed to the kernel (HOME, PYTHONHASHSEED, MPLBACKEND excepted)."""
    execute: bool = True
    """False publishes every notebook with the outputs it was saved with."""

    def __post_init__(self) -> None:
        # nbclient reads a timeout <= 0 as "wait forever": exactly the hang this option prevents.
        if self.timeout <= 0:
            raise ValueError(f"notebook timeout must be positive seconds, not {self.timeout}")


@dataclass(frozen=True)
class NotebookResult:
    """The notebook to render: the cached executed copy, or the source if it is not executed."""

    executed_path: Path
    from_cache: bool
    warnings: list[str] = field(default_factory=list)
    key: str | None = None  # the cache entry to keep in `evict`; None when not executed


class NotebookError(Exception):
    """A notebook that cannot be published: `cell` is 1-based among all cells, 0 if none ran."""

    def __init__(self, notebook: str, cell: int, message: str, detail: str = "") -> None:
        super().__init__(notebook, cell, message, detail)
        self.notebook = notebook
        self.cell = cell
        self.message = message
        self.detail = detail  # the full traceback or kernel log, for a verbose log

    def __str__(self) -> str:
        where = f"{self.notebook}: cell {self.cell}" if self.cell else self.notebook
        return f"{where}: {self.message}"


def execute_notebook(
    path: Path, cache_dir: Path, options: NotebookOptions = NotebookOptions(), *, vault_root: Path
) -> NotebookResult:
    """Execute the notebook at `path` unless an identical run is cached; say where it is.

    Raises `NotebookError` if it is unreadable, a cell raises or times out, or the kernel fails.
    """
    shown = Path(os.path.relpath(path, vault_root)).as_posix()  # as the author knows it
    nb = _read_notebook(path, shown)
    if not options.execute or nb.metadata.get("garden", {}).get("execute", True) is False:
        return NotebookResult(path, from_cache=False)
    # Under any backend but the inline one, plots vanish without an error: say where.
    warnings = [f"{shown}: cell {index}: matplotlib.use() replaces the inline backend, so this "
                "cell's plots will be missing from the page; remove the call"
                for index, cell in enumerate(nb.cells, 1)
                if cell.cell_type == "code" and _calls_matplotlib_use(cell.source)]
    try:
        kernel_info = kernel_fingerprint(options.kernel_name)
    except NoSuchKernel:
        raise NotebookError(shown, 0, f"no Jupyter kernel named '{options.kernel_name}' (try: "
                            "python -m ipykernel install --sys-prefix --name python3)") from None
    files = _folder_files(path.parent)
    key = _key_for(nb, path.parent, files, options, kernel_info)
    cached = cache_dir / f"{key}.ipynb"
    if cached.is_file():
        return NotebookResult(cached, from_cache=True, warnings=warnings, key=key)
    _check_loopback(shown)
    executed = _run_in_scratch(nb, path.parent, files, options, shown)
    for cell in executed.cells:
        cell.metadata.pop("execution", None)  # JupyterLab's timings: volatile, never ours to show
    _write_atomic(executed, cached)
    return NotebookResult(cached, from_cache=False, warnings=warnings, key=key)


def cache_key(notebook_path: Path, options: NotebookOptions, kernel_spec_info: str) -> str:
    """The sha256 under which the executed `notebook_path` is cached (see the module docstring)."""
    nb = _read_notebook(notebook_path, str(notebook_path))
    folder = notebook_path.parent
    return _key_for(nb, folder, _folder_files(folder), options, kernel_spec_info)


@cache
def kernel_fingerprint(kernel_name: str) -> str:
    """A kernel's spec and, for Python, its interpreter's versions; raises `NoSuchKernel`."""
    # Cached per process: kernels are not reinstalled mid-build, and the probe costs a process.
    spec = KernelSpecManager().get_kernel_spec(kernel_name)
    argv = list(spec.argv)
    # jupyter_client runs a bare "python" spec with the build's own interpreter; so do we.
    if argv and argv[0] in {"python", "python3", f"python3.{sys.version_info.minor}"}:
        argv[0] = sys.executable
    probe = ""
    if argv and spec.language.lower() == "python":
        script = "import sys, importlib.metadata as m; print(sys.version, m.version('ipykernel'))"
        probe = subprocess.run([shutil.which(argv[0]) or argv[0], "-c", script], check=False,
                               capture_output=True, text=True, timeout=60).stdout
    facts = {"argv": argv, "env": spec.env, "language": spec.language, "probe": probe}
    return json.dumps(facts, sort_keys=True)


def evict(cache_dir: Path, keep: set[str]) -> list[Path]:
    """Delete (and return, sorted) cache entries not in `keep` and leftovers of killed writes."""
    # Only names this module writes match, so anything else in `cache_dir` is left alone.
    stale = [entry for entry in cache_dir.glob("*")  # nothing at all if it does not exist
             if (found := _CACHE_FILE.fullmatch(entry.name)) and found["key"] not in keep]
    for entry in stale:
        entry.unlink(missing_ok=True)
    return sorted(stale)


def _check_loopback(shown: str) -> None:
    """Fail in milliseconds, not after nbclient's 60 s start-up timeout, if loopback is down."""
    # Kernels talk to the build over TCP on 127.0.0.1, which some sandboxes and CI jobs lack.
    try:
        with socket.create_server(("127.0.0.1", 0)) as server:
            socket.create_connection(server.getsockname(), timeout=5).close()
    except OSError as exc:
        raise NotebookError(shown, 0, "Jupyter kernels need loopback networking (127.0.0.1), "
                            f"which is unavailable: {exc}") from exc


def _read_notebook(path: Path, shown: str) -> nbformat.NotebookNode:
    """Read a notebook as version 4, with stable ids wherever its cells lack valid ones."""
    try:
        raw = json.loads(path.read_bytes())
        # nbformat repairs missing or duplicate cell ids with random ones, which would make the
        # executed file differ on every run; number them by position instead.
        if (raw.get("nbformat", 0), raw.get("nbformat_minor", 0)) >= (4, 5):
            cells, seen = raw.get("cells", []), set()
            taken = {cell.get("id") for cell in cells}
            for index, cell in enumerate(cells):
                if not isinstance(cell.get("id"), str) or cell["id"] in seen:
                    cell["id"] = f"cell-{index + 1}"
                    while cell["id"] in taken:
                        cell["id"] += "x"
                    taken.add(cell["id"])
                seen.add(cell["id"])
        return nbformat.reads(json.dumps(raw), as_version=4)
    except (OSError, ValueError, TypeError, LookupError, AttributeError,
            nbformat.ValidationError) as exc:
        raise NotebookError(shown, 0, f"not a readable notebook: {exc}") from exc


def _calls_matplotlib_use(source: str) -> bool:
    """Whether code calls `matplotlib.use(` or `mpl.use(`, ignoring comments and strings."""
    # Tokens, not text: a comment or a string that mentions the call is not a call. IPython's
    # `%magic` and `!shell` lines tokenize harmlessly; what does not tokenize is searched as text.
    try:
        words = [token.string for token in tokenize.generate_tokens(io.StringIO(source).readline)
                 if token.type in (tokenize.NAME, tokenize.OP)]
    except (tokenize.TokenError, SyntaxError):
        return "matplotlib.use(" in source
    return any(words[i:i + 4] in (["matplotlib", ".", "use", "("], ["mpl", ".", "use", "("])
               for i in range(len(words)))


def _folder_files(folder: Path) -> list[Path]:
    """The files a notebook in `folder` may read, sorted: what is tracked and what is copied."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        # Hidden folders (.obsidian, .git, .ipynb_checkpoints) and bytecode are never inputs.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        found += [Path(dirpath, name) for name in filenames
                  if not name.startswith(".") and not name.lower().endswith(_UNTRACKED_SUFFIXES)]
    return sorted(found)


def _key_for(nb: nbformat.NotebookNode, folder: Path, files: list[Path],
             options: NotebookOptions, kernel_info: str) -> str:
    """Hash everything that can change the executed notebook (see the module docstring)."""
    # Outputs, execution counts and ids are left out: Jupyter rewrites them on every save.
    cells = [{"type": cell.cell_type, "source": cell.source,
              "attachments": cell.get("attachments"),
              "metadata": {k: v for k, v in cell.metadata.items() if k != "execution"}}
             for cell in nb.cells]
    metadata = {k: v for k, v in nb.metadata.items() if k not in _VOLATILE_METADATA}
    # PATH only locates programs; the kernel's own identity is in `kernel_info`. Keying on it
    # would make every shell, CI runner and virtualenv activation miss the cache.
    env = {k: v for k, v in _allowed_env(options).items() if k != "PATH"}
    head = {"version": _CACHE_VERSION, "kernel": options.kernel_name, "kernel_info": kernel_info,
            "env": env, "cells": cells, "metadata": metadata}
    digest = hashlib.sha256(json.dumps(head, sort_keys=True).encode())
    for file in files:
        data = file.read_bytes()
        digest.update(f"\0{file.relative_to(folder).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _allowed_env(options: NotebookOptions) -> dict[str, str]:
    """The build's environment variables the kernel may see."""
    return {name: os.environ[name] for name in sorted(options.env_allow)
            if name in os.environ and name not in _CONTROLLED_ENV}


def _run_in_scratch(nb: nbformat.NotebookNode, folder: Path, files: list[Path],
                    options: NotebookOptions, shown: str) -> nbformat.NotebookNode:
    """Execute `nb` in a kernel working in a scratch copy of `folder`; the copy is then removed."""
    with tempfile.TemporaryDirectory(prefix="garden-notebook-") as scratch:
        root = Path(scratch)
        work = root / "work" / folder.name
        for file in files:
            target = work / file.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target)
        work.mkdir(parents=True, exist_ok=True)
        (root / "home").mkdir()
        env = _allowed_env(options) | {"HOME": str(root / "home"), "PYTHONHASHSEED": "0"}
        with open(root / "kernel.log", "w+b") as log:
            return _execute(nb, options, shown, log, env=env, cwd=str(work),
                            connection_file=str(root / "kernel.json"))


def _execute(nb: nbformat.NotebookNode, options: NotebookOptions, shown: str, log: BinaryIO, *,
             env: dict[str, str], cwd: str, connection_file: str) -> nbformat.NotebookNode:
    """Run every cell once, turning nbclient's failures into a `NotebookError`."""
    running = [0]  # 1-based index of the cell being executed, for the error message

    def on_cell_execute(cell: Any, cell_index: int) -> None:
        running[0] = cell_index + 1

    # The connection file (it holds the kernel's HMAC key) stays in the private scratch folder.
    config = Config({"KernelManager": {"connection_file": connection_file}})
    # Printed text arrives in chunks split by the kernel's flush timing: coalesced, the same
    # prints always give the same outputs. No timings either: they would change every run.
    client = nbclient.NotebookClient(
        nb, kernel_name=options.kernel_name, timeout=options.timeout, allow_errors=False,
        record_timing=False, coalesce_streams=True, shutdown_kernel="immediate",
        on_cell_execute=on_cell_execute, config=config)
    try:
        # Kernel output (its warnings, subprocesses' prints) goes to a log, not the build's.
        return client.execute(env=env, cwd=cwd, stdout=log, stderr=log)
    except CellExecutionError as exc:
        raise NotebookError(shown, running[0], f"{exc.ename}: {exc.evalue}", str(exc)) from exc
    except CellTimeoutError as exc:
        raise NotebookError(shown, running[0], f"timed out after {options.timeout} s",
                            str(exc)) from exc
    except DeadKernelError as exc:
        raise NotebookError(shown, running[0], "the kernel died", _log_tail(log)) from exc
    except Exception as exc:  # whatever stops the kernel, the error must name the notebook
        # nbclient leaves an exit hook behind when its kernel never started; it would crash.
        atexit.unregister(client._cleanup_kernel)
        message = (f"kernel error: {exc}" if running[0]
                   else f"kernel '{options.kernel_name}' did not start: {exc}")
        raise NotebookError(shown, running[0], message, _log_tail(log)) from exc


def _log_tail(log: BinaryIO) -> str:
    """The end of the kernel's own output (stderr and stdout): why it died or did not start."""
    log.flush()
    log.seek(max(0, log.seek(0, os.SEEK_END) - 4000))
    return log.read().decode("utf-8", "replace")


def _write_atomic(nb: nbformat.NotebookNode, target: Path) -> None:
    """Write `nb` (keys sorted by nbformat) so readers never see a half-written cache entry."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            nbformat.write(nb, handle)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
