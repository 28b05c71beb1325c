"""`BuildCache`: what one build kept, read by the next, and only what that one used."""

from __future__ import annotations

import os
import pickle
import threading
import time
from pathlib import Path

from mkdocs_garden.core.build_cache import FILE_NAME, BuildCache, code_version, digest, slugify_sign
from mkdocs_garden.core.scan import default_slugify


def _build(folder: Path, wanted: list[str], made: dict[str, object], *, version: str = "v1",
           keep_unused: bool = False) -> dict[str, object]:
    """One build: asks for `wanted`, puts `made` (each under its name's key); what it found."""
    cache = BuildCache(folder, version, keep_unused=keep_unused)
    found = {name: cache.get(digest("k", name)) for name in wanted}
    for name, value in made.items():
        cache.put(digest("k", name), value)
    cache.close()
    assert cache.problem is None
    return found


def test_the_next_build_reads_what_the_last_one_put(tmp_path: Path) -> None:
    assert _build(tmp_path, ["a"], {"a": (1, "x"), "b": {"y": [2]}}) == {"a": None}
    assert _build(tmp_path, ["a", "b", "c"], {}) == {"a": (1, "x"), "b": {"y": [2]}, "c": None}
    assert list(tmp_path.iterdir()) == [tmp_path / FILE_NAME]  # no scratch file left


def test_what_a_build_did_not_use_is_gone_from_the_next(tmp_path: Path) -> None:
    _build(tmp_path, [], {"a": 1, "b": 2})
    assert _build(tmp_path, ["a"], {}) == {"a": 1}  # read, so kept again
    assert _build(tmp_path, ["a", "b"], {}) == {"a": 1, "b": None}


def test_a_dirty_build_keeps_what_it_did_not_use(tmp_path: Path) -> None:
    _build(tmp_path, [], {"a": 1, "b": 2})
    _build(tmp_path, ["a"], {"c": 3}, keep_unused=True)
    assert _build(tmp_path, ["a", "b", "c"], {}) == {"a": 1, "b": 2, "c": 3}


def test_kinds_are_apart(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path, "v1")
    cache.put(digest("note", "a"), 1)
    cache.close()
    cache = BuildCache(tmp_path, "v1")
    assert cache.get(digest("html", "a")) is None and cache.get(digest("note", "a")) == 1
    assert cache.hits == 1
    cache.close()


def test_a_value_put_again_replaces_the_first(tmp_path: Path) -> None:
    _build(tmp_path, [], {"a": 1})
    cache = BuildCache(tmp_path, "v1")
    assert cache.get(digest("k", "a")) == 1  # then found stale by its caller
    cache.put(digest("k", "a"), 2)
    cache.close()
    assert _build(tmp_path, ["a"], {}) == {"a": 2}


def test_another_version_starts_afresh(tmp_path: Path) -> None:
    _build(tmp_path, [], {"a": 1})
    assert _build(tmp_path, ["a"], {}, version="v2") == {"a": None}


