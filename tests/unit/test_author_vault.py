"""The author's vault under `docs/`: the journal is the seed export word for word, notes are sound.

Pure text checks, no MkDocs. The journal may only differ from the export by the Obsidian
formatting the export lost (headings, task checkboxes, wikilinks, an autolink, blank lines) plus a
clearly separate `## Worked examples` section at the end. Every other note must carry YAML
frontmatter, link only to notes that exist (bar the deliberate seedlings), and keep the private
note and its canary out of the public pages.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
JOURNAL = DOCS / "journal" / "13 week Mech Interp Study Journal.md"
PRIVATE = DOCS / "private" / "Minesweeper log.md"
from tests.paths import SEED as SEED_FILE

CANARY = "CANARY-PRIVATE-7f3a"
WORKED_EXAMPLES = "## Worked examples"

# Links to notes nobody has written yet, on purpose: Obsidian shows them as "not created yet".
SEEDLINGS = {"Fourier transform", "Dimensionality reduction", "Illustrated Transformer"}
# Written by the notebooks engineer; they may land after this test runs.
NOTEBOOKS = {
    "notebooks/bases-and-orthogonal-init.ipynb",
    "notebooks/mlp-backprop-from-scratch.ipynb",
    "notebooks/pca-svd-and-the-curse-of-dimensionality.ipynb",
    "notebooks/toy-attention-regex.ipynb",
}
# The notes this test owns; other engineers add pages elsewhere under docs/.
AUTHORED = sorted(
    [DOCS / "index.md"]
    + [p for d in ("journal", "concepts", "resources", "private") for p in (DOCS / d).rglob("*.md")]
)

# A copy of the author's raw export, so the test does not depend on files outside the repo.
SEED_EXPORT = """13 week Mech Interp Study Journal
Foreword
Mech Interp is super cool! I’m gonna set aside 13 weeks to study it. In these 13 weeks, I plan to master basic ML math, master transformers, read a couple mech interp papers in depth, and hopefully carry out some small-scaled, original mech interp exploration.
Note, this is a direct mirror of my personal log in my Obsidian vault, and some formatting might not be appropriate (I will format everything at the end).
Timeline
Target: 10/28/2023 to 1/26/2023 (end of my winter break)
Undated Day 1
- Read some basic definitions of Linear Algebra Done Right.
Undated Day 2
- Finished Linear Algebra Done Right Chapter 1. Re-learnt subspaces, sums of subspaces, direct sums.
- Looking ahead, to solidfy my linear algebra for MI, I should master Chapter 1-3, 5-6, and 7d. More importantly, I need to spend some time everyday in finding connections of the niche linear algebra techniques are used for ML.
- I found one such connection today (querying ChatGPT): Gradients should be initialized with orthonormal matrices in order to preserve the magnitude of gradients.
Day 1
- Read Linear Algebra Done Right Chapter 2 up until the last definition. I think basis and theorems regarding bases drilled in the definition of linear independence and span.
- Tomorrow, I just want to finish up the definition, do a few problems. Then, I want to skim some high-level material on why bases matters for machine learning; in particular, I hear a lot about “orthonormal” bases in ML, when and why do they come up?
- Why bases matter for machine learning - high level view. 📅 2023-10-28 ✅ 2023-10-28
Day 2
- Yesterday i assigned the “why bases matters” task, I have a high-level answer: To address the curse of dimensionality and other dimension related issues. Keywords are privileged, non-privileged bases, PCA, SVD.
- Resources: https://harrisonpim.com/blog/privileged-vs-non-privileged-bases-in-machine-learning
Day 3
Skipped
Day 4
- Did 15 exercises for [[Chapter 2]]. I didn’t try too hard, I looked at the solution if I can’t solve in 5 mins.
Day 5
Skipped
Day 6
Skipped
Day 7 (11-03-2023)
Wrote MLP forward stuff.
Watched this great video by WhyML on Skip connection and residual blocks.
- Review Batch Normaliztaion, Optimizers, Regularization, Gradient Clipping, Weight Constraints, Weight Normalization, Layer Normalization 📅 2023-11-04 ✅ 2023-11-09
- What is Skip Connections and Residual Blocks? 📅 2023-11-03 ✅ 2023-11-04
- Understand the gradients that are taken. 📅 2023-11-12 ✅ 2023-11-15
Day 8 (11-04-2023)
Studied backpropagation. I used multiple resources: The original sparse encoder article, some random article by ML-dawn, and Brilliant Wiki. But, when I revisited 3b1b’s video, that’s the one that made it all click. Tomorrow, I plan to rewatch the video and take a lot of notes.
Day 9 (11-05-2023)
Rewatched 3b1b’s video and I think all the formulae individually makes sense. Tomorrow, I’ll try to
- Derive the gradients from scratch
- If I get them right, give a shot at drawing derivative diagrams for a MLP
- Implement backprop in MLP.
Day 10-18 (11-06-2023 to 11-14-2023)
Skipped. Not gonna lie, played a little too much minesweeper.
Day 19
- Deleted my online minesweeper account. Started 2 weeks ago and sunk 35 hours into it, no good, those hours will now be redirected to mech interp.
- Watched Neel Nanda’s MI and Math talk and annotated it. The slides are here
- 40 mins into ML street talk episode with Neel Nanda. Take aways:
- A biologist’s getting hands dirty view might be more appropriate than a mathematician’s view. A good quality of a mech interp researcher is someone who can handle a surprise.
My goals this week is to start understanding transformers well, read this paper, and get a sense of the other techniques I gotta study (dimensionality reduction, Fourier transform even?).
Idea: Analyze transformers that implement simple regexes / text manipulation patterns?
Day 20
- Read the Attention blog post, it is a prior of the Illustrated Transformers guide.
Some knowledge tasks.
- Understand: What is the Curse of Dimensionality? 📅 2023-11-17
- Master PCA 📅 2023-11-19
Inspired by Neel’s talks yesterday, I will run a mech interp notebook this week to get a feel of the tools.
- Run, completely, one mech interp notebook 📅 2023-11-17"""

_WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]+?)\]\]")
_HEADING = re.compile(r"^(#{1,6}) +(.*?)\s*$")
_TASK = re.compile(r"^- \[([^\]])\] ")
_BLOCK_ID = re.compile(r"\s\^([A-Za-z0-9-]+)\s*$")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.DOTALL)


def split_frontmatter(text: str) -> tuple[dict, str]:
    """The parsed YAML properties and the body; fails if the note has no frontmatter block."""
    assert text.startswith("---\n"), "a note must open with a YAML frontmatter block"
    end = text.index("\n---\n", 4)
    data = yaml.safe_load(text[4:end])
    assert isinstance(data, dict), "frontmatter must be a YAML mapping"
    return data, text[end + len("\n---\n") :]


def remove_added_formatting(line: str) -> str:
    """Undo what restoring the Obsidian formatting may add to one of the author's lines."""
    line = re.sub(r"^#+", "", line).lstrip(" ")
    line = _TASK.sub("- ", line)

    def link_text(match: re.Match[str]) -> str:
        if match.group(0) == "[[Chapter 2]]":  # the one link that survived the export
            return match.group(0)
        target, bar, alias = match.group(2).partition("|")
        return alias if bar else target

    line = _WIKILINK.sub(link_text, line)
    return _AUTOLINK.sub(r"\1", line)


