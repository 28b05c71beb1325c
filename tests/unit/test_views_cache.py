"""Layout, communities and PageRank are computed once per graph structure and kept on disk."""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs_garden.core.vault import PrivacyRules, build_vault
from mkdocs_garden.core.views import build_views

NOTES = {"A.md": "[[B]] [[C]]", "B.md": "[[C]]", "C.md": "text", "D.md": "[[A]]"}


def _views(texts: dict[str, str], cache: Path):
    vault = build_vault(texts, [], privacy=PrivacyRules(()))
    return build_views(vault, cache_dir=cache, graph_tags=False, graph_unwritten=False, with_unlinked=False)


def test_second_build_reads_the_structure_back(tmp_path: Path) -> None:
    first = _views(NOTES, tmp_path)
    second = _views(NOTES, tmp_path)
    assert (first.layout_cached, second.layout_cached) == (False, True)
    assert (second.positions, second.community, second.insights) == (first.positions, first.community, first.insights)
    assert second.insights.hubs[0][0] == "C.md"  # most linked to


def test_a_new_link_computes_it_again(tmp_path: Path) -> None:
    _views(NOTES, tmp_path)
    changed = _views({**NOTES, "C.md": "[[D]]"}, tmp_path)
    assert not changed.layout_cached
    assert len(list((tmp_path / "layout").glob("*.json"))) == 1  # the old structure is dropped


def test_an_unreadable_or_old_cache_file_is_recomputed(tmp_path: Path) -> None:
    _views(NOTES, tmp_path)
    (cached,) = (tmp_path / "layout").glob("*.json")
    cached.write_text(json.dumps({"A.md": [0, 0]}), encoding="utf-8")  # the format before PageRank was kept
    assert not _views(NOTES, tmp_path).layout_cached
    cached.write_text("{half", encoding="utf-8")
    assert not _views(NOTES, tmp_path).layout_cached
