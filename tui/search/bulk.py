"""Bulk building of a fresh index segment, bypassing Whoosh's per-posting sort pool.

Whoosh's `SegmentWriter` pushes every posting through a Python external merge sort
(~5 us each, ~180 postings per paper). For a fresh segment the postings can instead be
bucketed per term in compact arrays while documents are added, and written term by term
in sorted order at the end through Whoosh's own field/postings writers, so the files on
disk are what Whoosh reads (tests compare them with the stock writer's). Rare terms are
stored inline in the term table, a form Whoosh reads but never writes itself.
Incremental updates use the stock writer.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from pickle import dumps

from whoosh.codec import whoosh3
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from tui.search.analysis import add_postings

#: Terms with at most this many postings are stored inline in the term table.
INLINE_LIMIT = 8
#: zlib level for postings blocks of at least _COMPRESS_FROM postings (smaller ones: raw).
_COMPRESSION = 1
_COMPRESS_FROM = 16


class BulkSegmentWriter(SegmentWriter):
    """Writes the documents it is given as one new segment; add and commit only.

    `posting_count` (field tokens added) lets the caller start another segment when memory
    use grows (about 20 bytes per posting while buffered).
    """

    def __init__(self, ix, **kwargs):
        super().__init__(ix, compound=False, **kwargs)
        self._postings: dict[str, dict[bytes, tuple]] = {}
        self._lengths: dict[str, bytearray] = defaultdict(bytearray)
        self.posting_count = 0

    def add_document(self, **fields):
        self._check_state()
        schema, docnum, perdoc = self.schema, self.docnum, self.perdocwriter
        perdoc.start_doc(docnum)
        try:
            for name in sorted(fields):
                value = fields[name]
                if value is not None:
                    self._add_field(schema[name], name, value, docnum)
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_field(self, field, name, value, docnum) -> None:
        length = 0
        if field.indexed:
            buckets = self._postings.get(name)
            if buckets is None:
                buckets = self._postings[name] = {}
            collect = getattr(field.format, "collect", None)
            if collect is not None:
                length = collect(value, field.analyzer, docnum, buckets)
            else:
                length = _collect_generic(field, value, docnum, buckets)
            self.posting_count += length
            if not field.scorable:
                length = 0
            elif length:
                column = self._lengths[name]
                column.extend(bytes(docnum + 1 - len(column)))
                column[docnum] = length_to_byte(length)
        self.perdocwriter.add_field(name, field, value if field.stored else None, length)
        if field.column_type is not None:
            self.perdocwriter.add_column_value(name, field.column_type, field.to_column_value(value))

    def _finish(self):
        # Unlike SegmentWriter._finish, keep the temporary folder: the other writers of a
        # parallel build keep their column files there ("<index>.tmp" is shared by name).
        # The build removes it once every segment is written (see `remove_temp_files`).
        if self.writelock:
            self.writelock.release()
        self.is_closed = True

    def _flush_segment(self):
        self.perdocwriter.close()
        writer = self.fieldwriter
        for name in sorted(self._postings):
            buckets = self._postings.pop(name)
            field = self.schema[name]
            weights = getattr(field.format, "weights", None) or _constant_weights(field)
            writer.start_field(name, field)
            lengths = self._lengths.get(name)
            for term in sorted(buckets):
                ids, values = _unpack(buckets[term])
                tbytes = term.encode("utf-8") if isinstance(term, str) else term
                postings = (ids, weights(values, len(ids)), values)
                if len(ids) <= INLINE_LIMIT:
                    _inline_postings(writer, tbytes, *postings, lengths)
                    continue
                writer.start_term(tbytes)
                _buffer_postings(writer._postwriter, *postings, lengths)
                writer.finish_term()
            writer.finish_field()
        writer.close()


def remove_temp_files(ix) -> None:
    """Delete the temporary folder the writers of a finished build shared."""
    ix.storage.temp_storage(f"{ix.indexname}.tmp").destroy()


def _unpack(entry) -> tuple:
    """(docnums, values or None) from a bucket entry in any of its compact shapes."""
    kind = type(entry)
    if kind is int:
        return (entry,), None
    if kind is array:
        return entry, None
    if type(entry[0]) is int:
        return (entry[0],), (entry[1],)
    return entry


def _collect_generic(field, value, docnum: int, buckets: dict) -> int:
    """Bucket the postings of a stock Whoosh field (ids, numbers: no per-posting values)."""
    if field.format.fixed_value_size() != 0:
        raise TypeError(f"bulk writing needs a value-less format, not {field.format!r}")
    items = field.index(value)
    add_postings(buckets, [item[0] for item in items], docnum)
    return sum(item[1] for item in items)


def _constant_weights(field):
    boost = field.format.field_boost
    return lambda values, count: array("f", (boost,)) * count


def _inline_postings(writer, tbytes, ids, weights, values, lengths) -> None:
    """Store a rare term's few postings inside its term-table entry, not in a postings block.

    Whoosh reads such entries (`W3TermInfo.from_bytes` -> `ListMatcher`) but its own writer
    never produces them; for the many terms found in a handful of papers (ids, rare words)
    this skips a block header, two pickles and a compression call each. The bytes are what
    `W3TermInfo.to_bytes()` gives for inlined postings with the same statistics.
    """
    ids, weights = tuple(ids), tuple(weights)
    low = high = 0
    if lengths is not None:
        size = len(lengths)
        found = [lengths[d] for d in ids if d < size and lengths[d]]
        low, high = (min(found), max(found)) if found else (0, 0)
    head = whoosh3.W3TermInfo._struct.pack(1, sum(weights), len(ids), low, high, max(weights), ids[0], ids[-1])
    values = tuple(values) if values is not None else (b"",) * len(ids)
    writer._tindex.add(pack_ushort(writer._fieldid) + tbytes, head + dumps((ids, weights, values), 2))


def _buffer_postings(postwriter, ids, weights, values, lengths) -> None:
    """Hand one term's postings to a Whoosh postings writer block by block.

    Full blocks are written here; the last one stays buffered for `finish_term()`,
    exactly as `add_posting()` would leave it.
    """
    step = postwriter._blocklimit
    total = len(ids)
    # Compressing tiny blocks costs more time than it saves space (the flag is per block).
    postwriter._compression = _COMPRESSION if total >= _COMPRESS_FROM else 0
    for start in range(0, total, step):
        end = min(start + step, total)
        block_ids = ids[start:end]
        postwriter._ids = block_ids
        postwriter._weights = weights[start:end]
        postwriter._values = values[start:end] if values is not None else []
        postwriter._maxweight = max(postwriter._weights)
        if lengths is not None:
            size = len(lengths)
            found = [lengths[d] for d in block_ids if d < size]
            found = [b for b in found if b]
            postwriter._minlength = byte_to_length(min(found)) if found else None
            postwriter._maxlength = byte_to_length(max(found)) if found else 0
        else:
            postwriter._minlength, postwriter._maxlength = None, 0
        if end < total:
            postwriter._write_block()
