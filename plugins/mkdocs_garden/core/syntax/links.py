"""Record where Markdown links `[text](url)` sit in the inline source.

markdown-it keeps no positions for inline tokens; wrapping its `link` rule lets the scanner
rewrite a `[t](Note%20name.md)` link by exact span instead of by searching the text again.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.image import image as _image
from markdown_it.rules_inline.link import link as _link


def _with_span(rule, marker: str):  # type: ignore[no-untyped-def]
    # Inline rules are tried in turn wherever plain text stops, so the wrapper checks the
    # `marker` its rule starts with before calling it.
    def wrapped(state: StateInline, silent: bool) -> bool:
        start, before = state.pos, len(state.tokens)
        if not state.src.startswith(marker, start):
            return False
        label_start = start + len(marker)
        if not rule(state, silent):
            return False
        if not silent and len(state.tokens) > before:
            # Pending text is flushed first, so the opener is not always the first new token.
            opener = next(t for t in state.tokens[before:] if t.type in ("link_open", "image"))
            label_end = state.md.helpers.parseLinkLabel(state, label_start - 1)
            opener.meta = {**(opener.meta or {}), "start": start, "end": state.pos,
                           "label": (label_start, max(label_end, label_start))}
        return True

    return wrapped


def link_span_plugin(md: MarkdownIt) -> None:
    """Replace `link` and `image` with versions that note their source span (inline
    footnotes note theirs in `footnotes.inline_footnote`)."""
    md.inline.ruler.at("link", _with_span(_link, "["))
    md.inline.ruler.at("image", _with_span(_image, "!["))
