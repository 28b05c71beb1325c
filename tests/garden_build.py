"""Real MkDocs builds of small vaults, in process, with the log captured."""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@dataclass
class Built:
    """What a build left: the site folder, the log lines, and whether it failed."""

    root: Path
    site: Path
    messages: list[str] = field(default_factory=list)
    failed: bool = False

    @property
    def warnings(self) -> list[str]:
        return [m for m in self.messages if m.startswith("WARNING")]

    def html(self, page: str) -> str:
        """The HTML of a page given by its source path (`a/Note.md` -> `a/Note/index.html`)."""
        stem = page.removesuffix(".md")
        target = self.site / ("index.html" if stem == "index" else f"{stem}/index.html")
        if stem.endswith("/index"):
            target = self.site / stem[: -len("index")] / "index.html"
        return target.read_text(encoding="utf-8")

    def all_text(self) -> str:
        """Every text file of the site, concatenated (for leak searches)."""
        parts = []
        for path in sorted(self.site.rglob("*")):
            if path.is_file():
                parts.append(path.name)
                parts.append(path.read_bytes().decode("utf-8", "replace"))
        return "\n".join(parts)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.getMessage()}")


def write_vault(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (vault path -> content) under `root/docs`."""
    docs = root / "docs"
    for path, content in files.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    docs.mkdir(parents=True, exist_ok=True)
    return docs


def build_site(root: Path, *, garden: dict[str, Any] | None = None, strict: bool = False,
               extra: dict[str, Any] | None = None, plugins: list[Any] | None = None,
               command: str = "build", serve_url: str | None = None, dirty: bool = False,
               isolated: bool = False) -> Built:
    """Build `root/docs` with Material and the garden plugin (options `garden`); `command`
    is what `on_startup` is told (`serve` for a rebuild as `mkdocs serve` runs it), `dirty`
    whether the build is `--dirty`, and `serve_url` what MkDocs' own build is (`mkdocs serve`
    gives its address: drafts are built). MkDocs keeps one instance of a plugin with
    `on_startup` per process; `isolated` builds with instances of its own, which neither see
    nor reset what a `serve` session's instance keeps."""
    config = {
        "site_name": "Test garden",
        "theme": {"name": "material"},
        "plugins": plugins if plugins is not None else ["search", {"garden": garden or {}}],
        "strict": strict,
        **(extra or {}),
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)  # as the mkdocs command line does
    built = Built(root, root / "site")
    kept_plugins = MkDocsConfig.plugins.plugin_cache
    if isolated:
        MkDocsConfig.plugins.plugin_cache = {}
    try:
        cfg = load_config(config_file=str(root / "mkdocs.yml"))
        cfg.plugins.on_startup(command=command, dirty=dirty)
        try:
            build(cfg, serve_url=serve_url, dirty=dirty)
        except Abort:
            built.failed = True
        finally:
            cfg.plugins.on_shutdown()
    finally:
        MkDocsConfig.plugins.plugin_cache = kept_plugins
        logger.removeHandler(handler)
        logger.setLevel(level)
    built.messages = handler.lines
    return built


def tree_hash(folder: Path) -> str:
    """A hash of every file (path and bytes) under `folder`: equal means untouched."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()
