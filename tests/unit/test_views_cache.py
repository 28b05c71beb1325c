"""What a build keeps for the next: layout, communities and PageRank per graph structure (on
disk), link resolutions per vault namespace (in memory, for serve)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from mkdocs_garden.core.vault import PrivacyRules, build_vault
from mkdocs_garden.core.views import STRUCTURE_VERSION, build_views

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


def test_a_build_that_finds_its_structure_kept_imports_no_numpy(tmp_path: Path) -> None:
    """numpy (16 MiB of a build's memory) is for laying the graph out and PageRank; the
    structure's key, which finds them kept, is made without it."""
    import os
    import subprocess
    import sys

    _views(NOTES, tmp_path)
    script = ("import sys\nfrom pathlib import Path\nfrom mkdocs_garden.core.vault import PrivacyRules, build_vault\n"
              "from mkdocs_garden.core.views import build_views\n"
              f"vault = build_vault({NOTES!r}, [], privacy=PrivacyRules(()))\n"
              f"views = build_views(vault, cache_dir=Path({str(tmp_path)!r}), graph_tags=False, "
              "graph_unwritten=False, with_unlinked=False)\n"
              "print(views.layout_cached, 'numpy' in sys.modules)\n")
    plugins = str(Path(__file__).resolve().parents[2] / "plugins")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": plugins})
    assert run.stdout.split() == ["True", "False"]


def test_a_new_link_computes_it_again(tmp_path: Path) -> None:
    _views(NOTES, tmp_path)
    (tmp_path / "layout" / "left.json.123.ab.tmp").write_text("{", encoding="utf-8")  # a build stopped
    changed = _views({**NOTES, "C.md": "[[D]]"}, tmp_path)
    assert not changed.layout_cached
    assert len(list((tmp_path / "layout").iterdir())) == 1  # the old structure is dropped, and the rest


def test_builds_sharing_the_cache_folder_both_lay_out_and_leave_one_good_file(tmp_path: Path) -> None:
    """`mkdocs serve` and `mkdocs build` of one vault share `cache_dir`. Both wrote the
    structure under one temporary name, so the slower one's move found nothing and its build
    failed (FileNotFoundError); threads racing here did so about once a try."""
    import threading

    failures: list[BaseException] = []

    def build(folder: Path) -> None:
        try:
            _views(NOTES, folder)
        except BaseException as error:  # noqa: BLE001 - any failure of a build fails the test
            failures.append(error)

    for trial in range(10):
        folder = tmp_path / str(trial)
        racing = [threading.Thread(target=build, args=(folder,)) for _ in range(6)]
        for thread in racing:
            thread.start()
        for thread in racing:
            thread.join()
        assert _views(NOTES, folder).layout_cached
        assert [p.suffix for p in (folder / "layout").iterdir()] == [".json"]
    assert failures == []


def test_a_cache_folder_that_cannot_be_written_leaves_the_build_going(tmp_path: Path) -> None:
    (tmp_path / "layout").write_text("a file where the folder would be", encoding="utf-8")
    views = _views(NOTES, tmp_path)
    assert not views.layout_cached and views.insights.hubs[0][0] == "C.md"


def test_an_unreadable_or_old_cache_file_is_recomputed(tmp_path: Path) -> None:
    _views(NOTES, tmp_path)
    (cached,) = (tmp_path / "layout").glob("*.json")
    cached.write_text(json.dumps({"A.md": [0, 0]}), encoding="utf-8")  # the format before PageRank was kept
    assert not _views(NOTES, tmp_path).layout_cached
    cached.write_text("{half", encoding="utf-8")
    assert not _views(NOTES, tmp_path).layout_cached


def test_a_cache_file_of_an_older_version_is_not_trusted(tmp_path: Path) -> None:
    """Same graph, but communities computed the old way: the version in the name sets it apart."""
    first = _views(NOTES, tmp_path)
    (cached,) = (tmp_path / "layout").glob("*.json")
    document = json.loads(cached.read_text(encoding="utf-8"))
    older = cached.with_name(cached.name.replace(f".v{STRUCTURE_VERSION}.", "."))
    assert older != cached
    older.write_text(json.dumps({**document, "community": dict.fromkeys(document["community"], 9)}),
                     encoding="utf-8")
    cached.unlink()
    again = _views(NOTES, tmp_path)
    assert not again.layout_cached and again.community == first.community
    assert list((tmp_path / "layout").glob("*.json")) == [cached]  # the older file is dropped


def test_link_resolution_is_kept_while_the_vault_names_the_same_files() -> None:
    from mkdocs_garden.core.vault import ParseCache

    cache = ParseCache()
    texts = {"A.md": "[[B]] [[C]]", "B.md": "x"}
    first = build_vault(texts, [], privacy=PrivacyRules(()), cache=cache)
    assert cache.resolver is not None
    memo = cache.resolver._memo
    assert [r.kind for _, r in first.links["A.md"]] == ["note", "missing"]
    build_vault({**texts, "B.md": "edited"}, [], privacy=PrivacyRules(()), cache=cache)
    assert cache.resolver._memo is memo  # same files, same answers
    third = build_vault({**texts, "C.md": "new"}, [], privacy=PrivacyRules(()), cache=cache)
    assert cache.resolver._memo is not memo
    assert [r.path for _, r in third.links["A.md"]] == ["B.md", "C.md"]
    aliased = build_vault({**texts, "B.md": "---\naliases: [C]\n---\n"}, [], privacy=PrivacyRules(()), cache=cache)
    assert [r.path for _, r in aliased.links["A.md"]] == ["B.md", "B.md"]  # the same files, a new alias


def test_a_kept_resolver_reads_the_headings_of_this_build() -> None:
    """The same files and names keep the resolver, but a heading added to the target is
    found: headings and blocks are read from the notes of the build at hand."""
    from mkdocs_garden.core.vault import ParseCache

    cache = ParseCache()
    first = build_vault({"A.md": "[[B#Sec]]", "B.md": "x"}, [], privacy=PrivacyRules(()), cache=cache)
    resolver = cache.resolver
    assert first.links["A.md"][0][1].broken_anchor
    again = build_vault({"A.md": "[[B#Sec]]", "B.md": "# Sec\n"}, [], privacy=PrivacyRules(()), cache=cache)
    assert resolver is not None and cache.resolver is not None and cache.resolver._by_lower is resolver._by_lower
    assert not again.links["A.md"][0][1].broken_anchor and again.links["A.md"][0][1].anchor == "sec"


def test_serve_keeps_the_graph_and_its_insights_while_they_hold(tmp_path: Path) -> None:
    """Rebuilds sharing one memo answer as fresh builds do: the graph and the insights drawn
    from it are kept while the links hold, and the wanted notes, which the graph does not
    hold, are counted again every time. A graph changed in place holds what a new one does."""
    from mkdocs_garden.core.vault import ParseCache
    from mkdocs_garden.core.views import GraphMemo

    memo, cache = GraphMemo(), ParseCache()
    steps = [NOTES, {**NOTES, "C.md": "text [[Unwritten]]"}, {**NOTES, "C.md": "[[D]] [[Unwritten]]"},
             {**NOTES, "E.md": "alone"}, NOTES]
    versions = []
    for texts in steps:
        vault = build_vault(texts, [], privacy=PrivacyRules(()), cache=cache)
        served = build_views(vault, cache_dir=tmp_path / "served", graph_tags=False, graph_unwritten=False,
                             with_unlinked=False, graph_memo=memo)
        fresh = _views(texts, tmp_path / "fresh")
        assert served.insights == fresh.insights
        assert sorted(served.graph.nodes(data=True)) == sorted(fresh.graph.nodes(data=True))
        assert sorted(served.graph.edges(data=True)) == sorted(fresh.graph.edges(data=True))
        versions.append(served.version)
    assert versions[1] == versions[0] and versions[2] > versions[1]  # an unresolved link is no edge
    assert [w for w, _ in served.insights.wanted] == [] and versions[4] > versions[3] > versions[2]


def test_serve_keeps_each_notes_link_warnings_while_its_links_hold() -> None:
    """Link warnings from a memo shared by rebuilds equal a fresh build's, whether the note
    itself, the heading its link names, the namespace or the private notes moved."""
    from mkdocs_garden.core.vault import ParseCache, link_problems

    memo, cache = {}, ParseCache()
    steps = [{"A.md": "[[B#Top]] [[Gone]]", "B.md": "text"},
             {"A.md": "[[B#Top]] [[Gone]]", "B.md": "# Top"},  # the heading appears
             {"A.md": "[[B#Top]] [[Gone]]", "B.md": "# Top", "Gone.md": "now written"},
             {"A.md": "[[B#Top]] [[Gone]] [[Else]]", "B.md": "# Top", "Gone.md": "x"},
             {"A.md": "---\npublish: false\n---\n[[Else]]", "B.md": "[[Nowhere]]"}]
    for texts in steps:
        served = link_problems(build_vault(texts, [], privacy=PrivacyRules(()), cache=cache), memo)
        fresh = link_problems(build_vault(texts, [], privacy=PrivacyRules(())))
        assert [str(p) for p in served] == [str(p) for p in fresh]
    assert set(memo) == {"B.md"}  # a private note's warnings are not kept, nor shown


def test_serve_keeps_each_notes_graph_parts_while_it_and_its_links_hold() -> None:
    """Graph parts from a memo shared by rebuilds equal a fresh build's, in their order too:
    after a note's title, tags or links moved, a note went private, unwritten notes were
    asked for and not (the last spelling of one names it), and a note was deleted."""
    from mkdocs_garden.core.graph import PartsMemo, graph_parts
    from mkdocs_garden.core.vault import ParseCache

    memo, cache = PartsMemo(), ParseCache()
    steps = [(NOTES, False),
             ({**NOTES, "C.md": "# New title\n#tag [[A]]"}, False),
             ({**NOTES, "B.md": "---\npublish: false\n---\n[[C]]"}, False),
             ({**NOTES, "A.md": "[[Idea]] [[B]] ![[C]]", "D.md": "[[idea]] [[A]]"}, True),
             ({**NOTES, "A.md": "[[Idea]] [[B]] ![[C]]", "D.md": "[[idea]] [[A]]"}, False),
             ({"A.md": "[[Idea]] [[B]]", "B.md": "[[IDEA]]"}, True)]
    for texts, unwritten in steps:
        vault = build_vault(texts, [], privacy=PrivacyRules(()), cache=cache)
        served = graph_parts(vault, unwritten=unwritten, memo=memo)
        fresh = graph_parts(build_vault(texts, [], privacy=PrivacyRules(())), unwritten=unwritten)
        assert served == fresh and list(served[1].items()) == list(fresh[1].items())
        assert list(served[2].items()) == list(fresh[2].items())
    assert served[1]["unwritten:idea"]["title"] == "IDEA"


# Twelve notes in a ring, each also linking two on: a new note is a twelfth of the next graph,
# so `carried_structure` may carry the structure over to it.
RING = {f"N{i:02}.md": f"[[N{(i + 1) % 12:02}]] [[N{(i + 2) % 12:02}]]" for i in range(12)}


def _served(steps: list[dict[str, str]], cache: Path, *, carry: bool = True) -> list:
    from mkdocs_garden.core.vault import ParseCache
    from mkdocs_garden.core.views import GraphMemo

    memo, parses = GraphMemo(), ParseCache()
    return [build_views(build_vault(texts, [], privacy=PrivacyRules(()), cache=parses), cache_dir=cache,
                        graph_tags=False, graph_unwritten=False, with_unlinked=False, graph_memo=memo,
                        carry_structure=carry)
            for texts in steps]


def test_serve_carries_the_structure_over_to_a_new_link_and_a_new_note(tmp_path: Path) -> None:
    linked = {**RING, "N00.md": RING["N00.md"] + " [[N06]]"}
    grown = {**linked, "New.md": "[[N03]] [[N04]]"}
    first, second, third = _served([RING, linked, grown], tmp_path / "served")
    assert second.positions == first.positions and second.community == first.community
    fresh = _views(linked, tmp_path / "fresh")
    assert second.positions != fresh.positions  # a new link moves every node of a fresh layout
    assert second.insights.hubs == fresh.insights.hubs  # PageRank is worked out again
    assert {node: third.positions[node] for node in first.positions} == first.positions
    beside = [(a + b) / 2 for a, b in zip(first.positions["N03.md"], first.positions["N04.md"], strict=True)]
    assert math.dist(third.positions["New.md"], beside) == pytest.approx(0.03, abs=1e-3)
    assert third.community["New.md"] in {first.community["N03.md"], first.community["N04.md"]}
    # Only structures computed afresh are kept: a build of the same vault lays it out itself.
    assert [p.name.split(".")[0] for p in (tmp_path / "served" / "layout").glob("*.json")] == [first.key]


def test_serve_lays_the_graph_out_afresh_when_more_than_a_tenth_is_new(tmp_path: Path) -> None:
    grown = {**RING, "New.md": "[[N03]]", "Newer.md": "[[N05]]"}  # two new nodes of fourteen
    _, served = _served([RING, grown], tmp_path / "served")
    fresh = _views(grown, tmp_path / "fresh")
    assert (served.positions, served.community) == (fresh.positions, fresh.community)


def test_a_structure_is_carried_over_only_when_asked(tmp_path: Path) -> None:
    linked = {**RING, "N00.md": RING["N00.md"] + " [[N06]]"}
    _, served = _served([RING, linked], tmp_path / "served", carry=False)
    fresh = _views(linked, tmp_path / "fresh")
    assert (served.positions, served.community) == (fresh.positions, fresh.community)


def test_a_carried_structure_places_new_nodes_by_what_they_touch() -> None:
    """A new node next to another new one is placed once that one is; a new node touching no
    placed node goes on a spiral round the middle, in a community of its own; and the result
    depends on the graphs alone."""
    from mkdocs_garden.core.graph import NumberedGraph, carried_structure, graph_of, graph_parts

    texts = {**RING, "New.md": "[[Newer]]", "Newer.md": "[[N07]]"}
    texts |= {f"M{i}.md": "" for i in range(8)}  # 22 notes: two may be new
    last = _views({name: text for name, text in texts.items() if not name.startswith("New")}, None)
    graph = NumberedGraph.of(graph_of(graph_parts(build_vault(texts, [], privacy=PrivacyRules(())))))
    places, groups = carried_structure(graph, last.positions, last.community)
    assert math.dist(places["Newer.md"], last.positions["N07.md"]) == pytest.approx(0.03, abs=1e-3)
    assert math.dist(places["New.md"], places["Newer.md"]) == pytest.approx(0.03, abs=1e-3)
    assert groups["New.md"] == groups["Newer.md"] == last.community["N07.md"]
    assert carried_structure(graph, last.positions, last.community) == (places, groups)

    alone = NumberedGraph.of(graph_of(graph_parts(build_vault({**RING, "Alone.md": "no links"}, [],
                                                              privacy=PrivacyRules(())))))
    ring = _views(RING, None)
    places, groups = carried_structure(alone, ring.positions, ring.community)
    assert math.dist(places["Alone.md"], (0, 0)) == pytest.approx(0.05, abs=1e-3)
    assert groups["Alone.md"] == max(ring.community.values()) + 1
