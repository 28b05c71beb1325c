"""Random edits to a small vault while `mkdocs serve` runs: after each, the rebuild must
publish what a fresh build of the same vault publishes (every page, `timeline.json`, the
search index, the charts) and warn alike. The edits are the kinds an author makes: titles,
links, tasks and their dates, aliases, privacy, notes added and deleted, headings, embeds,
tags, daily notes, images, journal days. Eight seeds of ten edits; the seed and the edits
are in the failure's message.

Left out: what `serve` keeps still by design, the graph's layout and communities
(`graph.json`, `graph.svg`, the graph page's clusters and their search entry). With
`--dirty`, MkDocs writes only the pages the garden marks as changed: every page repeats the
navigation, which a new top-level folder moves, and Material's search indexes only the pages
written (MkDocs' own `--dirty` limits). There each page's article is compared, which the
garden decides. The fresh builds use a plugin instance of their own: a one-off build in the
served instance would start its memos afresh, and each rebuild would be a first build."""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pytest

from tests.garden_build import build_site, write_vault

pytestmark = [pytest.mark.build, pytest.mark.usefixtures("one_day")]

JOURNAL = ("---\njournal: true\nplan:\n  start: 2024-05-01\n  weeks: 2\n---\n# Log\n\n"
           "## Day 1 (05-01-2024)\n\nPlanted [[Fern]].\n\n- [ ] water 📅 2024-05-03\n\n"
           "## Day 2\n\nWatered [[Moss]].\n")
VAULT = {
    "index.md": "# Home\n\nStart at [[Fern]] and [[Moss#Big leaf|leaves]].\n",
    "Journal.md": JOURNAL,
    "Fern.md": ("---\ntitle: Fern\ntags: [plants]\n---\n# Fern\n\nSee [[Moss]]. ![[Moss#^blk]]\n\n"
                "- [ ] feed the fern 📅 2024-05-04\n"),
    "Moss.md": "# Moss\n\n## Big leaf\n\ntext ^blk\n\n> [!note] A callout\n> body [[Fern]]\n",
    "trees/Oak.md": "# Oak\n\nan oak #tree\n",
    "2024-05-02.md": "Sowed [[Oak]].\n",
}
KINDS = ("title", "link", "unlink", "task", "due", "done", "alias", "private", "public", "delete", "add",
         "heading", "embed", "tag", "daily", "image", "journal")


def _with_frontmatter(text: str, line: str) -> str:
    return text.replace("---\n", f"---\n{line}\n", 1) if text.startswith("---\n") else f"---\n{line}\n---\n{text}"


