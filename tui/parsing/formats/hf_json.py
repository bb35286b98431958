"""Hugging Face `/api/daily_papers` JSON: a list of items, read one item at a time."""

from __future__ import annotations

import codecs
import datetime as dt
import json
from collections.abc import Iterator
from typing import BinaryIO

from tui.parsing.formats.arxiv_common import split_id
from tui.parsing.formats.common import Reading, extract_links, truncate
from tui.records import DigestError, Paper

NAME = "hf-json"
#: How much of the file is decoded at a time.
CHUNK_BYTES = 2**20
#: Far beyond any real item (about 5 KB); one bigger item would otherwise be held whole.
MAX_ITEM_CHARS = 16 * 2**20
#: Enough of an error answer's message to say what went wrong, in one line.
DETAIL_CHARS = 200
_WHITESPACE = " \t\r\n"
_DECODER = json.JSONDecoder()


class ItemReader:
    """The top-level values of a JSON text, decoded as they arrive (the stdlib `raw_decode`).

    The buffer holds at most one item plus one chunk, so a 200,000-item list is read in
    bounded memory without a streaming-JSON dependency.
    """

    def __init__(self, file: BinaryIO, source: str) -> None:
        self.file, self.source = file, source
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")("replace")
        self.buffer, self.pos, self.eof = "", 0, False

    def _more(self) -> bool:
        """Read another chunk into the buffer, dropping what was consumed; False at the end."""
        if self.eof:
            return False
        chunk = self.file.read(CHUNK_BYTES)
        self.eof = not chunk
        self.buffer = self.buffer[self.pos:] + self.decoder.decode(chunk, final=self.eof)
        self.pos = 0
        return bool(chunk) or bool(self.buffer)

    def next_char(self, skip: str = _WHITESPACE) -> str:
        """The next character that is not in `skip` (not consumed); '' at the end."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in skip:
                self.pos += 1
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._more() or self.eof and self.pos >= len(self.buffer):
                return ""

    def take(self, char: str) -> None:
        """Consume one character already seen by `next_char`."""
        self.pos += len(char)

    def value(self) -> object:
        """Decode the next value; ValueError when the text ends inside it (or it is too long)."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError:
                if len(self.buffer) - self.pos > MAX_ITEM_CHARS:
                    raise ValueError(f"an item longer than {MAX_ITEM_CHARS:,} characters") from None
                if self.eof or not self._more():
                    raise ValueError("the file ends inside an item (cut off)") from None
                continue
            self.pos = end
            return value


def _text(value: object) -> str:
    """A string value with wrapped lines joined by single spaces; anything else as ''."""
    return " ".join(value.split()) if isinstance(value, str) else ""


def _day(value: object) -> str | None:
    """The day of an ISO timestamp (`2026-06-10T00:00:00.000Z`)."""
    text = _text(value)
    return text[:10] if len(text) >= 10 and text[4:5] == "-" else None


def build_paper(item: dict) -> Paper:
    """One Paper from an item; optional keys may be missing or null."""
    paper = item["paper"]
    authors = tuple(_text(a.get("name")) for a in paper.get("authors") or () if isinstance(a, dict) and _text(a.get("name")))
    abstract = _text(paper.get("summary")) or _text(item.get("summary"))
    repo = _text(paper.get("githubRepo")) or _text(item.get("githubRepo"))
    page = _text(paper.get("projectPage")) or _text(item.get("projectPage"))
    links = tuple(dict.fromkeys(extract_links(abstract) + tuple(link for link in (repo, page) if link.startswith("http"))))
    upvotes = paper.get("upvotes")
    arxiv_id, _ = split_id(_text(paper.get("id")))
    return Paper(
        title=_text(paper.get("title")) or _text(item.get("title")),
        abstract=abstract,
        authors=authors,
        author_count=len(authors) or None,
        date=_day(paper.get("publishedAt")),
        upvotes=upvotes if isinstance(upvotes, int) and not isinstance(upvotes, bool) else None,
        has_code=bool(repo),
        links=links,
        arxiv_id=arxiv_id,
    )


def _items(reader: ItemReader, reading: Reading) -> Iterator[tuple[int, object]]:
    """The list's items, numbered from 1; a cut or damage ends the list with a skip."""
    number = 0
    while True:
        char = reader.next_char(_WHITESPACE + ",")
        if char in ("]", ""):
            if not char:
                reading.skip(number, "the file ends before the list closes (cut off)")
            return
        number += 1
        try:
            yield number, reader.value()
        except ValueError as error:
            reading.skip(number, f"item {number}: {error}")
            return


def _papers(items: Iterator[tuple[int, object]], reading: Reading) -> Iterator[Paper]:
    """Each item that is a paper with a title, as a Paper."""
    for number, item in items:
        paper = build_paper(item) if isinstance(item, dict) and isinstance(item.get("paper"), dict) else None
        if paper is None or not paper.title:
            reading.skip(number, f"item {number} is not a daily-papers item with a title")
            continue
        yield paper


def _refuse_object(reader: ItemReader, source: str) -> None:
    """A top-level object: the API's `{"error": ...}` answer, or something else; both are errors."""
    try:
        value = reader.value()
    except ValueError as error:
        raise DigestError(source, f"JSON object, not a list of daily papers ({error})") from None
    if isinstance(value, dict) and "error" in value:
        raise DigestError(source, f"Hugging Face answered with an error: {truncate(' '.join(str(value['error']).split()), DETAIL_CHARS)}")
    raise DigestError(source, "JSON object, not a list of daily papers")


def read(file: BinaryIO, source: str, reference: dt.date) -> Reading:
    """Parse a daily_papers answer; the digest day is the first item's `submittedOnDailyAt`."""
    reader = ItemReader(file, source)
    opening = reader.next_char()
    if opening == "{":
        _refuse_object(reader, source)
    if opening != "[":
        raise DigestError(source, "not a JSON list of daily papers")
    reader.take("[")
    reading = Reading()
    items = _items(reader, reading)
    first = next(items, None)
    if first is not None and isinstance(first[1], dict):
        paper = first[1].get("paper") if isinstance(first[1].get("paper"), dict) else {}
        reading.digest_date = _day(paper.get("submittedOnDailyAt")) or _day(first[1].get("publishedAt"))
    reading.label = " · ".join(p for p in ("HF Daily", reading.digest_date) if p)
    if first is None and not reading.skipped:
        reading.note = "no entries: the list is empty"
    reading.entries = _papers(_chain(first, items), reading)
    return reading


def _chain(first: tuple[int, object] | None, rest: Iterator[tuple[int, object]]) -> Iterator[tuple[int, object]]:
    """The item already read, then the rest."""
    if first is not None:
        yield first
    yield from rest
