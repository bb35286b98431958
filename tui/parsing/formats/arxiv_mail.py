"""arXiv e-mail listing: the body of a daily mailing (`\\` blocks of fields, abstract, abs link)."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from tui.parsing.formats.arxiv_common import find_links, split_authors
from tui.parsing.formats.common import Line, Reading
from tui.records import Paper

NAME = "arxiv-mail"
#: `arXiv:2303.08867`, `arXiv:hep-th/9901001v2 (*cross-listing*)`, or in mailings before 2007
#: `Paper: hep-th/9901001`: the line that opens a block.
ID_RE = re.compile(
    r"(?:arXiv:|Paper:\s*)(?P<id>\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v(?P<v>\d+))?"
    r"(?P<cross>\s*\(\*cross-listing\*\))?(?:\s.*)?"
)
#: `\\ ( https://arxiv.org/abs/2303.08867 ,  243kb)`: the line that closes a block.
CLOSE_RE = re.compile(r"\\\\\s*\(\s*https?://\S+?/abs/\S+?\s*,.*\)")
FIELD_RE = re.compile(
    r"(?P<key>Title|Authors|Author|Categories|Comments|Report-no|MSC-class|ACM-class|Journal-ref|DOI"
    r"|Proxy|License|Date \(revised v\d+\)):\s*(?P<value>.*)"
)
DATE_LINE_RE = re.compile(r"(?:Date:|replaced with revised version)\s*(?P<date>.+?)(?:\s{2,}\(.*\))?")
CROSS_MARK = re.compile(r"(?:%-){4,}%?")
REPLACE_MARK = re.compile(r"(?:%%--){3,}(?:%%?)?")
END_MARK = re.compile(r"(?:%%%---){3,}")
#: A long run of dashes between blocks.
RULE_RE = re.compile(r"-{20,}")
#: More lines than any real block (the longest author lists run to a few hundred lines).
MAX_BLOCK_LINES = 5_000
#: Header lines that name the mailing: `Subject: q-fin daily ...`, `To: cs@arXiv.org`.
SUBJECT_RE = re.compile(r"Subject:\s*(?:\S+:\s*)?(?P<cat>[a-z][a-z-]*(?:\.[A-Za-z-]+)?)\s+daily", re.IGNORECASE)
TO_RE = re.compile(r"To:\s*(?P<cat>[a-z][a-z-]*(?:\.[A-Za-z-]+)?)@arxiv\.org", re.IGNORECASE)
HEADER_DATE_RE = re.compile(r"Date:\s*(?P<date>.+)")
#: `received from  Wed 15 Mar 23 18:00:00 GMT  to  Thu 16 Mar 23 18:00:00 GMT`
RECEIVED_RE = re.compile(r"received from\s.+?\sto\s+\w+\s+(?P<day>\d{1,2} \w{3} \d{2,4})")
#: A mailing goes out just after midnight GMT on the day after its cut-off (Friday's on Monday).
MAILING_DELAY = dt.timedelta(days=1)
#: Days a mailing announced on a Saturday or Sunday (weekday 5, 6) waits for Monday.
WEEKEND_WAIT = {5: 2, 6: 1}
#: How many opening lines may be mail header before the first block.
HEADER_LINES = 200


@dataclass
class Block:
    """The lines of one listing entry as read so far."""

    start: int
    arxiv_id: str
    cross: bool
    fields: list[list[str]] = field(default_factory=list)
    abstract: list[str] = field(default_factory=list)
    date: str | None = None
    replaced: bool = False
    in_abstract: bool = False
    size: int = 0


#: `Wed, 15 Mar 2023 18:34:08 GMT`: the common shape, read without the slower general parser.
_PLAIN_DATE_RE = re.compile(r"(?:\w{3},\s*)?(?P<day>\d{1,2}) (?P<month>\w{3}) (?P<year>\d{4}) \d\d:\d\d(?::\d\d)? (?:GMT|UTC|[+-]0000)")
_MONTHS = {name: number for number, name in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), start=1)}


def rfc_day(text: str) -> str | None:
    """The ISO day of an RFC 822 date (`Wed, 15 Mar 2023 18:34:08 GMT`), in its own time zone."""
    plain = _PLAIN_DATE_RE.match(text.strip())
    if plain and plain.group("month") in _MONTHS:
        try:
            return dt.date(int(plain.group("year")), _MONTHS[plain.group("month")], int(plain.group("day"))).isoformat()
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(text.strip()).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


@dataclass
class Heading:
    """What the mailing's header says about it: its archive or category and its day."""

    category: str | None = None
    day: str | None = None

    def take(self, text: str) -> None:
        """Learn from one header line."""
        if (match := SUBJECT_RE.match(text)) and not self.category:
            self.category = match.group("cat")
        elif (match := TO_RE.search(text)) and not self.category:
            self.category = match.group("cat")
        elif (match := HEADER_DATE_RE.match(text)) and not self.day:
            self.day = rfc_day(match.group("date"))
        elif (match := RECEIVED_RE.search(text)) and not self.day:
            self.day = _received_day(match.group("day"))

    @property
    def label(self) -> str:
        """`arXiv q-fin · 2023-03-17`."""
        return " · ".join(part for part in (f"arXiv {self.category or 'e-mail'}", self.day) if part)


