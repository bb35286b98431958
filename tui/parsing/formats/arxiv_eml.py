"""arXiv mailings saved by a mail client: one RFC 822 message (.eml) or an mbox of many, streamed."""

from __future__ import annotations

import datetime as dt
import email
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
_QUOTED_FROM = re.compile(rb"^>(>*From )")
#: The longest piece of a line read at once; longer lines arrive in pieces (counted, then dropped).
_READ_LINE = 2**20


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
    """A message from its bytes (CRLF or LF line ends), with the standard library's parser."""
    return email.message_from_bytes(data, policy=email.policy.default)


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
    """Each mail of an mbox as bytes, with the line its `From ` separator is on; too big is a skip."""
    held: list[bytes] = []
    size, start, number, previous_blank = 0, 0, 0, True
    for line in iter(lambda: file.readline(_READ_LINE), b""):  # bounded pieces even without newlines
        number += 1
        if line.startswith(b"From ") and previous_blank:
            if held or size:
                yield from _finished(start, held, size, reading)
            held, size, start = [], 0, number
        else:
            size += len(line)
            if size <= MAX_MAIL_BYTES:
                held.append(_QUOTED_FROM.sub(rb"\1", line))
        previous_blank = not line.strip()
    yield from _finished(start, held, size, reading)


def _finished(start: int, held: list[bytes], size: int, reading: Reading) -> Iterator[tuple[int, bytes]]:
    """One complete mail, or a skip when it was too big to hold."""
    if size > MAX_MAIL_BYTES:
        reading.skip(start, f"mail larger than {MAX_MAIL_BYTES // 2**20} MB skipped")
    elif held:
        yield start, b"".join(held)


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
