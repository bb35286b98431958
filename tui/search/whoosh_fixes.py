"""Speed fixes to Whoosh's segment reader, applied by an explicit, idempotent `apply()`.

* Field lengths (one byte per document and field, needed by BM25 for every scored
  posting) are read once into memory instead of with a file seek + read per posting.
* A missing length column is remembered instead of re-checked with a stat() per posting.
* Skipping to a document inside a postings block bisects the block's ids instead of
  stepping through them one method call at a time; ids are delta-decoded in C.
* `Require` (a filter that keeps the scores of its first part) no longer trips an
  assertion when skipping by quality lands both parts on the same document.
* `deadline()` lets a search be stopped between two postings blocks (Whoosh's own time
  limit only looks at the clock between matches, and an AND of long lists can run for a
  long time between two matches).
* A variable-length column (titles, abstracts) no longer works out where every document's
  value starts when it is opened (a Python loop over every document of the segment, 30 ms
  of each search at 100k papers, for the 20 rows shown): a value's start is the sum of the
  lengths before it, added up in C when asked, and the whole table is made once a column
  has been asked for many values.

They only change how the same bytes are read; the pinned whoosh-reloaded 2.7.5 is frozen.
`apply()` checks that each function it replaces is still the one these fixes were written
against (a hash of its source) and otherwise leaves Whoosh stock, with a warning: a
changed Whoosh is never patched blindly. `tests/search/test_whoosh_fixes.py` runs the
same queries patched and stock and compares documents and scores.

Why patches and not a codec subclass: the classes fixed here are not chosen by the
index's codec alone. Segments pickle their codec's class path into the table of contents,
so a subclass would tie every index to a module path of this project (the move into
`tui/search` already forced one rebuild for that reason) and indexes already on disk would
keep the stock classes; the leaf matcher and per-document reader are built deep inside
W3Codec/W3SegmentReader, so a subclass would have to copy those methods whole; and
`RequireMatcher` belongs to no codec at all.
"""

from __future__ import annotations

import hashlib
import inspect
import struct
import threading
import time
import warnings
from array import array
from bisect import bisect_left
from contextlib import contextmanager
from itertools import accumulate

from whoosh import columns
from whoosh.codec import whoosh3
from whoosh.collectors import TimeLimit
from whoosh.matching import ReadTooFar, RequireMatcher
from whoosh.system import emptybytes
from whoosh.util.numeric import byte_to_length


def _cached_reader(self, fieldname, column):
    try:
        return self._readers[fieldname]
    except KeyError:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
        return reader


