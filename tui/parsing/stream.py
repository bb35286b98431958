"""open_digest(): read a digest file as a stream of entries, in memory that does not grow with its size."""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import datetime as dt
import hashlib
import os
import re
import stat
import sys
import tempfile
import weakref
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path

from tui.parsing.documents import SNIFF_BYTES, binary_file, sniff
from tui.parsing.formats import FORMATS, detect
from tui.parsing.formats.common import Line, Reading
from tui.records import DigestError, Paper, Sighting, Skipped

NOT_A_DIGEST = (
    "not a recognised digest (expected an arXiv mailing, RSS/Atom feed or API answer, "
    "Hugging Face daily JSON or page text, alphaxiv or trending listing)"
)
NOT_REGULAR = "not a regular file (a device, FIFO or socket); give - to read standard input"
#: What `-` (standard input) may hold: far beyond a year of mailings (about 100 MB).
MAX_STDIN_BYTES = 2**30
#: Names for the line formats' digests where their content has none of its own.
FORMAT_TITLES = {"A": "HF Daily", "B": "alphaxiv", "C": "HF Trending"}
BINARY = "binary file, not a text digest"
#: Far beyond any digest (100,000 entries take about 150 MB); refuses only obvious accidents.
MAX_BYTES = 4 * 2**30
#: How much of the file is read at a time.
CHUNK_BYTES = 2**20
#: Longer than any line of a real digest; holding one line must not exhaust memory.
MAX_LINE = 1_000_000
#: The opening part of the text that the binary checks and format detection look at.
SAMPLE_CHARS = 64 * 1024
SAMPLE_LINES = 5_000
#: Share of control characters above which a text is taken for binary data.
MAX_CONTROL_SHARE = 0.05
#: Control characters other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: Bytes that were not valid UTF-8, as `surrogateescape` keeps them.
_ESCAPED_RE = re.compile("[\udc80-\udcff]+")


def _cp1252_char(byte: int) -> str:
    """One byte read as Windows-1252, or as Latin-1 where Windows-1252 leaves it undefined."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def _escaped_to_cp1252(match: re.Match) -> str:
    """Turn a run of bytes that were not UTF-8 (kept as surrogate escapes) into CP-1252 text."""
    return "".join(_cp1252_char(ord(ch) - 0xDC00) for ch in match.group())


def _unescape(text: str) -> str:
    """Decoded UTF-8 with any bytes that were not UTF-8 read as CP-1252 instead."""
    try:
        text.encode("utf-8")  # fails exactly when escaped bytes are present; far faster than a search
    except UnicodeEncodeError:
        return _ESCAPED_RE.sub(_escaped_to_cp1252, text)
    return text


def _opening(chunks: Iterator[bytes]) -> bytes:
    """The first bytes of the file, at least two of them when there are, to look for a UTF-16 BOM."""
    first = b""
    while len(first) < 2 and (more := next(chunks, None)) is not None:
        first += more
    return first


def decode_chunks(chunks: Iterable[bytes], source: str) -> Iterator[str]:
    """Decode a digest's bytes chunk by chunk: UTF-8 (with or without BOM), UTF-16 with BOM, else CP-1252.

    Bytes that are not valid UTF-8 are read as Windows-1252, one by one, so curly quotes and
    accented letters come out right even in a file that mixes both encodings. The result is
    the same however the bytes are cut into chunks.
    """
    chunks = iter(chunks)
    first = _opening(chunks)
    if not first:
        raise DigestError(source, "empty file")
    utf16 = first.startswith(UTF16_BOMS)
    decoder = codecs.getincrementaldecoder("utf-16" if utf16 else "utf-8")("strict" if utf16 else "surrogateescape")
    bom = not utf16  # the UTF-16 decoder drops its own byte-order mark
    for chunk, final in chain(((first, False),), ((chunk, False) for chunk in chunks), ((b"", True),)):
        try:
            text = decoder.decode(chunk, final)
        except UnicodeDecodeError:
            raise DigestError(source, BINARY) from None
        if bom and text:
            text, bom = text.removeprefix("\ufeff"), False
        yield text if utf16 else _unescape(text)


def _split(text: str) -> list[str]:
    """Text cut at every CRLF, CR or LF."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def _long_line(source: str, number: int) -> DigestError:
    """The error for a line too long to be part of a digest."""
    return DigestError(source, f"line longer than {MAX_LINE:,} characters: not a text digest", line=number)


