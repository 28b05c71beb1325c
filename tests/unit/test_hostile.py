"""Hostile sizes and shapes: the scanner, the resolver, the rewriter and the task parser never
crash, never hang and never need memory out of proportion to the note.

Properties (Hypothesis) over arbitrary text and over text made of Obsidian syntax fragments
come first; then fixed cases: a 10 MB note, 1 MB lines, 10,000 links, callouts nested 100 deep,
embed chains and cycles, unclosed constructs, and every regex of the core fed the input it is
most likely to backtrack on.

Every time bound is a hang guard, not a benchmark: bounds are several times what a loaded
2-core machine needs, and `within` also stops a runaway case with SIGALRM (the regex engine
and pure-Python parsing both honour it), so a regression fails the suite instead of stalling
it. Known bugs are strict xfails whose reason names the input and the place in the code.
"""

from __future__ import annotations

import json
import posixpath
import re
import signal
import subprocess
import sys
import textwrap
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.rules_inline import StateInline
from mkdocs_garden.core import (
    backlinks,
    frontmatter,
    notebooks,
    prerender,
    resolve,
    rewrite,
    scan,
    tasks,
    tasks_inline,
    tasks_render,
    timeline_render,
    timeline_text,
)
from mkdocs_garden.core import (
    text as text_module,
)
from mkdocs_garden.core.model import Note
from mkdocs_garden.core.resolve import normalise_path
from mkdocs_garden.core.rewrite import PageTargets, Rewriter
from mkdocs_garden.core.scan import scan_note
from mkdocs_garden.core.syntax import garden_parser
from mkdocs_garden.core.syntax.comments import _comment_inline
from mkdocs_garden.core.syntax.tags import _tag_rule
from mkdocs_garden.core.syntax.wikilink import _wikilink_rule
from mkdocs_garden.core.tasks import parse_task_line, tasks_in_text
from mkdocs_garden.core.timeline_entries import JournalEntry
from mkdocs_garden.core.vault import PrivacyRules, Vault, build_vault, decode_note, link_problems

from tests.paths import REPO

# --------------------------------------------------------------------------------------------
# Helpers


@contextmanager
def within(seconds: float, what: str) -> Iterator[None]:
    """Fail if the block takes more than `seconds` of wall time; stop it at twice that."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"{what}: still running after {2 * seconds:g} s (bound {seconds:g} s)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, 2 * seconds)
    start = time.perf_counter()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"{what} took {elapsed:.2f} s (bound {seconds:g} s)"


TARGETS = PageTargets(
    md_href=lambda path, anchor: path + (f"#{anchor}" if anchor else ""),
    html_href=lambda path, anchor: path + (f"#{anchor}" if anchor else ""),
    tag_href=lambda tag: f"tags.md#{tag}",
)


def vault_of(texts: dict[str, str], attachments: tuple[str, ...] = (), private: tuple[str, ...] = ()) -> Vault:
    return build_vault(texts, attachments, privacy=PrivacyRules(private))


def page(vault: Vault, path: str, **options: int) -> tuple[str, Rewriter]:
    rewriter = Rewriter(vault, **options)
    return rewriter.page_markdown(vault.notes[path])(TARGETS), rewriter


def pipeline_text(raw: str) -> str:
    """What the plugin hands the scanner: the file's bytes decoded, newlines made LF."""
    return decode_note("n.md", raw.encode("utf-8", "surrogatepass"))[0]


# Realistic mixed Markdown: every construct the scanner reads, plus the places where `[[`
# must *not* be a link (code span, fence, comment). Per chunk: 4 links, 1 heading, 1 tag,
# 1 block id, 1 callout, 1 task checkbox.
CHUNK = """## Section {i}

Some *text* with a [[Note {i}]] and [a link](Other%20{i}.md), a #tag{i} and `code [[x]]`.

- [ ] a task {i} 📅 2024-01-01
- item with $x^2$ math ^block{i}

> [!tip] Callout {i}
> body [[Target#Heading|alias]]

```python
print("[[not a link]]")
```

%% a comment [[hidden]] %%

| a | b |
|---|---|
| [[T\\|x]] | 2 |

"""


