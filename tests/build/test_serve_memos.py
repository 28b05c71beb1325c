"""`mkdocs serve` rebuilds reuse generated pages and resolved links only while their inputs
hold: every edit below changes one input of a kept result, and the rebuilt page must show it.
Each test also checks that an edit touching none of those inputs does reuse the result, so a
memo that is never used (or never invalidated) fails here."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from tests.garden_build import Built, build_site, write_vault

pytestmark = [pytest.mark.build, pytest.mark.usefixtures("one_day")]

JOURNAL = ("---\njournal: true\nplan:\n  start: 2024-05-01\n  weeks: 1\n---\n# Log\n\n"
           "## Day 1 (05-01-2024)\n\nPlanted [[Fern]].\n\n## Day 2\n\nWatered.\n")


def _serve(root: Path) -> Built:
    return build_site(root, command="serve")


def _plugin():  # type: ignore[no-untyped-def]
    import gc

    from mkdocs_garden.plugin import GardenPlugin

    found = [o for o in gc.get_objects() if isinstance(o, GardenPlugin) and o.views is not None]
    assert len(found) == 1, "expected one kept garden plugin instance"
    return found[0]


def _timeline_json(built: Built) -> dict:
    return json.loads((built.site / "garden" / "timeline.json").read_text(encoding="utf-8"))


def test_generated_pages_are_made_again_exactly_when_what_they_show_changed(tmp_path: Path) -> None:
    docs = write_vault(tmp_path, {
        "index.md": "# Home\n\n[[Fern]] [[Moss]]\n",
        "Journal.md": JOURNAL,
        "Fern.md": "---\ntitle: Fern\n---\n#plants\n\n- [ ] water the fern 📅 2024-05-03\n",
        "Moss.md": "# Moss\n\nno tag yet\n",
        "2024-05-02.md": "Sowed seeds.\n",
    })
    _serve(tmp_path)
    plugin = _plugin()
    names = {"tags.md", "garden/tasks.md", "garden/timeline.md", "garden/folders", "garden/graph.md"}
    assert names <= set(plugin.kept.made)

    # A body edit that changes no tag, title, task or journal: nothing is made again.
    (docs / "Moss.md").write_text("# Moss\n\nstill no tag\n", encoding="utf-8")
    built = _serve(tmp_path)
    assert plugin.kept.made == [] and plugin.timelines.made == []
    assert "still no tag" in built.html("Moss.md")

    # A new tag: the tag index only.
    (docs / "Moss.md").write_text("# Moss\n\n#mosses\n", encoding="utf-8")
    built = _serve(tmp_path)
    assert plugin.kept.made == ["tags.md"]
    assert 'id="tag-mosses"' in built.html("tags.md")

    # A title: the tag index and the folder pages, the timeline entry linking the note, and
    # the graph page, which lists it among the clusters.
    (docs / "Fern.md").write_text("---\ntitle: Royal fern\n---\n#plants\n\n- [ ] water the fern 📅 2024-05-03\n",
                                  encoding="utf-8")
    built = _serve(tmp_path)
    assert sorted(plugin.kept.made) == ["garden/folders", "garden/graph.md", "garden/timeline.md", "tags.md"]
    assert "Royal fern" in built.html("tags.md") and "Royal fern" in built.html("garden/folders/index.md")
    assert "Royal fern" in built.html("garden/graph.md")
    assert "Royal fern" in built.html("garden/timeline.md")

    # A task's due date: the tasks page and the timeline (its tasks and its JSON).
    (docs / "Fern.md").write_text("---\ntitle: Royal fern\n---\n#plants\n\n- [ ] water the fern 📅 2024-05-06\n",
                                  encoding="utf-8")
    built = _serve(tmp_path)
    assert sorted(plugin.kept.made) == ["garden/tasks.md", "garden/timeline.md"]
    assert "2024-05-06" in built.html("garden/tasks.md")
    assert [t["due"] for t in _timeline_json(built)["tasks"]] == ["2024-05-06"]
    assert plugin.parts.charts.made == ["charts"]  # the burn-up shows the due date

    # A journal's text and a daily note's: the timeline; the charts only for a day skipped.
    (docs / "Journal.md").write_text(JOURNAL.replace("Watered.", "Watered twice."), encoding="utf-8")
    built = _serve(tmp_path)
    assert plugin.kept.made == ["garden/timeline.md"] and plugin.timelines.made == ["timeline"]
    assert "Watered twice." in built.html("garden/timeline.md") and plugin.parts.charts.made == []
    (docs / "2024-05-02.md").write_text("Skipped, it rained.\n", encoding="utf-8")
    built = _serve(tmp_path)
    assert plugin.kept.made == ["garden/timeline.md"] and plugin.parts.charts.made == ["charts"]
    assert [e["skipped"] for e in _timeline_json(built)["entries"] if e["path"] == "2024-05-02.md"] == [True]

    # A note in a new folder: the folder tree, the folder pages (a new one among them), and
    # the pages listing notes by title.
    (docs / "trees").mkdir()
    (docs / "trees" / "Oak.md").write_text("# Oak\n", encoding="utf-8")
    built = _serve(tmp_path)
    assert {"garden/folders/tree", "garden/folders"} <= set(plugin.kept.made)
    assert "Oak" in built.html("garden/folders/trees.md") and "trees" in built.html("garden/folders/index.md")


def test_the_timeline_follows_where_its_links_go(tmp_path: Path) -> None:
    """An entry's link shows the target's title and URL: a note written or made private
    later, which changes neither the journal nor any task, must still show."""
    docs = write_vault(tmp_path, {"Journal.md": JOURNAL.replace("[[Fern]]", "[[Fern]] and [[Oak]]"),
                                  "Fern.md": "# Fern\n"})
    built = _serve(tmp_path)
    plugin = _plugin()
    before = built.html("garden/timeline.md")
    assert 'href="../../Oak/"' not in before

    (docs / "Oak.md").write_text("---\ntitle: Old oak\n---\nA tree.\n", encoding="utf-8")
    built = _serve(tmp_path)
    assert plugin.timelines.made == []  # the timeline itself is kept ...
    assert "garden/timeline.md" in plugin.kept.made  # ... its page is not
    assert 'href="../../Oak/"' in built.html("garden/timeline.md") and "Old oak" in built.html("garden/timeline.md")

    (docs / "Oak.md").write_text("---\ntitle: Old oak\npublish: false\n---\nA tree.\n", encoding="utf-8")
    built = _serve(tmp_path)
    assert 'href="../../Oak/"' not in built.html("garden/timeline.md")


def test_the_timeline_follows_a_name_links_resolve_by_while_serving(tmp_path: Path) -> None:
    """An alias added to a note moves no note, title or privacy, only the names links resolve
    by: a day linking that name must show the note (its days are otherwise kept whole)."""
    docs = write_vault(tmp_path, {"Journal.md": JOURNAL.replace("[[Fern]]", "[[Fern]] and [[Bracken]]"),
                                  "Fern.md": "# Fern\n"})
    built = _serve(tmp_path)
    plugin = _plugin()
    assert 'unresolved">Bracken' in built.html("garden/timeline.md")

    (docs / "Fern.md").write_text("---\naliases: [Bracken]\n---\n# Fern\n", encoding="utf-8")
    built = _serve(tmp_path)
    assert plugin.timelines.made == [] and plugin.parts.days.made == ["day-2024-05-01"]
    page = built.html("garden/timeline.md")
    assert 'unresolved">Bracken' not in page and 'Links:</strong> <a href="../../Fern/">Fern</a></p>' in page


def test_the_timeline_and_tasks_page_moved_while_serving_link_as_in_a_fresh_build(tmp_path: Path) -> None:
    """Their days and items link from the page's folder: moved in `mkdocs.yml` while serving
    (MkDocs keeps the plugin), none kept from the old place may be shown."""
    vault = {"Journal.md": JOURNAL, "Fern.md": "# Fern\n\n- [ ] water the fern 📅 2024-05-03\n"}
    write_vault(tmp_path, vault)
    _serve(tmp_path)
    moved = {"timeline_page": "timeline.md", "tasks": {"page": "tasks.md"}}
    served = build_site(tmp_path, command="serve", garden=moved)
    write_vault(tmp_path / "fresh", vault)
    fresh = build_site(tmp_path / "fresh", garden=moved)
    for page, part in (("timeline.md", r'<div class="garden-timeline-day.*?</div>'), ("tasks.md", r"<ul>.*?</ul>")):
        shown = re.findall(part, served.html(page), re.S)
        assert shown and shown == re.findall(part, fresh.html(page), re.S), page
    assert 'href="../Fern/#' in served.html("tasks.md")
    assert not [w for w in served.warnings if "not in the site" in w]


def test_tasks_follow_the_tasks_options_changed_while_serving(tmp_path: Path) -> None:
    """A global filter set in `mkdocs.yml` while serving (MkDocs keeps the plugin) makes the
    unfiltered checklist items no tasks, though no note changed; unset, they are again."""
    write_vault(tmp_path, {"Fern.md": "# Fern\n\n- [ ] water the fern 📅 2024-05-03\n"
                                      "- [ ] #task feed the fern 📅 2024-05-04\n"})
    items = re.compile(r"<li><span class=\"garden-task-status\".*?</li>")

    def served_tasks(garden: dict) -> list[str]:
        page = build_site(tmp_path, command="serve", garden=garden).html("garden/tasks.md")
        return [item for item in items.findall(page) if "the fern" in item]

    assert len(served_tasks({})) == 2
    filtered = served_tasks({"tasks": {"global_filter": "#task"}})
    assert len(filtered) == 1 and "feed the fern" in filtered[0]
    assert len(served_tasks({})) == 2


def test_headings_follow_the_slugify_settings_changed_while_serving(tmp_path: Path) -> None:
    """The kept parses hold heading ids: a `toc` separator set in `mkdocs.yml` while serving
    moves the heading's id, and the link to it must move with it, though no note changed."""
    write_vault(tmp_path, {"A.md": "# A\n\n## Big leaf\n\ntext\n", "B.md": "# B\n\nsee [[A#Big leaf]]\n"})
    built = _serve(tmp_path)
    assert 'id="big-leaf"' in built.html("A.md") and 'href="../A/#big-leaf"' in built.html("B.md")
    built = build_site(tmp_path, command="serve", extra={"markdown_extensions": [{"toc": {"separator": "_"}}]})
    assert 'id="big_leaf"' in built.html("A.md") and 'href="../A/#big_leaf"' in built.html("B.md")


