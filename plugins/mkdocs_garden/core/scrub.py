"""The last defence on a note page's rendered HTML: nothing the author wrote can run.

`sanitize` judges the raw HTML of the note's Markdown. Some script-capable HTML is only made
by Python-Markdown: a `[x](javascript:...)` link (markdown-it refuses it, so the source pass
never sees it), an attr_list `{ onclick="..." }`, raw HTML where the two parsers read a
construct differently (an indented block in a list, an unclosed fence), or an attr_list value
holding inline HTML whose stash placeholder is filled in inside the attribute. This pass runs
on what Python-Markdown wrote and removes `<script>` elements with their content, every `on*`
attribute, `srcdoc`, and `javascript:`, `vbscript:` and non-image `data:` URLs.

Start tags are read with the browser's tokenizer rules (HTML §13.2.5), not CommonMark's
grammar that `sanitize` uses: `<img/src="x"/onerror=y>` and `<a x="1"onclick=y>` are tags to a
browser. Which state the browser is in (a `<textarea>`, a comment, an SVG `<style>` whose
content is markup) would take a tree builder to know, so every `<` and a letter is read as a
tag wherever it stands: a real tag is always one of them. A `<` inside another tag becomes
`&lt;` (the same attribute value to a browser, and no tag wherever the browser is), so the
tags read never overlap and each character is read once.

What Python-Markdown, Material, pymdownx and the garden write passes one compiled regex that
finds the first `<` and letter that does not open an accepted tag: a complete start tag with no
`<` inside, none of those attributes and URLs that plainly have a harmless scheme. A page
without one is returned as it came; a tag not accepted is read again in full and written back
unchanged unless something goes. Pure functions of text, no MkDocs.
"""

from __future__ import annotations

import html
import re

from .sanitize import MEDIA_TAGS, URL_ATTRIBUTES

_WS = "\t\n\f\r "  # HTML whitespace; `\s` would also split at \v, \x1c-\x1f and Unicode spaces
# Attributes holding a URL a browser follows, loads or runs (old and obscure ones included).
_URL_NAMES = URL_ATTRIBUTES - {"srcset"} | {
    "data", "codebase", "classid", "archive", "dynsrc", "lowsrc", "longdesc", "manifest",
    "icon", "profile"}
# SVG animation can write a URL into an `href`, from these.
_ANIMATED = frozenset({"animate", "set"})
_ANIMATION_VALUES = frozenset({"to", "from", "values", "by"})
_MEDIA_DATA = ("data:image/", "data:video/", "data:audio/")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:")
# A `<script>` of one of these types is a data block (arithmatex without `generic`): it
# never runs.
_DATA_BLOCK_TYPES = frozenset({"math/tex", "math/tex; mode=display"})


def _but(chars: str) -> str:
    """A class of every character except `chars`, written as ranges: sre tests a negated set of
    several characters one by one (four times slower on a long attribute value)."""
    ranges, low = [], 0
    for point in sorted({ord(c) for c in chars}):
        if point > low:
            ranges.append((low, point - 1))
        low = point + 1
    ranges.append((low, 0x10FFFF))
    return "[" + "".join(rf"\U{a:08x}" if a == b else rf"\U{a:08x}-\U{b:08x}" for a, b in ranges) + "]"