def realistic(size: int) -> tuple[str, int]:
    """About `size` characters of CHUNKs, and how many chunks that is."""
    parts: list[str] = []
    total = 0
    while total < size:
        parts.append(CHUNK.replace("{i}", str(len(parts))))
        total += len(parts[-1])
    return "".join(parts), len(parts)


# --------------------------------------------------------------------------------------------
# Properties

PROPERTY = settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow])

FRAGMENTS = [
    "[[", "]]", "![[", "|", "\\|", "#", "^", "%%", "$", "$$", "`", "```", "~~~", "> [!", "> [!note]",
    "> [!tip]- Title", "> ", ">", "- [ ] ", "- [x] ", "* [/] ", "1. ", "---\n", "...\n", "\n", "\n\n",
    " ", "    ", "\t", "\\", "[", "]", "(", ")", "](", "a", "Note", "sub/C", "#tag", "#1984", " ^id",
    "^blk-1", "🌱", "日本語", "é", "e\u0301", "<", ">", "&", "&amp;", "<!--", "-->", "<div>", "</div>",
    "📅 2024-01-01", "[due:: 2024-01-01]", "|---|", "| a |", "\u00a0", "\u200b", "\ufeff", "\u2028",
    "*", "_", "==", "~~", "[^1]", "[^1]: x", "title: x\n", "aliases: [a, b]\n", "up: '[[A]]'\n",
    "%2e%2e/", "../", "C:/", "/etc", ".md", ".png",
]
obsidian_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=50).map("".join)
any_text = st.one_of(st.text(max_size=300), obsidian_text)


def assert_spans_are_exact(note: Note) -> None:
    """Everything the scanner found sits where it says, inside the text."""
    text, last_line = note.text, note.text.count("\n") + 1
    for link in note.links:
        assert 0 <= link.span.start <= link.span.end <= len(text), link
        assert text[link.span.start : link.span.end] == link.raw, link
        if link.kind == "wiki":
            assert link.raw.startswith(("[[", "![[")) and link.raw.endswith("]]"), link
        assert 1 <= link.line <= last_line, link
    for tag in note.tags:
        if tag.span is not None:
            assert text[tag.span.start : tag.span.end] == "#" + tag.name, tag
    for comment in note.comments:
        assert 0 <= comment.start <= comment.end <= len(text), comment
    for block in note.block_ids:
        assert "^" + block.id in text[block.marker.start : block.marker.end], block
    for box in note.checkboxes:
        assert text[box.span.start : box.span.end] == f"[{box.char}]", box


@PROPERTY
@given(any_text)
def test_scan_never_raises_and_every_span_is_exact(raw: str) -> None:
    text = pipeline_text(raw)
    assert_spans_are_exact(scan_note("sub/n.md", text))


NAMES = ["A.md", "B.md", "sub/C.md", "sub/A.md", "日本.md"]
LINK_FORMS = ["[[A]]", "![[B]]", "[[sub/C#h]]", "![[C#^blk]]", "![[pic.png|100]]", "[[A|x]]",
              "![[doc.pdf]]", "[t](B.md)", "![[A#H]]", "[[日本]]", "\n> [!note] T\n> ![[B]]\n"]
note_body = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(LINK_FORMS), st.text(max_size=3)),
                     max_size=30).map("".join)


@PROPERTY
@given(st.dictionaries(st.sampled_from(NAMES), note_body, min_size=1, max_size=5))
def test_rewriter_never_raises_and_is_deterministic(raw: dict[str, str]) -> None:
    texts = {path: pipeline_text(body) for path, body in raw.items()}
    attachments = ("pic.png", "doc.pdf")
    first = vault_of(texts, attachments, private=("sub/A.md",))
    again = vault_of(texts, attachments, private=("sub/A.md",))
    for path in sorted(texts):
        out, rewriter = page(first, path, embed_depth=3)
        assert rewriter.page_markdown(first.notes[path])(TARGETS) == out  # same rewriter, twice
        assert page(again, path, embed_depth=3)[0] == out  # a fresh scan of the same vault
        Rewriter(first, embed_depth=3).page_markdown(first.notes[path], plain=True)(TARGETS)


