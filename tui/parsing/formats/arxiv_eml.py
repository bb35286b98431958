"""arXiv mailings saved by a mail client: one RFC 822 message (.eml) or an mbox of many, streamed."""

from __future__ import annotations

import datetime as dt
import email
import email.parser
import email.policy
import re
from collections.abc import Iterator
from email.message import EmailMessage
from typing import BinaryIO

from tui.parsing.formats import arxiv_mail
from tui.parsing.formats.common import Line, Reading
from tui.records import DigestError, Paper

NAME = arxiv_mail.NAME
#: Bigger than any daily mailing (the largest run to a few MB); a bigger mail is skipped unread.
MAX_MAIL_BYTES = 64 * 2**20
#: Headers that only a real mail message opens with (a saved body starts `Date:`/`Subject:` only).
MAIL_HEADERS = re.compile(
    rb"^(?:received|return-path|delivered-to|message-id|mime-version|content-type|from|to|x-[\w-]+):",
    re.IGNORECASE | re.MULTILINE,
)
_HEADER_LINE = re.compile(rb"[A-Za-z][A-Za-z0-9-]*:")
#: An mboxrd-quoted body line: `>From ` (any number of `>`), unquoted by one level.
_QUOTED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)
#: A `From ` separator line follows a blank line (LF or CRLF line ends).
_SEPARATORS = (b"\n\nFrom ", b"\n\r\nFrom ")
#: How much of an mbox is read at a time.
_CHUNK = 2**20


def is_mbox(opening: bytes) -> bool:
    """An mbox opens with a `From ` separator line."""
    return opening.lstrip(b"\r\n").startswith(b"From ")


def is_message(opening: bytes) -> bool:
    """A whole message opens with header lines, among them one that only real mail carries."""
    head = opening.lstrip(b"\r\n").split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    return bool(_HEADER_LINE.match(head)) and bool(MAIL_HEADERS.search(head))


def _decode(raw: bytes, charset: str | None) -> str:
    """A body's bytes as text: its declared charset, else UTF-8, else Windows-1252 or Latin-1."""
    for name in (charset, "utf-8", "cp1252"):
        if not name:
            continue
        try:
            return raw.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("latin-1")


def body_text(message: EmailMessage) -> str:
    """The plain-text body (the first text/plain part of a multipart), transfer encoding undone."""
    part = message.get_body(preferencelist=("plain",)) if message.is_multipart() else message
    if part is None:
        return ""
    raw = part.get_payload(decode=True)
    if not isinstance(raw, bytes):
        return ""
    return _decode(raw, part.get_content_charset())


def _lines(text: str, offset: int) -> Iterator[Line]:
    """The body's trimmed, non-blank lines, numbered from `offset`."""
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=offset + 1):
        if raw.strip():
            yield Line(number, raw.strip())


def _heading(message: EmailMessage, text: str) -> arxiv_mail.Heading:
    """The mailing's archive and day, from the mail's headers and then its body's header."""
    heading = arxiv_mail.Heading()
    for name in ("Subject", "Date", "To"):
        value = message.get(name)
        if value:
            heading.take(f"{name}: {' '.join(str(value).split())}")
    arxiv_mail.read_header(_lines(text, 0), heading)
    return heading


def parse_message(data: bytes) -> EmailMessage:
    """A message from its bytes (CRLF or LF line ends), with the standard library's parser.

    Headers are parsed first; only a multipart message needs its body parsed into parts,
    which saves most of the time on a large mbox of plain-text mailings.
    """
    parser = email.parser.BytesParser(policy=email.policy.default)
    message = parser.parsebytes(data, headersonly=True)
    return parser.parsebytes(data) if message.get_content_maintype() == "multipart" else message


def read_message(file: BinaryIO, source: str, reference: dt.date) -> Reading:
    """Parse one saved message (.eml): any transfer encoding, multipart or not."""
    data = file.read(MAX_MAIL_BYTES + 1)
    if len(data) > MAX_MAIL_BYTES:
        raise DigestError(source, f"mail larger than {MAX_MAIL_BYTES // 2**20} MB: not a daily mailing")
    message = parse_message(data)
    text = body_text(message)
    heading = _heading(message, text)
    reading = Reading(heading.day, heading.label)
    reading.entries = arxiv_mail.listing_entries(_lines(text, 0), reading)
    return reading


def mails(file: BinaryIO, reading: Reading) -> Iterator[tuple[int, bytes]]:
    """Each mail of an mbox as bytes, with the line its `From ` separator is on; too big is a skip.

    The file is read in chunks and cut at separators found by one regular-expression search
    each, far faster than reading line by line; at most one mail and one chunk are held.
    """
    buffer, line, dropping, eof = b"", 1, False, False
    while not eof:
        chunk = file.read(_CHUNK)
        eof, buffer = not chunk, buffer + chunk
        while (cut := _separator(buffer)) > 0:
            if not dropping:
                yield from _finished(line, buffer[:cut])
            line += buffer.count(b"\n", 0, cut)
            buffer, dropping = buffer[cut:], False
        if len(buffer) > MAX_MAIL_BYTES and not dropping:
            reading.skip(line, f"mail larger than {MAX_MAIL_BYTES // 2**20} MB skipped")
            dropping = True
        if dropping:
            line += buffer.count(b"\n", 0, len(buffer) - 2)
            buffer = buffer[-2:]  # enough to see a blank line before the next separator
    if not dropping:
        yield from _finished(line, buffer)


def _separator(buffer: bytes) -> int:
    """Where the next `From ` separator line (after a blank line, LF or CRLF) begins; -1 if none."""
    found = [at + len(mark) - 5 for mark in _SEPARATORS if (at := buffer.find(mark, 1)) >= 0]
    return min(found, default=-1)


def _finished(line: int, data: bytes) -> Iterator[tuple[int, bytes]]:
    """One complete mail without its separator line, `>From ` quoting undone."""
    body = data.split(b"\n", 1)[1] if data.startswith(b"From ") and b"\n" in data else data
    if body.strip():
        yield line, _QUOTED_FROM.sub(rb"\1", body)


def _mbox_papers(first: tuple[int, bytes, EmailMessage] | None, rest: Iterator[tuple[int, bytes]],
                 reading: Reading) -> Iterator[Paper]:
    """The entries of every mail in turn; line numbers count from each mail's separator."""
    current = first
    while current is not None:
        start, _, message = current
        yield from arxiv_mail.listing_entries(_lines(body_text(message), start), reading)
        following = next(rest, None)
        current = (following[0], following[1], parse_message(following[1])) if following else None


def read_mbox(file: BinaryIO, source: str, reference: dt.date) -> Reading:
    """Parse an mbox of mailings one mail at a time; the first mail names the digest."""
    reading = Reading()
    rest = mails(file, reading)
    following = next(rest, None)
    if following is None:
        raise DigestError(source, "mbox without any mail")
    message = parse_message(following[1])
    heading = _heading(message, body_text(message))
    reading.digest_date, reading.label = heading.day, f"{heading.label} · mbox"
    reading.entries = _mbox_papers((following[0], following[1], message), rest, reading)
    return reading
