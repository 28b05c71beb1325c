"""The search index hardener: whatever a vault puts in a note, Material's search results (which
parse `title`, `text` and each tag as HTML) show it as text, and Material's own output is left
byte for byte."""

from __future__ import annotations

import json
import os
import re
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from material.plugins.search.plugin import SearchIndex
from mkdocs_garden.search_index import (
    KEPT_TAGS,
    fragment_as_text,
    harden_entry,
    harden_search_index,
    harden_search_index_file,
    tag_as_text,
)

RUN = "window.__pwned = (window.__pwned || 0) + 1"
IMG = f'"><img src=x onerror="{RUN}">'
SCRIPT = f"<script>{RUN}</script>"

_BARE_KEPT = re.compile(r"</?(?:{})>".format("|".join(KEPT_TAGS)))


class _Markup(HTMLParser):
    """Everything but text that Python's HTML parser finds in a fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[object] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.found.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.found.append(("/>", tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self.found.append(("/", tag))

    def handle_comment(self, data: str) -> None:
        self.found.append(("!--", data))

    def handle_decl(self, decl: str) -> None:
        self.found.append(("!", decl))

    def handle_pi(self, data: str) -> None:
        self.found.append(("?", data))

    def unknown_decl(self, data: str) -> None:
        self.found.append(("![", data))


def markup_free(fragment: str) -> bool:
    """True when a browser parsing `fragment` as HTML (innerHTML of an element) can make no
    element but Material's kept bare tags: `<` is the only character that opens markup there,
    and character references only ever produce text. Python's HTML parser agrees."""
    if "<" in _BARE_KEPT.sub("", fragment):
        return False
    parser = _Markup()
    parser.feed(fragment)
    parser.close()
    return all(item in [(tag, []) for tag in KEPT_TAGS] + [("/", tag) for tag in KEPT_TAGS]
               for item in parser.found)


def material_index(pages: list[dict]) -> str:
    """The index Material's own search plugin writes for these pages (its real code)."""
    index = SearchIndex(lang=["en"], separator=r"[\s\-]+", pipeline=["stopWordFilter"],
                        fields={"title": {"boost": 1e3}, "text": {"boost": 1.0},
                                "tags": {"boost": 1e6}})
    for spec in pages:
        page = SimpleNamespace(meta=spec.get("meta", {}), content=spec["content"], toc=[],
                               url=spec["url"], title=spec.get("title", "Title"))
        index.add_entry_from_context(page)
    return index.generate_search_index(None)


# -- the bug, with Material's own indexer ---------------------------------------------------


def test_material_copies_frontmatter_tags_verbatim_and_the_hardener_escapes_them() -> None:
    raw = material_index([{"url": "Meta/", "meta": {"tags": [IMG, "plain", 3]},
                           "content": "<p>plain body</p>"}])
    [entry] = json.loads(raw)["docs"]
    assert entry["tags"][0] == IMG  # what Material's result template appends with innerHTML
    [safe] = json.loads(harden_search_index(raw))["docs"]
    assert safe["tags"] == ['"&gt;&lt;img src=x onerror="' + RUN + '"&gt;', "plain", "3"]
    assert all(markup_free(tag) for tag in safe["tags"])
    assert (safe["title"], safe["text"]) == (entry["title"], entry["text"])


def test_untitled_section_falls_back_to_the_raw_meta_title_and_is_escaped() -> None:
    """Material uses `page.meta["title"]` unescaped for a section without a heading."""
    raw = material_index([{"url": "T/", "meta": {"title": f"{SCRIPT} {IMG}"},
                           "content": "<p>body</p>"}])
    [entry] = json.loads(raw)["docs"]
    assert not markup_free(entry["title"])
    [safe] = json.loads(harden_search_index(raw))["docs"]
    assert markup_free(safe["title"])
    assert safe["title"] == f'&lt;script>{RUN}&lt;/script> ">&lt;img src=x onerror="{RUN}">'