VAULT_FILES = ["A.md", "sub/B.md", "sub/deeper/C.md", "x/y/Z.md", "日本.md", "pic.png", "sub/pic.png"]
RESOLVER_VAULT = vault_of({p: "# H\n\ntext ^b\n" for p in VAULT_FILES if p.endswith(".md")},
                          tuple(p for p in VAULT_FILES if not p.endswith(".md")))
segment = st.sampled_from(["..", ".", "", "A", "B", "C", "sub", "deeper", "x", "y", "Z", "pic.png", "%2e%2e",
                           "C:", "c:", "\\", "..\\..", "etc", "passwd", "/", "日本", "A.md", " ", "~"])
link_path = st.one_of(st.text(max_size=30), st.lists(segment, max_size=8).map("/".join),
                      st.lists(segment, max_size=8).map("\\".join))


@settings(PROPERTY, max_examples=500)
@given(link_path, st.sampled_from([p for p in VAULT_FILES if p.endswith(".md")]))
def test_resolver_only_returns_vault_files_and_never_follows_a_path_out(link: str, source: str) -> None:
    found = RESOLVER_VAULT.resolver.resolve_path(link, source)
    assert found.path is None or found.path in VAULT_FILES, found
    assert (found.path is None) == (found.kind in ("missing", "outside")), found
    wanted = normalise_path(link.strip())
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), wanted))
    if wanted and (joined == ".." or joined.startswith("../")):
        assert found.kind == "outside", (link, source, found)


TASK_FRAGMENTS = [
    "- [ ] ", "- [x] ", "  > - [/] ", "1. [ ] ", "- ", "📅", "📅 2024-01-01", " ", "#tag", "#", "^id",
    " ^a-b", "🔁 every week", "⏫", "🔺", "✅ 2024-01-02", "❌", "[due:: 2024-01-01]",
    "(scheduled:: 2024-01-01)", "[priority:: high]", ",", "🆔 abc", "⛔ a, b", "\u00a0", "\ufe0f",
    "[", "(", "]", ")", "::", "➕", "🛫", "⏳", "🏁 delete", "\t", ">",
]
task_line = st.one_of(st.text(max_size=200),
                      st.lists(st.one_of(st.sampled_from(TASK_FRAGMENTS), st.text(max_size=3)), max_size=40).map("".join))


@settings(PROPERTY, max_examples=500)
@given(task_line, st.booleans())
def test_task_parser_never_raises_and_is_fast(line: str, tolerant: bool) -> None:
    start = time.perf_counter()
    task = parse_task_line(line, tolerant=tolerant)
    assert time.perf_counter() - start < 0.5, "a single line took over 0.5 s"
    if task is not None:
        assert 0 <= task.fields_start <= len(line), task
        assert len(task.status_char) == 1
    tasks_in_text("n.md", line + "\n" + line, tolerant=tolerant)


# --------------------------------------------------------------------------------------------
# Known crashes found by the properties above


@pytest.mark.parametrize("text", ["^[]", "A note.^[An inline footnote]\n", "see ^[[Note]]\n"])
def test_inline_footnote_does_not_crash(text: str) -> None:
    note = scan_note("n.md", text)
    assert_spans_are_exact(note)


def test_nul_character_does_not_shift_spans() -> None:
    text = "- [ ] \x00 task [[A]]\n"
    note = scan_note("n.md", text)
    assert_spans_are_exact(note)
    out, _ = page(vault_of({"n.md": text, "A.md": "a\n"}), "n.md")
    assert out.endswith("\ufffd task [A](A.md)\n"), out  # NUL becomes U+FFFD, as in CommonMark


# --------------------------------------------------------------------------------------------
# Sizes


def _scan_in_child(size: int) -> dict:
    """Scan `size` characters of realistic Markdown in a fresh interpreter: its peak RSS is
    the scan's own (no earlier test's high-water mark), and a hang can be killed."""
    program = textwrap.dedent(f"""
        import json, resource, sys, time
        sys.path[:0] = [{str(REPO / "plugins")!r}, {str(REPO)!r}]
        from tests.unit.test_hostile import realistic
        from mkdocs_garden.core.scan import scan_note
        text, chunks = realistic({size})
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        wall, cpu = time.perf_counter(), time.process_time()
        note = scan_note("big.md", text)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({{"bytes": len(text.encode()), "chunks": chunks, "wall": wall, "cpu": cpu,
                          "rss_growth": (after - before) * 1024, "links": len(note.links),
                          "headings": len(note.headings), "tags": len(note.tags),
                          "callouts": len(note.callouts), "blocks": len(note.block_ids),
                          "checkboxes": len(note.checkboxes)}}))
    """)
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=600, check=True)
    return json.loads(done.stdout)