def _any_case(word: str) -> str:
    """`word` in any ASCII case (re.IGNORECASE would fold every character the regex reads)."""
    return "".join(f"[{c}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


def _accepted_tag() -> str:
    """A complete start tag, read as a browser reads it, with no `<` inside, that needs
    nothing removed. Every quantifier is possessive, so no input makes it backtrack."""
    ws, in_double, in_single = f"[{_WS}]", _but('"<'), _but("'<")
    names = "|".join(_any_case(name) for name in sorted(_URL_NAMES, key=len, reverse=True))
    unquoted = f"""{_but(_WS + "><'" + '"')}{_but(_WS + "><")}*+"""
    value = rf"""(?:"{in_double}*+"|'{in_single}*+'|{unquoted}|(?=>))"""
    # A URL with no scheme, or one of a few ordinary schemes: nothing in it could spell
    # `javascript:` once entities are decoded and control characters dropped.
    plain = (rf"(?:{_any_case('http')}[sS]?:|{_any_case('mailto')}:|{_any_case('tel')}:|{_any_case('ftp')}:"
             r"|[^a-zA-Z&\x00-\x20\x7f]|[a-zA-Z][a-zA-Z0-9+.\-]*+(?![:&\x00-\x20\x7f]))")
    url = rf"""(?:"(?={plain}){in_double}*+"|'(?={plain}){in_single}*+'|(?={plain}){unquoted}|(?=>))"""
    ends = f"(?!{_but(_WS + '/>=<')})"
    dangerous = "|".join(_any_case(name) for name in ("on", "srcdoc", "srcset"))
    other = (rf"(?!{dangerous}|(?:{names}){ends}){_but(_WS + '/><')}{_but(_WS + '/>=<')}*+"
             rf"(?:{ws}*+={ws}*+{value}|(?!{ws}*+=))")
    url_attribute = rf"(?:{names}){ends}(?:{ws}*+={ws}*+{url}|(?!{ws}*+=))"
    scripted = "|".join(_any_case(name) for name in ("script", "animate", "set"))
    # `(?!>)` ends the loop at once at the tag's end; most attributes are not URLs.
    return (rf"(?!{scripted})[a-zA-Z]{_but(_WS + '/><')}*+"
            rf"(?:[{_WS}/]++|(?!>)(?:{other}|{url_attribute}))*+>")


# Most tags a page holds, accepted sooner: a lower-case name, double-quoted attributes that hold
# no URL, and an `href` to an anchor, a path or http(s). A subset of `_accepted_tag`.
_COMMON_TAG = ("(?!script|animate|set)[a-z][a-z0-9]*+(?: (?:(?:class|id|title|style|aria-[a-z-]++"
               f'|data-[a-z-]++)="|href="(?:[#/.]|https?:)){_but(chr(34) + "<")}*+")*+(?: /)?>')
# A `<` and a letter that does not start an accepted tag: the only places to look at.
_SUSPECT = re.compile(rf"<(?=[a-zA-Z])(?!{_COMMON_TAG})(?!{_accepted_tag()})")
_TAG_NAME = re.compile(rf"<([A-Za-z][^{_WS}/>]*)")
# One attribute (or the tag's end, or the end of the text), as the tokenizer reads it.
_ATTRIBUTE = re.compile(
    rf"""[{_WS}/]*+(?:(?P<close>>)|(?P<name>[^{_WS}/>][^{_WS}/>=]*+)"""
    rf"""(?:[{_WS}]*+=[{_WS}]*+(?P<value>"[^"]*+"?+|'[^']*+'?+|[^{_WS}>]*+))?+)?""")
_SCRIPT_END = re.compile(rf"</script(?=[{_WS}/>])", re.IGNORECASE)
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def scrub_rendered_html(page_html: str) -> str:
    """A note page's rendered HTML with nothing left that runs script: `<script>` elements
    (and their content) gone, `on*` and `srcdoc` attributes gone, attributes whose URL is
    `javascript:`, `vbscript:` or a non-image `data:` gone, a `<` inside a tag and an
    unterminated tag at the end turned to `&lt;`. Everything else is left byte for byte."""
    return _scrub(page_html, _SUSPECT)


def _scrub(text: str, suspects: re.Pattern[str]) -> str:
    # One pass leaves nothing to do; the loop makes that a guarantee rather than an argument.
    while True:
        found = suspects.search(text)
        if found is None:
            return text
        scrubbed = _scrub_pass(text, found, suspects)
        if scrubbed == text:
            return text
        text = scrubbed


def _scrub_pass(text: str, found: re.Match[str] | None, suspects: re.Pattern[str]) -> str:
    out: list[str] = []  # never an empty piece, so out[-1] is what was written last
    pos = 0
    while found is not None:
        start = found.start()
        end, replacement = _scrub_tag(text, start)
        out += [piece for piece in (text[pos:start], replacement) if piece]
        if not replacement and out and out[-1].endswith("<"):
            out[-1] = out[-1][:-1] + "&lt;"  # a `<` before a deleted script must not meet a letter after it
        pos = end
        found = suspects.search(text, end)
    out.append(text[pos:])
    return "".join(out)


def _scrub_tag(text: str, start: int) -> tuple[int, str]:
    """Where the start tag at `start` (or the script it opens) ends, and what replaces it."""
    named = _TAG_NAME.match(text, start)
    assert named is not None
    tag = named.group(1).translate(_ASCII_LOWER)
    pos, attributes = named.end(), []
    while (attribute := _ATTRIBUTE.match(text, pos)).group("name") is not None:
        attributes.append(attribute)
        pos = attribute.end()
    end = attribute.end()
    if attribute.group("close") is None:  # the text ends inside the tag: show it as text
        return end, text[start:end].replace("<", "&lt;")
    if tag == "script" and _runs(attributes):
        closing = _SCRIPT_END.search(text, end)
        if closing is None:
            return len(text), ""
        pos = closing.end()
        while (attribute := _ATTRIBUTE.match(text, pos)).group("name") is not None:
            pos = attribute.end()
        return attribute.end(), ""
    kept, pos = [], start
    for attribute in attributes:
        if _dangerous(tag, attribute):
            cut = attribute.start("name")
            after = text[attribute.end(): attribute.end() + 1]
            if after == "" or after in _WS + "/>":  # the separator before it can go too
                separator = text[attribute.start(): cut]
                cut = attribute.start() + len(separator.rstrip(_WS))
            kept.append(text[pos:cut])
            pos = attribute.end()
    kept.append(text[pos:end])
    written = "".join(kept)
    return end, written[0] + written[1:].replace("<", "&lt;")


def _runs(attributes: list[re.Match[str]]) -> bool:
    """Whether a `<script>` with these attributes runs: it does unless its (first) `type`
    names a data block."""
    for attribute in attributes:
        if attribute.group("name").translate(_ASCII_LOWER) == "type":
            return _unquoted(attribute.group("value")) not in _DATA_BLOCK_TYPES
    return True


def _dangerous(tag: str, attribute: re.Match[str]) -> bool:
    name = attribute.group("name").translate(_ASCII_LOWER)
    value = _unquoted(attribute.group("value"))
    if name.startswith("on") or name == "srcdoc":
        return True
    if value is None:
        return False
    if name in _URL_NAMES:
        return scriptable_url(value, tag)
    if name == "srcset":
        return any(scriptable_url(candidate, tag) for candidate in value.split(","))
    if tag in _ANIMATED and name in _ANIMATION_VALUES:
        return any(scriptable_url(part, "") for part in [value, *value.split(";")])
    return False


def _unquoted(raw: str | None) -> str | None:
    if raw is None:
        return None
    if raw[:1] in ("'", '"'):
        return raw[1:-1] if len(raw) > 1 and raw[-1] == raw[0] else raw[1:]
    return raw


def scriptable_url(value: str, tag: str) -> bool:
    """Whether a URL, read as a browser reads it (entities decoded), is `javascript:`,
    `vbscript:`, or `data:` other than an image (or audio and video on a media element).
    Control characters and spaces anywhere are ignored, as some browsers did."""
    for candidate in (value, html.unescape(value)):
        url = _URL_NOISE.sub("", candidate).translate(_ASCII_LOWER)
        if url.startswith(_SCRIPT_SCHEMES):
            return True
        # An SVG image runs script where it is a document (iframe, embed, object).
        harmless = (url.startswith(_MEDIA_DATA) if tag in MEDIA_TAGS else
                    url.startswith("data:image/") and not url.startswith("data:image/svg"))
        if url.startswith("data:") and not harmless:
            return True
    return False
