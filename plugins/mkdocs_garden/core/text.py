"""Escaping vault text for the Markdown the garden generates."""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|!])")


def md_text(text: str) -> str:
    """`text` shown literally in generated Markdown: HTML escaped (a title may hold `<script>`)
    and Markdown's inline markers neutralised."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))