def _edit(rng: random.Random, files: dict[str, str]) -> str:
    """One random edit of `files` (vault path -> text), in place; what it did."""
    notes = [path for path in files if path.endswith(".md")]
    kind, path = rng.choice(KINDS), rng.choice(notes)
    text, other = files[path], rng.choice(notes)[:-3]
    if kind == "title":
        files[path] = text.replace("# ", f"# Renamed{rng.randint(0, 9)} ", 1)
    elif kind == "link":
        files[path] = text + f"\nAlso [[{other}]].\n"
    elif kind == "unlink":
        files[path] = text.replace("[[", "[", 1).replace("]]", "]", 1)
    elif kind == "task":
        files[path] = text + f"\n- [ ] task {rng.randint(0, 99)} 📅 2024-05-{rng.randint(1, 28):02d}\n"
    elif kind == "due":
        files[path] = text.replace("📅 2024-05-0", "📅 2024-05-1", 1)
    elif kind == "done":
        files[path] = text.replace("- [ ]", "- [x]", 1).replace("📅 2024-05-03", "📅 2024-05-03 ✅ 2024-05-05", 1)
    elif kind == "alias":
        files[path] = _with_frontmatter(text, f"aliases: [Alias{rng.randint(0, 3)}]")
        files["index.md"] += f"\n[[Alias{rng.randint(0, 3)}]]\n"
    elif kind == "private":
        files[path] = _with_frontmatter(text, "publish: false")
    elif kind == "public":
        files[path] = text.replace("publish: false\n", "")
    elif kind == "delete" and path != "index.md":
        del files[path]
    elif kind == "add":
        files[f"new/Note{rng.randint(0, 20)}.md"] = f"# New\n\nLinks [[{other}]] and [[Fern#Fern]]\n"
    elif kind == "heading":
        files[path] = text.replace("## Big leaf", "## Small leaf", 1).replace("## Day 2", "## Day 3", 1)
    elif kind == "embed":
        files[path] = text + f"\n![[{other}]]\n"
    elif kind == "tag":
        files[path] = text + f"\n#topic{rng.randint(0, 3)}\n"
    elif kind == "daily":
        files[f"2024-05-{rng.randint(3, 9):02d}.md"] = rng.choice(["Skipped.\n", f"Read [[{other}]].\n"])
    elif kind == "image":
        files["img/pic.png"] = "PNG"
        files[path] = text + "\n![[pic.png]]\n"
    elif kind == "journal":
        files["Journal.md"] = files.get("Journal.md", JOURNAL) + f"\n## Day {rng.randint(3, 9)}\n\nMore [[{other}]].\n"
    return f"{kind} {path}"


def _sync(docs: Path, files: dict[str, str]) -> None:
    """`docs` made to hold `files`: a file not among them deleted, one that differs written."""
    for found in [found for found in docs.rglob("*") if found.is_file()]:
        if str(found.relative_to(docs)) not in files:
            found.unlink()
    for path, text in files.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")


_CLUSTER = re.compile(r"<li>Cluster \d+ .*?</li>\n?")
_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">.*?</article>', re.DOTALL)


def _published(site: Path, dirty: bool) -> dict[str, str]:
    left_out = ("graph.json", "graph.svg", *(("search_index.json",) if dirty else ()))
    found = {}
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".json", ".svg") and path.name not in left_out:
            text = _CLUSTER.sub("", path.read_text(encoding="utf-8"))
            if path.name == "search_index.json":  # the clusters' section, as searched
                index = json.loads(text)
                index["docs"] = [doc for doc in index["docs"] if doc["location"] != "garden/graph/#clusters"]
                text = json.dumps(index, sort_keys=True)
            article = dirty and path.suffix == ".html"
            found[str(path.relative_to(site))] = "".join(_ARTICLE.findall(text)) if article else text
    return found


@pytest.mark.parametrize("dirty", [False, True], ids=["serve", "serve --dirty"])
@pytest.mark.parametrize("seed", range(8))
def test_each_serve_rebuild_publishes_what_a_fresh_build_does(tmp_path: Path, seed: int, dirty: bool) -> None:
    rng, files, done = random.Random(seed), dict(VAULT), []
    write_vault(tmp_path / "served", files)
    build_site(tmp_path / "served", command="serve", dirty=dirty)  # as `mkdocs serve --dirty` builds first
    for step in range(10):
        done.append(_edit(rng, files))
        _sync(tmp_path / "served" / "docs", files)
        served = build_site(tmp_path / "served", command="serve", dirty=dirty)
        write_vault(tmp_path / f"fresh{step}", files)
        fresh = build_site(tmp_path / f"fresh{step}", isolated=True)  # the served instance keeps its memos
        shown, expected = _published(served.site, dirty), _published(fresh.site, dirty)
        differ = [path for path in sorted(shown.keys() | expected.keys()) if shown.get(path) != expected.get(path)]
        assert differ == [], (seed, done)
        warned = [warning for warning in served.warnings if "'dirty' build" not in warning]  # MkDocs' own
        assert sorted(warned) == sorted(fresh.warnings), (seed, done)
        shutil.rmtree(tmp_path / f"fresh{step}")
