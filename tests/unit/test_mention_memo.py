"""`linked_mentions` with its serve memo answers what it answers without one, after any run
of edits, and a rebuild keeps the list object of every target the edit did not touch."""

from __future__ import annotations

import random

import pytest

from mkdocs_garden.core.backlinks import MentionMemo, linked_mentions
from mkdocs_garden.core.vault import ParseCache, PrivacyRules, build_vault

_NAMES = [f"n{i}" for i in range(12)]


def _text(rng: random.Random, name: str) -> str:
    lines = [f"# {name}", ""]
    for _ in range(rng.randrange(0, 5)):
        target = rng.choice([*_NAMES, "missing", "pic.png"])
        form = rng.choice(["[[{t}]]", "[[{t}|alias]]", "![[{t}]]", "see [[{t}#Part]] here"])
        lines.append(form.format(t=target))
        lines.append("")
    if rng.random() < 0.1:
        lines[0:0] = ["---", "publish: false", "---"]
    return "\n".join(lines) + "\n"


def _edit(rng: random.Random, texts: dict[str, str]) -> None:
    """Edit one note, or add or delete one (the published set then moves)."""
    choice = rng.random()
    if choice < 0.7 and texts:
        name = rng.choice(sorted(texts))
        texts[name] = _text(rng, name[:-3]) if rng.random() < 0.7 else texts[name] + f"\n[[{rng.choice(_NAMES)}]]\n"
    elif choice < 0.85:
        name = rng.choice(_NAMES)
        texts[f"{name}.md"] = _text(rng, name)
    elif len(texts) > 2:
        del texts[rng.choice(sorted(texts))]


@pytest.mark.parametrize("seed", range(12))
def test_the_memo_gives_the_answer_without_it(seed: int) -> None:
    rng = random.Random(seed)
    texts = {f"{name}.md": _text(rng, name) for name in _NAMES[:8]}
    cache, memo = ParseCache(), MentionMemo()
    for _ in range(25):
        vault = build_vault(dict(texts), ["pic.png"], privacy=PrivacyRules(), cache=cache)
        before, published = dict(memo.found), memo.published
        found = linked_mentions(vault, memo)
        assert found == linked_mentions(build_vault(dict(texts), ["pic.png"], privacy=PrivacyRules()))
        if before and published == memo.published:  # else every list is made again
            redone = set(cache.parsed) | set(cache.resolved)  # notes whose links were made again
            for target, mentions in found.items():  # a target none of them mentions keeps its list
                if target in before and not redone & {m.source for m in [*mentions, *before[target]]}:
                    assert mentions is before[target]
        _edit(rng, texts)


def test_an_edit_regroups_only_the_targets_it_touches() -> None:
    texts = {"a.md": "[[c]] and [[d]]\n", "b.md": "[[c]]\n", "c.md": "[[d]]\n", "d.md": "# d\n"}
    cache, memo = ParseCache(), MentionMemo()
    first = linked_mentions(build_vault(texts, [], privacy=PrivacyRules(), cache=cache), memo)
    texts["a.md"] = "[[c]] only\n"  # a no longer mentions d; c's list changes (a's context)
    second = linked_mentions(build_vault(texts, [], privacy=PrivacyRules(), cache=cache), memo)
    assert [m.source for m in second["c.md"]] == ["a.md", "b.md"] and second["c.md"] is not first["c.md"]
    assert [m.source for m in second["d.md"]] == ["c.md"] and second["d.md"] is not first["d.md"]
    texts["b.md"] = "[[c]]\n\nmore\n"  # b's mention of c is made again: d's list is not touched
    third = linked_mentions(build_vault(texts, [], privacy=PrivacyRules(), cache=cache), memo)
    assert third["d.md"] is second["d.md"] and third["c.md"] is not second["c.md"]