def split_lines(chunks: Iterable[str], source: str) -> Iterator[str]:
    """Cut text arriving in chunks into lines at CRLF, CR or LF, numbered as `numbered_lines` does."""
    pending, number = "", 0
    for chunk in chunks:
        pending += chunk
        held = 1 if pending.endswith("\r") else 0  # maybe the first half of a CRLF
        *complete, rest = _split(pending[: len(pending) - held])
        for line in complete:
            number += 1
            if len(line) > MAX_LINE:
                raise _long_line(source, number)
            yield line
        pending = rest + pending[len(pending) - held:]
        if len(pending) > MAX_LINE:
            raise _long_line(source, number + 1)
    yield from _split(pending)


def _sample(lines: Iterator[str]) -> tuple[list[str], bool, int]:
    """The opening lines (about SAMPLE_CHARS of text), whether they are the whole text, and how
    many blank lines came before them (dropped, so any number of them cannot hide the digest)."""
    sample: list[str] = []
    size = blank = spaces = 0
    for line in lines:
        if not sample and not line.strip():
            blank += 1
            spaces += len(line) + 1  # so an empty text can be told from one of whitespace
            continue
        sample.append(line)
        size += len(line)
        if size >= SAMPLE_CHARS or len(sample) >= SAMPLE_LINES:
            return sample, False, blank
    return sample, True, blank if sample or spaces > 1 else 0


def _control_share(text: str) -> float:
    """The share of characters that are control characters other than ordinary whitespace."""
    return len(_CONTROL_RE.findall(text)) / len(text) if text else 0.0


def check_sample(text: str, complete: bool, source: str) -> None:
    """Refuse text that is empty, only whitespace, or binary data, judged by its opening part."""
    if not text:
        raise DigestError(source, "empty file")
    if "\x00" in text or _control_share(text) > MAX_CONTROL_SHARE:
        raise DigestError(source, BINARY)
    if complete and not text.strip():
        raise DigestError(source, "empty file (only whitespace)")


def _content_lines(lines: Iterable[str], source: str, start: int = 1) -> Iterator[Line]:
    """Trimmed, numbered, non-blank lines; a NUL anywhere means binary data after all."""
    for number, raw in enumerate(lines, start=start):
        if "\x00" in raw:
            raise DigestError(source, BINARY, line=number)
        text = raw.strip()
        if text:
            yield Line(number, text)


def _reference_day(reference: dt.date | None) -> dt.date:
    """The day year-less dates are resolved against: the given one (a datetime counts by its date) or today."""
    if isinstance(reference, dt.datetime):
        return reference.date()
    return reference or dt.date.today()


@contextlib.contextmanager
def _format_guard(source: str, name: str) -> Iterator[None]:
    """Callers are promised DigestError and nothing else: turn a format's own failure into one."""
    try:
        yield
    except DigestError:
        raise
    except Exception as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise DigestError(source, f"could not parse format {name}: {reason}") from error


@dataclasses.dataclass
class LinePass:
    """One pass over a digest's lines: format and date known from the opening, entries as they are read."""

    source: str
    format: str
    reading: Reading
    reference: dt.date = dataclasses.field(default_factory=dt.date.today)

    @property
    def label(self) -> str:
        """A human name from the content: `arXiv cs.LG · 2026-04-27`, `HF Daily · 2026-04-22`,
        or the format and the import day when the content carries no date."""
        if self.reading.label:
            return self.reading.label
        title = FORMAT_TITLES.get(self.format, self.format)
        day = self.reading.digest_date
        return f"{title} · {day}" if day else f"{title} · imported {self.reference.isoformat()}"

    @property
    def skipped(self) -> list[Skipped]:
        """What could not become an entry so far; complete once `papers()` is exhausted."""
        return self.reading.skipped

    def papers(self) -> Iterator[Paper]:
        """Each entry, stamped with where it was seen: this digest, its 1-based position, its date."""
        seen = 0
        with _format_guard(self.source, self.format):
            for seen, paper in enumerate(self.reading.entries, start=1):
                yield dataclasses.replace(paper, seen=(Sighting(self.source, seen, self.reading.digest_date),))
        if not seen and not self.skipped and not self.reading.note:
            raise DigestError(self.source, f"format {self.format} recognised, but it holds no entries")


def start_pass(lines: Iterator[str], source: str, reference: dt.date | None) -> LinePass:
    """Check and detect the digest from its opening lines, then hand every line to its format.

    Raises DigestError for an empty, binary or unrecognised text. Dates without a year resolve
    to the latest such day not after `reference` (default: today).
    """
    sample, complete, blank = _sample(lines)
    if not sample:
        raise DigestError(source, "empty file (only whitespace)" if blank else "empty file")
    sample[0] = sample[0].removeprefix("\ufeff")
    text = "\n".join(sample)
    check_sample(text, complete, source)
    name = detect(text)
    if name is None:
        raise DigestError(source, NOT_A_DIGEST)
    content = _content_lines(chain(sample, lines), source, start=blank + 1)
    day = _reference_day(reference)
    with _format_guard(source, name):
        return LinePass(source, name, FORMATS[name].read(content, day), day)


