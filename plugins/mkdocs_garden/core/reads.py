"""Reading the vault's notes, and while serving, reading a note again only when it changed.

`mkdocs serve` rebuilds after every save, and each rebuild opened, read and decoded every note
again (1,000 files: about 40 ms of a rebuild). `FileReader` keeps what it made of each file's
bytes with the file's `stat` signature (inode, size, modification and change times in
nanoseconds) and reads the file again only when the signature moved.

Like git's index, it does not trust a signature taken too soon after the file's last change.
Linux stamps files with a coarse clock (a tick of a few milliseconds), so a second save in the
same tick, of the same size, leaves every field as it was. A file whose last change is less
than `SETTLE_NS` before it was read is therefore read again, on every rebuild, until it has
been still that long: the note being edited is always read.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

SETTLE_NS = 2_000_000_000  # far more than any file system's timestamp granularity

Signature = tuple[int, int, int, int]  # inode, size, mtime_ns, ctime_ns


class FileReader(Generic[T]):
    """`read(path, convert)`: `convert(the file's bytes)`, kept with the file's signature when
    `keep` (while serving); `convert` must depend on the bytes only, one per file."""

    def __init__(self, keep: bool = False, clock: Callable[[], int] = time.time_ns) -> None:
        self.keep = keep
        self._clock = clock
        # path -> (signature, when it was read, what it was made into)
        self._kept: dict[str, tuple[Signature, int, T]] = {}
        self._seen: dict[str, tuple[Signature, int, T]] = {}
        self.mtimes: dict[str, float] = {}  # path -> modification time (s), for this build's files
        self.read_again: list[str] = []  # the files this build opened

    def begin(self) -> None:
        """A new build: files not read during it are forgotten at `end`."""
        self._seen, self.mtimes, self.read_again = {}, {}, []

    def end(self) -> None:
        self._kept, self._seen = (self._seen if self.keep else {}), {}

    def read(self, path: str, convert: Callable[[bytes], T], stat: os.stat_result | None = None) -> T:
        """Raises OSError as `open` would (a file deleted or unreadable mid-build). `stat`: the
        file's, when the caller has it (a symlink's own `lstat` will not do)."""
        stat = os.stat(path) if stat is None else stat
        signature = (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
        self.mtimes[path] = stat.st_mtime
        kept = self._kept.get(path)
        if kept is not None and kept[0] == signature and _settled(signature, kept[1]):
            value = kept[2]
            self._seen[path] = kept
        else:
            started = self._clock()
            with open(path, "rb") as handle:  # not pathlib: 1,000 notes a rebuild
                value = convert(handle.read())
            self.read_again.append(path)
            if self.keep:
                self._seen[path] = (signature, started, value)
        return value


def _settled(signature: Signature, read_at: int) -> bool:
    """Had the file been still for `SETTLE_NS` when it was read? Then any later change gets a
    later time stamp, and so a different signature."""
    return max(signature[2], signature[3]) + SETTLE_NS <= read_at
