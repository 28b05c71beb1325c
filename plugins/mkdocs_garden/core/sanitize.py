"""Raw HTML the author wrote, made harmless the way Obsidian's renderer does it (DOMPurify):
scripts and event handlers never run, ordinary HTML stays.

Works one construct at a time, never on a tree. In Markdown, raw HTML comes in fragments: an
HTML block may open `<details>` and a later one close it, with Markdown between; a tree
sanitiser (nh3, bleach) would close the first fragment and drop the stray end tag, changing
the page. Here every construct is judged alone, so the author's structure is kept:

- a tag of the allowlist keeps only allowlisted attributes, and URLs only with a safe scheme;
  it is written back unchanged when nothing was dropped, else in one canonical form (double
  quotes, `<`, `>`, `"`, `|` and newlines escaped in values) that every parser reads alike;
- any other tag is dropped, its content kept; `<script>` (and `noscript`, `noembed`,
  `noframes`, whose content never shows) is dropped with its content up to its end tag, or
  to the end of the region when it is never closed;
- comments without `<` or `>` inside stay; processing instructions, declarations and CDATA go;
- a `<` that starts no valid construct (`<img/src=x/onerror=...>`, which Python-Markdown and
  browsers would still read as a tag) becomes `&lt;`.

So the only `<` left in the output open a canonical, allowlisted tag or a plain comment,
whatever state a browser's tokenizer is in. `<style>` is kept, as Obsidian does: CSS cannot
run script in today's browsers. Pure functions of text, no MkDocs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

Edit = tuple[int, int, str]
Piece = tuple[int, int, str]  # start, end and text of one construct, in any coordinates

# CommonMark's grammar of raw HTML (what markdown-it accepts as `html_inline`).
_ATTR_NAME = r"[a-zA-Z_:][a-zA-Z0-9:._-]*"
_VALUE = r"""[^"'=<>`\x00-\x20]+|'[^']*'|"[^"]*\""""
_ATTRIBUTE = re.compile(rf"\s+({_ATTR_NAME})(?:\s*=\s*({_VALUE}))?")
_OPEN_TAG = re.compile(rf"<([A-Za-z][A-Za-z0-9-]*)((?:\s+{_ATTR_NAME}(?:\s*=\s*(?:{_VALUE}))?)*)\s*(/?)>")
_CLOSE_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>")
_COMMENT = re.compile(r"<!---?>|<!--(?:[^-]|-[^-]|--[^>])*-->")
_PROCESSING = re.compile(r"<\?.*?\?>", re.DOTALL)
_DECLARATION = re.compile(r"<![A-Za-z][^>]*>")
_CDATA = re.compile(r"<!\[CDATA\[.*?\]\]>", re.DOTALL)
# What a browser's tokenizer reads as the start of markup after `<` (HTML §13.2.5.6).
_MARKUP_START = re.compile(r"<[A-Za-z!/?]")

# DOMPurify's default HTML elements, less document structure (html, head, body) and the
# obsolete raw-text ones (xmp, plaintext), plus Obsidian's iframes.
_HTML_TAGS = """a abbr acronym address area article aside audio b bdi bdo big blink blockquote br
    button canvas caption center cite code col colgroup data datalist dd del details dfn dialog
    dir div dl dt em fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 header hgroup
    hr i iframe img input ins kbd label legend li main map mark marquee menu meter nav nobr ol
    optgroup option output p picture pre progress q rp rt ruby s samp section select small
    source span strike strong style sub summary sup table tbody td template textarea tfoot th
    thead time title tr track tt u ul var video wbr"""
# DOMPurify's SVG elements and filters; never `script`, `foreignObject`, `use`, `animate`,
# `set` (which can write an `href`), nor MathML.
_SVG_TAGS = """svg altglyph altglyphdef altglyphitem animatecolor circle clippath defs desc
    ellipse filter font g glyph glyphref hkern image line lineargradient marker mask metadata
    mpath path pattern polygon polyline radialgradient rect stop switch symbol text textpath
    tref tspan view vkern feblend fecolormatrix fecomponenttransfer fecomposite
    feconvolvematrix fediffuselighting fedisplacementmap fedistantlight fedropshadow feflood
    fefunca fefuncb fefuncg fefuncr fegaussianblur feimage femerge femergenode femorphology
    feoffset fepointlight fespecularlighting fespotlight fetile feturbulence"""
ALLOWED_TAGS = frozenset((_HTML_TAGS + " " + _SVG_TAGS).split())
DROPPED_WITH_CONTENT = frozenset({"script", "noscript", "noembed", "noframes"})

_HTML_ATTRS = """abbr accept align alt autocapitalize autocomplete autoplay axis background
    bgcolor border cellpadding cellspacing char charoff checked cite class clear color cols
    colspan controls controlslist coords crossorigin datetime decoding default dir disabled
    download draggable enctype enterkeyhint face for frame frameborder headers height hidden
    high href hreflang hspace id inputmode ismap kind label lang list loading loop low max
    maxlength media method min minlength multiple muted name noshade novalidate nowrap open
    optimum pattern placeholder playsinline popover popovertarget popovertargetaction poster
    preload pubdate radiogroup readonly rel required rev reversed role rows rowspan rules
    scope selected shape size sizes slot span spellcheck src srclang srcset start step style
    summary tabindex target title translate type usemap valign value vspace width wrap
    action formaction allow allowfullscreen referrerpolicy sandbox scrolling marginwidth
    marginheight markdown"""
_SVG_ATTRS = """accent-height accumulate additive alignment-baseline amplitude ascent azimuth
    basefrequency baseline-shift begin bias by clip clippathunits clip-path clip-rule
    color-interpolation color-interpolation-filters color-profile color-rendering cx cy d dx dy
    diffuseconstant direction display divisor dur edgemode elevation end exponent fill
    fill-opacity fill-rule filter filterunits flood-color flood-opacity font-family font-size
    font-size-adjust font-stretch font-style font-variant font-weight fx fy g1 g2 glyph-name
    glyphref gradientunits gradienttransform image-rendering in in2 intercept k k1 k2 k3 k4
    kerning keypoints keysplines keytimes lengthadjust letter-spacing kernelmatrix
    kernelunitlength lighting-color local marker-end marker-mid marker-start markerheight
    markerunits markerwidth maskcontentunits maskunits mask mode numoctaves offset operator
    opacity order orient orientation origin overflow paint-order path pathlength
    patterncontentunits patterntransform patternunits points preservealpha preserveaspectratio
    primitiveunits r rx ry radius refx refy repeatcount repeatdur restart result rotate scale
    seed shape-rendering slope specularconstant specularexponent spreadmethod startoffset
    stddeviation stitchtiles stop-color stop-opacity stroke-dasharray stroke-dashoffset
    stroke-linecap stroke-linejoin stroke-miterlimit stroke-opacity stroke stroke-width
    surfacescale systemlanguage tablevalues targetx targety transform transform-origin
    text-anchor text-decoration text-rendering textlength u1 u2 unicode viewbox visibility
    version vert-adv-y vert-origin-x vert-origin-y word-spacing writing-mode xchannelselector
    ychannelselector x x1 x2 xmlns y y1 y2 z zoomandpan xlink:href xlink:title xml:space
    xml:lang xmlns:xlink"""
ALLOWED_ATTRIBUTES = frozenset((_HTML_ATTRS + " " + _SVG_ATTRS).split())
URL_ATTRIBUTES = frozenset({"href", "src", "xlink:href", "action", "formaction", "poster",
                            "cite", "background", "srcset", "usemap"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp", "sms", "callto", "xmpp",
                          "matrix", "obsidian"})
MEDIA_TAGS = frozenset({"img", "source", "video", "audio", "track", "image"})  # may load data: media
_DATA_MEDIA = re.compile(r"data:(?:image|video|audio)/", re.IGNORECASE)
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_URL_IGNORED = re.compile(r"[\t\n\r]")


def html_pieces(source: str) -> list[Piece]:
    """The constructs of a raw HTML text (an HTML block's content), in order: tags, comments,
    processing instructions, declarations, CDATA, and every `<` that starts markup for a
    browser but no valid construct. Text between them is not a piece."""
    pieces: list[Piece] = []
    # A lazy pattern scans to the end of the text when its terminator never comes; checking
    # first that one comes later keeps a run of unterminated openers linear.
    last = {t: source.rfind(t) for t in (">", "-->", "?>", "]]>")}
    pos = source.find("<")
    while pos >= 0:
        match = _MARKUP_START.match(source, pos) and _construct_at(source, pos, last)
        if match:
            pieces.append((pos, match.end(), match.group(0)))
            pos = source.find("<", match.end())
            continue
        if _MARKUP_START.match(source, pos):
            pieces.append((pos, pos + 1, "<"))
        pos = source.find("<", pos + 1)
    return pieces


def _construct_at(source: str, pos: int, last: dict[str, int]) -> re.Match[str] | None:
    if last[">"] < pos:
        return None
    if source.startswith("<!--", pos):
        return _COMMENT.match(source, pos) if last["-->"] >= pos + 2 else None
    if source.startswith("<![CDATA[", pos):
        return _CDATA.match(source, pos) if last["]]>"] >= pos + 9 else None
    if source.startswith("<?", pos):
        return _PROCESSING.match(source, pos) if last["?>"] >= pos + 2 else None
    if source.startswith("<!", pos):
        return _DECLARATION.match(source, pos)
    if source.startswith("</", pos):
        return _CLOSE_TAG.match(source, pos)
    return _OPEN_TAG.match(source, pos)


def sanitize_pieces(pieces: Sequence[Piece], end: int) -> list[Edit]:
    """Edits that make one region of raw HTML harmless, given its constructs in order (as
    `html_pieces` finds them, or markdown-it's `html_inline` tokens and the stray `<` of one
    paragraph). Coordinates are the pieces'; `end` is where the region ends. The edits do
    not overlap; a piece left as written gets none."""
    edits: list[Edit] = []
    index = 0
    while index < len(pieces):
        start, stop, text = pieces[index]
        opened = _OPEN_TAG.fullmatch(text)
        if opened and opened.group(1).lower() in DROPPED_WITH_CONTENT:
            close = _closing(pieces, index, opened.group(1).lower())
            edits.append((start, pieces[close][1] if close is not None else end, ""))
            if close is None:
                break
            index = close + 1
            continue
        replacement = sanitize_construct(text)
        if replacement != text:
            edits.append((start, stop, replacement))
        index += 1
    return edits


def _closing(pieces: Sequence[Piece], index: int, name: str) -> int | None:
    for later in range(index + 1, len(pieces)):
        closed = _CLOSE_TAG.fullmatch(pieces[later][2])
        if closed and closed.group(1).lower() == name:
            return later
    return None


def sanitize_construct(text: str) -> str:
    """One construct made harmless: itself, a canonical safe tag, `&lt;`, or nothing."""
    if text in ("<", "\\<"):
        return "&lt;"
    opened = _OPEN_TAG.fullmatch(text)
    if opened:
        return _open_tag(text, opened)
    closed = _CLOSE_TAG.fullmatch(text)
    if closed:
        return text if closed.group(1).lower() in ALLOWED_TAGS else ""
    if _COMMENT.fullmatch(text):  # kept when no parser could end it elsewhere
        return text if len(text) >= 7 and not re.search(r"[<>]|--", text[4:-3]) else ""
    if text.startswith("<"):
        return ""  # a processing instruction, declaration or CDATA: Obsidian shows none
    return html.escape(text, quote=False)


def _open_tag(text: str, opened: re.Match[str]) -> str:
    name = opened.group(1)
    if name.lower() not in ALLOWED_TAGS:
        return ""
    kept: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    changed = False
    for attribute in _ATTRIBUTE.finditer(opened.group(2)):
        key, raw = attribute.group(1), attribute.group(2)
        value = raw[1:-1] if raw and raw[0] in "\"'" else raw
        if key.lower() in seen or not _allowed(name.lower(), key.lower(), value):
            changed = True  # a browser keeps the first of repeated attributes
            continue
        seen.add(key.lower())
        kept.append((key, value))
        changed = changed or (raw is not None and ("<" in raw or ">" in raw))
    if not changed:
        return text
    attributes = "".join(f" {key}" if value is None else f' {key}="{_escape_value(value)}"' for key, value in kept)
    return f"<{name}{attributes}{' /' if opened.group(3) else ''}>"


def _escape_value(value: str) -> str:
    """A raw attribute value inside double quotes, on one line, with no `<` or `>` (some
    Markdown parsers end a tag at the first `>`) and no `|` (a table cell would split). `&`
    is left alone: the browser decodes the value as the author wrote it."""
    for char, entity in (('"', "&quot;"), ("<", "&lt;"), (">", "&gt;"), ("|", "&#124;"),
                         ("\n", "&#10;")):
        value = value.replace(char, entity)
    return value


def _allowed(tag: str, name: str, value: str | None) -> bool:
    if name.startswith("on"):
        return False  # event handlers, whatever the lists below say
    if not (name in ALLOWED_ATTRIBUTES or name.startswith(("data-", "aria-"))):
        return False
    if name in URL_ATTRIBUTES and value is not None:
        urls = [u.strip().split(" ")[0] for u in value.split(",")] if name == "srcset" else [value]
        return all(safe_url(url, media=tag in MEDIA_TAGS) for url in urls)
    return True


def safe_url(value: str, *, media: bool = False) -> bool:
    """A relative URL, or one with a harmless scheme; `data:` only for images, audio and
    video (`media`). Read as browsers do: entities decoded, tabs and newlines ignored,
    leading spaces and control characters stripped."""
    for candidate in (value, html.unescape(value)):
        url = _URL_IGNORED.sub("", candidate).lstrip("".join(map(chr, range(0x21))))
        scheme = _SCHEME.match(url)
        if scheme is None or scheme.group(1).lower() in SAFE_SCHEMES:
            continue
        if not (media and _DATA_MEDIA.match(url)):
            return False
    return True


def sanitize_html(source: str) -> str:
    """A whole raw HTML text made harmless (an HTML block's content)."""
    out, pos = [], 0
    for start, end, replacement in sanitize_pieces(html_pieces(source), len(source)):
        out += [source[pos:start], replacement]
        pos = end
    return "".join(out) + source[pos:]