def seed_lines() -> list[str]:
    return [line for line in SEED_EXPORT.split("\n") if line.strip()]


def journal_parts() -> tuple[dict, list[str], list[str]]:
    """Frontmatter, the author's lines, and the lines of the added worked-examples section."""
    data, body = split_frontmatter(JOURNAL.read_text(encoding="utf-8"))
    lines = body.split("\n")
    cut = lines.index(WORKED_EXAMPLES)
    return data, lines[:cut], lines[cut:]


def test_embedded_seed_matches_the_export_when_available() -> None:
    assert SEED_FILE.read_text(encoding="utf-8") == SEED_EXPORT


def test_journal_keeps_every_line_of_the_export_in_order() -> None:
    _, author, _ = journal_parts()
    body = [remove_added_formatting(line) for line in author]
    body = [line for line in body if line.strip()]
    # In order and nothing else: the author's part is exactly the export's non-empty lines.
    assert body == seed_lines()


def test_journal_text_is_utf8_with_lf_and_keeps_the_authors_spelling() -> None:
    raw = JOURNAL.read_bytes()
    assert b"\r" not in raw
    text = raw.decode("utf-8")
    for word in ("solidfy", "Normaliztaion", "makes sense", "I’m gonna", "“why bases matters”"):
        assert word in text
    assert "Target: 10/28/2023 to 1/26/2023 (end of my winter break)" in text


