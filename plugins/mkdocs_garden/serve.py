"""`mkdocs serve` support: watch the vault without Obsidian's own files, and keep what a
rebuild can reuse.

MkDocs watches the whole docs folder; Obsidian rewrites `.obsidian/workspace.json` whenever
the author clicks, which would rebuild the site for nothing. MkDocs has no ignore option, so
the docs watch is replaced by one with a filter; if MkDocs' server internals ever change,
the original watch is kept and only a debug message says so.

`RebuildMemo` keeps results across rebuilds under the inputs they were made from, so an edit
that changes none of a generated page's inputs makes nothing again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger(__name__)
IGNORED_DIRS = (".obsidian", ".trash", ".git", ".cache", "__pycache__", ".ipynb_checkpoints")


def is_ignored(path: str, root: str, ignored: tuple[str, ...] = IGNORED_DIRS) -> bool:
    """Is `path` (under `root`) inside one of the ignored folders, or an editor temp file?"""
    relative = os.path.relpath(path, root)
    parts = relative.split(os.sep)
    name = parts[-1]
    return any(part in ignored for part in parts[:-1]) or name.endswith(("~", ".swp", ".tmp"))


def watch_vault_ignoring(server: Any, docs_dir: str, ignored: tuple[str, ...]) -> None:
    """Swap the server's watch of `docs_dir` for one that skips `ignored` folders."""
    import watchdog.events

    root = os.path.abspath(docs_dir)
    needed = ("observer", "_rebuild_cond", "_watched_paths", "unwatch")
    if not all(hasattr(server, name) for name in needed) or root not in server._watched_paths:
        log.debug("cannot filter the docs watch on this MkDocs; watching everything")
        return
    server.unwatch(root)

    def changed(event: Any) -> None:
        paths = [getattr(event, "src_path", ""), getattr(event, "dest_path", "")]
        if event.is_directory or all(not p or is_ignored(p, root, ignored) for p in paths):
            return
        with server._rebuild_cond:
            server._want_rebuild = True
            server._rebuild_cond.notify_all()

    handler = watchdog.events.FileSystemEventHandler()
    handler.on_any_event = changed  # type: ignore[method-assign]
    server.observer.schedule(handler, root, recursive=True)


T = TypeVar("T")
Ask = Callable[..., Any]  # ask(lookup name, *arguments) -> the lookup's answer


class RebuildMemo(Generic[T]):
    """Results kept from one build to the next (only with `keep`, i.e. while serving).

    A result is kept under a key (compared with `==`, so it must hold the inputs themselves,
    or values that change whenever they do) and the answers of the lookups it asked for while
    it was made: it is reused only when the key is equal and every lookup, asked again of this
    build, answers the same. What is not asked for in a build is dropped at its `end`.
    """

    def __init__(self, keep: bool = False) -> None:
        self.keep = keep
        self.made: list[str] = []  # names made afresh since `begin`, for the log and the tests
        self._kept: dict[str, tuple[object, dict[tuple[Hashable, ...], Any], T]] = {}
        self._asked: set[str] = set()

    def begin(self) -> None:
        self.made, self._asked = [], set()

    def end(self) -> None:
        self._kept = {name: kept for name, kept in self._kept.items() if name in self._asked}

    def get(self, name: str, key: object, make: Callable[[Ask], T],
            lookups: dict[str, Callable[..., Any]] | None = None) -> T:
        """The result `make(ask)` gives, kept or made now; `ask(lookup, *args)` answers with
        `lookups[lookup](*args)` and records the answer."""
        lookups = lookups or {}
        self._asked.add(name)
        kept = self._kept.get(name)
        if kept is not None and kept[0] == key and all(lookups[query[0]](*query[1:]) == answer
                                                       for query, answer in kept[1].items()):
            return kept[2]
        answers: dict[tuple[Hashable, ...], Any] = {}

        def ask(lookup: str, *args: Hashable) -> Any:
            query = (lookup, *args)
            if query not in answers:
                answers[query] = lookups[lookup](*args)
            return answers[query]

        result = make(ask)
        self.made.append(name)
        if self.keep:
            self._kept[name] = (key, answers, result)
        return result