@pytest.mark.slow
def test_ten_megabyte_note_scans_in_linear_time_and_memory() -> None:
    """10 MB of realistic Markdown: everything found, time linear in the size, memory bounded.

    No absolute "10 s for 10 MB": markdown-it-py alone needs ~30 s of CPU for it here. CPU
    time is bounded relative to a 1 MB note of the same shape (linear is 10x, quadratic would
    be 100x; Python's cyclic GC, walking a growing token list, makes it 10-12x), with a 300 s
    wall-clock hang guard. Memory: the scanner must hold markdown-it's token list for the
    whole note, ~85 bytes per byte of syntax-dense Markdown (see the tracemalloc test); 120x
    leaves room for allocator slack, not for a second copy. Measured (2 cores, shared):
    1 MB 4.0 s CPU, 10 MB 48 s CPU, peak RSS growth 90x the text.
    """
    small = _scan_in_child(1_000_000)
    big = _scan_in_child(10_000_000)
    for counts in (small, big):
        chunks = counts["chunks"]
        assert (counts["links"], counts["headings"], counts["tags"], counts["callouts"],
                counts["blocks"], counts["checkboxes"]) == (4 * chunks, chunks, chunks, chunks, chunks, chunks)
    assert big["wall"] < 300, big
    assert big["cpu"] < 20 * small["cpu"], (small, big)
    assert big["rss_growth"] < 120 * big["bytes"], f"peak RSS grew {big['rss_growth'] / big['bytes']:.0f}x the text"


def test_scanner_memory_is_markdown_its_token_list_plus_a_little() -> None:
    """tracemalloc peak of scanning vs of markdown-it's bare parse of the same text.

    The token list is the floor (the scanner walks it whole); measured: parse 84x the text,
    scan 93x, so the scanner adds ~10% on top. Bound: 1.25x the parse and 120x the text.
    """
    text, _ = realistic(128_000)
    garden_parser()  # build the parser outside the measurement
    peaks = {}
    for name, run in (("parse", lambda: garden_parser().parse(text)), ("scan", lambda: scan_note("m.md", text))):
        tracemalloc.start()
        try:
            kept = run()
            peaks[name] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        del kept
    size = len(text.encode())
    assert peaks["scan"] < 1.25 * peaks["parse"], {k: round(v / size) for k, v in peaks.items()}
    assert peaks["scan"] < 120 * size, {k: round(v / size) for k, v in peaks.items()}


