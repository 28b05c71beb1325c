"""`[[wikilinks]]` and `![[embeds]]` as a markdown-it inline rule.

The rule runs before markdown-it's own `link`/`image` rules, so `[[x]]` is never half-read as
a bracketed label, and after `backticks`, so code spans keep their brackets. It records where
in the inline source the link starts and ends; the scanner maps that back to the file.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline


def split_wikilink(inner: str) -> tuple[str, str, str | None]:
    """Split the text between `[[` and `]]` into (path, subpath, display).

    The display splits off at the first `|` (written `\\|` inside tables), the subpath at the
    first `#` of what remains; spaces around the path are trimmed, as Obsidian does.
    """
    inner = inner.replace("\\|", "|")
    target, bar, display = inner.partition("|")
    path, _, subpath = target.partition("#")
    return path.strip(), subpath.strip(), (display.strip() if bar else None)


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    embed = state.src.startswith("![[", pos)
    opener = 3 if embed else 2
    if not (embed or state.src.startswith("[[", pos)):
        return False
    # A link stays on one line, so the search for `]]` never runs past it (an unclosed `[[`
    # repeated along a long paragraph would otherwise cost quadratic time).
    line_end = state.src.find("\n", pos, state.posMax)
    limit = state.posMax if line_end < 0 else line_end
    # A search that found no `]]` from some point of this line rules out every later start on
    # it too; remembering that keeps a long line of unclosed `[[` linear.
    failed = state.env.get("garden_no_close") if isinstance(state.env, dict) else None
    if failed is not None and failed[0] is state.src and failed[1] == limit and failed[2] <= pos:
        return False
    close = state.src.find("]]", pos + opener, limit)
    if close < 0:
        if isinstance(state.env, dict):
            state.env["garden_no_close"] = (state.src, limit, pos)
        return False
    inner = state.src[pos + opener : close]
    # No nested opener: `[[a [[b]]` is text up to `[[b]]`.
    if not inner.strip() or "[[" in inner:
        return False
    if not silent:
        path, subpath, display = split_wikilink(inner)
        token = state.push("wikilink", "", 0)
        token.meta = {
            "path": path,
            "subpath": subpath,
            "display": display,
            "embed": embed,
            "start": pos,
            "end": close + 2,
        }
        token.content = display if display is not None else inner
    state.pos = close + 2
    return True


def wikilink_plugin(md: MarkdownIt) -> None:
    """Register the wikilink and embed rule."""
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
