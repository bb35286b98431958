"""Standard input (`-`) as a digest: copied once, bounded, to a private file that is then streamed."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import weakref
from pathlib import Path

from tui.parsing.stream import CHUNK_BYTES, DigestStream, reading_errors
from tui.records import DigestError

#: What `-` (standard input) may hold: far beyond a year of mailings (about 100 MB).
MAX_STDIN_BYTES = 2**30


def open_stdin(reference_date: dt.date | None) -> DigestStream:
    """Standard input read once into a private temporary file (bounded), then streamed from there.

    A pipe can be read only once, but a stream is read several times (hash, detection,
    entries); the copy is deleted when the stream is garbage-collected, or at once on failure.
    """
    source = "stdin"
    with tempfile.NamedTemporaryFile(prefix="paper-reader-stdin-", delete=False) as copy:
        name = copy.name
    try:
        with reading_errors(source), open(name, "wb") as target:
            copied = _copy_bounded(sys.stdin.buffer, target)
        if copied > MAX_STDIN_BYTES:
            raise DigestError(source, f"standard input larger than {MAX_STDIN_BYTES // 2**20} MB: not a digest")
        stream = DigestStream(Path(name), source, reference_date, copied)
    except BaseException:
        os.unlink(name)
        raise
    weakref.finalize(stream, os.unlink, name)
    return stream


def _copy_bounded(source, target) -> int:
    """Copy at most MAX_STDIN_BYTES + 1 bytes; the count says whether there was more."""
    copied = 0
    while copied <= MAX_STDIN_BYTES and (chunk := source.read(CHUNK_BYTES)):
        target.write(chunk)
        copied += len(chunk)
    return copied