def test_links_are_resolved_again_when_the_heading_they_name_changes(tmp_path: Path) -> None:
    docs = write_vault(tmp_path, {
        "A.md": "# A\n\nsee [[B#Roots]] and [[C]]\n",
        "B.md": "# B\n\n## Roots\n\ndeep\n",
        "C.md": "# C\n",
        "D.md": "# D\n\n[[C]]\n",
    })
    built = _serve(tmp_path)
    plugin = _plugin()
    assert 'href="../B/#roots"' in built.html("A.md")

    (docs / "B.md").write_text("# B\n\n## Shoots\n\nhigh\n", encoding="utf-8")
    built = _serve(tmp_path)
    assert sorted(plugin.cache.resolved) == ["A.md", "B.md"]  # D names no heading of B
    assert any("no heading or block 'Roots' in 'B.md'" in m for m in built.warnings)
    assert 'href="../B/#roots"' not in built.html("A.md")

    (docs / "B.md").write_text("# B\n\n## Shoots\n\n## Roots\n", encoding="utf-8")
    built = _serve(tmp_path)
    assert 'href="../B/#roots"' in built.html("A.md")
    assert not any("no heading or block" in m for m in built.warnings)

    (docs / "E.md").write_text("# E\n", encoding="utf-8")  # a new file: every link again
    built = _serve(tmp_path)
    assert sorted(plugin.cache.resolved) == ["A.md", "B.md", "C.md", "D.md", "E.md"]


