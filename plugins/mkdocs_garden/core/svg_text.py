"""Small SVG charts written as text: numbers, labels, the document, and round axis ticks.

The pieces `charts` draws the timeline's calendar and burn-up with. Text is laid out with an
estimate of its width; numbers have at most two decimals, so the same chart is the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from html import escape

MUTED = "#7d8590"  # every label and axis: about 4:1 contrast on white and on Material's slate
FONT = "-apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif"  # Material's, without a web font
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def count_ticks(most: int) -> tuple[list[int], float]:
    """Integer ticks from 0 in a round step (1, 2, 5, 10, ...), at most eight, past `most`;
    and the axis top, a little above the highest count."""
    step = 1
    while math.ceil(most / step) > 7:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2  # 1, 2, 5, 10, 20, 50, ...
    last = max(1, math.ceil(most / step)) * step
    return list(range(0, last + 1, step)), max(float(last), most * 1.05)


# Tick steps from the coarsest: the first that puts three ticks in the range is used, which
# gives three to eight (each step is at most 2.5 times the next finer one).
DATE_STEPS = [("years", k) for k in (1000, 500, 200, 100, 50, 20, 10, 5, 2, 1)] + [
    ("months", 6), ("months", 3), ("months", 2), ("months", 1), ("weeks", 2), ("weeks", 1),
    ("days", 3), ("days", 2), ("days", 1)]


def date_ticks(low: float, high: float) -> tuple[list[date], str]:
    """Round dates between two day ordinals (3 to 8 of them) and their unit."""
    first = date.fromordinal(max(1, math.ceil(low)))
    last = date.fromordinal(min(date.max.toordinal(), math.floor(high)))
    for unit, step in DATE_STEPS:
        ticks = []
        for day in round_dates(first, last, unit, step):
            ticks.append(day)
            if len(ticks) > 8:
                break
        if len(ticks) >= 3:
            return ticks, unit
    return [first, last], "days"  # not reached: a range is at least two days wide


def round_dates(first: date, last: date, unit: str, step: int) -> Iterator[date]:
    """The dates from `first` to `last` that start a year (a multiple of `step`), a month
    (every `step` months from January), a week (Mondays) or are every `step`th day of a month."""
    if unit == "years":
        for year in range(-(-first.year // step) * step, last.year + 1, step):
            if first <= (day := date(year, 1, 1)):
                yield day
    elif unit == "months":
        for month in range(first.year * 12 + first.month - 1, last.year * 12 + last.month):
            if month % 12 % step == 0 and first <= (day := date(month // 12, month % 12 + 1, 1)):
                yield day
    else:
        day = first + timedelta(days=-first.weekday() % 7 if unit == "weeks" else 0)
        while day <= last:
            if unit == "days" and (day.day - 1) % step == 0 and day.day + step <= 32 or \
                    unit == "weeks" and day.toordinal() // 7 % step == 0:
                yield day
            day += timedelta(days=7 if unit == "weeks" else 1)


def date_label(day: date, unit: str) -> str:
    """"Nov 03"; the year alone for a year's tick, and for a month's tick in January, so a
    span over the new year says which; month names from a table, not the locale."""
    if unit == "years" or unit == "months" and day.month == 1:
        return str(day.year)
    return f"{MONTHS[day.month - 1]} {day.day:02d}"


def svg_document(width: float, height: float, title: str, parts: Iterable[str], font_size: int) -> str:
    """The document: its size in points, a viewBox to scale by, `role="img"` and a `<title>`
    (its accessible name); no background, so the page's shows through."""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
            f'width="{num(width)}pt" height="{num(height)}pt" viewBox="0 0 {num(width)} {num(height)}" '
            f'version="1.1" role="img" font-family="{FONT}" font-size="{font_size}">\n'
            f"<title>{escape(title, quote=False)}</title>\n" + "\n".join(parts) + "\n</svg>\n")


def label(x: float, y: float, text: str, anchor: str = "start", rotate: bool = False) -> str:
    """A label in `MUTED` with its baseline at `y`; `rotate` turns it to read upwards."""
    extra = f' text-anchor="{anchor}"' if anchor != "start" else ""
    if rotate:
        extra += f' transform="rotate(-90 {num(x)} {num(y)})"'
    return f'<text x="{num(x)}" y="{num(y)}" fill="{MUTED}"{extra}>{escape(text, quote=False)}</text>'


def text_width(text: str, size: float) -> float:
    """An estimate of `text`'s width in points, a little wide for common sans-serif fonts
    (it only keeps labels apart and inside the picture)."""
    return size * sum(0.34 if c in "fijlrt.,:;!|'()- " else 0.9 if c in "mwMW" else
                      0.72 if c.isupper() else 0.6 for c in text)


def num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros: small, stable text."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
