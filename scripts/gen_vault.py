"""Seeded synthetic Obsidian vaults for benchmarks: realistic notes, links in every form.

`generate_vault(root, n, seed)` writes `root/vault/` (the docs dir) and one MkDocs config per
benchmarked setup beside it (`root/<name>.yml`), and returns what it wrote, counted. The same
`n` and `seed` give the same bytes: words, links and dates come from one `random.Random(seed)`
and a built-in word list, files are written in a fixed order with LF newlines.

What a note holds, so the benchmark exercises what a real vault would:
- 200-800 words in `## headings` with paragraphs, some ending in a `^block` id;
- 5-15 wikilinks in every form (`[[Note]]`, `[[Note|alias]]`, `[[Note#Heading]]`,
  `[[Note#^block]]`, `[[folder/Note]]`), now and then an embed `![[Note#Heading]]` or an image
  `![[image-1.png|200]]`, about 2% of them to notes nobody wrote;
- frontmatter tags and aliases, inline `#tags`, callouts, Obsidian Tasks lines with dates;
- about 2% of notes marked `publish: false`; a `daily/YYYY-MM-DD.md` journal.
Links name headings and blocks that exist, so nearly all of them resolve.

CLI: `python scripts/gen_vault.py OUT -n 1000 --seed 0`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

VAULT_DIR = "vault"

WORDS = (  # noqa: SIM905 (a paragraph of words reads better than a list of 200)
    "garden note idea link graph layer model vector weight token attention head circuit feature "
    "neuron signal pattern memory index search render build page folder branch root leaf seed "
    "sprout bloom season river stone cloud light shadow window bridge path road map compass "
    "north south east west summer winter autumn spring morning evening question answer reason "
    "theory proof method result error bias variance sample batch epoch gradient descent loss "
    "metric score rank order chaos structure system process function value number matrix basis "
    "space dimension projection rotation scale shift norm kernel filter channel stream buffer "
    "cache queue stack table record field schema query join merge split sort count measure "
    "estimate observe predict explain compare contrast connect reflect review revise draft "
    "write read learn teach study practice habit routine focus attention energy time week "
    "month year history future present moment story chapter section paragraph sentence word "
    "letter symbol sign meaning context frame lens view angle corner edge center surface depth "
    "height width length weight balance tension harmony rhythm melody echo silence noise wave "
    "field particle atom molecule cell tissue organ body mind brain thought feeling sense"
).split()
TOPIC_WORDS = WORDS[:120]
TAGS = ("idea", "todo", "draft", "evergreen", "reference", "project", "question", "book",
        "paper", "meeting", "learning", "math", "ml/interp", "ml/training", "writing")
CALLOUTS = ("tip", "note", "warning", "info", "example", "quote", "question", "abstract")
FOLDER_WORDS = ("projects", "areas", "resources", "archive", "concepts", "people", "papers",
                "books", "meetings", "ideas", "notes", "reading", "topics", "methods", "tools")
DEPTH_WEIGHTS = (0.15, 0.35, 0.30, 0.20)  # depth 0..3
START_DAY = dt.date(2024, 1, 1)
N_PNG, N_SVG = 5, 3

# The setups the benchmark builds, by config name. `plain` is the baseline: Material and
# search only, wikilinks left as text, with a compact hand-written nav comparable to the
# garden's default one; the `-fullnav` pair shows MkDocs' default nav of every page, which the
# peer plugins get too.
PEER_PLUGINS = {
    "peer-roamlinks": ["roamlinks"],
    "peer-ezlinks": [{"ezlinks": {"wikilinks": True, "warn_ambiguities": False}}],
    "peer-obsidian-bridge": ["obsidian-bridge"],
    "peer-backlinks-section": ["backlinks_section"],
    "peer-interactive-graph": ["obsidian-interactive-graph"],
}
PEERS_NEEDING_FULL_NAV = ("peer-interactive-graph",)  # it reads its pages from MkDocs' default nav


@dataclass
class _Plan:
    """A note decided before any text is written, so links can target what will exist."""

    path: str
    title: str
    headings: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    daily: bool = False

    @property
    def stem(self) -> str:
        return self.path.rsplit("/", 1)[-1][:-3]

    @property
    def link_path(self) -> str:
        return self.path[:-3]


@dataclass
class _Counts:
    notes: int = 0
    daily_notes: int = 0
    private_notes: int = 0
    attachments: int = 0
    folders: int = 0
    words: int = 0
    wikilinks: int = 0
    embeds: int = 0
    image_embeds: int = 0
    missing_links: int = 0
    callouts: int = 0
    tasks: int = 0
    inline_tags: int = 0
    bytes: int = 0
    forms: dict[str, int] = field(default_factory=dict)

    def form(self, name: str) -> None:
        self.forms[name] = self.forms.get(name, 0) + 1


def generate_vault(root: Path, n: int, seed: int = 0) -> dict:
    """Write a vault of `n` notes under `root/vault/` and the benchmark configs under `root/`.

    Returns the counts of what was written (notes, links by form, words, ...)."""
    if n < 2:
        raise ValueError("a vault needs at least 2 notes")
    rng = random.Random(seed)
    root = Path(root)
    vault = root / VAULT_DIR
    vault.mkdir(parents=True, exist_ok=True)
    counts = _Counts()
    attachments = _write_attachments(vault, rng)
    counts.attachments = len(attachments)
    plans = _plan_notes(rng, n)
    counts.folders = len({p.path.rsplit("/", 1)[0] for p in plans if "/" in p.path})
    topics = [p for p in plans if not p.daily and p.path != "index.md"]
    for plan in plans:
        text = _note_text(rng, plan, plans, topics, attachments, counts)
        data = text.encode("utf-8")
        target = vault / plan.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        counts.notes += 1
        counts.daily_notes += plan.daily
        counts.bytes += len(data)
    _write_configs(root, plans)
    result = {k: v for k, v in vars(counts).items() if k != "forms"}
    result["link_forms"] = dict(sorted(counts.forms.items()))
    return result


def _plan_notes(rng: random.Random, n: int) -> list[_Plan]:
    """Paths, titles, headings, block ids and aliases of every note, home and journal included."""
    n_daily = max(1, n // 10)
    n_topics = n - n_daily - 1
    folders = _folders(rng, n_topics)
    plans = [_Plan("index.md", "Home", headings=["Start here", "Recent"], blocks=["home"])]
    used: set[str] = set()
    for _ in range(n_topics):
        title = _unique_title(rng, used)
        depth = rng.choices(range(4), DEPTH_WEIGHTS)[0]
        folder = rng.choice(folders[depth]) if depth else ""
        path = f"{folder}/{title}.md" if folder else f"{title}.md"
        plans.append(_Plan(path, title, headings=_headings(rng), blocks=_blocks(rng),
                           aliases=[f"{title} alias"] if rng.random() < 0.3 else []))
    for i in range(n_daily):
        day = (START_DAY + dt.timedelta(days=i)).isoformat()
        plans.append(_Plan(f"daily/{day}.md", day, headings=["Log", "Tasks", "Reflections"],
                           blocks=_blocks(rng), daily=True))
    return plans


def _folders(rng: random.Random, n_topics: int) -> list[list[str]]:
    """Folders by depth (index 0 is the root): a few top-level ones, more below each."""
    top = max(3, min(len(FOLDER_WORDS), round(n_topics ** 0.5 / 3)))
    by_depth: list[list[str]] = [[""], list(FOLDER_WORDS[:top]), [], []]
    for depth in (2, 3):
        for parent in by_depth[depth - 1]:
            for _ in range(rng.randint(1, 3)):
                by_depth[depth].append(f"{parent}/{rng.choice(TOPIC_WORDS)}")
        by_depth[depth] = sorted(set(by_depth[depth]))
    return by_depth


def _unique_title(rng: random.Random, used: set[str]) -> str:
    while True:
        words = [rng.choice(TOPIC_WORDS) for _ in range(rng.randint(2, 3))]
        title = " ".join([words[0].capitalize(), *words[1:]])
        if title.lower() not in used:
            used.add(title.lower())
            return title
        # Name collisions grow with n; a number keeps every file name unique.
        numbered = f"{title} {rng.randint(2, 999)}"
        if numbered.lower() not in used:
            used.add(numbered.lower())
            return numbered


def _headings(rng: random.Random) -> list[str]:
    found: list[str] = []
    wanted = rng.randint(3, 6)
    while len(found) < wanted:
        heading = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))).capitalize()
        if heading not in found:
            found.append(heading)
    return found


def _blocks(rng: random.Random) -> list[str]:
    return sorted({f"b{rng.randrange(16**5):05x}" for _ in range(rng.randint(2, 4))})


def _note_text(rng: random.Random, plan: _Plan, plans: list[_Plan], topics: list[_Plan],
               attachments: list[str], counts: _Counts) -> str:
    """Frontmatter and body of one note, 200-800 words, its links planned to resolve."""
    target_words = rng.randint(200, 800)
    n_links = rng.randint(5, 15)
    links = [_link(rng, plan, plans, topics, counts) for _ in range(n_links)]
    if rng.random() < 0.03:
        links.append(_image_embed(rng, attachments, counts))
    counts.wikilinks += len(links)
    sections = [[] for _ in plan.headings]
    for link in links:
        rng.choice(sections).append(link)
    per_section = max(20, target_words // len(plan.headings))
    blocks = list(plan.blocks)
    parts = [_frontmatter(rng, plan, counts), ""]
    if plan.daily:
        parts += [f"# {plan.title}", ""]
    words = 0
    for i, heading in enumerate(plan.headings):
        parts += [f"## {heading}", ""]
        body, used = _section(rng, per_section, sections[i], blocks, counts,
                              tasks=plan.daily and heading == "Tasks" or rng.random() < 0.2,
                              day=plan.title if plan.daily else None)
        parts += body
        words += used
    for block in blocks:  # ids not placed yet: a closing paragraph per id
        parts += [_sentence(rng, 8) + f" ^{block}", ""]
        words += 8
    counts.words += words
    return "\n".join(parts).rstrip("\n") + "\n"


def _frontmatter(rng: random.Random, plan: _Plan, counts: _Counts) -> str:
    tags = sorted(set(rng.sample(TAGS, rng.randint(1, 3))))
    lines = ["---", f"tags: [{', '.join(tags)}]"]
    if plan.aliases:
        lines.append(f"aliases: [{', '.join(plan.aliases)}]")
    if plan.daily:
        lines.append(f"date: {plan.title}")
    if plan.path != "index.md" and rng.random() < 0.02:
        lines.append("publish: false")
        counts.private_notes += 1
    lines.append("---")
    return "\n".join(lines)


def _link(rng: random.Random, plan: _Plan, plans: list[_Plan], topics: list[_Plan], counts: _Counts) -> str:
    """One wikilink in a form drawn by realistic weights, to a note other than `plan`."""
    roll = rng.random()
    if roll < 0.02:
        counts.missing_links += 1
        counts.form("missing")
        return f"[[Unwritten {rng.choice(TOPIC_WORDS)} {rng.randrange(10**4)}]]"
    pool = plans if rng.random() < 0.15 else topics  # dailies and home are linked less
    target = rng.choice(pool)
    while target is plan:
        target = rng.choice(pool)
    form = rng.choices(("plain", "alias", "heading", "block", "folder", "embed"),
                       (0.36, 0.18, 0.18, 0.12, 0.12, 0.04))[0]
    counts.form(form)
    if form == "alias":
        return f"[[{target.stem}|{_sentence(rng, rng.randint(1, 3)).rstrip('.').lower()}]]"
    if form == "heading":
        return f"[[{target.stem}#{rng.choice(target.headings)}]]"
    if form == "block":
        return f"[[{target.stem}#^{rng.choice(target.blocks)}]]"
    if form == "folder":
        return f"[[{target.link_path}]]"
    if form == "embed":
        counts.embeds += 1
        return f"![[{target.stem}#{rng.choice(target.headings)}]]"
    return f"[[{target.stem}]]"


def _image_embed(rng: random.Random, attachments: list[str], counts: _Counts) -> str:
    counts.image_embeds += 1
    counts.form("image")
    return f"![[{rng.choice(attachments).rsplit('/', 1)[-1]}|{rng.choice((120, 200, 320))}]]"


def _section(rng: random.Random, n_words: int, links: list[str], blocks: list[str], counts: _Counts,
             *, tasks: bool, day: str | None) -> tuple[list[str], int]:
    """Paragraphs (links woven in), maybe a callout, maybe tasks; returns lines and words."""
    lines: list[str] = []
    words = 0
    embeds = [link for link in links if link.startswith("![[")]
    inline = [link for link in links if not link.startswith("![[")]
    while words < n_words:
        size = min(rng.randint(25, 70), max(8, n_words - words))
        sentence_words = [rng.choice(WORDS) for _ in range(size)]
        words += size
        for link in inline[:2]:
            sentence_words.insert(rng.randrange(len(sentence_words) + 1), link)
        inline = inline[2:]
        if rng.random() < 0.25:
            counts.inline_tags += 1
            sentence_words.append("#" + rng.choice(TAGS))
        paragraph = _as_sentences(rng, sentence_words)
        if blocks and rng.random() < 0.3:
            paragraph += f" ^{blocks.pop()}"
        lines += [paragraph, ""]
    for link in inline:  # more links than paragraphs: a short "see also" line
        lines += [f"See also {link}.", ""]
    for embed in embeds:
        lines += [embed, ""]
    if rng.random() < 0.25:
        counts.callouts += 1
        kind = rng.choice(CALLOUTS)
        lines += [f"> [!{kind}] {_sentence(rng, 3).rstrip('.')}", f"> {_sentence(rng, 14)}", ""]
        words += 17
    if tasks:
        base = dt.date.fromisoformat(day) if day else START_DAY + dt.timedelta(days=rng.randrange(365))
        for _ in range(rng.randint(1, 4)):
            counts.tasks += 1
            due = base + dt.timedelta(days=rng.randint(0, 14))
            text = _sentence(rng, rng.randint(3, 7)).rstrip(".")
            words += len(text.split())
            if rng.random() < 0.4:
                done = due - dt.timedelta(days=rng.randint(0, 3))
                lines.append(f"- [x] {text} 📅 {due.isoformat()} ✅ {done.isoformat()}")
            else:
                lines.append(f"- [ ] {text} 📅 {due.isoformat()}")
        lines.append("")
    return lines, words


def _sentence(rng: random.Random, n: int) -> str:
    return _as_sentences(rng, [rng.choice(WORDS) for _ in range(n)])


def _as_sentences(rng: random.Random, words: list[str]) -> str:
    """Capitalised sentences of 6-14 words; wikilinks and tags are kept as written."""
    out: list[str] = []
    start = True
    countdown = rng.randint(6, 14)
    for word in words:
        out.append(word.capitalize() if start and word[0].isalpha() else word)
        start = False
        countdown -= 1
        if countdown == 0 and not word.startswith("#"):
            out[-1] += "."
            start, countdown = True, rng.randint(6, 14)
    text = " ".join(out)
    return text if text.endswith(".") else text + "."


def _write_attachments(vault: Path, rng: random.Random) -> list[str]:
    """A handful of tiny valid images under `attachments/`."""
    folder = vault / "attachments"
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(1, N_PNG + 1):
        name = f"attachments/image-{i}.png"
        (vault / name).write_bytes(_png(8, 8, tuple(rng.randrange(256) for _ in range(3))))
        names.append(name)
    for i in range(1, N_SVG + 1):
        name = f"attachments/diagram-{i}.svg"
        colour = f"#{rng.randrange(16**6):06x}"
        (vault / name).write_text(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16">'
            f'<circle cx="8" cy="8" r="{rng.randint(3, 7)}" fill="{colour}"/></svg>\n', encoding="utf-8")
        names.append(name)
    return names


def _png(width: int, height: int, rgb: tuple[int, ...]) -> bytes:
    """A solid-colour RGB PNG, built by hand so no imaging library is needed."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(row * height, 9)) + chunk(b"IEND", b""))


