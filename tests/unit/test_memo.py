"""`RebuildMemo`: a kept result is reused only while its key and the answers of its lookups
hold; a lookup's stamp, unchanged since the last making, stands for asking it again."""

from __future__ import annotations

from mkdocs_garden.core.memo import RebuildMemo, making


def _made(memo: RebuildMemo[str], names: list[str], answers: dict[str, str], stamp: object | None,
          asked: list[str]) -> list[str]:
    def lookup(name: str) -> str:
        asked.append(name)
        return answers[name]

    with making(memo, None if stamp is None else {"title": stamp}) as kept:
        for name in names:
            kept.get(name, "key", lambda ask, name=name: f"{name}: {ask('title', name)}", {"title": lookup})
    return kept.made


def test_kept_results_are_asked_again_unless_their_lookups_stamp_held() -> None:
    memo: RebuildMemo[str] = RebuildMemo(keep=True)
    answers, asked = {"a": "A", "b": "B"}, []
    assert _made(memo, ["a", "b"], answers, "v1", asked) == ["a", "b"] and asked == ["a", "b"]
    asked.clear()  # the same stamp: the kept answers stand, nothing is asked
    assert _made(memo, ["a", "b"], answers, "v1", asked) == [] and asked == []
    answers["b"] = "B2"  # a new stamp: each is asked again, the one answering otherwise is made
    assert _made(memo, ["a", "b"], answers, "v2", asked) == ["b"] and asked == ["a", "b", "b"]
    asked.clear()  # no stamp: asked again every time
    assert _made(memo, ["a", "b"], answers, None, asked) == [] and asked == ["a", "b"]
    asked.clear()  # a stamp after a making without one is not trusted yet
    assert _made(memo, ["a", "b"], answers, "v2", asked) == [] and asked == ["a", "b"]


def test_a_result_not_asked_for_is_dropped_and_the_stamp_counts_from_the_last_making() -> None:
    memo: RebuildMemo[str] = RebuildMemo(keep=True)
    answers, asked = {"a": "A", "b": "B"}, []
    _made(memo, ["a", "b"], answers, "v1", asked)
    assert _made(memo, ["a"], answers, "v1", asked) == []
    assert _made(memo, ["a", "b"], answers, "v1", asked) == ["b"]


def test_without_keep_everything_is_made_and_asked() -> None:
    memo: RebuildMemo[str] = RebuildMemo()
    asked: list[str] = []
    for _ in range(2):
        assert _made(memo, ["a"], {"a": "A"}, "v1", asked) == ["a"]
    assert asked == ["a", "a"]


def test_a_making_that_stops_half_way_leaves_nothing_trusted() -> None:
    """A build that fails mid-making leaves results checked under the old stamp beside ones
    made under the new: the next making must ask every one of them again."""
    memo: RebuildMemo[str] = RebuildMemo(keep=True)
    answers, asked = {"a": "A", "b": "B"}, []
    _made(memo, ["a", "b"], answers, "v1", asked)
    answers["b"] = "B2"
    memo.begin({"title": "v2"})
    memo.get("a", "key", lambda ask: "unused", {"title": lambda name: answers[name]})  # then it fails
    asked.clear()
    assert _made(memo, ["a", "b"], answers, "v2", asked) == ["b"] and asked == ["a", "b", "b"]
