"""Results kept from one `mkdocs serve` rebuild to the next, under the inputs they were made
from, so an edit that changes none of a result's inputs makes nothing again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

T = TypeVar("T")
Ask = Callable[..., Any]  # ask(lookup name, *arguments) -> the lookup's answer


class RebuildMemo(Generic[T]):
    """Results kept from one build to the next (only with `keep`, i.e. while serving).

    A result is kept under a key (compared with `==`, so it must hold the inputs themselves,
    or values that change whenever they do) and the answers of the lookups it asked for while
    it was made: it is reused only when the key is equal and every lookup, asked again of this
    build, answers the same. What is not asked for in a build is dropped at its `end`.

    A lookup given a stamp at `begin` (a value equal in two makings only when the lookup
    answers every question alike in both) is not asked again while its stamp is the one of
    the last making: every result kept then held answers true then.
    """

    def __init__(self, keep: bool = False) -> None:
        self.keep = keep
        self.made: list[str] = []  # names made afresh since `begin`, for the log and the tests
        self._kept: dict[str, tuple[object, dict[tuple[Hashable, ...], Any], T]] = {}
        self._asked: set[str] = set()
        self._stamps: dict[str, object] = {}  # of the last making that reached its `end`
        self._making: dict[str, object] = {}  # of this one
        self._trusted: frozenset[str] = frozenset()  # lookups whose stamp held since the last making

    def begin(self, stamps: dict[str, object] | None = None) -> None:
        self.made, self._asked = [], set()
        self._making = stamps or {}
        self._trusted = frozenset(name for name, stamp in self._making.items()
                                  if name in self._stamps and self._stamps[name] == stamp)
        # Until `end`, the kept results are of two makings: one that stops half way (an
        # exception) leaves no stamps, and the next trusts nothing.
        self._stamps = {}

    def end(self) -> None:
        self._kept = {name: kept for name, kept in self._kept.items() if name in self._asked}
        self._stamps = self._making

    def get(self, name: str, key: object, make: Callable[[Ask], T],
            lookups: dict[str, Callable[..., Any]] | None = None) -> T:
        """The result `make(ask)` gives, kept or made now; `ask(lookup, *args)` answers with
        `lookups[lookup](*args)` and records the answer."""
        lookups = lookups or {}
        if not self.keep:  # a one-off build: nothing to compare with, no answer to record
            self.made.append(name)
            return make(lambda lookup, *args: lookups[lookup](*args))
        self._asked.add(name)
        kept = self._kept.get(name)
        if kept is not None and kept[0] == key and (not kept[1] or lookups.keys() <= self._trusted or all(
                lookups[query[0]](*query[1:]) == answer for query, answer in kept[1].items())):
            return kept[2]
        answers: dict[tuple[Hashable, ...], Any] = {}

        def ask(lookup: str, *args: Hashable) -> Any:
            query = (lookup, *args)
            if query not in answers:
                answers[query] = lookups[lookup](*args)
            return answers[query]

        result = make(ask)
        self.made.append(name)
        self._kept[name] = (key, answers, result)
        return result


@contextmanager
def making(memo: RebuildMemo[T] | None, stamps: dict[str, object] | None = None) -> Iterator[RebuildMemo[T]]:
    """`memo` (or, without one, a memo that keeps nothing) from `begin` (with the lookups'
    `stamps`) to `end`, around one making of whatever its results are parts of: parts not
    asked for then are dropped."""
    memo = memo if memo is not None else RebuildMemo()
    memo.begin(stamps)
    yield memo
    memo.end()
