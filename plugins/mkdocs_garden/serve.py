"""`mkdocs serve` support: watch the vault without Obsidian's own files.

MkDocs watches the whole docs folder; Obsidian rewrites `.obsidian/workspace.json` whenever
the author clicks, which would rebuild the site for nothing. MkDocs has no ignore option, so
the docs watch is replaced by one with a filter; if MkDocs' server internals ever change,
the original watch is kept and only a debug message says so. What a rebuild can reuse is
kept by `core.memo.RebuildMemo`.
"""

from __future__ import annotations

import os
from typing import Any

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
