"""What one build made that the next can use: each note's parse, its page's rewritten Markdown
and its HTML, kept in one file under `cache_dir`, each under a hash of all it was made
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
import struct
import sys
import time
import zlib
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

FILE_NAME = "build.pickles"
_MAGIC = b"mkdocs-garden build cache 1\n"
_OFFSET = struct.Struct(">Q")
_SLUG_PROBE = "Ünïcode Wörds: A-b_c 1.2 (x) & \"y\" 日本"
# What the kept results are made with, besides the garden's own code (distributions).
_LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "Pygments", "PyYAML", "Markdown", "pymdown-extensions", "mkdocs")


def digest(*parts: str) -> bytes:
    """A key made of `parts`, in order, NUL between them: callers let at most one part (a
    text) hold a NUL itself, so no two lists of parts join to the same bytes. The first part
    names the kind of result. 128 bits: a cache of 10,000 notes holds 40,000 keys."""
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).digest()[:16]


def slugify_sign(slugify: Callable[[str, str], str], separator: str) -> str:
    """What a slugify function is, for a cache's version: its name, and what it makes of a
    heading that tells the usual options apart (case, Unicode, punctuation), since a function
    configured in `mkdocs.yml` keeps its name whatever its options."""
    return f"{name_of(slugify)} {slugify(_SLUG_PROBE, separator)}"


def name_of(value: Any) -> str:
    """A function's or class's name, the same in every process."""
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"


_Made = TypeVar("_Made")


def kept_or_made(disk: BuildCache | None, make: Callable[[], _Made], *parts: str) -> _Made:
    """What `disk` kept under the key of `parts`, or `make()`, kept there for the next build.
    No key is hashed without a cache (a `serve` rebuild)."""
    if disk is None:
        return make()
    key = digest(*parts)
    kept = disk.get(key)
    if kept is None:
        kept = make()
        disk.put(key, kept)
    return kept


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
    written is not written, and the build goes on either way.

    The file: `_MAGIC`, the values' pickles one after the other, then the pickle of
    (version, {key: offset << 64 | length << 32 | CRC-32}), then that pickle's offset (8 bytes).
    Only the index is held in memory (about 130 bytes a key); a value is read, and checked,
    when asked for."""

    def __init__(self, folder: Path, version: str, *, keep_unused: bool = False) -> None:
        self.path = folder / FILE_NAME
        self.keep_unused = keep_unused
        self.problem: str | None = None
        self.hits = 0
        self._version = version
        self._old: BinaryIO | None = None
        self._old_index: dict[bytes, int] = {}
        self._open_old()
        self._new: BinaryIO | None = None
        self._index: dict[bytes, int] = {}
        # Its own name: another build (another container with the same pid) may write beside it.
        self._scratch: Path | None = folder / f"{FILE_NAME}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._new = os.fdopen(os.open(self._scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "wb")
            self._new.write(_MAGIC)
        except OSError as error:
            if self._new is None:
                self._scratch = None  # not ours to delete
            self._drop_new(f"cannot write the build cache in {folder}: {error}")

    def _open_old(self) -> None:
        try:
            old = open(self.path, "rb")  # noqa: SIM115 - open until `close`
        except (FileNotFoundError, NotADirectoryError):  # no last build here
            return
        except OSError as error:
            self.problem = f"cannot read the build cache {self.path} ({error}); building without it"
            return
        try:
            if old.read(len(_MAGIC)) != _MAGIC:
                raise ValueError("not a build cache")
            old.seek(-_OFFSET.size, os.SEEK_END)
            (start,) = _OFFSET.unpack(old.read(_OFFSET.size))
            end = old.seek(-_OFFSET.size, os.SEEK_END)
            if not len(_MAGIC) <= start <= end:
                raise ValueError("no index")
            old.seek(start)
            version, index = pickle.loads(old.read(end - start))
            if not isinstance(index, dict):
                raise ValueError("no index")
        except Exception as error:  # noqa: BLE001 - whatever a damaged file does, the build goes on
            old.close()
            self.problem = f"cannot read the build cache {self.path} ({type(error).__name__}); building without it"
            return
        if version != self._version:
            old.close()
            return
        self._old, self._old_index = old, index

    def get(self, key: bytes) -> Any | None:
        """The value kept under `key`, or None (also for a damaged one: its checksum)."""
        place = self._old_index.get(key)
        if place is None or self._old is None:
            return None
        try:
            blob = self._read(place)
            value = pickle.loads(blob) if zlib.crc32(blob) == place & 0xFFFFFFFF else None
        except Exception:  # noqa: BLE001 - a damaged entry is one that was not kept
            return None
        if value is None:
            return None
        self.hits += 1
        if key not in self._index:
            self._write(key, blob)
        return value

    def put(self, key: bytes, value: Any) -> None:
        try:
            blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return  # made again next time
        self._write(key, blob)

    def _read(self, place: int) -> bytes:
        """The bytes at `place`: offset << 64 | length << 32 | CRC-32."""
        assert self._old is not None
        self._old.seek(place >> 64)
        return self._old.read(place >> 32 & 0xFFFFFFFF)

    def _write(self, key: bytes, blob: bytes) -> None:
        """`blob` under `key`, in place of any earlier one."""
        if self._new is None or len(blob) > 0xFFFFFFFF:
            return
        try:
            self._index[key] = self._new.tell() << 64 | len(blob) << 32 | zlib.crc32(blob)
            self._new.write(blob)
        except OSError as error:
            self._drop_new(f"cannot write the build cache {self._scratch}: {error}")

    def close(self) -> None:
        """The new file in the old one's place; scratch files that a killed build left behind
        (an hour old) go."""
        try:
            if self._new is not None and self.keep_unused and self._old is not None:
                for key, place in self._old_index.items():
                    if key not in self._index:
                        self._write(key, self._read(place))
            self._close_old()
            if self._new is None:
                return
            start = self._new.tell()
            self._new.write(pickle.dumps((self._version, self._index), protocol=pickle.HIGHEST_PROTOCOL))
            self._new.write(_OFFSET.pack(start))
            self._new.close()
            self._new = None
            assert self._scratch is not None
            os.replace(self._scratch, self.path)
            self._index = {}
            for left in self.path.parent.glob(f"{FILE_NAME}.*.tmp"):
                if time.time() - left.stat().st_mtime > 3600:
                    left.unlink(missing_ok=True)
        except OSError as error:
            self._close_old()
            self._drop_new(f"cannot write the build cache {self.path}: {error}")

    def abandon(self) -> None:
        """A build that failed: the last good file stays."""
        self._close_old()
        self._drop_new(None)

    def _close_old(self) -> None:
        if self._old is not None:
            self._old.close()
        self._old, self._old_index = None, {}

    def _drop_new(self, problem: str | None) -> None:
        if self._new is not None:
            self._new.close()
            self._new = None
        self._index = {}
        if self._scratch is not None:
            try:
                self._scratch.unlink(missing_ok=True)
            except OSError:
                pass
        self.problem = self.problem or problem
