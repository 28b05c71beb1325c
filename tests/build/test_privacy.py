"""Private notes never reach the site in any form: page, search index, sitemap, graph data,
mentions, embeds, tag pages, tasks, timeline, attachments or file names."""

from __future__ import annotations

import pytest

from tests.garden_build import build_site, write_vault

pytestmark = pytest.mark.build

CANARIES = ["CANARY-BODY-1", "CANARY-TITLE-2", "canary-alias-3", "canary-tag-4", "CANARY-HEADING-5",
            "CANARY-TASK-6", "canary-attachment-7", "CANARY-FOLDER-8", "CANARY-OPTIN-9", "canary-inline-tag-10"]

VAULT = {
    "index.md": "# Home\n\n[[Secret]] and ![[Secret]] and ![[Secret#CANARY-HEADING-5]]\n"
                "and [[Diary]] and [[Draft]] #public\n",
    "Secret.md": ("---\npublish: false\ntitle: CANARY-TITLE-2\naliases: [canary-alias-3]\ntags: [canary-tag-4]\n"
                  "journal: true\n---\n# CANARY-HEADING-5\n\nCANARY-BODY-1 #canary-inline-tag-10 [[index]]\n\n"
                  "- [ ] CANARY-TASK-6 📅 2023-11-01\n\n![[canary-attachment-7.png]]\n\n### Day 1 (11-01-2023)\n\nx\n"),
    "canary-attachment-7.png": b"\x89PNG canary-attachment-7",
    "vault-private/Diary.md": "# Diary\n\nCANARY-FOLDER-8 [[index]]\n",
    "Draft.md": "---\ntitle: Draft\n---\nCANARY-OPTIN-9\n",
    "Published.md": "---\npublish: true\n---\n# Published\n\n[[index]]\n",
}


@pytest.mark.parametrize("options, hidden", [
    ({"private": ["vault-private/**"]}, CANARIES[:8] + CANARIES[9:]),
    ({"publish_mode": "opt-in"}, CANARIES),
])
def test_no_canary_anywhere(tmp_path, options: dict, hidden: list[str]) -> None:
    write_vault(tmp_path, VAULT)
    built = build_site(tmp_path, garden={**options, "graph_unwritten": True, "graph_tags": True,
                                         "unlinked_mentions": True, "tasks": {"tolerant": True}})
    assert not built.failed
    everything = built.all_text()  # every file's name and bytes: HTML, JSON, XML, SVG, assets
    found = [c for c in hidden if c.lower() in everything.lower()]
    assert found == []
    if options.get("publish_mode") == "opt-in":  # only `publish: true` notes are pages
        pages = sorted(p.parent.relative_to(built.site).as_posix() for p in built.site.rglob("index.html"))
        assert [p for p in pages if not p.startswith("garden") and p != "tags"] == ["Published"]
        return
    page = built.html("index.md")
    assert "Secret" in page  # the link text the public note itself wrote stays, as plain text
    assert 'href="Secret/' not in page


EXCLUDED_CANARIES = ["CANARY-TRASH", "canary-trash-figure", "CANARY-EXCLUDED", "canary-excluded-tag",
                     "CANARY-EXCLUDED-TASK", "CANARY-DRAFT"]
EXCLUDED_VAULT = {
    "index.md": "# Home\n\n[[Old]] and ![[Old]] and [[Secret plan]] and ![[Secret plan]] and [[Sketch]]\n\n"
                "![[drafts/plan-figure.png]]\n",
    "drafts/plan-figure.png": b"\x89PNG left out with its folder",
    # Obsidian's bin of deleted notes: a dot folder, which MkDocs leaves out; its frontmatter
    # cannot publish it.
    ".trash/Old.md": "---\npublish: true\n---\n# Old\n\nCANARY-TRASH [[index]]\n\n![[canary-trash-figure.png]]\n",
    "images/canary-trash-figure.png": b"\x89PNG only the deleted note shows it",
    "drafts/Secret plan.md": "# Secret plan\n\nCANARY-EXCLUDED [[index]] #canary-excluded-tag\n\n"
                             "- [ ] CANARY-EXCLUDED-TASK 📅 2024-01-02\n",
    "wip/Sketch.md": "# Sketch\n\nCANARY-DRAFT [[index]]\n",
}


@pytest.mark.parametrize("command", ["build", "serve"])
def test_files_mkdocs_leaves_out_are_private(tmp_path, command: str) -> None:
    """What MkDocs does not publish (`exclude_docs`, its default exclusion of dot folders such as
    `.trash/`, and `draft_docs` except while serving) is private to the garden as well: its
    text reaches no mention, embed, tag page, task list, graph or search entry, and the
    attachments only it shows are not published. Links and embeds of it are the public note's
    own text."""
    write_vault(tmp_path, EXCLUDED_VAULT)
    built = build_site(tmp_path, command=command, serve_url="http://127.0.0.1:8000/" if command == "serve" else None,
                       extra={"exclude_docs": "drafts/\n", "draft_docs": "wip/\n"},
                       garden={"graph_unwritten": True, "graph_tags": True, "unlinked_mentions": True})
    assert not built.failed
    hidden = EXCLUDED_CANARIES[:-1] if command == "serve" else EXCLUDED_CANARIES
    everything = built.all_text().lower()
    assert [c for c in hidden if c.lower() in everything] == []
    page = built.html("index.md")
    assert "Old" in page and "Secret plan" in page and 'href="Old/' not in page and "Secret%20plan" not in page
    assert "<img" not in page  # MkDocs does not copy the figure: an embed of it would show a broken image
    if command == "serve":  # MkDocs serves drafts: the garden publishes them too
        assert "CANARY-DRAFT" in built.html("wip/Sketch.md") and 'href="wip/Sketch/"' in page
    assert not [m for m in built.warnings if "Old" in m or "Secret plan" in m or "Sketch" in m]
