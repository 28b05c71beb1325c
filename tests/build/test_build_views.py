"""Real builds: mentions, the graph data, tasks and the timeline, and that nothing private
reaches any of them."""

from __future__ import annotations

import json

import pytest

from tests.garden_build import Built, build_site, write_vault

pytestmark = pytest.mark.build

VAULT = {
    "index.md": "# Home\n\nStart at [[Target]].\n",
    "Target.md": "---\naliases: [Bullseye]\ntags: [core]\n---\n# Target\n\n## Part\n\nA block. ^blk\n",
    "Plain.md": "# Plain\n\nA sentence with a **bold** [[Target]] in it.\n",
    "Alias.md": "# Alias\n\n- list item pointing at [[Target|the bullseye]]\n",
    "Heading.md": "# Heading\n\nSee [[Target#Part]] for details.\n",
    "Block.md": "# Block\n\nQuote: [[Target#^blk]]\n",
    "Embed.md": "# Embed\n\n![[Target#Part]]\n",
    "Props.md": "---\nup: \"[[Target]]\"\n---\n# Props\n\nno body link\n",
    "Mention.md": "# Mention\n\nThis names Target without linking it.\n",
    "Secret.md": "---\npublish: false\ntags: [canary-tag-77]\ntitle: CANARY-TITLE-77\n---\n# CANARY-HEADING-77\n\n[[Target]] CANARY-BODY-77\n",
    "private/Diary.md": "# Diary\n\n[[Target]] CANARY-FOLDER-77\n",
    "Journal.md": (
        "---\njournal: true\nplan:\n  start: 2023-10-28\n  weeks: 2\n---\n# Journal\n\n"
        "### Day 1\n\n- first day\n\n### Day 2 (10-29-2023)\n\n- [x] did it 📅 2023-10-29 ✅ 2023-10-31\n"
        "- [ ] later 📅 2023-11-05\n- no box 📅 2023-11-01 ✅ 2023-11-01\n\n### Day 3\n\nSkipped\n"
    ),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("views")
    write_vault(root, VAULT)
    import os

    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"  # 2023-11-14
    try:
        return build_site(root, garden={"private": ["private/**"], "unlinked_mentions": True,
                                        "graph_unwritten": True, "tasks": {"tolerant": True}})
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def _section(page: str, css: str) -> str:
    start = page.find(f'class="garden-mentions {css}"')
    assert start >= 0, f"no {css} section"
    return page[start : page.find("</section>", start)]


@pytest.mark.parametrize("source, context", [
    ("Plain", 'A sentence with a <strong>bold</strong> <mark class="garden-mention">Target</mark> in it.'),
    ("Alias", 'list item pointing at <mark class="garden-mention">the bullseye</mark>'),
    ("Heading", 'See <mark class="garden-mention">Target &gt; Part</mark> for details.'),
    ("Block", 'Quote: <mark class="garden-mention">Target &gt; ^blk</mark>'),
    ("Embed", '<mark class="garden-mention">Target &gt; Part</mark>'),
    ("Props", 'property: <mark>Target</mark>'),
])
def test_linked_mentions_have_context_for_every_link_form(built: Built, source: str, context: str) -> None:
    section = _section(built.html("Target.md"), "garden-linked")
    assert f">{source}</a>" in section
    assert context in section


def test_mentions_are_grouped_and_sorted_by_source(built: Built) -> None:
    section = _section(built.html("Target.md"), "garden-linked")
    positions = [section.find(f'class="garden-mention-source" href="../{s}/"')
                 for s in ("Alias", "Block", "Embed", "Heading", "Plain", "Props")]
    assert -1 not in positions and positions == sorted(positions)
    assert section.count('class="garden-mention-source"') == 7  # the six above and the home page


def test_unlinked_mentions(built: Built) -> None:
    section = _section(built.html("Target.md"), "garden-unlinked")
    assert ">Mention</a>" in section and "Plain" not in section


def test_no_mentions_from_private_notes(built: Built) -> None:
    page = built.html("Target.md")
    assert "Secret" not in page and "Diary" not in page and "CANARY" not in page


def test_graph_json_schema_and_privacy(built: Built) -> None:
    data = json.loads((built.site / "garden" / "graph.json").read_text())
    assert data["version"] == 1
    ids = {n["id"] for n in data["nodes"]}
    assert {"Target.md", "Plain.md", "index.md"} <= ids
    assert not any("Secret" in i or "private/" in i for i in ids)
    target = next(n for n in data["nodes"] if n["id"] == "Target.md")
    assert target["url"] == "Target/" and target["kind"] == "note" and target["tags"] == ["core"]
    assert target["degree"] >= 7 and -1 <= target["x"] <= 1
    assert {"source": "Embed.md", "target": "Target.md", "kind": "embed"} in data["edges"]
    assert {"source": "Props.md", "target": "Target.md", "kind": "frontmatter"} in data["edges"]
    for edge in data["edges"]:
        assert edge["source"] in ids and edge["target"] in ids


def test_nothing_private_anywhere_in_the_site(built: Built) -> None:
    text = built.all_text()
    for canary in ("CANARY-TITLE-77", "CANARY-HEADING-77", "CANARY-BODY-77", "CANARY-FOLDER-77", "canary-tag-77"):
        assert canary not in text, canary


def test_graph_pages_and_local_graph(built: Built) -> None:
    assert 'data-mode="global"' in built.html("garden/graph.md")
    page = built.html("Target.md")
    assert 'data-mode="local" data-note="Target.md" data-depth="1" data-graph-url="../garden/graph.json"' in page
    assert (built.site / "garden" / "graph.svg").read_text().startswith("<?xml")


def test_tasks_render_in_their_note(built: Built) -> None:
    page = built.html("Journal.md")
    assert 'class="garden-task" data-task="x" aria-label="Task: done" disabled checked' in page
    assert "📅" not in page.split("<article", 1)[1]
    assert "done 2 days after due" in page
    assert page.count('data-task="x"') == 2  # one real checkbox, one restored in tolerant mode


def test_tasks_page_uses_source_date_epoch(built: Built) -> None:
    page = built.html("garden/tasks.md")
    assert "2023-11-14" in page and "SOURCE_DATE_EPOCH" in page
    assert 'href="../../Journal/#task-' in page


def test_timeline_page_and_json(built: Built) -> None:
    page = built.html("garden/timeline.md")
    article = page.split("<article", 1)[1].split("</article>", 1)[0]
    assert "<table>" in article and "**" not in article  # its Markdown inside HTML was rendered
    assert "Day 1" in page and "2023-10-28" in page.replace("Sat 2023-10-28", "2023-10-28")
    data = json.loads((built.site / "garden" / "timeline.json").read_text())
    assert data["version"] == 1
    assert any(e.get("start") == "2023-10-28" for e in data["entries"])
    assert len(data["tasks"]) == 3


def test_search_indexes_notes_but_not_the_pages_that_repeat_them(built: Built) -> None:
    """The tags, tasks and timeline pages quote the notes: searching finds the notes once."""
    index = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages = {entry["location"].split("#", 1)[0] for entry in index["docs"]}
    assert "Journal/" in pages and "garden/folders/" in pages
    assert not pages & {"tags/", "garden/tasks/", "garden/timeline/"}


def test_without_graph_and_backlinks_neither_is_built(tmp_path) -> None:
    """`graph: false` and `backlinks: false` skip the work, not only the output."""
    write_vault(tmp_path, {k: v for k, v in VAULT.items() if k != "Journal.md"})
    off = build_site(tmp_path, garden={"graph": False, "backlinks": False, "unlinked_mentions": True})
    page = off.html("Target.md")
    assert "garden-mentions" not in page and "garden-graph" not in page
    assert "<mark" not in page
    assert not (off.site / "garden/graph.json").exists()
    assert not (tmp_path / ".cache/garden/layout").exists()  # no layout was computed
    assert ">Target</a>" in off.html("Plain.md")  # the garden itself is still there