def test_pages_follow_what_their_signature_reads_across_serve_rebuilds(tmp_path: Path) -> None:
    """The signatures that decide whether a page's Markdown and mentions are rendered again
    are kept too: a link target written inside an embedded note, a mentioning note's new
    title, and a note made private must each reach the pages that show them."""
    docs = write_vault(tmp_path, {
        "index.md": "# Home\n",
        "E.md": "# E\n\n![[F]]\n",
        "F.md": "# F\n\nsee [[G]]\n",
        "A.md": "---\ntitle: First title\n---\nlinks [[B]]\n",
        "B.md": "# B\n\ntarget\n",
        "C.md": "# C\n\nsee [[D]]\n",
        "D.md": "# D\n",
    })
    built = _serve(tmp_path)
    plugin = _plugin()
    assert ">First title</a>" in built.html("B.md") and 'href="../G/"' not in built.html("E.md")
    assert 'href="../D/"' in built.html("C.md")

    (docs / "index.md").write_text("# Home, edited\n", encoding="utf-8")
    _serve(tmp_path)
    assert plugin._signature_memo.computed == ["index.md"]

    (docs / "G.md").write_text("# G\n\nnow written\n", encoding="utf-8")  # a new namespace
    built = _serve(tmp_path)
    assert 'href="../G/"' in built.html("E.md")  # through the embed of F

    (docs / "A.md").write_text("---\ntitle: New title\n---\nlinks [[B]]\n", encoding="utf-8")  # same line
    built = _serve(tmp_path)
    assert plugin._signature_memo.computed == ["A.md"]
    assert ">New title</a>" in built.html("B.md").split("garden-linked", 1)[-1]

    (docs / "F.md").write_text("# F\n\nsee [[G]], again\n", encoding="utf-8")
    built = _serve(tmp_path)
    assert sorted(plugin._signature_memo.computed) == ["E.md", "F.md"]  # E embeds F
    assert "see" in built.html("E.md") and "again" in built.html("E.md")

    (docs / "A.md").write_text("---\ntitle: New title\npublish: false\n---\nlinks [[B]]\n", encoding="utf-8")
    built = _serve(tmp_path)
    assert "New title" not in built.html("B.md")

    (docs / "D.md").write_text("---\npublish: false\n---\n# D\n", encoding="utf-8")  # C's links are kept
    built = _serve(tmp_path)
    assert "see D</p>" in built.html("C.md") and not built.warnings