def _opening_bytes(chunks: Iterator[bytes]) -> bytes:
    """At least SNIFF_BYTES of the file's opening (less only when the file is shorter)."""
    first = b""
    while len(first) < SNIFF_BYTES and (more := next(chunks, None)) is not None:
        first += more
    return first


def start_byte_pass(chunks: Iterator[bytes], source: str, reference: dt.date | None) -> LinePass:
    """Start a pass from the file's bytes: XML, JSON and mail go to their readers, text to its lines."""
    chunks = iter(chunks)
    first = _opening_bytes(chunks)
    found = sniff(first) if first.strip() else None
    if found is None:
        return start_pass(split_lines(decode_chunks(chain((first,), chunks), source), source), source, reference)
    name, reader = found
    day = _reference_day(reference)
    with _format_guard(source, name):
        return LinePass(source, name, reader(binary_file(chain((first,), chunks)), source, day), day)


@contextlib.contextmanager
def reading_errors(source: str) -> Iterator[None]:
    """Turn every way of failing to read a file into a DigestError naming it."""
    try:
        yield
    except FileNotFoundError:
        raise DigestError(source, "no such file") from None
    except PermissionError:
        raise DigestError(source, "cannot read file: permission denied") from None
    except (OSError, ValueError) as error:
        raise DigestError(source, f"cannot read file: {getattr(error, 'strerror', None) or error}") from None


class DigestStream:
    """A digest file opened for streaming: format, date and hash up front, entries one at a time.

    Memory stays bounded by the longest entry, not the number of entries. `entries()` reads the
    file again each time it is called; `skipped` fills up as it goes and is complete once it is
    exhausted. `bytes_read` against `size` tells how far a pass has come, for a progress display.
    """

    def __init__(self, path: Path, source: str, reference: dt.date | None, size: int) -> None:
        self.path, self.source, self.reference = path, source, reference
        self.size, self.bytes_read = size, 0
        self.skipped: list[Skipped] = []
        digest = hashlib.sha256()
        for _ in self._chunks(digest):
            pass
        self.content_hash = digest.hexdigest()
        with self._pass(hashlib.sha256()) as opening:
            self.format: str = opening.format
            self.digest_date: str | None = opening.reading.digest_date
            self.label: str = opening.label
            self.note: str = opening.reading.note

    def _chunks(self, digest) -> Iterator[bytes]:
        """The file's bytes a chunk at a time, fed to `digest` and counted in `bytes_read`."""
        self.bytes_read = 0
        with reading_errors(self.source), open(self.path, "rb") as file:
            while chunk := file.read(CHUNK_BYTES):
                digest.update(chunk)
                self.bytes_read += len(chunk)
                yield chunk

    @contextlib.contextmanager
    def _pass(self, digest, drain: bool = False) -> Iterator[LinePass]:
        """A pass over the file from its start; the file is closed when the pass ends, however it ends.

        With `drain`, bytes a format left unread (after a JSON list's `]`, or past a cut in an
        XML feed) are still read when the pass completes, so the hash covers the whole file.
        """
        chunks = self._chunks(digest)
        try:
            yield start_byte_pass(chunks, self.source, self.reference)
            for _ in chunks if drain else ():
                pass
        finally:
            chunks.close()

    def entries(self) -> Iterator[Paper]:
        """Each entry as soon as it is complete, exactly as `parse_digest` gives them.

        Raises DigestError if the file turns out to be damaged further on (a NUL byte, a line
        too long) or if it changed after `open_digest` hashed it.
        """
        digest = hashlib.sha256()
        with self._pass(digest, drain=True) as run:
            self.skipped = run.skipped
            yield from run.papers()
        if digest.hexdigest() != self.content_hash:
            raise DigestError(self.source, "file changed while it was being read")


def open_digest(path: str | os.PathLike, reference_date: dt.date | None = None) -> DigestStream:
    """Open a digest file for streaming; `source` is the file's name.

    Hashes the file in one cheap pass, then checks and detects it from its opening part.
    Raises DigestError for a missing file, a directory, or an empty, binary or unrecognised file.
    """
    if str(path) == "-":
        return _open_stdin(reference_date)
    path = Path(path)
    source = path.name or str(path)
    with reading_errors(source):
        if path.is_dir():
            raise DigestError(source, "is a directory, not a digest file")
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise DigestError(source, NOT_REGULAR)
        size = status.st_size
    if size > MAX_BYTES:
        raise DigestError(source, f"file too large for a digest (over {MAX_BYTES // 2**20} MB)")
    return DigestStream(path, source, reference_date, size)


def _open_stdin(reference_date: dt.date | None) -> DigestStream:
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