def _received_day(text: str) -> str | None:
    """The mailing day after a `received ... to Thu 16 Mar 23` cut-off."""
    for pattern in ("%d %b %y", "%d %b %Y"):
        try:
            day = dt.datetime.strptime(text, pattern).date() + MAILING_DELAY
            return (day + dt.timedelta(days=WEEKEND_WAIT.get(day.weekday(), 0))).isoformat()
        except ValueError:
            continue
    return None


def _field_value(lines: list[str]) -> str:
    """A field's lines joined with single spaces."""
    return " ".join(" ".join(lines).split())


def build_paper(block: Block, section: str) -> Paper:
    """One Paper from a complete block; `section` is the listing section it was printed in."""
    fields: dict[str, str] = {}
    for key, *rest in block.fields:
        fields.setdefault(key, _field_value(rest))
    categories = tuple(fields.get("Categories", "").split())
    authors = split_authors(fields.get("Authors") or fields.get("Author", ""))
    abstract = " ".join(" ".join(block.abstract).split())
    return Paper(
        title=fields.get("Title", ""),
        abstract=abstract,
        authors=authors,
        author_count=len(authors) or None,
        date=block.date,
        category=categories[0] if categories else None,
        links=find_links(abstract),
        arxiv_id=block.arxiv_id,
        announce=_announce(block, section),
        categories=categories,
        doi=fields.get("DOI") or None,
        journal_ref=fields.get("Journal-ref") or None,
        comments=fields.get("Comments") or None,
    )


def _announce(block: Block, section: str) -> str:
    """new, cross, replace or replace-cross, from the block itself first, then from its section."""
    replaced = block.replaced or section == "replace"
    cross = block.cross or section == "cross"
    if replaced:
        return "replace-cross" if block.cross else "replace"
    return "cross" if cross else "new"


