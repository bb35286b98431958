"""Untrusted XML feeds read as a stream of entries with defusedxml (no entities, no external reads)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from tui.parsing.formats.common import Reading
from tui.records import DigestError

#: The elements that hold one entry: RSS `<item>`, Atom `<entry>`.
ENTRY_TAGS = frozenset({"item", "entry"})
UNSAFE = "unsafe XML refused (entity declarations or external references are not allowed)"


def local(tag: str) -> str:
    """An element's name without its namespace: `{http://www.w3.org/2005/Atom}entry` -> `entry`."""
    return tag.rsplit("}", 1)[-1]


def text_of(element: Element | None) -> str:
    """An element's text with runs of whitespace (wrapped lines) folded to single spaces."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def children(element: Element, name: str) -> list[Element]:
    """The direct children with this local name, in document order."""
    return [child for child in element if local(child.tag) == name]


def child(element: Element, *names: str) -> Element | None:
    """The first direct child with the first of these local names that is present.

    (An Element without children is falsy, so `child(a) or child(b)` would be wrong.)
    """
    for name in names:
        found = next((c for c in element if local(c.tag) == name), None)
        if found is not None:
            return found
    return None


@dataclass
class Feed:
    """A feed being read: its root name, what came before the first entry, and its entries."""

    source: str
    root: str = ""
    head: dict[str, str] = field(default_factory=dict)
    first: Element | None = None
    events: Iterator = iter(())
    #: The open elements from the root down, so a finished entry can be dropped from its parent.
    stack: list[Element] = field(default_factory=list)

    def step(self, event: str, element: Element) -> None:
        """Follow the open elements; a finished entry is removed from its parent to free it."""
        if event == "start":
            self.stack.append(element)
            return
        self.stack.pop()
        if local(element.tag) in ENTRY_TAGS and self.stack:
            self.stack[-1].remove(element)


def _cut(error: ParseError) -> str:
    """Why the XML stopped: `XML cut off or broken at line 12, column 4`."""
    line, column = getattr(error, "position", (0, 0))
    return f"XML cut off or broken at line {line}, column {column}"


def _events(file: BinaryIO, source: str) -> Iterator[tuple[str, Element]]:
    """iterparse events; unsafe XML is a DigestError, a damaged document simply stops."""
    try:
        yield from iterparse(file, events=("start", "end"))
    except DefusedXmlException:
        raise DigestError(source, UNSAFE) from None
    except ParseError as error:
        yield "error", Element("error", {"why": _cut(error)})


def open_feed(file: BinaryIO, source: str) -> Feed:
    """Read a feed up to the end of its first entry, keeping the header elements' text by name."""
    feed = Feed(source)
    feed.events = _events(file, source)
    for event, element in feed.events:
        if event == "error":
            if not feed.root:
                raise DigestError(source, f"not a readable XML feed ({element.get('why')})")
            feed.head["error"] = element.get("why")
            break
        name = local(element.tag)
        feed.step(event, element)
        if event == "start" and not feed.root:
            feed.root = name
        elif event == "end" and name in ENTRY_TAGS:
            feed.first = element
            break
        elif event == "end" and name not in feed.head:
            feed.head[name] = text_of(element)
    return feed


def entries(feed: Feed, reading: Reading) -> Iterator[Element]:
    """Each complete entry element in order (the first one included); a cut is reported as a skip.

    Each entry is dropped from the tree once handed out, so memory does not grow with the feed.
    """
    if "error" in feed.head:
        reading.skip(0, feed.head["error"])
        return
    if feed.first is None:
        return
    yield feed.first
    for event, element in feed.events:
        if event == "error":
            reading.skip(0, element.get("why"))
            return
        feed.step(event, element)
        if event == "end" and local(element.tag) in ENTRY_TAGS:
            yield element


#: The arXiv API's opensearch namespace: what tells an API answer from a listing feed.
OPENSEARCH = re.compile(rb"a9\.com/-/spec/opensearch|arxiv\.org/api", re.IGNORECASE)
