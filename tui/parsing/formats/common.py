"""Helpers every digest format shares: numbered lines, lookahead, dates, links and the parse outcome."""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from tui.records import Paper, Skipped

T = TypeVar("T")

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("Jan", "January"), ("Feb", "February"), ("Mar", "March"), ("Apr", "April"),
            ("May",), ("Jun", "June"), ("Jul", "July"), ("Aug", "August"),
            ("Sep", "Sept", "September"), ("Oct", "October"), ("Nov", "November"), ("Dec", "December"),
        ),
        start=1,
    )
    for name in names
}
#: Longest names first, so "June" wins over "Jun" when both could match.
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
#: "Sep 8, 2021" or "Jan 26": a month, a day and an optional year after a comma.
DATE_PATTERN = rf"(?P<month>{MONTH_PATTERN})\.?\s+(?P<day>\d{{1,2}})(?:,\s*(?P<year>\d{{4}}))?"
DATE_RE = re.compile(DATE_PATTERN)

#: Header lines of the Hugging Face pages (daily and trending), compared case-insensitively.
HEADER_PHRASES = ("trending papers", "subscribe", "daily papers", "research community")

_URL_RE = re.compile(r"https?: ?//[^\s<>\"{}\\^`|]+")
_TRAILING = ".,;:!?'\"*"
_CLOSERS = {")": "(", "]": "["}


@dataclass(frozen=True)
class Line:
    """One line of a digest: its 1-based number in the file and its trimmed text."""

    number: int
    text: str


class Reading:
    """One format's pass over a digest: its date known up front, entries yielded as each completes.

    `skipped` fills up as `entries` is consumed and is complete once it is exhausted.
    """

    def __init__(self, digest_date: str | None = None, label: str = "") -> None:
        self.digest_date = digest_date
        #: A human name for the digest from its content (`arXiv cs.LG · 2026-04-27`).
        self.label = label
        #: Why a digest legitimately holds no entries (a weekend feed, zero search results).
        self.note = ""
        self.skipped: list[Skipped] = []
        self.entries: Iterator[Paper] = iter(())

    def skip(self, line: int, reason: str) -> None:
        """Record a part of the digest that could not become an entry."""
        self.skipped.append(Skipped(line, reason))


class Lookahead(Generic[T]):
    """An iterator that can be peeked a few items ahead, for parsers that decide by what follows."""

    def __init__(self, items: Iterable[T]) -> None:
        self._items = iter(items)
        self._ahead: deque[T] = deque()

    def peek(self, offset: int = 0) -> T | None:
        """The item `offset` places ahead (0 is the next one), or None past the end."""
        while len(self._ahead) <= offset:
            item = next(self._items, None)
            if item is None:
                return None
            self._ahead.append(item)
        return self._ahead[offset]

    def pop(self) -> T:
        """Take the next item; call only when `peek()` is not None."""
        self.peek()
        return self._ahead.popleft()

    def push(self, item: T) -> None:
        """Put an item back in front, to be read next."""
        self._ahead.appendleft(item)

    def __bool__(self) -> bool:
        return self.peek() is not None

    def __iter__(self) -> Iterator[T]:
        while self:
            yield self.pop()


def numbered_lines(text: str) -> list[Line]:
    """Split text on any line ending (CRLF, CR, LF) and trim each line, keeping file line numbers."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [Line(number, line.strip()) for number, line in enumerate(raw, start=1)]


def content_lines(text: str) -> list[Line]:
    """The non-blank lines of a text, numbered as in the file."""
    return [line for line in numbered_lines(text) if line.text]


def is_header_text(text: str) -> bool:
    """True for the fixed banner lines of the Hugging Face pages ("Subscribe", "Daily Papers", ...)."""
    lowered = text.casefold()
    return lowered == "new" or any(phrase in lowered for phrase in HEADER_PHRASES)


def latest_on_or_before(month: int, day: int, reference: dt.date) -> dt.date | None:
    """The latest `month`/`day` not after `reference` (Feb 29 falls back to the last leap year)."""
    for year in range(reference.year, reference.year - 9, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= reference:
            return candidate
    return None


def resolve_date(match: re.Match, reference: dt.date) -> str | None:
    """ISO date for a DATE_RE match; a year-less date is the latest one not after `reference`."""
    month, day = MONTHS[match.group("month")], int(match.group("day"))
    if match.group("year"):
        try:
            return dt.date(int(match.group("year")), month, day).isoformat()
        except ValueError:
            return None
    found = latest_on_or_before(month, day, reference)
    return found.isoformat() if found else None


def parse_date(text: str, reference: dt.date) -> str | None:
    """ISO date for text that is exactly a printed date ("Sep 8, 2021", "Jan 26"), else None."""
    match = DATE_RE.fullmatch(text.strip())
    return resolve_date(match, reference) if match else None


def _trim_url(url: str) -> str:
    """Drop punctuation that ends the sentence rather than the URL, and unbalanced closers."""
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _CLOSERS and url.count(last) > url.count(_CLOSERS[last])):
            url = url[:-1]
        else:
            break
    return url


def extract_links(text: str) -> tuple[str, ...]:
    """The http(s) URLs in text, in order, without trailing punctuation, each once.

    A space after the scheme ("https: //host/x", a copy-and-paste accident) is closed up.
    """
    links: list[str] = []
    for match in _URL_RE.finditer(text):
        url = _trim_url(match.group(0).replace(": //", "://", 1))
        host = url.split("://", 1)[1]
        if host and host[0] not in "./" and url not in links:
            links.append(url)
    return tuple(links)


def truncate(text: str, limit: int = 60) -> str:
    """A short, single-line quote of some text for skip reasons."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


#: Longer than any real title; every abstract in the sample digests is longer than this.
TITLE_MAX = 300


def looks_like_title(text: str) -> bool:
    """Short and without a closing full stop: what tells a title from an abstract."""
    return 0 < len(text) <= TITLE_MAX and not text.endswith(".")