class ListingReader:
    """Reads the lines of one listing, yielding each entry as its closing line arrives."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self.block: Block | None = None
        self.section = "new"
        self.previous = ""

    def feed(self, line: Line) -> Iterator[Paper]:
        """Take one trimmed, non-blank line."""
        text = line.text
        if self._marker(text):
            yield from self._abandon("section marker inside an entry")
        elif self.previous == "\\\\" and (match := ID_RE.fullmatch(text)):
            yield from self._abandon("entry cut off before its abs link")
            self.block = Block(line.number, match.group("id"), bool(match.group("cross")))
        elif self.block is not None:
            yield from self._in_block(line)
        self.previous = text

    def _marker(self, text: str) -> bool:
        """Follow the section markers; True when the line is one."""
        if not text.startswith("%"):
            return False
        for name, pattern in (("end", END_MARK), ("replace", REPLACE_MARK), ("cross", CROSS_MARK)):
            if pattern.fullmatch(text):
                self.section = name
                return True
        return False

    def _in_block(self, line: Line) -> Iterator[Paper]:
        """One line inside an open block: date, field, abstract, or the closing link."""
        block, text = self.block, line.text
        block.size += 1
        if text.startswith("\\\\ (") and CLOSE_RE.fullmatch(text):
            self.block = None
            yield from self._complete(block)
        elif block.size > MAX_BLOCK_LINES:
            self.block = None
            self.reading.skip(block.start, f"entry longer than {MAX_BLOCK_LINES:,} lines: arXiv:{block.arxiv_id}")
        elif block.in_abstract:
            block.abstract.append(text)
        elif text == "\\\\":
            block.in_abstract = True
        else:
            self._header_line(block, text)

    def _header_line(self, block: Block, text: str) -> None:
        """A date line, a field, or the continuation of the field above."""
        if block.date is None and not block.fields and (match := DATE_LINE_RE.fullmatch(text)):
            block.date = rfc_day(match.group("date"))
            block.replaced = text.startswith("replaced")
        elif match := FIELD_RE.fullmatch(text):
            block.fields.append([match.group("key"), match.group("value")])
        elif block.fields:
            block.fields[-1].append(text)

    def _complete(self, block: Block) -> Iterator[Paper]:
        """Yield a closed block, or record why it is not an entry."""
        paper = build_paper(block, self.section)
        if not paper.title:
            self.reading.skip(block.start, f"entry without a title: arXiv:{block.arxiv_id}")
            return
        yield paper

    def _abandon(self, why: str) -> Iterator[Paper]:
        """An open block that ends without its closing line is incomplete: report it as a skip."""
        block, self.block = self.block, None
        if block is None:
            return
        self.reading.skip(block.start, f"{why}: arXiv:{block.arxiv_id}")
        yield from ()  # a generator, so callers can `yield from` it like the others

    def close(self) -> Iterator[Paper]:
        """The end of the listing."""
        yield from self._abandon("entry cut off at end of file")


def read_header(lines: Iterator[Line], heading: Heading) -> list[Line]:
    """Read the mailing header up to the first block; return the lines read, to be parsed again."""
    held: list[Line] = []
    for line in lines:
        held.append(line)
        if line.text == "\\\\" or len(held) >= HEADER_LINES:
            break
        heading.take(line.text)
    return held


def listing_entries(lines: Iterable[Line], reading: Reading) -> Iterator[Paper]:
    """Every entry of one listing's lines, in order."""
    reader = ListingReader(reading)
    for line in lines:
        yield from reader.feed(line)
    yield from reader.close()


def read(lines: Iterable[Line], reference: dt.date) -> Reading:
    """Parse a saved mailing body: header (archive, day), then its blocks as they arrive."""
    lines = iter(lines)
    heading = Heading()
    held = read_header(lines, heading)
    reading = Reading(heading.day)
    reading.label = heading.label
    reading.entries = listing_entries(_chain(held, lines), reading)
    return reading


def _chain(first: list[Line], rest: Iterator[Line]) -> Iterator[Line]:
    """The held lines, then the rest."""
    yield from first
    yield from rest


#: `\\` on its own line, then an `arXiv:` id line: how every block opens.
_DETECT_RE = re.compile(r"^\s*\\\\\s*\n\s*(?:arXiv:|Paper:\s*)(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})", re.MULTILINE)


def detect(text: str) -> bool:
    """A mailing body has `\\` + `arXiv:ID` block openings (or arXiv's mailing banner)."""
    return bool(_DETECT_RE.search(text.replace("\r", ""))) or "regarding submissions directly to submitter" in text