def test_journal_frontmatter_and_headings() -> None:
    data, author, extra = journal_parts()
    assert data == {
        "title": "13 week Mech Interp Study Journal",
        "tags": ["journal", "mech-interp", "study-log"],
        "journal": True,
        "plan": {
            "start": datetime.date(2023, 10, 28),
            "end": datetime.date(2024, 1, 26),
            "weeks": 13,
        },
    }
    headings = [(len(m.group(1)), m.group(2)) for m in map(_HEADING.match, author) if m]
    days = ["Undated Day 1", "Undated Day 2"] + [f"Day {n}" for n in range(1, 7)]
    days += ["Day 7 (11-03-2023)", "Day 8 (11-04-2023)", "Day 9 (11-05-2023)"]
    days += ["Day 10-18 (11-06-2023 to 11-14-2023)", "Day 19", "Day 20"]
    assert headings == [
        (1, "13 week Mech Interp Study Journal"),
        (2, "Foreword"),
        (2, "Timeline"),
    ] + [(3, day) for day in days]
    assert extra[0] == WORKED_EXAMPLES
    assert not any(_HEADING.match(line) for line in extra[1:])


def test_journal_has_seven_tasks_four_done() -> None:
    _, author, extra = journal_parts()
    tasks = [line for line in author if _TASK.match(line)]
    assert len(tasks) == 7
    assert sum(line.startswith("- [x] ") for line in tasks) == 4
    for line in tasks:
        assert "📅" in line
        assert line.startswith("- [x] ") == ("✅" in line)
    assert not any(_TASK.match(line) for line in extra)


def test_worked_examples_link_each_notebook_to_a_day() -> None:
    _, _, extra = journal_parts()
    section = "\n".join(extra)
    for notebook in NOTEBOOKS:
        (line,) = [line for line in extra if f"[[{notebook}|" in line]
        assert re.search(r"\[\[#Day [^\]]+\]\]", line), line
    assert "[[Minesweeper log" not in section


# --- every authored note -------------------------------------------------------------------


def _rel(path: Path) -> str:
    return path.relative_to(DOCS).as_posix()


@pytest.mark.parametrize("path", AUTHORED, ids=_rel)
def test_note_has_valid_frontmatter(path: Path) -> None:
    raw = path.read_bytes()
    assert b"\r" not in raw, "LF newlines only"
    data, _ = split_frontmatter(raw.decode("utf-8"))
    assert data.get("title")
    for key in ("tags", "aliases"):
        if key in data:
            assert isinstance(data[key], list), f"{key} must be a list"


@pytest.mark.parametrize("path", AUTHORED, ids=_rel)
def test_file_names_avoid_characters_that_break_links(path: Path) -> None:
    assert not re.search(r"[#|^:\[\]]|%%", _rel(path))


def test_private_note_is_unpublished_and_fenced_off() -> None:
    data, body = split_frontmatter(PRIVATE.read_text(encoding="utf-8"))
    assert data["publish"] is False
    assert CANARY in body
    assert any(CANARY in line for line in body.split("\n") if _HEADING.match(line))
    linkers = []
    for path in AUTHORED:
        if path == PRIVATE:
            continue
        text = path.read_text(encoding="utf-8")
        assert CANARY not in text, _rel(path)
        if "[[Minesweeper log" in text:
            linkers.append(_rel(path))
    assert len(linkers) == 1 and linkers[0] != "index.md", linkers


# --- links ---------------------------------------------------------------------------------


def _heading_key(text: str) -> str:
    text = re.sub(r"[#|^:%\[\]\\]", " ", text)
    return " ".join(text.split()).lower()


class Vault:
    """Just enough of Obsidian's resolution (spec §1.3) to check this vault's links."""

    def __init__(self) -> None:
        files = [p for p in DOCS.rglob("*") if p.is_file()]
        self.paths = {_rel(p).lower(): p for p in files}

    def resolve(self, target: str) -> Path | None:
        target = target.strip().lower()
        for candidate in (target, target + ".md"):
            if candidate in self.paths:
                return self.paths[candidate]
            ends = sorted(p for p in self.paths if p.endswith("/" + candidate))
            if ends:
                return self.paths[min(ends, key=lambda p: (len(p), p))]
        return None


def _links(path: Path) -> list[tuple[bool, str, str]]:
    """(embed, target, subpath) of every wikilink outside math."""
    _, body = split_frontmatter(path.read_text(encoding="utf-8"))
    body = _MATH.sub("", body)
    out = []
    for match in _WIKILINK.finditer(body):
        inner = match.group(2).partition("|")[0]
        target, _, subpath = inner.partition("#")
        out.append((match.group(1) == "!", target.strip(), subpath.strip()))
    return out