def _words(size: int) -> str:
    return " ".join(f"word{i % 97}" for i in range(size // 6))[:size]


def _linked_words(size: int) -> tuple[str, int]:
    """One line: a wikilink every few words, and an unclosed `[[` every tenth phrase."""
    parts, count, total = [], 0, 0
    while total < size:
        if len(parts) % 10:
            parts.append(f"see [[Note {len(parts) % 997}]] and some plain words here")
            count += 1
        else:
            parts.append(f"an unclosed [[ bracket {len(parts)}")
        total += len(parts[-1]) + 1
    return " ".join(parts), count


def test_megabyte_line_without_links() -> None:
    text = _words(1_000_000)
    with within(10, "scanning a 1 MB line of words"):
        note = scan_note("line.md", text)
    assert note.links == ()


def test_megabyte_line_with_links_and_unclosed_brackets() -> None:
    text, count = _linked_words(1_000_000)
    assert "\n" not in text and len(text) >= 1_000_000
    with within(20, "scanning a 1 MB line with 20,000 links"):
        note = scan_note("line.md", text)
    assert len(note.links) == count
    assert_spans_are_exact(note)


def _run_inline_rule(rule: Callable[[StateInline, bool], bool], src: str) -> int:
    """Drive one inline rule over `src` as markdown-it does when nothing else matches: try it
    at every position, skip what it consumes. Returns how many times it matched."""
    state = StateInline(src, garden_parser(), {}, [])
    pos, matched = 0, 0
    while pos < len(src):
        state.pos = pos
        if rule(state, True):
            pos, matched = state.pos, matched + 1
        else:
            pos += 1
    return matched


def test_wikilink_rule_is_linear_on_unclosed_brackets() -> None:
    with within(2, "the wikilink rule over 100 KB of `[[`"):
        assert _run_inline_rule(_wikilink_rule, "[[" * 50_000) == 0


@pytest.mark.parametrize("rule, src", [
    (_comment_inline, "%%a" * 100_000),
    (_comment_inline, "%%" + "a" * 300_000),
    (_tag_rule, " #a" * 100_000),
    (_tag_rule, " #" + "1" * 300_000),
], ids=["comments-paired", "comment-unclosed", "tags-many", "tag-digits"])
def test_other_inline_rules_are_linear(rule: Callable[[StateInline, bool], bool], src: str) -> None:
    with within(5, f"{rule.__name__} over {len(src)} characters"):
        _run_inline_rule(rule, src)


def test_ten_thousand_links_in_one_note_all_resolve() -> None:
    forms = []
    for i in range(10_000):
        k = i % 1000
        forms.append([f"[[Note {k}]]", f"[[Note {k}#Part {k}|alias {i}]]", f"[t {i}](sub/Note%20{k}.md)",
                      f"[[sub/Note {k}#^blk{k}]]", f"![[img{k % 100}.png]]"][i % 5])
    hub = "# Hub\n\n" + "".join(" ".join(forms[j : j + 10]) + "\n" for j in range(0, len(forms), 10))
    texts = {"Hub.md": hub, **{f"sub/Note {k}.md": f"# Note {k}\n\n## Part {k}\n\ntext ^blk{k}\n" for k in range(1000)}}
    with within(60, "scanning and resolving 10,000 links"):
        vault = vault_of(texts, tuple(f"img/img{k}.png" for k in range(100)))
        out, _ = page(vault, "Hub.md")
    resolved = vault.links["Hub.md"]
    assert len(resolved) == 10_000
    for index, (link, target) in enumerate(resolved):
        k = index % 1000
        expected = f"img/img{k % 100}.png" if index % 5 == 4 else f"sub/Note {k}.md"
        assert (target.path, target.broken_anchor) == (expected, False), (link.raw, target)
    assert not [p for p in link_problems(vault) if p.path == "Hub.md"]
    assert "[[" not in out and out.count("](sub/Note ") == 8000 and out.count("](img/img") == 2000


def _nested_callouts(depth: int) -> str:
    lines = []
    for level in range(1, depth + 1):
        lines += ["> " * level + f"[!note] Level {level}", "> " * level + f"body {level} [[T{level}]]"]
    return "\n".join(lines) + "\n\nAfter the quotes: [[Tail]] #after\n"


def test_callouts_nested_100_deep_do_not_crash_or_hang() -> None:
    text = _nested_callouts(100)
    vault = vault_of({"deep.md": text, "Tail.md": "t\n", **{f"T{k}.md": "t\n" for k in range(1, 101)}})
    with within(5, "scanning and rewriting callouts nested 100 deep"):
        note = scan_note("deep.md", text)
        out, _ = page(vault, "deep.md")
    assert [t.name for t in note.tags] == ["after"] and note.links[-1].target == "Tail"
    assert out.rstrip().endswith("After the quotes: [Tail](Tail.md) [#after](tags.md#after){ .garden-tag }")


def test_callouts_nested_100_deep_are_all_read() -> None:
    text = _nested_callouts(100)
    vault = vault_of({"deep.md": text, "Tail.md": "t\n", **{f"T{k}.md": "t\n" for k in range(1, 101)}})
    note = vault.notes["deep.md"]
    assert [c.depth for c in note.callouts] == list(range(100))
    assert [link.target for link in note.links] == [f"T{k}" for k in range(1, 101)] + ["Tail"]
    out, _ = page(vault, "deep.md")
    assert "[[" not in out and out.count("!!! note") == 100


def test_embed_chain_of_100_stops_at_the_configured_depth_with_a_warning() -> None:
    texts = {f"N{i}.md": f"# N{i}\n\nbody {i}\n\n![[N{i + 1}]]\n" for i in range(100)}
    texts["N100.md"] = "# N100\n\nend\n"
    vault = vault_of(texts)
    for depth in (6, 10):
        with within(5, f"an embed chain of 100 at depth {depth}"):
            out, rewriter = page(vault, "N0.md", embed_depth=depth)
        assert f"body {depth}\n" in out and f"body {depth + 1}\n" not in out
        assert out.count("!!! garden-embed") == depth
        assert f"[N{depth + 1}](N{depth + 1}.md){{ .garden-embed-link }}" in out
        assert [str(p) for p in rewriter.problems] == [
            f"N{depth}.md:5: embed cycle or depth limit: '![[N{depth + 1}]]' shown as a link"]


def test_embed_cycles_stop_with_a_warning() -> None:
    vault = vault_of({"A.md": "# A\n\n![[B]]\n", "B.md": "# B\n\n![[C]]\n", "C.md": "# C\n\n![[A]]\n",
                      "Self.md": "# Self\n\n![[Self]]\n"})
    out, rewriter = page(vault, "A.md")
    assert out.count("!!! garden-embed") == 2 and "[A](A.md){ .garden-embed-link }" in out
    assert [str(p) for p in rewriter.problems] == ["C.md:3: embed cycle or depth limit: '![[A]]' shown as a link"]
    out, rewriter = page(vault, "Self.md")
    assert "!!! garden-embed" not in out
    assert [str(p) for p in rewriter.problems] == ["Self.md:3: embed cycle or depth limit: '![[Self]]' shown as a link"]


def test_embed_fan_out_is_bounded() -> None:
    texts = {f"N{i}.md": "\n\n".join([f"![[N{i + 1}]]"] * 4) + "\n" for i in range(8)}
    texts["N8.md"] = "leaf\n"
    vault = vault_of(texts)
    with within(5, "an embed fan-out of 4 x 8 levels"):
        out, rewriter = page(vault, "N0.md")
    assert len(out) < 100 * sum(map(len, texts.values())), f"{len(out)} characters of Markdown"
    assert len(rewriter.problems) < 100


REST = "\n\n# After\n\nSee [[Later]] and #tag here ^bid\n"


@pytest.mark.parametrize("opening", [
    "%% an open comment", "text %% open inline comment", "a [[broken link", "![[broken embed",
    "$$\nx^2", "text $$x^2", "text $x", "> [!note", "---\ntitle: x", "| a | b\n|---",
], ids=["comment-block", "comment-inline", "link", "embed", "math-block", "math-inline-double",
        "math-inline", "callout", "frontmatter", "table"])
def test_unclosed_construct_leaves_the_rest_of_the_note_parsed(opening: str) -> None:
    text = opening + REST
    vault = vault_of({"n.md": text, "Later.md": "l\n"})
    note = vault.notes["n.md"]
    assert [h.text for h in note.headings] == ["After"]
    assert [link.target for link in note.links] == ["Later"]
    assert [t.name for t in note.tags] == ["tag"] and [b.id for b in note.block_ids] == ["bid"]
    out, _ = page(vault, "n.md")
    assert "See [Later](Later.md) and [#tag](tags.md#tag)" in out


@pytest.mark.parametrize("opening", ["```python\ncode", "~~~\ncode", "<!-- open html comment"])
def test_unclosed_fence_is_code_to_the_end_as_commonmark_says(opening: str) -> None:
    note = scan_note("n.md", opening + REST)
    assert note.links == () and note.headings == () and note.tags == ()
    assert note.verbatim == ((1, (opening + REST).count("\n")),)


# --------------------------------------------------------------------------------------------
# Every regex of the core, fed what it is most likely to backtrack on (50,000 repetitions)

N = 50_000


def _summary(text: str) -> str:
    entry = JournalEntry("j.md", 1, "Day", "", "heading", summary=text)
    links = timeline_render._Links(lambda e: "e.md", lambda t: None, lambda s, t: None)
    return timeline_render._render_summary(entry, links)


@dataclass(frozen=True)
class Case:
    regex: str  # module.NAME for module-level patterns; the coverage test checks every one is here
    run: Callable[[str], object]
    text: str
    bug: str = ""


CASES = {
    "backlinks-prefix": Case("backlinks._PREFIX", lambda s: backlinks._PREFIX.sub("", s, count=1), " >" * N + " \t" * N + "x"),
    "backlinks-escape": Case("backlinks._escape_md", backlinks._escape_md, "<\\" * N),
    "frontmatter-almost-closing": Case("frontmatter._FRONTMATTER", frontmatter._FRONTMATTER.match, "---\n" + "--- x\n" * N),
    "frontmatter-unclosed": Case("frontmatter._FRONTMATTER", frontmatter._FRONTMATTER.match, "---\n" + "\n" * N),
    "frontmatter-trailing-blanks": Case("frontmatter._FRONTMATTER", frontmatter._FRONTMATTER.match, "---\n---" + " \t" * N + "x"),
    "notebook-cache-file": Case("notebooks._CACHE_FILE", notebooks._CACHE_FILE.fullmatch, "." + "0" * 64 + ".ipynb" + ".tmp" * N + "x"),
    "heading-noise": Case("resolve._HEADING_NOISE", resolve.heading_key, "#|^:%[]\\`" * N),
    "not-word": Case("resolve._NOT_WORD", resolve._loose_key, "-!?" * N),
    "escapes": Case("resolve._escapes", resolve._escapes, "../" * N + "C:"),
    "size-bars": Case("rewrite._SIZE", rewrite._image_size, " |" * N + "a"),
    "size-spaces": Case("rewrite._SIZE", rewrite._image_size, "a" + " " * N + "a"),

    "size-digits": Case("rewrite._SIZE", rewrite._image_size, "1" * N + "a"),

    "block-prefix": Case("rewrite._block_prefix", lambda s: rewrite._block_prefix(s, N, N + 5),
                         " " * N + "![[x]]" + " " * N + "^" + "a" * N + " " * N + "!"),
    "callout": Case("scan._CALLOUT", scan._CALLOUT.match, "[!" + "a" * N + "]" + " \t" * N),
    "block-id-many": Case("scan._BLOCK_ID", scan._BLOCK_ID.search, " ^a" * N + "!"),
    "block-id-long": Case("scan._BLOCK_ID", scan._BLOCK_ID.search, "^" + "a" * N + " " * N + "!"),
    "block-id-brackets": Case("scan._BLOCK_ID", scan._BLOCK_ID.search, "]]^a" * N + "!"),
    "frontmatter-wikilinks": Case("scan._WIKILINK_IN_TEXT", lambda s: list(scan._WIKILINK_IN_TEXT.finditer(s)), "![[a" * N),
    "frontmatter-wikilink-unclosed": Case("scan._WIKILINK_IN_TEXT", lambda s: list(scan._WIKILINK_IN_TEXT.finditer(s)), "[[" + "a|" * N),
    "checkbox": Case("scan._CHECKBOX", scan._CHECKBOX.match, "[" * N),
    "slugify": Case("scan.default_slugify", lambda s: scan.default_slugify(s, "-"), "- !" * N),
    "heading-text": Case("scan._plain_text", lambda s: scan_note("h.md", s), "# a" + " " * N + "b\n"),

    "markdown-link-scheme": Case("scan._markdown_link", lambda s: scan_note("l.md", s), "[x](" + "a" * N + ")\n"),
    "task-list-item": Case("tasks._LIST_ITEM", lambda s: parse_task_line(s, tolerant=True), " >" * N + "1" * N + "x"),
    "task-line": Case("tasks._TASK_LINE", parse_task_line, "\t" * N + "- " + " " * N + "x"),
    "task-tags": Case("tasks._TAGS", parse_task_line, "- [ ] x" + " #a" * N),
    "task-tag-end": Case("tasks._TAG_END", parse_task_line, "- [ ] x #" + "a" * N + "!"),
    "task-dataview": Case("tasks._DATAVIEW", parse_task_line, "- [ ] x [due::" + " " * N + "a" * N),
    "task-date": Case("tasks._DATE", parse_task_line, "- [ ] x" + " 📅 2024-01-0" * N),
    "task-block-id": Case("tasks._BLOCK_ID", parse_task_line, "- [ ] x ^" + "a-" * N + "!"),
    "task-depends-on": Case("tasks._FIELDS", parse_task_line, "- [ ] x ⛔ " + "a ," * N + "!"),
    "task-marker": Case("tasks_inline._MARKER", lambda s: tasks_inline._MARKER.match(s, 0, len(s)), " >" * N + " \t" * N + "x"),
    "prerender-mark": Case("prerender._MARK", prerender.inline_html, "==a " * N + "==a" + " " * N),
    "prerender-url": Case("prerender._URL_ATTRIBUTE", lambda s: prerender.render_body(s, str), 'href="' * N),
    "task-page-brackets": Case("tasks_render._BRACKETS", lambda s: tasks_render._BRACKETS.sub(r"\\\1", s), "[]" * N),
    "epoch": Case("tasks_render._EPOCH", tasks_render._EPOCH.fullmatch, "1" * N + "x"),
    "md-text": Case("text._MD_SPECIAL", text_module.md_text, "\\<" * N),
    "timeline-wikilinks": Case("timeline_render._LINK", timeline_render._plain, "[[" * N),

    "timeline-brackets": Case("timeline_render._LINK", timeline_render._plain, "[" * N),

    "timeline-empty-links": Case("timeline_render._LINK", timeline_render._plain, "[](" * N),

    "timeline-url-spaces": Case("timeline_render._LINK", timeline_render._plain, "[a](" + " " * N + "x"),

    "timeline-autolink": Case("timeline_render._NOT_AUTOLINK", lambda s: timeline_render._NOT_AUTOLINK.sub("&lt;", s), "<ab:" + "b" * N),
    "timeline-tags-open": Case("timeline_render._NOT_AUTOLINK", lambda s: timeline_render._NOT_AUTOLINK.sub("&lt;", s), "<a" * N),
    "timeline-heading": Case("timeline_render._HEADING", lambda s: timeline_render._HEADING.sub(r"**\1**", s), "# a" + " " * N + "x"),

    "timeline-summary-code": Case("timeline_render._render_summary", _summary, "`a" * N),
    "timeline-scheme": Case("timeline_text._SCHEME", timeline_text._SCHEME.match, "a" * N + "!"),
    "timeline-setext": Case("timeline_text._SETEXT_UNDERLINE", timeline_text._SETEXT_UNDERLINE.match, "=" * N + " " * N + "x"),
}


def _case_params() -> list:
    params = []
    for name, case in CASES.items():
        marks = [pytest.mark.xfail(strict=True, raises=(TimeoutError, AssertionError), reason=case.bug)] if case.bug else []
        params.append(pytest.param(case, id=name, marks=marks))
    return params


@pytest.mark.parametrize("case", _case_params())
def test_regex_is_not_redos(case: Case) -> None:
    with within(1, f"{case.regex} on {len(case.text)} characters"):
        case.run(case.text)


CORE_MODULES = [backlinks, frontmatter, notebooks, prerender, resolve, rewrite, scan, tasks, tasks_inline,
                tasks_render, text_module, timeline_render, timeline_text]


def _uncovered_patterns() -> list[tuple[str, re.Pattern[str]]]:
    covered = {case.regex for case in CASES.values()}
    return sorted((f"{module.__name__.rsplit('.', 1)[-1]}.{name}", value)
                  for module in CORE_MODULES for name, value in vars(module).items()
                  if isinstance(value, re.Pattern) and f"{module.__name__.rsplit('.', 1)[-1]}.{name}" not in covered)


@pytest.mark.parametrize("name, pattern", _uncovered_patterns() or [("all covered", re.compile("x"))])
def test_a_regex_without_a_case_survives_a_generic_battery(name: str, pattern: re.Pattern[str]) -> None:
    """A module-level regex added since CASES was written gets runs of each character it
    names (and of spaces, letters, digits) with `search`, the most exposed use. Give it a
    tailored row in CASES if this is too blunt for it."""
    characters = {c for c in pattern.pattern if not c.isalnum()} | {" ", "\t", "\n", "a", "1"}
    with within(5, f"{name} on runs of {''.join(sorted(characters))!r}"):
        for char in sorted(characters):
            pattern.search(char * N + "\x00")
            pattern.search((char + "a") * N + "\x00")
