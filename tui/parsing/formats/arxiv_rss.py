"""arXiv RSS 2.0 and Atom listing feeds (rss.arxiv.org/rss/CAT, /atom/CAT), read as a stream."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element

from tui.parsing.formats import xmlfeed
from tui.parsing.formats.arxiv_common import find_links, split_authors, split_id
from tui.parsing.formats.arxiv_mail import rfc_day
from tui.parsing.formats.common import Reading, truncate
from tui.parsing.formats.xmlfeed import child, children, text_of
from tui.records import Paper

NAME = "arxiv-rss"
#: `arXiv:2604.21935v1 Announce Type: new  Abstract: ...`: what a description packs before the abstract.
DESCRIPTION_RE = re.compile(
    r"(?:arXiv:(?P<id>\S+)\s+)?(?:Announce Type:\s*(?P<announce>[\w-]+)\s+)?(?:Abstract:\s*)?(?P<abstract>.*)",
    re.DOTALL,
)
#: `cs.AI updates on arXiv.org`, or the feed's own address `.../rss/cs.AI`.
CHANNEL_RE = re.compile(r"^(?P<cat>\S+) updates on arXiv")
LINK_RE = re.compile(r"/(?:rss|atom)/(?P<cat>[^/\s?]+)")
NO_ITEMS = "no entries: the feed has no items (arXiv announces nothing at weekends and holidays)"


def _day(text: str) -> str | None:
    """The day of an RFC 822 (`Mon, 27 Apr 2026 00:00:00 -0400`) or ISO (`2026-04-27T00:00:00-04:00`) date."""
    text = text.strip()
    if re.match(r"\d{4}-\d{2}-\d{2}", text):
        return text[:10]
    return rfc_day(text) if text else None


def _category(head: dict[str, str]) -> str | None:
    """The feed's archive or category, from its title or its address."""
    match = CHANNEL_RE.match(head.get("title", "")) or LINK_RE.search(head.get("link", "") + head.get("id", ""))
    return match.group("cat") if match else None


def build_paper(item: Element, feed_day: str | None) -> Paper:
    """One Paper from an RSS `<item>` or an Atom `<entry>`."""
    description = text_of(child(item, "description", "summary"))
    packed = DESCRIPTION_RE.fullmatch(description)
    guid = text_of(child(item, "guid", "id"))
    arxiv_id, version = split_id(packed.group("id") or guid or text_of(child(item, "link")))
    categories = tuple(dict.fromkeys(
        text_of(c) or c.get("term", "") for c in children(item, "category") if text_of(c) or c.get("term")))
    creators = [text_of(c) for c in children(item, "creator")] or [text_of(child(a, "name")) for a in children(item, "author")]
    authors = tuple(name for text in creators for name in split_authors(text))
    abstract = packed.group("abstract").strip()
    when = text_of(child(item, "pubDate", "published", "updated"))
    return Paper(
        title=text_of(child(item, "title")),
        abstract=abstract,
        authors=authors,
        author_count=len(authors) or None,
        date=_day(when) or feed_day,
        category=categories[0] if categories else None,
        links=find_links(abstract),
        arxiv_id=arxiv_id,
        version=version,
        announce=(text_of(child(item, "announce_type")) or packed.group("announce") or None),
        categories=categories,
        doi=text_of(child(item, "DOI")) or text_of(child(item, "doi")) or None,
        journal_ref=text_of(child(item, "journal_reference")) or text_of(child(item, "journal_ref")) or None,
    )


def _papers(feed: xmlfeed.Feed, reading: Reading, day: str | None) -> Iterator[Paper]:
    """Each item as a Paper; an item without a title is a skip."""
    for number, item in enumerate(xmlfeed.entries(feed, reading), start=1):
        paper = build_paper(item, day)
        if not paper.title:
            reading.skip(number, f"item {number} without a title: {truncate(paper.abstract)!r}")
            continue
        yield paper


def read_feed(feed: xmlfeed.Feed, reference: dt.date) -> Reading:
    """A listing feed opened by `xmlfeed.open_feed`: its category and day, then its items."""
    day = _day(feed.head.get("pubDate") or feed.head.get("updated") or feed.head.get("lastBuildDate", ""))
    category = _category(feed.head)
    reading = Reading(day, " · ".join(p for p in (f"arXiv {category or 'feed'}", day) if p))
    if feed.first is None and "error" not in feed.head:
        reading.note = NO_ITEMS
    reading.entries = _papers(feed, reading, day)
    return reading


def read(file: BinaryIO, source: str, reference: dt.date) -> Reading:
    """Parse an arXiv RSS or Atom listing feed from a binary stream."""
    return read_feed(xmlfeed.open_feed(file, source), reference)