def test_an_unlinked_mention_shows_its_note_s_new_title_while_serving(tmp_path: Path) -> None:
    """A page's signature holds its mentioning notes' titles. The linked mentions are kept as the
    same list while no note in it changed; an unlinked mention is made afresh each rebuild, and
    equal to the last one when the edit left its line alone, so its note must be compared too."""
    docs = write_vault(tmp_path, {"index.md": "# Home\n", "Bramble.md": "# Bramble\n",
                                  "A.md": "---\ntitle: First title\n---\nabout Bramble here\n"})
    garden = {"unlinked_mentions": True}
    built = build_site(tmp_path, command="serve", garden=garden)
    assert ">First title</a>" in built.html("Bramble.md").split("garden-unlinked", 1)[-1]
    (docs / "A.md").write_text("---\ntitle: New title\n---\nabout Bramble here\n", encoding="utf-8")
    built = build_site(tmp_path, command="serve", garden=garden)
    assert ">New title</a>" in built.html("Bramble.md").split("garden-unlinked", 1)[-1]


def test_an_attachment_follows_who_references_it_while_serving(tmp_path: Path) -> None:
    """An attachment only private notes reference is not published; what each note
    references is kept across rebuilds, and must follow a public note's edits."""
    docs = write_vault(tmp_path, {"index.md": "# Home\n", "pic.png": b"\x89PNG fern",
                                  "P.md": "---\npublish: false\n---\n![[pic.png]]\n", "A.md": "# A\n"})
    assert not (_serve(tmp_path).site / "pic.png").exists()
    (docs / "A.md").write_text("# A\n\n![[pic.png]]\n", encoding="utf-8")
    assert (_serve(tmp_path).site / "pic.png").is_file()
    (docs / "A.md").write_text("# A\n\nno picture now\n", encoding="utf-8")
    assert not (_serve(tmp_path).site / "pic.png").exists()