def _write_configs(root: Path, plans: list[_Plan]) -> None:
    """One MkDocs config per setup, `docs_dir` pointing at the vault beside it."""
    first_in_top: dict[str, str] = {}
    for plan in sorted(plans, key=lambda p: p.path):
        if "/" in plan.path:
            first_in_top.setdefault(plan.path.split("/", 1)[0], plan.path)
    compact_nav = [{"Home": "index.md"}] + [{top.capitalize(): path} for top, path in sorted(first_in_top.items())]
    setups: dict[str, dict] = {
        "plain": {"plugins": ["search"], "nav": compact_nav},
        "plain-fullnav": {"plugins": ["search"]},
        "garden": {"plugins": ["search", "garden"]},
        "garden-fullnav": {"plugins": ["search", {"garden": {"navigation": "full"}}]},
        # The garden without mentions and graph: the difference to `garden` is their cost.
        "garden-nograph": {"plugins": ["search", {"garden": {"backlinks": False, "graph": False}}]},
    }
    for name, plugins in PEER_PLUGINS.items():
        # Peers get MkDocs' default nav: some read the pages from it (the graph plugin). Those
        # that do not are also built with plain's compact nav, to compare at the garden's.
        setups[name] = {"plugins": ["search", *plugins]}
        if name not in PEERS_NEEDING_FULL_NAV:
            setups[f"{name}-compact"] = {"plugins": ["search", *plugins], "nav": compact_nav}
    for name, setup in setups.items():
        config = {"site_name": f"Synthetic vault ({name})", "docs_dir": VAULT_DIR,
                  "site_dir": f"site-{name}", "theme": {"name": "material"}, **setup}
        # JSON is valid YAML: no YAML library needed, and the bytes are stable.
        (root / f"{name}.yml").write_text(json.dumps(config, indent=1, ensure_ascii=False) + "\n",
                                          encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("out", type=Path, help="folder to write the vault and configs into")
    parser.add_argument("-n", type=int, default=1000, help="number of notes (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(json.dumps(generate_vault(args.out, args.n, args.seed), indent=1))


if __name__ == "__main__":
    main()
