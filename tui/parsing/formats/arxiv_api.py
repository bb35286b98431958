"""arXiv API answers (export.arxiv.org/api/query): Atom entries with versioned ids, read as a stream."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element

from tui.parsing.formats import xmlfeed
from tui.parsing.formats.arxiv_common import find_links, split_id
from tui.parsing.formats.common import Reading, truncate
from tui.parsing.formats.xmlfeed import child, children, text_of
from tui.records import DigestError, Paper

NAME = "arxiv-api"
#: Enough of an error answer's message to say what went wrong, in one line.
DETAIL_CHARS = 200
NO_RESULTS = "no entries: the query matched nothing (totalResults 0)"


def build_paper(entry: Element) -> Paper:
    """One Paper from an API `<entry>`: the primary category first, then the others as listed."""
    arxiv_id, version = split_id(text_of(child(entry, "id")))
    primary = child(entry, "primary_category")
    listed = [c.get("term", "") for c in children(entry, "category") if c.get("term")]
    categories = tuple(dict.fromkeys(([primary.get("term")] if primary is not None and primary.get("term") else []) + listed))
    authors = tuple(name for name in (text_of(child(a, "name")) for a in children(entry, "author")) if name)
    abstract = text_of(child(entry, "summary"))
    return Paper(
        title=text_of(child(entry, "title")),
        abstract=abstract,
        authors=authors,
        author_count=len(authors) or None,
        date=text_of(child(entry, "published"))[:10] or None,
        category=categories[0] if categories else None,
        links=find_links(abstract),
        arxiv_id=arxiv_id,
        version=version,
        categories=categories,
        doi=text_of(child(entry, "doi")) or None,
        journal_ref=text_of(child(entry, "journal_ref")) or None,
        comments=text_of(child(entry, "comment")) or None,
    )


def check_error(entry: Element | None, source: str) -> None:
    """An API error is a feed whose entry is titled `Error`: a DigestError naming the file."""
    if entry is not None and text_of(child(entry, "title")) == "Error":
        detail = text_of(child(entry, "summary")) or "no detail given"
        raise DigestError(source, f"the arXiv API answered with an error: {truncate(detail, DETAIL_CHARS)}")


def _papers(feed: xmlfeed.Feed, reading: Reading) -> Iterator[Paper]:
    """Each entry as a Paper; one without a title or id is a skip."""
    for number, entry in enumerate(xmlfeed.entries(feed, reading), start=1):
        paper = build_paper(entry)
        if not paper.title or not paper.arxiv_id:
            reading.skip(number, f"entry {number} without a title or an arXiv id")
            continue
        yield paper


def read_feed(feed: xmlfeed.Feed, reference: dt.date) -> Reading:
    """An API answer opened by `xmlfeed.open_feed`: its day (when the answer was made), then its entries."""
    check_error(feed.first, feed.source)
    day = feed.head.get("updated", "")[:10] or None
    reading = Reading(day, " · ".join(p for p in ("arXiv API", day) if p))
    if feed.first is None and "error" not in feed.head:
        reading.note = NO_RESULTS if feed.head.get("totalResults", "0") == "0" else "no entries in this page of results"
    reading.entries = _papers(feed, reading)
    return reading


def read(file: BinaryIO, source: str, reference: dt.date) -> Reading:
    """Parse an arXiv API answer from a binary stream."""
    return read_feed(xmlfeed.open_feed(file, source), reference)