def test_a_page_edited_while_serving_is_scrubbed_again(tmp_path: Path) -> None:
    docs = write_vault(tmp_path, {"index.md": "# Home\n\n[x](https://example.org)\n", "A.md": "# A\n"})
    built = _serve(tmp_path)
    assert 'href="https://example.org"' in built.html("index.md")
    (docs / "index.md").write_text('# Home\n\n[x](A.md){ onclick="alert(1)" }\n', encoding="utf-8")
    built = _serve(tmp_path)
    assert "onclick" not in built.html("index.md") and "example.org" not in built.html("index.md")
    assert re.search(r'<a href="A/"[^>]*>x</a>', built.html("index.md"))


def test_graph_json_is_made_again_exactly_when_the_graph_data_changed(tmp_path: Path) -> None:
    docs = write_vault(tmp_path, {"index.md": "# Home\n\n[[Fern]]\n", "Fern.md": "# Fern\n\nA fern.\n",
                                  "Moss.md": "# Moss\n\n[[Fern]]\n"})
    first = _serve(tmp_path)
    plugin = _plugin()
    assert plugin._graph_json["made"] is True

    def nodes(built: Built) -> dict[str, dict]:
        data = json.loads((built.site / "garden" / "graph.json").read_text(encoding="utf-8"))
        return {node["id"]: node for node in data["nodes"]} | {"edges": data["edges"]}

    # A body edit that changes no title, tag, link or URL: the kept text is written again.
    (docs / "Fern.md").write_text("# Fern\n\nA green fern.\n", encoding="utf-8")
    second = _serve(tmp_path)
    assert plugin._graph_json["made"] is False
    assert nodes(second) == nodes(first)

    # A new title: made again, and the node shows it.
    (docs / "Fern.md").write_text("---\ntitle: Green fern\n---\nA green fern.\n", encoding="utf-8")
    third = _serve(tmp_path)
    assert plugin._graph_json["made"] is True and nodes(third)["Fern.md"]["title"] == "Green fern"

    # A link that becomes an embed: same structure, another edge kind.
    (docs / "Moss.md").write_text("# Moss\n\n![[Fern]]\n", encoding="utf-8")
    fourth = _serve(tmp_path)
    assert plugin._graph_json["made"] is True
    assert {"source": "Moss.md", "target": "Fern.md", "kind": "embed"} in nodes(fourth)["edges"]


def test_extensions_follow_the_edited_text_and_reuse_the_rest(tmp_path: Path) -> None:
    """Python-Markdown renders the notes only with `renderer: python-markdown`."""
    docs = write_vault(tmp_path, {"index.md": "# Home\n\n[[Fern]]\n", "Fern.md": "# Fern\n\nA fern.\n"})

    def _serve(root: Path) -> Built:
        return build_site(root, command="serve", garden={"renderer": "python-markdown"})

    _serve(tmp_path)
    plugin = _plugin()
    home = plugin._needs["index.md"][1]

    # The only highlight in the vault arrives in an edit: the rebuilt page has it.
    (docs / "Fern.md").write_text("# Fern\n\nA ==green== fern.\n", encoding="utf-8")
    built = _serve(tmp_path)
    assert "<mark>green</mark>" in built.html("Fern.md")
    assert plugin._needs["index.md"][1] is home  # the unchanged note was not searched again

    # And leaves again: the extension is no longer needed.
    (docs / "Fern.md").write_text("# Fern\n\nA fern again.\n", encoding="utf-8")
    built = _serve(tmp_path)
    assert "pymdownx.mark" not in plugin._needs["Fern.md"][1] and "A fern again." in built.html("Fern.md")


