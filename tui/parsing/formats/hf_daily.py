"""Format A: the text of a Hugging Face "Daily Papers" page (title, abstract, metadata run)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tui.parsing.formats.common import (
    DATE_PATTERN,
    DATE_RE,
    TITLE_MAX,
    Line,
    Lookahead,
    Reading,
    content_lines,
    extract_links,
    is_header_text,
    looks_like_title,
    resolve_date,
    truncate,
)
from tui.records import Paper

NAME = "A"
_COUNT_RE = re.compile(r"(?P<count>\d+) authors?", re.IGNORECASE)
#: What follows the `·`: a date, an upvote count after it, or either alone.
_WHEN_RE = re.compile(rf"(?:{DATE_PATTERN})?(?:(?:\s+|^)(?P<upvotes>\d+))?")
#: Header lines are short; a longer leading line means the entries have begun.
_HEADER_MAX = 80
#: Longer than any submitter name printed in place of the author count.
_WHO_MAX = 120
#: How many leading units may be page header; real headers have about seven.
_HEADER_UNITS = 50

#: Far beyond any real entry (abstracts run to about 3,000 characters); a bigger one is damage,
#: and holding it whole would make memory grow with it.
MAX_ENTRY_CHARS = 1_000_000

#: One line of the page, or the lines of one metadata run.
Unit = list[Line]


@dataclass(frozen=True)
class Meta:
    """The run under an entry: `• N authors` (or a submitter's name), `·`, date and upvotes."""

    authors: tuple[str, ...] = ()
    author_count: int | None = None
    date: str | None = None
    upvotes: int | None = None
    submitter: str | None = None


def unit_text(unit: Unit) -> str:
    """The lines of a unit joined into one line of text."""
    return " ".join(line.text for line in unit)


def _meta_size(lines: Lookahead[Line]) -> int:
    """How many lines a metadata run opening at the next line spans (bullet or name, `·`, date); 0 if none."""
    first, second = lines.peek(0), lines.peek(1)
    size = 0
    if first.text.startswith("•"):
        size = 1
    elif second is not None and second.text == "·" and len(first.text) <= _WHO_MAX:
        size = 1
    elif first.text != "·":
        return 0
    dot = lines.peek(size)
    if dot is not None and dot.text == "·":
        size += 1
        when = lines.peek(size)
        if when is not None and _WHEN_RE.fullmatch(when.text):
            size += 1
    return size


def stream_units(lines: Iterable[Line]) -> Iterator[Unit]:
    """The page's non-blank lines, one per unit, except that each metadata run is one unit.

    Working by lines rather than by blank-line blocks keeps entries apart however the
    blank lines were lost or doubled (metadata glued to the next title, no blank lines at all).
    """
    ahead = Lookahead(lines)
    while ahead:
        size = _meta_size(ahead) or 1
        yield [ahead.pop() for _ in range(size)]


def units(text: str) -> list[Unit]:
    """The units of a whole page held in memory."""
    return list(stream_units(content_lines(text)))


def join_paragraphs(parts: list[Unit]) -> str:
    """Lines joined as printed: a line break between adjacent lines, a blank line between paragraphs."""
    pieces: list[str] = []
    previous = None
    for line in (line for part in parts for line in part):
        if previous is not None:
            pieces.append("\n" if line.number == previous + 1 else "\n\n")
        pieces.append(line.text)
        previous = line.number
    return "".join(pieces)


def is_meta_unit(unit: Unit) -> bool:
    """True for a metadata run: it opens with a bullet or holds a lone `·` line."""
    return unit[0].text.startswith("•") or any(line.text == "·" for line in unit)


def parse_meta(unit: Unit, reference: dt.date) -> Meta | None:
    """Read a metadata run; None when the unit is not one.

    `N authors` gives author_count with no names. When the page prints a submitter's name in
    place of the count (`BrainsBuild BrainsBuild`), that name is the submitter, not an author:
    authors stay empty and author_count None, since the real authors are unknown.
    """
    if not is_meta_unit(unit):
        return None
    who, _, when = unit_text(unit).partition("·")
    who = who.strip().lstrip("•").strip()
    if "·" in when or "•" in who or len(who) > _WHO_MAX:
        return None
    date, upvotes = _parse_when(when.strip(), reference)
    count = _COUNT_RE.fullmatch(who)
    if count:
        return Meta((), int(count.group("count")), date, upvotes)
    return Meta((), None, date, upvotes, submitter=who or None)


def _parse_when(when: str, reference: dt.date) -> tuple[str | None, int | None]:
    """The date and optional upvote count printed after the `·` (`Aug 30, 2025 1`, `Apr 14 5`)."""
    match = _WHEN_RE.fullmatch(when)
    if not match:
        return None, None
    date = resolve_date(match, reference) if match.group("month") else None
    upvotes = int(match.group("upvotes")) if match.group("upvotes") else None
    return date, upvotes


def _header_shaped(unit: Unit) -> bool:
    """One short line that is not metadata: what the page header is made of."""
    return len(unit) == 1 and len(unit[0].text) <= _HEADER_MAX and not is_meta_unit(unit)


def read_header(found: Lookahead[Unit], reference: dt.date) -> str | None:
    """Consume the page header and return the digest date printed at its end, if any.

    Without a date, only the fixed banner lines ("Daily Papers", "Subscribe", ...) are header.
    """
    for index in range(_HEADER_UNITS):
        unit = found.peek(index)
        if unit is None or not _header_shaped(unit):
            break
        date = DATE_RE.fullmatch(unit_text(unit))
        if date:
            for _ in range(index + 1):
                found.pop()
            return resolve_date(date, reference)
    while (unit := found.peek()) is not None and len(unit) == 1 and is_header_text(unit[0].text):
        found.pop()
    return None


class _Segment:
    """The units between two metadata runs, turned into entries as soon as each is complete.

    Two units are one title and its abstract, unless the first is too long for a title, so
    the first two units wait until a third arrives or the segment closes. Otherwise (entries
    without metadata, multi-paragraph abstracts, damage) each title-like unit opens an entry
    and the units after it are its abstract; an entry is complete when the next one opens.
    """

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self.waiting: list[Unit] | None = []
        self.entry: tuple[Unit, list[Unit]] | None = None
        self.empty = True
        self.size = 0
        self.dropping = False

    def add(self, unit: Unit) -> Iterator[Paper]:
        """Take one more unit; yield the entry it completes, if any."""
        self.empty = False
        if self.waiting is None:
            yield from self._feed(unit)
            return
        self.waiting.append(unit)
        if len(self.waiting) > 2:
            held, self.waiting = self.waiting, None
            for each in held:
                yield from self._feed(each)

    def close(self, meta: Meta | None, meta_line: int) -> Iterator[Paper]:
        """End the segment at a metadata run (or, with None, at the end of the file)."""
        if self.empty:
            if meta is not None:
                self.reading.skip(meta_line, "metadata without an entry")
            return
        held, self.waiting = self.waiting or [], None
        if len(held) == 2 and len(unit_text(held[0])) <= TITLE_MAX:
            yield build_paper(held[0], [held[1]], meta)
            return
        for each in held:
            yield from self._feed(each)
        yield from self._finish(meta, last=True)

    def _feed(self, unit: Unit) -> Iterator[Paper]:
        """A title-like unit opens an entry (completing the open one); others extend its abstract."""
        if looks_like_title(unit_text(unit)):
            yield from self._finish(None, last=False)
            self.entry, self.size, self.dropping = (unit, []), 0, False
        elif self.entry is not None:
            self._extend(unit)
        elif not self.dropping:
            self.reading.skip(unit[0].number, f"abstract without a title: {truncate(unit_text(unit))!r}")

    def _extend(self, unit: Unit) -> None:
        """Add to the open entry's abstract; an entry grown too big is dropped and reported."""
        self.size += sum(len(line.text) for line in unit)
        if self.size <= MAX_ENTRY_CHARS:
            self.entry[1].append(unit)
            return
        title, self.entry, self.dropping = self.entry[0], None, True
        self.reading.skip(title[0].number, f"entry longer than {MAX_ENTRY_CHARS:,} characters skipped: "
                                           f"{truncate(unit_text(title))!r}")

    def _finish(self, meta: Meta | None, last: bool) -> Iterator[Paper]:
        """Yield the open entry; a title without abstract is kept only when metadata closes it."""
        if self.entry is None:
            return
        (title, abstract), self.entry = self.entry, None
        if abstract or meta is not None:  # only the last entry of a segment is given its metadata
            yield build_paper(title, abstract, meta)
            return
        where = "cut off at end of file" if last else "no abstract"
        self.reading.skip(title[0].number, f"{where}: title without abstract: {truncate(unit_text(title))!r}")


def build_paper(title: Unit, abstract: list[Unit], meta: Meta | None) -> Paper:
    """One Paper from its title, abstract units and optional metadata."""
    text = join_paragraphs(abstract)
    meta = meta or Meta()
    return Paper(
        title=unit_text(title),
        abstract=text,
        authors=meta.authors,
        author_count=meta.author_count,
        submitter=meta.submitter,
        date=meta.date,
        upvotes=meta.upvotes,
        links=extract_links(text),
    )


def _entries(found: Iterable[Unit], reference: dt.date, reading: Reading) -> Iterator[Paper]:
    """Each entry as soon as it is complete: segments of units, each closed by a metadata run."""
    segment = _Segment(reading)
    for unit in found:
        meta = parse_meta(unit, reference)
        if meta is None:
            yield from segment.add(unit)
            continue
        yield from segment.close(meta, unit[0].number)
        segment = _Segment(reading)
    yield from segment.close(None, 0)


def read(lines: Iterable[Line], reference: dt.date) -> Reading:
    """Parse a daily-papers page: header with the digest date, then entries closed by metadata.

    Works over the non-blank lines as they arrive; the header is read at once, so the digest
    date is known before the first entry. Year-less entry dates resolve against the digest's
    own date when it has one: a paper listed on a page cannot be newer than the page.
    """
    found = Lookahead(stream_units(lines))
    reading = Reading(read_header(found, reference))
    entry_reference = dt.date.fromisoformat(reading.digest_date) if reading.digest_date else reference
    reading.entries = _entries(found, entry_reference, reading)
    return reading



def detect(text: str) -> bool:
    """A daily-papers page has the "Daily Papers" banner or `• N authors` / `·` metadata runs."""
    found_units = units(text)
    if any(unit_text(unit).casefold() == "daily papers" for unit in found_units[:12]):
        return True
    today = dt.date.today()
    metas = [meta for meta in (parse_meta(unit, today) for unit in found_units) if meta]
    informative = [meta for meta in metas if meta.date or meta.author_count is not None]
    return len(informative) >= max(1, len(found_units) // 6)