def test_materials_own_escaped_output_is_left_byte_for_byte() -> None:
    """Page content with escaped payloads, headings, code, lists, scripts and raw images:
    Material escapes what it extracts, and the hardener changes nothing of it."""
    content = ("<h1 id='home'>Home &lt;img src=x onerror=1&gt;</h1>"
               f"<p>Meta &quot;&gt;&lt;img src=x onerror=&quot;{RUN}&quot;&gt;"
               " &amp;amp; R&amp;D</p>"
               "<script>evil()</script><img src=x onerror=evil()>"
               "<h2 id='day'>Day &lt;script&gt;</h2><ul><li>a <code>&lt;b&gt;</code></li></ul>"
               "<pre><code>x &lt; y\n  z</code></pre>"
               "<p>H<sub>2</sub>O e<sup>x</sup> ünï 📅</p>")
    raw = material_index([{"url": "", "content": content, "meta": {"tags": ["plain", "R and D"]}}])
    assert harden_search_index(raw) is raw  # not even encoded again: serve rebuilds pay for that
    docs = json.loads(raw)["docs"]
    assert all(markup_free(doc["title"]) and markup_free(doc["text"]) for doc in docs)


# -- fragments ------------------------------------------------------------------------------


def test_kept_tags_stay_and_everything_else_becomes_text() -> None:
    assert fragment_as_text("<p>a <code>b</code></p>") == "<p>a <code>b</code></p>"
    assert fragment_as_text('<p onclick="x()">a</p>') == '&lt;p onclick="x()">a</p>'
    assert fragment_as_text(f"a {IMG} b") == f'a ">&lt;img src=x onerror="{RUN}"> b'
    assert fragment_as_text(f"<p>{SCRIPT}</p>") == f"<p>&lt;script>{RUN}&lt;/script></p>"
    assert fragment_as_text("<!-- c --><br/><svg onload=x()><P>") == \
        "&lt;!-- c -->&lt;br/>&lt;svg onload=x()>&lt;P>"
    assert fragment_as_text("x <img src=x onerror=y") == "x &lt;img src=x onerror=y"
    assert fragment_as_text("<![1 &lt;img&gt; &amp; <b>&amp;lt;</b>") == \
        "&lt;![1 &lt;img&gt; &amp; &lt;b>&amp;lt;&lt;/b>"


