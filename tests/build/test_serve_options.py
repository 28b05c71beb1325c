"""An option changed in `mkdocs.yml` while `mkdocs serve` runs: MkDocs reloads the config but
keeps the plugin, with every cache and memo it holds. The rebuild must publish what a fresh
build with the new option publishes (every page, `timeline.json`, the search index, the
charts), and warn alike. Left out: `graph.json` and `graph.svg`, whose layout `serve` keeps
still by design (carried over, not laid out afresh)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.garden_build import build_site, write_vault

pytestmark = [pytest.mark.build, pytest.mark.usefixtures("one_day")]

VAULT = {
    "index.md": "# Home\n\n[[Fern]] and [[Moss#Big leaf]] ![[Moss#Big leaf]]\n",
    "Journal.md": ("---\njournal: true\nplan:\n  start: 2024-05-01\n  weeks: 1\n---\n# Log\n\n"
                   "## Day 1 (05-01-2024)\n\nPlanted [[Fern]].\n\n## Day 2\n\nWatered.\n"),
    "Fern.md": "---\ntitle: Fern\n---\n#plants\n\n- [ ] water the fern 📅 2024-05-03\n\nSee [[Moss]]. Moss grows.\n",
    "Moss.md": "# Moss\n\n## Big leaf\n\ntext <b onclick=\"x()\">bold</b> ^blk\n\n> [!note] A callout\n> body\n",
    "private/Secret.md": "# Secret\n\n[[Fern]]\n",
    "2024-05-02.md": "Sowed seeds.\n",
}
OPTIONS = [
    ("graph_depth", {"garden": {"graph_depth": 2}}),
    ("backlinks", {"garden": {"backlinks": False}}),
    ("unlinked", {"garden": {"unlinked_mentions": True}}),
    ("embed_depth", {"garden": {"embed_depth": 0}}),
    ("raw_html", {"garden": {"raw_html": "keep"}}),
    ("renderer", {"garden": {"renderer": "python-markdown"}}),
    ("private", {"garden": {"private": ["private/**"]}}),
    ("navigation", {"garden": {"navigation": "full"}}),
    ("graph_tags", {"garden": {"graph_tags": True}}),
    ("graph_unwritten", {"garden": {"graph_unwritten": True}}),
    ("tags_page", {"garden": {"tags_page": "all-tags.md"}}),
    ("tolerant", {"garden": {"tasks": {"tolerant": True}}}),
    ("dir_urls", {"extra": {"use_directory_urls": False}}),
    ("permalink", {"extra": {"markdown_extensions": [{"toc": {"permalink": True}}]}}),
    ("separator", {"extra": {"markdown_extensions": [{"toc": {"separator": "_"}}]}}),
    ("global_filter", {"garden": {"tasks": {"global_filter": "#plants"}}}),
    ("timeline_page", {"garden": {"timeline_page": "timeline.md"}}),
    ("tasks_page", {"garden": {"tasks": {"page": "tasks.md"}}}),
    ("graph_off", {"garden": {"graph": False}}),
]



def _published(site: Path) -> dict[str, str]:
    return {str(path.relative_to(site)): path.read_text(encoding="utf-8") for path in sorted(site.rglob("*"))
            if path.is_file() and path.suffix in (".html", ".json", ".svg")
            and path.name not in ("graph.json", "graph.svg")}


@pytest.mark.parametrize(("name", "change"), OPTIONS, ids=[name for name, _ in OPTIONS])
def test_an_option_changed_while_serving_builds_what_a_fresh_build_does(tmp_path: Path, name: str,
                                                                        change: dict[str, Any]) -> None:
    write_vault(tmp_path / "f", VAULT)
    fresh = build_site(tmp_path / "f", garden=change.get("garden"), extra=change.get("extra"))
    write_vault(tmp_path / "s", VAULT)
    build_site(tmp_path / "s", command="serve")
    served = build_site(tmp_path / "s", command="serve", garden=change.get("garden"), extra=change.get("extra"))
    shown, expected = _published(served.site), _published(fresh.site)
    assert len(expected) > 10
    assert [path for path in sorted(shown.keys() | expected.keys()) if shown.get(path) != expected.get(path)] == []
    assert sorted(served.warnings) == sorted(fresh.warnings)