def test_the_graph_is_kept_exactly_while_no_title_tag_or_link_changes(tmp_path: Path) -> None:
    docs = write_vault(tmp_path, {"A.md": "# A\n\n[[B]]\n", "B.md": "# B\n", "C.md": "# C\n"})
    _serve(tmp_path)
    plugin = _plugin()
    graph, version = plugin.views.graph, plugin.views.version

    def edges(built: Built) -> set[tuple[str, str]]:
        data = json.loads((built.site / "garden" / "graph.json").read_text(encoding="utf-8"))
        return {(edge["source"], edge["target"]) for edge in data["edges"]}

    (docs / "A.md").write_text("# A\n\nStill [[B]], more words.\n", encoding="utf-8")
    built = _serve(tmp_path)
    assert plugin.views.version == version and edges(built) == {("A.md", "B.md")}

    (docs / "A.md").write_text("# A\n\n[[B]] and [[C]]\n", encoding="utf-8")
    built = _serve(tmp_path)
    assert plugin.views.version > version and edges(built) == {("A.md", "B.md"), ("A.md", "C.md")}
    assert plugin.views.graph is graph  # changed in place
    assert 'data-mode="local"' in built.html("C.md")  # C has a neighbour now

    version = plugin.views.version
    (docs / "C.md").write_text("---\ntitle: Sea\n---\n# C\n", encoding="utf-8")
    built = _serve(tmp_path)
    assert plugin.views.version > version
    nodes = json.loads((built.site / "garden" / "graph.json").read_text(encoding="utf-8"))["nodes"]
    assert {node["id"]: node["title"] for node in nodes}["C.md"] == "Sea"


def test_generated_pages_are_signed_while_serving_as_in_a_fresh_build(tmp_path: Path) -> None:
    """The signatures `--dirty` compares (kept with their Markdown while serving) equal those
    a fresh build writes, after edits that change a generated page and one that does not.
    The fresh builds run first: a one-off build starts the shared plugin instance afresh."""
    first = {"index.md": "# Home\n", "Fern.md": "# Fern\n\n#plants\n", "sub/Moss.md": "# Moss\n\n[[Fern]]\n"}
    states = [first, {**first, "sub/Moss.md": "# Moss\n\n[[Fern]] more\n"}]
    states += [{**states[-1], "Fern.md": "# Fern\n\n#trees\n"}]
    states += [{**states[-1], "sub/Oak.md": "# Oak\n"}]

    def generated(signed: dict[str, str]) -> dict[str, str]:
        return {path: value for path, value in signed.items() if path.startswith(("garden/", "tags"))}

    fresh = []
    for number, state in enumerate(states):
        write_vault(tmp_path / f"fresh{number}", state)
        build_site(tmp_path / f"fresh{number}")
        [manifest] = (tmp_path / f"fresh{number}" / ".cache" / "garden").glob("pages-*.json")  # one site folder
        fresh.append(generated(json.loads(manifest.read_text(encoding="utf-8"))["pages"]))
    assert len({json.dumps(signed, sort_keys=True) for signed in fresh}) == 3  # the first edit changes none
    for state, expected in zip(states, fresh):
        write_vault(tmp_path / "served", state)
        _serve(tmp_path / "served")
        assert generated(_plugin().generated_signatures) == expected


