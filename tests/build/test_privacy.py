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