def test_tags_are_text() -> None:
    assert tag_as_text("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert tag_as_text(2024) == "2024"
    entry = {"location": "a/", "title": "t", "text": "", "tags": "<i>"}
    assert harden_entry(entry)["tags"] == ["&lt;i&gt;"]


def test_other_keys_and_shapes_are_kept() -> None:
    entry = {"location": "%3Cimg%3E/#x", "title": "t", "text": "", "boost": 2, "extra": "<i>"}
    assert harden_entry(entry) is entry
    assert harden_search_index('{"docs": "none"}') == '{"docs": "none"}'
    assert harden_search_index("[1, 2]") == "[1, 2]"
    index = json.dumps({"config": {"lang": ["en"]},
                        "docs": [{"location": "", "title": "<img>", "text": ""}]})
    assert json.loads(harden_search_index(index)) == {
        "config": {"lang": ["en"]}, "docs": [{"location": "", "title": "&lt;img>", "text": ""}]}


_HTMLISH = st.text(alphabet=st.sampled_from(list("<>/&;\"'= !-?[]abcdeimgoprsux#1") + ["\n", "é"]),
                   max_size=80)
_PIECES = st.lists(st.one_of(
    _HTMLISH,
    st.sampled_from(["<p>", "</p>", "<code>", "</code>", "<pre>", "</pre>", "<li>", "<script>",
                     "</script>", "<style>", "<img src=x onerror=y>", "<!--", "-->", "<![CDATA[",
                     "&lt;", "&amp;", "&#60;", "&#x3c;", "<p class=x>", "<svg/onload=y>", "<"]),
), max_size=20).map("".join)


@given(_PIECES)
def test_any_fragment_comes_out_markup_free_and_stable(fragment: str) -> None:
    safe = fragment_as_text(fragment)
    assert markup_free(safe)
    assert fragment_as_text(safe) == safe


@given(st.text(max_size=200))
def test_escaped_text_is_left_alone(text: str) -> None:
    from html import escape

    escaped = escape(text, quote=False)
    assert fragment_as_text(escaped) == escaped
    assert fragment_as_text(f"<p>{escaped}</p>") == f"<p>{escaped}</p>"


@given(st.text(max_size=100))
def test_any_tag_is_markup_free(tag: str) -> None:
    assert markup_free(tag_as_text(tag))


_ODD = [None, 5, "<", ">", "<b>", "<p class=x>", "a&b", "&lt;", "\\", '"', "\u003c", '"docs":[]', "é",
        ["a&b"], ["&lt;"], ["x", "<i>"], ["<p>"], [1], ["\\"], ["é"], {"a": 1}]
_WRITERS = {  # Material's own spelling of the index, and what other JSON writers make of it
    "compact": lambda index: json.dumps(index, ensure_ascii=False, separators=(",", ":")),
    "ascii": lambda index: json.dumps(index, separators=(",", ":")),
    "spaced": lambda index: json.dumps(index, ensure_ascii=False),
    "escaped <": lambda index: json.dumps(index, separators=(",", ":")).replace("<", "\\u003C"),
    "escaped &": lambda index: json.dumps(index, separators=(",", ":")).replace("&", "\\u0026"),
}


def test_an_index_is_left_as_it_is_exactly_when_no_entry_changes() -> None:
    """The shortcut that reads the JSON text instead of decoding it never skips an entry
    that hardening would change, whatever the JSON's spelling: Material's clean entries with
    one field of one entry made odd, in turn, written by each writer."""
    clean = [{"location": "", "title": "Home", "text": "", "tags": ["a", "b c"]},
             {"location": "a/#x", "title": "R&amp;D &lt;x&gt;", "text": "<p>é 📅 <code>&lt;b&gt;</code></p>",
              "tags": ["c"]},
             {"location": "b/", "title": "B", "text": "<ul><li>x</li></ul>"}]
    config = {"fields": {"title": {"boost": 1000.0}, "tags": {"boost": 1e6}}}
    for odd in [*_ODD, "unchanged"]:
        for index, field in [(i, f) for i in range(3) for f in ("title", "text", "tags", "extra")]:
            docs = json.loads(json.dumps(clean))
            if odd != "unchanged":
                docs[index][field] = odd
            hardened = [harden_entry(doc) for doc in docs]
            for writer, write in _WRITERS.items():
                raw = write({"config": config, "docs": docs})
                result = harden_search_index(raw)
                if all(new is old for new, old in zip(hardened, docs)):
                    assert result is raw, (odd, field, writer)
                else:
                    assert json.loads(result)["docs"] == hardened, (odd, field, writer)


def test_the_shortcut_is_taken_for_materials_own_index(monkeypatch) -> None:
    """Clean entries as Material writes them come back without being decoded."""
    import mkdocs_garden.search_index as module

    raw = material_index([{"url": "", "content": "<p>a &amp; b</p>", "meta": {"tags": ["x"]}}])
    monkeypatch.setattr(module.json, "loads", lambda _text: pytest.fail("decoded"))
    assert harden_search_index(raw) is raw


def test_a_rebuilt_index_is_read_again_where_it_changed_and_found_as_a_full_reading_finds_it(
        monkeypatch) -> None:
    """While serving, the index is compared with the last one hardening left as it was, and
    only the entries that differ are read. Each odd field, put into one entry (first, middle
    or last) of a long clean index, or an odd entry added, is hardened exactly as reading the
    whole index hardens it, whatever the step of the comparison and the JSON's spelling."""
    import mkdocs_garden.search_index as module

    config = {"fields": {"title": {"boost": 1000.0}, "tags": {"boost": 1e6}}}
    pages = [{"location": f"p{n}/", "title": f"Page {n}", "text": f"<p>words {n} &amp; more</p>" * 4,
              "tags": ["t", f"n{n}"]} for n in range(40)]
    for step in (7, 1 << 16):
        monkeypatch.setattr(module, "_STEP", step)
        for writer in ("ascii", "compact", "spaced"):
            write = _WRITERS[writer]
            before = write({"config": config, "docs": pages})
            assert harden_search_index(before) is before
            for odd in _ODD:
                changes = [(index, field) for index in (0, 19, 39) for field in ("title", "text", "tags")]
                for index, field in [*changes, (40, "title")]:
                    docs = json.loads(json.dumps(pages))
                    if index == len(docs):
                        docs.append({"location": "new/", "title": "New", "text": ""})
                    docs[index][field] = odd
                    after = write({"config": config, "docs": docs})
                    assert harden_search_index(after, before) == harden_search_index(after), (step, writer, odd)
                    # And with a clean change in another entry, before it or after it.
                    for other in {0, 5, 30, 39} - {index}:
                        docs[other] = {**docs[other], "title": f"Edited page {other}"}
                        after = write({"config": config, "docs": docs})
                        assert harden_search_index(after, before) == harden_search_index(after), (step, writer, odd)


@given(st.lists(st.text(max_size=40), min_size=5, max_size=5), st.text(max_size=40), st.text(max_size=40),
       st.integers(1, 9), st.sampled_from(["", '{"location":']))
def test_the_changed_spans_leave_out_only_text_the_old_index_holds(
        shared: list[str], old: str, new: str, step: int, entry: str) -> None:
    """Two changes with shared text between them (entries, when `entry` starts each piece):
    each piece of the new index outside the spans is text of the old one (pieces compared at
    two places of it may overlap there), and the last piece ends both."""
    import mkdocs_garden.search_index as module

    head, middle, tail, other, more = (entry + piece for piece in shared)
    docs = '{"config":{},"docs":['  # what comes before it is compared whole
    before, after = docs + head + old + middle + other + tail, docs + head + new + middle + more + tail
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "_STEP", step)
        patch.setattr(module, "_FINE_STEP", 1)
        spans = module._changed_spans(before, after)
    assert all(0 <= start <= end <= len(after) for start, end in spans)
    assert bool(spans) == (after != before)  # a cut alone is a change too
    kept = [after[a:b] for a, b in zip([0] + [end for _, end in spans], [start for start, _ in spans] + [len(after)])]
    assert all(piece in before for piece in kept)
    assert after.endswith(kept[-1]) and before.endswith(kept[-1])