def _check_subpath(note: Path, subpath: str) -> None:
    lines = note.read_text(encoding="utf-8").split("\n")
    if subpath.startswith("^"):
        ids = {m.group(1) for m in map(_BLOCK_ID.search, lines) if m}
        assert subpath[1:] in ids, f"no block ^{subpath[1:]} in {_rel(note)}"
        return
    headings = {_heading_key(m.group(2)) for m in map(_HEADING.match, lines) if m}
    assert _heading_key(subpath.split("#")[-1]) in headings, (
        f"no heading {subpath!r} in {_rel(note)}"
    )


@pytest.mark.parametrize("path", AUTHORED, ids=_rel)
def test_wikilinks_resolve_except_seedlings(path: Path) -> None:
    vault = Vault()
    for _embed, target, subpath in _links(path):
        if not target:
            _check_subpath(path, subpath)
            continue
        if target in NOTEBOOKS:
            continue  # another engineer writes them
        if target in SEEDLINGS:
            assert vault.resolve(target) is None, f"seedling {target} has been written"
            continue
        note = vault.resolve(target)
        assert note is not None, f"{_rel(path)}: unresolved [[{target}]]"
        if subpath:
            _check_subpath(note, subpath)


def test_vault_is_a_web_with_every_obsidian_link_form() -> None:
    texts = {_rel(p): p.read_text(encoding="utf-8") for p in AUTHORED}
    everything = "\n".join(texts.values())
    assert re.search(r"\[\[[^\]|#]+\|[^\]]+\]\]", everything)  # alias
    assert re.search(r"\[\[[^\]|#]+#[^\]^|]+\]\]", everything)  # heading link, no alias
    assert re.search(r"\[\[#[^\]^]+\]\]", everything)  # same-note heading
    assert re.search(r"\[\[[^\]|#]+#\^[A-Za-z0-9-]+(\|[^\]]+)?\]\]", everything)  # block link
    assert re.search(r"!\[\[[^\]|.#]+#[^\]^|]+\]\]", everything)  # embedded section
    assert "> [!tip]" in everything and "> [!note]-" in everything
    found = {link for _, link, _ in (x for p in AUTHORED for x in _links(p))}
    assert SEEDLINGS <= found
    # Each concept note links to at least three other concept notes.
    concepts = {p.stem for p in (DOCS / "concepts").glob("*.md")}
    assert len(concepts) == 14
    for path in (DOCS / "concepts").glob("*.md"):
        linked = {t for _, t, _ in _links(path)} & (concepts - {path.stem})
        assert len(linked) >= 3, (path.stem, linked)
        journal_days = re.findall(
            r"\[\[13 week Mech Interp Study Journal#[^\]]+\]\]", texts[_rel(path)]
        )
        assert journal_days, f"{path.stem} does not point back to the journal"


@pytest.mark.parametrize("path", sorted((DOCS / "concepts").glob("*.md")), ids=_rel)
def test_concept_notes_are_short(path: Path) -> None:
    data, body = split_frontmatter(path.read_text(encoding="utf-8"))
    assert data["tags"] and "aliases" in data
    prose = _MATH.sub("X", body)
    prose = _WIKILINK.sub(lambda m: m.group(2).partition("|")[2] or m.group(2), prose)
    words = [w for w in prose.split() if re.search(r"[A-Za-z]", w)]
    assert 80 <= len(words) <= 250, len(words)


def test_attention_sketch_is_a_small_valid_svg_embedded_in_attention() -> None:
    svg = DOCS / "attachments" / "attention-sketch.svg"
    assert svg.stat().st_size < 3 * 1024
    assert ElementTree.parse(svg).getroot().tag.endswith("svg")
    assert "![[attention-sketch.svg|400]]" in (DOCS / "concepts" / "Attention.md").read_text(
        encoding="utf-8"
    )


def test_home_page() -> None:
    data, body = split_frontmatter((DOCS / "index.md").read_text(encoding="utf-8"))
    assert data["title"] == "Mech Interp Garden"
    assert "[[13 week Mech Interp Study Journal]]" in body
    assert "Minesweeper" not in body
    for notebook in NOTEBOOKS:
        assert f"[[{notebook}|" in body
