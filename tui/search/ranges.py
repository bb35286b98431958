"""Reading the range filters of the query language: `date:2024-03`, `upvotes:>=10`, `authors:<=5`.

Dates become inclusive (first day, last day) pairs, numbers inclusive (low, high) pairs;
None on either side means open. Unreadable text gives None so the caller can say so.
"""

from __future__ import annotations

import calendar
import datetime
import re

_OP_RE = re.compile(r"\s*(>=|<=|>|<|=)?\s*(.*?)\s*", re.S)
_DATE_RE = re.compile(r"(\d{4})(?:[-/.](\d{1,2}))?(?:[-/.](\d{1,2}))?")
_RELATIVE_RE = re.compile(r"(\d{1,4})\s*(d|w|m|y)")
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}

Day = datetime.date
Pair = tuple  # (low, high), either may be None


def date_range(text: str, today: Day) -> tuple[Day | None, Day | None] | None:
    """`2024`, `2024-03`, `2024-03-05`, `a..b`, `>=x`, `<x`, `today`, `yesterday`, `30d`/`6w`/`3m`/`1y`."""
    return _range(text, lambda value: _period(value, today), lambda day, step: day + datetime.timedelta(step))


def number_range(text: str) -> tuple[int | None, int | None] | None:
    """`10`, `5..50`, `>=10`, `<5` as an inclusive pair of non-negative integers."""
    return _range(text, _number, lambda value, step: value + step)


def _range(text, period, shift):
    match = _OP_RE.fullmatch(text or "")
    op, rest = match.group(1), match.group(2)
    if not rest:
        return None
    if ".." in rest and op is None:
        low_text, high_text = (part.strip() for part in rest.split("..", 1))
        low = period(low_text) if low_text else (None, None)
        high = period(high_text) if high_text else (None, None)
        if low is None or high is None or (low_text == high_text == ""):
            return None
        return low[0], high[1]
    found = period(rest)
    if found is None:
        return None
    first, last = found
    if op in (None, "="):
        return first, last
    if op == ">=":
        return first, None
    if op == ">":
        return shift(last, 1), None
    if op == "<=":
        return None, last
    return None, shift(first, -1)


def _period(text: str, today: Day) -> tuple[Day, Day] | None:
    """The first and last day a date-like word stands for."""
    word = text.lower()
    if word == "today":
        return today, today
    if word == "yesterday":
        day = today - datetime.timedelta(1)
        return day, day
    relative = _RELATIVE_RE.fullmatch(word)
    if relative:
        days = int(relative.group(1)) * _DAYS[relative.group(2)]
        return today - datetime.timedelta(days), today
    match = _DATE_RE.fullmatch(word)
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    try:
        if month is None:
            return Day(year, 1, 1), Day(year, 12, 31)
        if day is None:
            return Day(year, month, 1), Day(year, month, calendar.monthrange(year, month)[1])
        return Day(year, month, day), Day(year, month, day)
    except ValueError:
        return None


def _number(text: str) -> tuple[int, int] | None:
    if not text.isdigit() or len(text) > 9:
        return None
    return int(text), int(text)