def test_pages_follow_a_markdown_setting_changed_while_serving(tmp_path: Path) -> None:
    """MkDocs keeps the plugin instance when `mkdocs.yml` changes while serving: a page kept
    from the last build must still be rendered again once a setting it is rendered with moved
    (here the headings' permalinks), though its Markdown did not."""
    write_vault(tmp_path, {"index.md": "# Home\n", "Fern.md": "# Fern\n\n## Roots\n\nDeep.\n\n#plants\n"})
    built = _serve(tmp_path)
    assert "headerlink" not in built.html("Fern.md") and "headerlink" not in built.html("tags.md")

    built = build_site(tmp_path, command="serve", extra={"markdown_extensions": [{"toc": {"permalink": True}}]})
    assert '<a class="headerlink" href="#roots"' in built.html("Fern.md")
    # A generated page too: its headings are rendered by Python-Markdown, its lists kept.
    assert '<a class="headerlink" href="#tag-plants"' in built.html("tags.md")


def test_the_search_index_is_hardened_in_every_rebuild_while_serving(tmp_path: Path) -> None:
    """While serving, the search index is compared with the last one, which needed nothing:
    a frontmatter tag that would run as HTML in the search results, added by an edit, is
    still escaped in the rebuilt index, and a clean edit after it leaves the index clean."""
    docs = write_vault(tmp_path, {"index.md": "# Home\n", **{f"N{n}.md": f"# N{n}\n\nwords {n}\n" for n in range(30)}})
    _serve(tmp_path)
    hostile = '"><img src=x onerror=alert(1)>'

    def entries(built: Built) -> list[dict]:
        return json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]

    (docs / "N15.md").write_text(f"---\ntags: ['{hostile}']\n---\n# N15\n\nnew words\n", encoding="utf-8")
    tagged = [entry["tags"] for entry in entries(_serve(tmp_path)) if entry.get("tags")]
    assert tagged and all(tags == ['"&gt;&lt;img src=x onerror=alert(1)&gt;'] for tags in tagged)

    (docs / "N3.md").write_text("# N3\n\nother words\n", encoding="utf-8")
    built = _serve(tmp_path)
    assert [entry["tags"] for entry in entries(built) if entry.get("tags")] == tagged
    assert any("other words" in entry["text"] for entry in entries(built))


def test_a_notes_dates_follow_its_file_while_serving(tmp_path: Path) -> None:
    """Dates are kept with what they were read from while serving: a note saved again
    without a change to its text (only its modification time moves) shows its new date."""
    import os
    from datetime import datetime, timezone

    def stamp(day: str) -> float:
        return datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp()

    docs = write_vault(tmp_path, {"index.md": "# Home\n", "Fern.md": "# Fern\n\nGreen.\n"})
    os.utime(docs / "Fern.md", (stamp("2024-03-02"), stamp("2024-03-02")))
    assert "2024-03-02" in _serve(tmp_path).html("Fern.md")
    os.utime(docs / "Fern.md", (stamp("2024-04-05"), stamp("2024-04-05")))
    built = _serve(tmp_path)
    assert "2024-04-05" in built.html("Fern.md") and "2024-03-02" not in built.html("Fern.md")


