"""Read a JSON backup one row at a time, so a restore of any size holds only one row in memory."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TextIO

#: Characters read per refill (64 KiB).
CHUNK = 1 << 16
#: One row (with a long note) may be this big, in characters (64 MiB); past it the file is refused.
MAX_ROW = 1 << 26
_DECODER = json.JSONDecoder()
_SPACE = " \t\r\n"


class _Buffer:
    """A sliding window over a text file with just enough of a tokenizer for the backup's shape."""

    def __init__(self, handle: TextIO) -> None:
        self.handle, self.text, self.pos, self.eof = handle, "", 0, False

    def fill(self) -> bool:
        """Read more text, dropping what was consumed; False at the end of the file."""
        chunk = "" if self.eof else self.handle.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.text = self.text[self.pos:] + chunk
        self.pos = 0
        if len(self.text) > MAX_ROW + CHUNK:
            raise ValueError("a value larger than 64 MiB")
        return True

    def peek(self) -> str:
        """The next character that is not whitespace ('' at the end)."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in _SPACE:
                self.pos += 1
            if self.pos < len(self.text) or not self.fill():
                return self.text[self.pos:self.pos + 1]

    def expect(self, char: str) -> None:
        found = self.peek()
        if found != char:
            raise ValueError(f"expected {char!r}, found {found or 'the end of the file'!r}")
        self.pos += 1

    def value(self) -> object:
        """One complete JSON value; refills until it is whole (a number at the window's edge may go on)."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError:
                if self.fill():
                    continue
                raise
            if end == len(self.text) and self.fill():
                continue
            self.pos = end
            return value


def top_level(handle: TextIO) -> Iterator[tuple[str, object]]:
    """Yield `(key, value)` for scalar members and `(key, row)` for each row of array members.

    Arrays of objects are streamed row by row; a `(key, _START)` marks each array's start.
    """
    buf = _Buffer(handle)
    buf.expect("{")
    while buf.peek() != "}":
        key = buf.value()
        if not isinstance(key, str):
            raise ValueError("a member name is not text")
        buf.expect(":")
        if buf.peek() == "[":
            buf.pos += 1
            yield key, START
            yield from ((key, row) for row in _rows(buf))
        else:
            yield key, buf.value()
        if buf.peek() == ",":
            buf.pos += 1
        elif buf.peek() != "}":
            raise ValueError(f"expected ',' or '}}', found {buf.peek() or 'the end of the file'!r}")
    buf.expect("}")
    if buf.peek():
        raise ValueError("extra data after the backup")


def _rows(buf: _Buffer) -> Iterator[object]:
    while buf.peek() != "]":
        yield buf.value()
        if buf.peek() == ",":
            buf.pos += 1
        elif buf.peek() != "]":
            raise ValueError(f"expected ',' or ']', found {buf.peek() or 'the end of the file'!r}")
    buf.pos += 1


class _Start:
    """Marks the start of an array member (so an empty array is still seen)."""


START = _Start()
