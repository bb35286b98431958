"""parse_digest(): read a digest file, detect its format, parse it and report what was skipped."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import re
from pathlib import Path

from tui.formats import FORMATS, detect
from tui.records import DigestError, ParseResult, Sighting

NOT_A_DIGEST = "not a recognised digest (expected Hugging Face daily, alphaxiv or trending listing)"
#: Digests are a few hundred kilobytes; anything this big is something else.
MAX_BYTES = 50 * 1024 * 1024
#: Share of control characters above which a text is taken for binary data.
MAX_CONTROL_SHARE = 0.05
#: Control characters other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: Bytes that were not valid UTF-8, as `surrogateescape` keeps them.
_ESCAPED_RE = re.compile("[\udc80-\udcff]+")


def _control_share(text: str) -> float:
    """The share of characters that are control characters other than ordinary whitespace."""
    return len(_CONTROL_RE.findall(text)) / len(text) if text else 0.0


def check_text(text: str, source: str) -> None:
    """Refuse text that is empty, only whitespace, or binary data."""
    if not text:
        raise DigestError(source, "empty file")
    if "\x00" in text or _control_share(text) > MAX_CONTROL_SHARE:
        raise DigestError(source, "binary file, not a text digest")
    if not text.strip():
        raise DigestError(source, "empty file (only whitespace)")


def _cp1252_char(byte: int) -> str:
    """One byte read as Windows-1252, or as Latin-1 where Windows-1252 leaves it undefined."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def _escaped_to_cp1252(match: re.Match) -> str:
    """Turn a run of bytes that were not UTF-8 (kept as surrogate escapes) into CP-1252 text."""
    return "".join(_cp1252_char(ord(ch) - 0xDC00) for ch in match.group())


def decode_bytes(data: bytes, source: str) -> str:
    """Decode a digest's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else CP-1252.

    Bytes that are not valid UTF-8 are read as Windows-1252 (a superset of Latin-1 for
    printable text), one by one, so curly quotes and accented letters come out right even
    in a file that mixes both encodings, and valid UTF-8 around them is never garbled.
    """
    if not data:
        raise DigestError(source, "empty file")
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DigestError(source, "binary file, not a text digest") from None
    if b"\x00" in data:
        raise DigestError(source, "binary file, not a text digest")
    text = data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    return _ESCAPED_RE.sub(_escaped_to_cp1252, text)


def _with_sightings(parsed_entries, source: str, digest_date: str | None) -> tuple:
    """Stamp each entry with where it was seen: this digest, its 1-based position, its date."""
    return tuple(
        dataclasses.replace(paper, seen=(Sighting(source, position, digest_date),))
        for position, paper in enumerate(parsed_entries, start=1)
    )


def _reference_day(reference: dt.date | None) -> dt.date:
    """The day year-less dates are resolved against: the given one (a datetime counts by its date) or today."""
    if isinstance(reference, dt.datetime):
        return reference.date()
    return reference or dt.date.today()


def parse_text(text: str, source: str, reference_date: dt.date | None = None) -> ParseResult:
    """Parse a digest's text into a ParseResult; raise DigestError when it is no digest.

    Dates without a year resolve to the latest such day not after `reference_date` (default:
    today). `source` names the digest in errors and in each entry's sighting.
    """
    text = text.removeprefix("\ufeff")
    check_text(text, source)
    name = detect(text)
    if name is None:
        raise DigestError(source, NOT_A_DIGEST)
    try:
        parsed = FORMATS[name].parse(text, _reference_day(reference_date))
    except Exception as error:  # a last guard: callers are promised DigestError and nothing else
        reason = " ".join(str(error).split()) or type(error).__name__
        raise DigestError(source, f"could not parse format {name}: {reason}") from error
    if not parsed.entries and not parsed.skipped:
        raise DigestError(source, f"format {name} recognised, but it holds no entries")
    entries = _with_sightings(parsed.entries, source, parsed.digest_date)
    return ParseResult(source, name, parsed.digest_date, entries, tuple(parsed.skipped))


def read_bytes(path: Path, source: str) -> bytes:
    """The raw bytes of a digest file, with every way of failing turned into a DigestError."""
    try:
        if path.is_dir():
            raise DigestError(source, "is a directory, not a digest file")
        if path.stat().st_size > MAX_BYTES:
            raise DigestError(source, f"file too large for a digest (over {MAX_BYTES // 2**20} MB)")
        return path.read_bytes()
    except FileNotFoundError:
        raise DigestError(source, "no such file") from None
    except PermissionError:
        raise DigestError(source, "cannot read file: permission denied") from None
    except (OSError, ValueError) as error:
        raise DigestError(source, f"cannot read file: {getattr(error, 'strerror', None) or error}") from None


def parse_digest(path: str | os.PathLike, reference_date: dt.date | None = None) -> ParseResult:
    """Read, decode and parse one digest file; `source` is the file's name, plus a content hash."""
    path = Path(path)
    source = path.name or str(path)
    data = read_bytes(path, source)
    result = parse_text(decode_bytes(data, source), source, reference_date)
    return dataclasses.replace(result, content_hash=hashlib.sha256(data).hexdigest())