def test_a_line_added_above_a_task_makes_again_only_the_days_and_items_that_show_it(tmp_path: Path) -> None:
    """A line added to a note moves the task lines below it, and their anchors (`task-<line>`):
    the timeline and the tasks page are made again, but of their days and items only those
    showing the edited note's tasks (remaking them all took about 0.3 s of each such rebuild
    at 1,000 notes). Both pages are as a fresh build of the edited vault makes them."""
    vault = {
        "Journal.md": JOURNAL,
        "Fern.md": "# Fern\n\n- [ ] water the fern 📅 2024-05-03\n",
        "Moss.md": "# Moss\n\n- [x] mist the moss 📅 2024-05-01 ✅ 2024-05-02\n",
        "2024-05-04.md": "Rested.\n\n- [ ] repot the fern 📅 2024-05-05\n",
    }
    docs = write_vault(tmp_path / "serve", vault)
    _serve(tmp_path / "serve")
    plugin = _plugin()
    assert len(plugin.parts.days.made) > 3 and len(plugin.parts.task_items.made) == 3

    edited = "# Fern\n\nA new line.\n\n- [ ] water the fern 📅 2024-05-03\n"
    (docs / "Fern.md").write_text(edited, encoding="utf-8")
    built = _serve(tmp_path / "serve")
    assert plugin.kept.made == ["garden/tasks.md", "garden/timeline.md"]
    assert plugin.parts.task_items.made == ["Fern.md:5"] and plugin.parts.days.made == ["day-2024-05-03"]
    assert plugin.parts.timeline_tasks.made == ["Fern.md"]  # the JSON text of its tasks

    write_vault(tmp_path / "fresh", {**vault, "Fern.md": edited})
    fresh = build_site(tmp_path / "fresh")
    for page in ("garden/tasks.md", "garden/timeline.md"):
        assert "Fern/#task-5" in built.html(page)
        assert built.html(page) == fresh.html(page)


def test_serve_keeps_the_graph_still_while_links_are_added_and_builds_lay_it_out_afresh(tmp_path: Path) -> None:
    """While serving, a new link or a new note leaves every node where it was (the new note
    beside what it links to); a build of the same vault afterwards, with the same cache, lays
    the graph out as a build in a fresh folder does: nothing carried over reaches a build."""
    ring = {f"N{i:02}.md": f"# N{i:02}\n\n[[N{(i + 1) % 12:02}]] [[N{(i + 2) % 12:02}]]\n" for i in range(12)}
    docs = write_vault(tmp_path / "served", ring)

    def places(built: Built) -> dict[str, tuple[float, float]]:
        data = json.loads((built.site / "garden" / "graph.json").read_text(encoding="utf-8"))
        return {node["id"]: (node["x"], node["y"]) for node in data["nodes"]}

    first = places(_serve(tmp_path / "served"))
    (docs / "N00.md").write_text("# N00\n\n[[N01]] [[N02]] [[N06]]\n", encoding="utf-8")
    assert places(_serve(tmp_path / "served")) == first
    (docs / "New.md").write_text("# New\n\n[[N03]]\n", encoding="utf-8")
    served = places(_serve(tmp_path / "served"))
    assert {node: served[node] for node in first} == first
    assert 0.02 < math.dist(served["New.md"], first["N03.md"]) < 0.04

    built = build_site(tmp_path / "served")
    write_vault(tmp_path / "fresh", {path.name: path.read_text(encoding="utf-8") for path in docs.glob("*.md")})
    fresh = build_site(tmp_path / "fresh")
    assert (built.site / "garden" / "graph.json").read_bytes() == (fresh.site / "garden" / "graph.json").read_bytes()
    assert places(built) != served


def test_a_serve_rebuild_on_a_new_day_shows_the_days_overdue_chips(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """No note changed, so every page's HTML is kept, and with it what was settled of its
    overdue chips: kept for the rebuilds of one day, settled again on the next."""
    docs = write_vault(tmp_path, {"index.md": "# Home\n", "Late.md": "# Late\n\n- [ ] open 📅 2024-05-01\n"})
    assert "overdue by 31 days" in _serve(tmp_path).html("Late.md")  # 2024-06-01 (one_day)
    record = _plugin()._pages["Late.md"]
    settled = record.settled
    (docs / "index.md").write_text("# Home\n\nEdited.\n", encoding="utf-8")
    assert "overdue by 31 days" in _serve(tmp_path).html("Late.md")
    assert settled is not None and record.settled is settled  # the same HTML, the same day: settled once
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1717200000 + 86400))
    page = _serve(tmp_path).html("Late.md")
    assert "overdue by 32 days" in page and "overdue by 31 days" not in page
