"""Digests read from their bytes rather than their lines: XML feeds, JSON lists, mail messages, mboxes."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from typing import BinaryIO

from tui.parsing.formats import arxiv_api, arxiv_eml, arxiv_rss, hf_json, xmlfeed
from tui.parsing.formats.common import Reading

#: How much of the opening is looked at to tell these formats apart.
SNIFF_BYTES = 64 * 1024
#: The root element of an XML document, after any declaration, comments and DOCTYPE.
_ROOT_RE = re.compile(rb"<(?![?!])(?P<name>[\w:.-]+)")
_JSON_RE = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:\[\s*[{\]]|\{\s*\")")
_XML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<")

Reader = Callable[[BinaryIO, str, dt.date], Reading]


class ChunkFile(io.RawIOBase):
    """A read-only binary file over an iterator of byte chunks (so the caller can hash as it reads)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks, self._pending = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        """Fill `buffer` from the pending bytes, fetching a chunk when none are left."""
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def _xml_format(opening: bytes) -> tuple[str, Reader] | None:
    """arXiv API answers are Atom feeds with opensearch counts; other feeds are listings."""
    root = _ROOT_RE.search(opening)
    name = root.group("name").rsplit(b":", 1)[-1].lower() if root else b""
    if name == b"feed" and xmlfeed.OPENSEARCH.search(opening):
        return arxiv_api.NAME, arxiv_api.read
    if name in (b"rss", b"feed", b"rdf"):
        return arxiv_rss.NAME, arxiv_rss.read
    return None


def sniff(opening: bytes) -> tuple[str, Reader] | None:
    """The byte-level format the opening bytes belong to, with its reader; None for line formats."""
    if _XML_START.match(opening):
        return _xml_format(opening)
    if _JSON_RE.match(opening):
        return hf_json.NAME, hf_json.read
    if arxiv_eml.is_mbox(opening):
        return arxiv_eml.NAME, arxiv_eml.read_mbox
    if arxiv_eml.is_message(opening):
        return arxiv_eml.NAME, arxiv_eml.read_message
    return None


def binary_file(chunks: Iterator[bytes]) -> BinaryIO:
    """A buffered binary file over byte chunks, with `readline` for the mbox reader."""
    return io.BufferedReader(ChunkFile(chunks), buffer_size=2**16)  # 64 KiB: the mbox reads by lines