def test_a_damaged_file_is_reported_and_replaced(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_bytes(b"not a database, half written" * 100)
    cache = BuildCache(tmp_path, "v1")
    assert cache.get(digest("k", "a")) is None
    assert cache.problem is not None and FILE_NAME in cache.problem
    cache.put(digest("k", "a"), 1)
    cache.close()
    assert _build(tmp_path, ["a"], {}) == {"a": 1}


def test_a_failed_build_leaves_the_last_good_file(tmp_path: Path) -> None:
    _build(tmp_path, [], {"a": 1})
    cache = BuildCache(tmp_path, "v1")
    cache.put(digest("k", "b"), 2)
    cache.abandon()
    assert _build(tmp_path, ["a", "b"], {}) == {"a": 1, "b": None}
    assert list(tmp_path.iterdir()) == [tmp_path / FILE_NAME]


def test_a_value_that_cannot_be_kept_is_made_again(tmp_path: Path) -> None:
    assert _build(tmp_path, [], {"lock": threading.Lock(), "b": 2}) == {}
    assert _build(tmp_path, ["lock", "b"], {}) == {"lock": None, "b": 2}


def test_two_builds_at_once_each_write_a_whole_file(tmp_path: Path) -> None:
    _build(tmp_path, [], {"a": 1})
    first, second = BuildCache(tmp_path, "v1"), BuildCache(tmp_path, "v1")
    assert first.get(digest("k", "a")) == 1 and second.get(digest("k", "a")) == 1
    first.put(digest("k", "b"), 2)
    second.put(digest("k", "c"), 3)
    first.close()
    second.close()  # the last to finish wins, whole
    assert _build(tmp_path, ["a", "b", "c"], {}) == {"a": 1, "b": None, "c": 3}


def test_an_unwritable_folder_means_no_cache_not_a_failed_build(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    cache = BuildCache(blocker, "v1")
    cache.put(digest("k", "a"), 1)
    assert cache.get(digest("k", "a")) is None
    cache.close()
    assert cache.problem is not None and "cannot write" in cache.problem


def test_keys_tell_their_parts_apart() -> None:
    assert digest("ab", "c") != digest("a", "bc")
    assert digest("a") == digest("a") and len(digest("a")) == 16


def test_a_slugify_is_told_by_what_it_makes() -> None:
    def lower(text: str, separator: str) -> str:
        return default_slugify(text, separator).lower()

    def upper(text: str, separator: str) -> str:
        return default_slugify(text, separator).upper()

    upper.__qualname__ = lower.__qualname__  # a function configured twice keeps its name
    assert slugify_sign(lower, "-") != slugify_sign(upper, "-")
    assert slugify_sign(lower, "-") != slugify_sign(lower, "_")


def test_the_code_version_is_one_hash() -> None:
    assert len(code_version()) == 64 and code_version() == code_version()


def test_a_notes_records_pickle_to_equal_records() -> None:
    """The model's records pickle as their fields (model.py): every one of them comes back
    equal, a note's tasks too."""
    from mkdocs_garden.core.model import _SLOTTED
    from mkdocs_garden.core.scan import scan_note
    from mkdocs_garden.core.tasks import tasks_in_text

    text = ("---\ntags: [a]\n---\n# H ^b\n\n> [!note] T\n> [[L#x|y]] #t <b>x</b>\n\n- [ ] do 📅 2024-01-02 ^id\n"
            "- [x] done ✅ 2024-01-03\n\n[m](n.md) <!-- c -->\n")
    note = scan_note("n.md", text)
    state = {**vars(note), "text": ""}
    assert pickle.loads(pickle.dumps(state)) == state
    tasks = tasks_in_text("n.md", text)
    assert len(tasks) == 2 and pickle.loads(pickle.dumps(tasks)) == tasks
    seen = {type(value) for value in [*note.links, *note.headings, *note.tags, *note.callouts, *note.block_ids,
                                      *note.checkboxes, *note.raw_html, *note.comments, *tasks]}
    assert len(seen & set(_SLOTTED)) >= 8  # and Span, TaskDate, HtmlPiece inside them


def test_a_damaged_value_is_not_used(tmp_path: Path) -> None:
    _build(tmp_path, [], {"a": "a value long enough to hold a byte worth flipping"})
    data = bytearray((tmp_path / FILE_NAME).read_bytes())
    at = data.index(b"long enough")
    data[at] ^= 0x01  # still a valid pickle, of another string: only the checksum tells
    (tmp_path / FILE_NAME).write_bytes(bytes(data))
    assert _build(tmp_path, ["a"], {}) == {"a": None}


def test_a_file_whose_index_is_garbage_is_reported(tmp_path: Path) -> None:
    _build(tmp_path, [], {"a": 1})
    data = (tmp_path / FILE_NAME).read_bytes()
    (tmp_path / FILE_NAME).write_bytes(data[:-8] + (2**63).to_bytes(8, "big"))
    cache = BuildCache(tmp_path, "v1")
    assert cache.get(digest("k", "a")) is None and cache.problem is not None
    cache.close()


def test_scratch_files_a_killed_build_left_go_after_an_hour(tmp_path: Path) -> None:
    old, fresh = tmp_path / f"{FILE_NAME}.1.dead.tmp", tmp_path / f"{FILE_NAME}.2.running.tmp"
    old.write_bytes(b"half")
    fresh.write_bytes(b"half")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    _build(tmp_path, [], {"a": 1})
    assert not old.exists() and fresh.exists()


def test_a_note_published_as_plain_text_comes_back_as_plain_text(tmp_path: Path, monkeypatch) -> None:
    """A note the scanner failed on is kept with the text it is published with, not the file's."""
    from mkdocs_garden.core import vault

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug the note's text runs into")

    text = "# N\n\nSee [[x]].\n"
    monkeypatch.setattr(vault, "scan_note", broken)
    first = vault.ParseCache(disk=BuildCache(tmp_path, "v1"))
    plain = first.note("n.md", text, default_slugify, "-")
    assert first.disk is not None
    first.disk.close()
    monkeypatch.undo()
    second = vault.ParseCache(disk=BuildCache(tmp_path, "v1"))
    again = second.note("n.md", text, default_slugify, "-")
    assert second.parsed == [] and again.text == plain.text != text and again == plain