def test_two_changes_far_apart_are_two_small_spans() -> None:
    """A rebuild's edited note near the start and the graph page's count near the end: the
    comparison finds its place again after the first, so neither span holds the pages between."""
    import mkdocs_garden.search_index as module

    pages = [{"url": f"p{n}/", "content": f"<p>words {n}</p>" * 60, "meta": {"tags": ["t"]}} for n in range(200)]
    before = material_index(pages)
    pages[1] = {**pages[1], "content": pages[1]["content"] + "<p>one more</p>"}
    pages[198] = {**pages[198], "content": "<p>9226 links</p>"}
    after = material_index(pages)
    spans = module._changed_spans(before, after)
    assert len(spans) == 2 and sum(end - start for start, end in spans) < 2 * len(after) / 200


def test_an_index_the_checks_flag_is_no_baseline_though_hardening_left_it(tmp_path: Path) -> None:
    """Hardening reads only the fields Material prints, so it may leave text the checks flag
    (a note's `search.boost` is copied into its entry as it is; a `docs` element that is no
    entry). Such an index is not returned to compare the next one with: a later entry that
    copies that text (here, a page tagged with markup) would pass as read."""
    img = "<img src=x onerror=alert(1)>"
    a = {"url": "a/", "title": "A", "content": "<p>a</p>"}
    pad = {"url": "pad/", "title": "Pad", "content": "<p>" + "words " * 120 + "</p>"}
    new = material_index([a, {"url": "b/", "title": "B", "content": "<p>b</p>", "meta": {"tags": [img]}}, pad])
    entries = json.loads(new)["docs"][1:]
    boosted = material_index([{**a, "meta": {"search": {"boost": entries}}}])
    nested = json.dumps({**json.loads(boosted), "docs": [json.loads(new)["docs"][0], entries]})
    for old in (boosted, nested):
        assert harden_search_index(old) == old  # nothing for hardening to change
        path = tmp_path / "search_index.json"
        path.write_text(old, encoding="utf-8")
        assert harden_search_index_file(path) is None
    clean = material_index([a])
    path.write_text(clean, encoding="utf-8")
    assert harden_search_index_file(path) == clean
    assert img not in harden_search_index(new, clean) == harden_search_index(new)


