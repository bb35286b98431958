"""parse_digest(): read a digest file, detect its format, parse it and report what was skipped."""

from __future__ import annotations

import datetime as dt
import os

from tui.parsing.stream import (
    BINARY,
    NOT_A_DIGEST,
    UTF16_BOMS,
    decode_chunks,
    open_digest,
    split_lines,
    start_byte_pass,
    start_pass,
)
from tui.parsing.documents import SNIFF_BYTES, sniff
from tui.records import DigestError, ParseResult

__all__ = ["NOT_A_DIGEST", "decode_bytes", "open_digest", "parse_digest", "parse_text"]


def decode_bytes(data: bytes, source: str) -> str:
    """Decode a whole digest's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else CP-1252.

    The same rules as the streaming reader (`decode_chunks`), applied to bytes held in memory.
    """
    if b"\x00" in data and not data.startswith(UTF16_BOMS):
        raise DigestError(source, BINARY)
    return "".join(decode_chunks([data], source))


def parse_text(text: str, source: str, reference_date: dt.date | None = None) -> ParseResult:
    """Parse a digest's text into a ParseResult; raise DigestError when it is no digest.

    Dates without a year resolve to the latest such day not after `reference_date` (default:
    today). `source` names the digest in errors and in each entry's sighting.
    """
    if sniff(text[:SNIFF_BYTES].encode("utf-8", "replace")):
        run = start_byte_pass(iter([text.encode("utf-8", "surrogateescape")]), source, reference_date)
    else:
        run = start_pass(split_lines([text], source), source, reference_date)
    entries = tuple(run.papers())
    return ParseResult(source, run.format, run.reading.digest_date, entries, tuple(run.skipped),
                       label=run.label, note=run.reading.note)


def parse_digest(path: str | os.PathLike, reference_date: dt.date | None = None) -> ParseResult:
    """Read, decode and parse one digest file; `source` is the file's name, plus a content hash.

    Streams the file like `open_digest`, so a file of any size is read in bounded memory; only
    the entries themselves are gathered.
    """
    stream = open_digest(path, reference_date)
    entries = tuple(stream.entries())
    return ParseResult(
        stream.source, stream.format, stream.digest_date, entries, tuple(stream.skipped), stream.content_hash,
        label=stream.label, note=stream.note,
    )
