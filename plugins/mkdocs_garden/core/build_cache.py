"""What one build made that the next can use: each note's parse, its page's rewritten Markdown
and its HTML, kept in one SQLite file under `cache_dir`, each under a hash of all it was made
from.

A build parses every note and renders every page, although between two builds of a garden
most notes have not changed: the Pages workflow restores `cache_dir` before it builds, and
`mkdocs serve` starts with a build. A key is a hash of the result's inputs (`digest`), so an
entry is either right or never asked for; what its maker could not put in the key (a page's
links to the site's files, which other notes do not decide) the caller keeps in the value and
checks on use.

Each build reads the last build's file and writes a new one, of what it used (read or made);
the new file then takes the old one's place. So the file holds what the vault still has, two
builds at once never write to one file, and a build that stops half way leaves the last good
file. The file names the code that wrote it (`code_version`): another version of the garden,
its parsers or Python starts afresh.

The values are pickles: the file is as trusted as the code beside it (it is written by the
site's own builds, into the site's own folder).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import sys
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

FILE_NAME = "build.sqlite"
_SLUG_PROBE = "Ünïcode Wörds: A-b_c 1.2 (x) & \"y\" 日本"
# What the kept results are made with, besides the garden's own code (distributions).
_LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "Pygments", "PyYAML", "Markdown", "pymdown-extensions", "mkdocs")


def digest(*parts: str) -> str:
    """A key made of `parts`, in order (NUL between them: no part holds one that matters)."""
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def slugify_sign(slugify: Callable[[str, str], str], separator: str) -> str:
    """What a slugify function is, for a key: its name, and what it makes of a heading that
    tells the usual options apart (case, Unicode, punctuation), since a function configured in
    `mkdocs.yml` keeps its name whatever its options."""
    return f"{name_of(slugify)} {slugify(_SLUG_PROBE, separator)}"


def name_of(value: Any) -> str:
    """A function's or class's name, the same in every process."""
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"


@cache
def code_version() -> str:
    """A hash of the garden's source files, the versions of the libraries it parses and
    renders with, and Python's: what may change a kept result without changing its key."""
    hashed = hashlib.sha256(sys.version.encode())
    for name in _LIBRARIES:
        try:
            found = metadata.version(name)
        except metadata.PackageNotFoundError:
            found = ""
        hashed.update(f"\0{name} {found}".encode())
    package = Path(__file__).resolve().parent.parent
    for source in sorted(package.rglob("*.py")):
        hashed.update(b"\0" + source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes())
    return hashed.hexdigest()


class BuildCache:
    """The last build's results, to read (`get`), and this build's, to write (`put`, and
    every `get` that found one). `close` puts the new file in place; `keep_unused` carries
    over what this build did not ask for too (a `--dirty` build renders a few pages only).
    A file that cannot be read is left unread (`problem` says why); one that cannot be
    written is not written, and the build goes on either way."""

    def __init__(self, folder: Path, version: str, *, keep_unused: bool = False) -> None:
        self.path = folder / FILE_NAME
        self.keep_unused = keep_unused
        self.problem: str | None = None
        self.hits = 0
        self._old = self._open_old(version)
        self._new: sqlite3.Connection | None = None
        self._scratch = folder / f"{FILE_NAME}.{os.getpid()}.tmp"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._scratch.unlink(missing_ok=True)
            self._new = sqlite3.connect(self._scratch, isolation_level=None)
            self._new.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;"
                                    "CREATE TABLE kept (kind TEXT, key TEXT, value BLOB, PRIMARY KEY (kind, key));"
                                    "CREATE TABLE made (version TEXT);")
            self._new.execute("INSERT INTO made VALUES (?)", (version,))
        except (OSError, sqlite3.Error) as error:
            self._new = None
            self.problem = f"cannot write the build cache {self._scratch}: {error}"

    def _open_old(self, version: str) -> sqlite3.Connection | None:
        if not self.path.is_file():
            return None
        try:
            # Never written in place (a new file replaces it), so it need not be locked.
            old = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
            made = old.execute("SELECT version FROM made").fetchone()
        except sqlite3.Error as error:
            self.problem = f"cannot read the build cache {self.path} ({error}); building without it"
            return None
        if made != (version,):
            old.close()
            return None
        return old

    def get(self, kind: str, key: str) -> Any | None:
        """The value kept under `key`, or None."""
        if self._old is None:
            return None
        try:
            row = self._old.execute("SELECT value FROM kept WHERE kind = ? AND key = ?", (kind, key)).fetchone()
            value = pickle.loads(row[0]) if row is not None else None
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None  # a damaged entry is one that was not kept
        if value is not None:
            self.hits += 1
            self._write(kind, key, row[0])
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        try:
            blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return  # made again next time
        self._write(kind, key, blob)

    def _write(self, kind: str, key: str, blob: bytes) -> None:
        if self._new is None:
            return
        try:
            self._new.execute("INSERT OR REPLACE INTO kept VALUES (?, ?, ?)", (kind, key, blob))
        except sqlite3.Error as error:
            self._drop_new(f"cannot write the build cache {self._scratch}: {error}")

    def close(self) -> None:
        """The new file in the old one's place."""
        old, self._old = self._old, None
        if old is not None:
            old.close()
        if self._new is None:
            return
        try:
            if self.keep_unused and old is not None:
                self._new.execute("ATTACH DATABASE ? AS old", (str(self.path),))
                self._new.execute("INSERT OR IGNORE INTO kept SELECT * FROM old.kept")
            self._new.execute("COMMIT")
            self._new.close()
            self._new = None
            os.replace(self._scratch, self.path)
        except (OSError, sqlite3.Error) as error:
            self._drop_new(f"cannot write the build cache {self.path}: {error}")

    def abandon(self) -> None:
        """A build that failed: the last good file stays."""
        if self._old is not None:
            self._old.close()
            self._old = None
        self._drop_new(None)

    def _drop_new(self, problem: str | None) -> None:
        if self._new is not None:
            self._new.close()
            self._new = None
        self._scratch.unlink(missing_ok=True)
        self.problem = self.problem or problem
