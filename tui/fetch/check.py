"""Is a downloaded body what its source promised (an RSS/Atom feed, a JSON list)? Checked before it is kept."""

from __future__ import annotations

import json
import xml.parsers.expat
from dataclasses import dataclass
from pathlib import Path

from tui.fetch.sources import Kind

#: Bytes read at a time while checking; the whole file is never held in memory for XML.
CHUNK = 64 * 1024
#: Only the opening is sniffed for an HTML page served in place of a feed.
SNIFF = 1024
#: Root elements of the feeds we ask for, as expat names them with namespace processing on.
FEED_ROOTS = {"rss", "http://www.w3.org/2005/Atom feed"}
#: Elements that are one announced paper in RSS and in Atom.
ITEMS = {"item", "http://www.w3.org/2005/Atom entry"}


@dataclass(frozen=True)
class Checked:
    """Whether the body may be kept and imported, why not, and how many items it holds."""

    ok: bool
    reason: str = ""
    items: int = 0


def check_body(path: Path, kind: Kind, content_type: str) -> Checked:
    """Check a downloaded body against its source's kind; a failure names what was found instead."""
    with open(path, "rb") as handle:
        opening = handle.read(SNIFF)
    if "html" in content_type.lower() or _looks_like_html(opening):
        return Checked(False, f"an HTML page, not {kind.what} (Content-Type {content_type or 'not given'})")
    if kind is Kind.JSON:
        return _check_json(path)
    return _check_feed(path)


def _looks_like_html(opening: bytes) -> bool:
    """True for a body that starts like a web page (an error or login page served with a 200)."""
    head = opening.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def _check_json(path: Path) -> Checked:
    """HF daily papers: a JSON list (empty when the day is not published yet)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (ValueError, UnicodeDecodeError) as exc:
        return Checked(False, f"not valid JSON ({_first_line(exc)})")
    if not isinstance(data, list):
        return Checked(False, f"JSON {type(data).__name__}, not a list of papers")
    return Checked(True, items=len(data))


def _check_feed(path: Path) -> Checked:
    """An RSS or Atom document, well formed, without a DTD (feeds have none; refusing it stops entity tricks)."""
    counts = {"items": 0, "root": None}
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = lambda name, _attrs: _start(counts, name)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as exc:
        return Checked(False, f"malformed XML ({xml.parsers.expat.ErrorString(exc.code)} at line {exc.lineno})")
    except _Doctype:
        return Checked(False, "XML with a DTD, which no arXiv feed has")
    if counts["root"] not in FEED_ROOTS:
        return Checked(False, f"XML, but not a feed (root element {str(counts['root']).split()[-1]!r})")
    return Checked(True, items=counts["items"])


class _Doctype(Exception):
    """Raised from inside expat to stop at a DOCTYPE or entity declaration."""


def _refuse_doctype(*_args) -> None:
    """expat handler: stop at the first DOCTYPE or entity declaration."""
    raise _Doctype()


def _start(counts: dict, name: str) -> None:
    """Note the root element and count the items."""
    if counts["root"] is None:
        counts["root"] = name
    elif name in ITEMS:
        counts["items"] += 1


def _first_line(exc: Exception) -> str:
    """An exception's message cut to one line."""
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