def test_entries_are_compared_only_with_the_last_index_s_entries() -> None:
    """Entry-shaped text in the last index's config (which the checks do not read) is not
    taken for an entry read before."""
    dump = partial(json.dumps, separators=(",", ":"))
    bad = {"location": "b/", "title": "<img src=x onerror=alert(1)>", "text": ""}
    pad = {"location": "pad/", "title": "Pad", "text": "x" * 600}
    a = {"location": "a/", "title": "A", "text": ""}
    old = dump({"config": {"lang": ["en"], "x": [bad, pad]}, "docs": [a]})
    new = dump({"config": {"lang": ["en"]}, "docs": [bad, pad, a]})
    assert harden_search_index(new, old) == harden_search_index(new) != new


def test_a_clean_edit_of_a_rebuilt_index_is_seen_without_decoding_it(monkeypatch) -> None:
    """An edit that needs no hardening is found so without decoding the index, and without
    reading any entry but the changed ones as if cut short (which would look odd)."""
    import mkdocs_garden.search_index as module

    monkeypatch.setattr(module, "_STEP", 7)
    pages = [{"url": f"p{n}/", "content": f"<p>words {n}</p>", "meta": {"tags": ["t"]}} for n in range(30)]
    before = material_index(pages)
    pages[12] = {"url": "p12/", "content": "<p>other words, <code>&lt;x&gt;</code></p>", "meta": {"tags": ["u"]}}
    after = material_index([*pages[:20], *pages[21:]])
    monkeypatch.setattr(module.json, "loads", lambda _text: pytest.fail("decoded"))
    assert harden_search_index(after, before) is after


# -- the file -------------------------------------------------------------------------------


def test_file_is_hardened_in_place_and_untouched_when_clean(tmp_path: Path) -> None:
    assert harden_search_index_file(tmp_path / "search" / "search_index.json") is None

    dirty = tmp_path / "dirty.json"
    dirty.write_text(material_index([{"url": "M/", "meta": {"tags": [IMG]},
                                      "content": "<p>x</p>"}]), encoding="utf-8")
    assert harden_search_index_file(dirty) is None  # it needed a change: nothing to compare with
    [entry] = json.loads(dirty.read_text(encoding="utf-8"))["docs"]
    assert all(markup_free(tag) for tag in entry["tags"])

    clean = tmp_path / "clean.json"
    clean.write_text(material_index([{"url": "C/", "meta": {"tags": ["ok"]},
                                      "content": "<p>é</p>"}]), encoding="utf-8")
    os.utime(clean, (1, 1))
    text = clean.read_text(encoding="utf-8")
    assert harden_search_index_file(clean) == text  # for the next build to compare with
    assert clean.stat().st_mtime == 1
