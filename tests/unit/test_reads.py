"""Reading notes again only when they changed (core/reads.py), and never trusting a stat
taken before the file had settled."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from mkdocs_garden.core import reads
from mkdocs_garden.core.reads import SETTLE_NS, FileReader

HOUR_NS = 3600 * 10**9


def settled_file(path: Path, text: str) -> Path:
    """`text` written an hour ago, as far as the modification time tells (the change time
    cannot be set: readers are given a clock an hour ahead instead, see `later`)."""
    path.write_text(text, encoding="utf-8")
    past = os.stat(path).st_mtime_ns - HOUR_NS
    os.utime(path, ns=(past, past))
    return path


def later() -> int:
    return time.time_ns() + HOUR_NS


def reading(reader: FileReader, path: Path, calls: list[bytes]) -> str:
    reader.begin()
    value = reader.read(str(path), lambda data: (calls.append(data), data.decode())[1])
    reader.end()
    return value


def test_an_unchanged_settled_file_is_not_read_again(tmp_path: Path) -> None:
    note = settled_file(tmp_path / "a.md", "first")
    reader, calls = FileReader(keep=True, clock=later), []
    assert reading(reader, note, calls) == reading(reader, note, calls) == "first"
    assert len(calls) == 1 and reader.read_again == []
    note.write_text("second, longer", encoding="utf-8")
    assert reading(reader, note, calls) == "second, longer" and len(calls) == 2


def test_a_file_replaced_by_another_of_the_same_size_is_read_again(tmp_path: Path) -> None:
    """Editors that save through a temporary file and a rename give the note a new inode."""
    note = settled_file(tmp_path / "a.md", "aaaa")
    reader, calls = FileReader(keep=True, clock=later), []
    reading(reader, note, calls)
    before = os.stat(note)
    other = settled_file(tmp_path / "b.tmp", "bbbb")
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(other, note)
    assert reading(reader, note, calls) == "bbbb"


def test_a_signature_taken_before_the_file_settled_is_not_trusted(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A second save in the file system's timestamp tick, of the same size, leaves the stat
    as it was: simulated by serving the first stat again for the changed file."""
    note = tmp_path / "a.md"
    note.write_text("v1", encoding="utf-8")
    first = os.stat(note)
    now = max(first.st_mtime_ns, first.st_ctime_ns)
    calls: list[bytes] = []
    fresh = FileReader(keep=True, clock=lambda: now + 1)  # read right after the save
    settled = FileReader(keep=True, clock=lambda: now + SETTLE_NS)  # read once it had settled
    for reader in (fresh, settled):
        reading(reader, note, calls)
    note.write_text("v2", encoding="utf-8")
    monkeypatch.setattr(reads.os, "stat", lambda path: first)
    assert reading(fresh, note, calls) == "v2"  # not trusted: read again
    # Trusted: a change after a settled read would have a later time stamp (real stats move).
    assert reading(settled, note, calls) == "v1"


def test_a_one_off_build_keeps_nothing_and_deleted_files_are_forgotten(tmp_path: Path) -> None:
    note = settled_file(tmp_path / "a.md", "x")
    once, calls = FileReader(keep=False), []
    reading(once, note, calls)
    reading(once, note, calls)
    assert len(calls) == 2 and once._kept == {}
    kept = FileReader(keep=True, clock=later)
    reading(kept, note, calls)
    assert list(kept._kept) == [str(note)]
    kept.begin()
    kept.end()  # a build that did not read it: the note was deleted
    assert kept._kept == {}
    note.unlink()
    with pytest.raises(OSError):
        reading(kept, note, calls)


def test_modification_times_come_with_the_read(tmp_path: Path) -> None:
    note = settled_file(tmp_path / "a.md", "x")
    reader = FileReader(keep=True)
    reading(reader, note, [])
    assert reader.mtimes == {str(note): os.stat(note).st_mtime}


def test_a_stat_the_caller_has_is_not_asked_for_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    note = settled_file(tmp_path / "a.md", "x")
    status = os.lstat(note)  # the scan's symlink check took it already

    def asked(path: str) -> os.stat_result:
        raise AssertionError("stat asked again")

    monkeypatch.setattr(reads.os, "stat", asked)
    reader = FileReader(keep=True, clock=later)
    reader.begin()
    assert reader.read(str(note), bytes.decode, status) == "x"
    assert reader.mtimes == {str(note): status.st_mtime}