def _lengths(self, fieldname: str) -> bytes:
    """All length bytes of one field in this segment (b'' if the field has none)."""
    cache = self.__dict__.setdefault("_length_bytes", {})
    found = cache.get(fieldname)
    if found is None:
        reader = _cached_reader(self, whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
        found = reader._dbfile.get(reader._basepos, reader._count) if reader is not None else b""
        cache[fieldname] = found
    return found


def _doc_field_length(self, docnum, fieldname, default=0):
    lengths = _lengths(self, fieldname)
    if docnum < len(lengths):
        lbyte = lengths[docnum]
        if lbyte:
            return byte_to_length(lbyte)
    return default


def _skip_to(self, targetid):
    if not self.is_active():
        raise ReadTooFar
    if targetid <= self.id():
        return
    block_max_id = self.block_max_id
    if targetid > block_max_id():
        self._skip_to_block(lambda: targetid > block_max_id())
    if self.is_active():
        if self._ids is None:
            self._read_ids()
        self._i = bisect_left(self._ids, targetid, self._i)


_LIMIT = threading.local()


@contextmanager
def deadline(at: float, stop=None):
    """Within this block, reading a postings block after `at` (perf_counter) raises TimeLimit,
    and `stop()` (a cancellation check that raises) is called before each block is read."""
    previous = getattr(_LIMIT, "at", None), getattr(_LIMIT, "stop", None)
    _LIMIT.at, _LIMIT.stop = at, stop
    try:
        yield
    finally:
        _LIMIT.at, _LIMIT.stop = previous


def check_deadline() -> None:
    """Within `deadline()`: raise TimeLimit once its time is up, and run its `stop()` check.

    For code that reads postings blocks itself (the fixed `_read_ids` checks on its own)."""
    _check_deadline()


def _check_deadline() -> None:
    at = getattr(_LIMIT, "at", None)
    if at is not None and time.perf_counter() > at:
        raise TimeLimit()
    stop = getattr(_LIMIT, "stop", None)
    if stop is not None:
        stop()


_original_next_block = whoosh3.W3LeafMatcher._next_block


def _next_block(self):
    _check_deadline()
    return _original_next_block(self)


def _read_ids(self):
    _check_deadline()
    if self._data is None:
        self._read_data()
    ids = self._data[0]
    self._ids = ids if self._byteids else tuple(accumulate(ids))


def _read_weights(self):
    if self._data is None:
        self._read_data()
    weights = self._data[1]
    if weights is None:
        self._weights = array("f", (1.0,)) * self._blocklength
    elif isinstance(weights, float):
        self._weights = array("f", (weights,)) * self._blocklength
    else:
        self._weights = weights


def _require_skip_to_quality(self, minquality):
    skipped = self.a.skip_to_quality(minquality)
    if self.child.is_active() and self.a.id() != self.b.id():
        self.child._find_next()
    return skipped


#: Values a variable-length column finds by adding lengths up before it makes its table of starts.
_LOOKUPS_BEFORE_TABLE = 64


def _varbytes_read_offsets_and_lengths(self):
    dbfile = self._dbfile
    lastbyte = self._basepos + self._length - 1
    lens_code = chr(dbfile.get_byte(lastbyte))
    offsets = None
    if lens_code == "X":
        self.had_stored_offsets = True
        lens_code = chr(dbfile.get_byte(lastbyte - 2))
        offsets_code = chr(dbfile.get_byte(lastbyte - 1))
        itemsize = struct.calcsize(offsets_code)
        offsetstart = (lastbyte - 2) - self._doccount * itemsize
        offsets = dbfile.get_array(offsetstart, offsets_code, self._doccount)
        lastbyte = offsetstart
    itemsize = struct.calcsize(lens_code)
    lenstart = lastbyte - (itemsize * self._doccount)
    self._lengths = dbfile.get_array(lenstart, lens_code, self._doccount)
    self._offsets = offsets  # None: derived from the lengths when first needed (`_varbytes_getitem`)
    self._lookups = 0


def _varbytes_getitem(self, docnum):
    length = self._lengths[docnum]
    if not length:
        return emptybytes
    offsets = self._offsets
    if offsets is None:
        self._lookups += 1
        if self._lookups <= _LOOKUPS_BEFORE_TABLE:
            return self._dbfile.get(self._basepos + sum(self._lengths[:docnum]), length)
        offsets = array("L", accumulate(self._lengths, initial=0))
        offsets.pop()
        self._offsets = offsets
    return self._dbfile.get(self._basepos + offsets[docnum], length)


#: (owner, attribute, replacement) for every fix.
_FIXES = (
    (RequireMatcher, "skip_to_quality", _require_skip_to_quality),
    (whoosh3.W3PerDocReader, "_cached_reader", _cached_reader),
    (whoosh3.W3PerDocReader, "doc_field_length", _doc_field_length),
    (whoosh3.W3LeafMatcher, "skip_to", _skip_to),
    (whoosh3.W3LeafMatcher, "_read_ids", _read_ids),
    (whoosh3.W3LeafMatcher, "_next_block", _next_block),
    (whoosh3.W3LeafMatcher, "_read_weights", _read_weights),
    (columns.VarBytesColumn.Reader, "_read_offsets_and_lengths", _varbytes_read_offsets_and_lengths),
    (columns.VarBytesColumn.Reader, "__getitem__", _varbytes_getitem),
)
#: The stock functions, as found at import (before any fix).
_STOCK = {(owner, name): owner.__dict__[name] for owner, name, _ in _FIXES}
#: sha256 (first 16 hex digits) of the source of each replaced function in whoosh-reloaded 2.7.5.
EXPECTED_SOURCES = {
    "RequireMatcher.skip_to_quality": "fbfe1a0b56b02022",
    "W3PerDocReader._cached_reader": "2e27976f892aee8f",
    "W3PerDocReader.doc_field_length": "6f6c39c338eb61dc",
    "W3LeafMatcher.skip_to": "fcd5b00aafbd9c19",
    "W3LeafMatcher._read_ids": "f8024a90ec60697e",
    "W3LeafMatcher._next_block": "2fb1dc5070ec4a68",
    "W3LeafMatcher._read_weights": "124012c8d21aa1a7",
    "VarBytesColumn.Reader._read_offsets_and_lengths": "9ec2fa8dfc518ef5",
    "VarBytesColumn.Reader.__getitem__": "702e87916e88944b",
}
_state = {"applied": False, "refused": False, "held": False}
_apply_lock = threading.Lock()


def fingerprint(function) -> str | None:
    """A short hash of a function's source text (None when the source cannot be read)."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return None
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def changed_functions() -> list[str]:
    """The stock functions whose source is not the one the fixes were written against."""
    return [f"{owner.__qualname__}.{name}" for (owner, name), function in _STOCK.items()
            if fingerprint(function) != EXPECTED_SOURCES.get(f"{owner.__qualname__}.{name}")]


def apply() -> bool:
    """Install the fixes once; True when they are in effect.

    Called wherever an index is opened or built. If the installed Whoosh differs from the
    one the fixes were written for, Whoosh stays stock (correct, only slower) and a
    warning names what differs.
    """
    with _apply_lock:
        if _state["applied"] or _state["refused"] or _state["held"]:
            return _state["applied"]
        changed = changed_functions()
        if changed:
            _state["refused"] = True
            warnings.warn(f"Whoosh differs from the version its speed fixes were written for "
                          f"({', '.join(changed)}); searching without them", RuntimeWarning, stacklevel=2)
            return False
        for owner, name, replacement in _FIXES:
            setattr(owner, name, replacement)
        _state["applied"] = True
        return True


def revert() -> None:
    """Put the stock functions back; a later `apply()` installs the fixes again."""
    with _apply_lock:
        for (owner, name), function in _STOCK.items():
            setattr(owner, name, function)
        _state["applied"] = _state["refused"] = False


@contextmanager
def stock(keep: tuple[str, ...] = ()):
    """Within this block Whoosh is stock, but for the fixes named in `keep` (such as
    "RequireMatcher.skip_to_quality"), and `apply()` does nothing (tests compare the two)."""
    was = _state["applied"]
    revert()
    for owner, name, replacement in _FIXES:
        if f"{owner.__qualname__}.{name}" in keep:
            setattr(owner, name, replacement)
    _state["held"] = True
    try:
        yield
    finally:
        _state["held"] = False
        revert()
        if was:
            apply()


def applied() -> bool:
    """Whether the fixes are in effect now."""
    return _state["applied"]
