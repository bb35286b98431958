"""The index directory on disk: its sidecar metadata, health check, and the rebuild swap.

The index is a cache of the library: anything wrong with it (missing, other schema,
truncated files) is reported as a one-line reason and fixed by a full rebuild, which is
written into a sibling temporary directory and renamed into place.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query

from tui.search import analysis
from tui.search.schema import SCHEMA_VERSION

#: Indexes written before the search room existed pickled their analyzers and field types
#: under this module path; the same classes now live in `tui.search.analysis`.
PRE_ROOMS_MODULE = "tui.index_analysis"

META_NAME = "index_meta.json"
_BUILDING = ".building-"
_OLD = ".old-"


class IndexBusy(Exception):
    """Another process (or thread) holds the index's write lock."""

    def __init__(self) -> None:
        super().__init__("another paper-reader is indexing; try again")


def read_meta(directory: Path) -> dict | None:
    """The sidecar metadata, or None if it is missing or unreadable."""
    try:
        meta = json.loads((directory / META_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def write_meta(directory: Path, doc_count: int, applied_seq: int, library_uuid: str | None = None) -> None:
    """Atomically replace the sidecar metadata, including the size of every index file.

    `library_uuid` names the library the index was built from: a library restored from a
    backup (or another library copied in) has another one, and its index is rebuilt.
    """
    meta = {"schema_version": SCHEMA_VERSION, "doc_count": doc_count, "applied_seq": applied_seq,
            "library_uuid": library_uuid, "files": _file_sizes(directory)}
    temp = directory / f".{META_NAME}.{secrets.token_hex(4)}"
    with open(temp, "w", encoding="utf-8") as handle:
        json.dump(meta, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, directory / META_NAME)


def _file_sizes(directory: Path) -> dict[str, int]:
    """Sizes of the index's own files (not locks, not this metadata)."""
    sizes = {}
    for entry in os.scandir(directory):
        if entry.is_file() and not entry.name.startswith(".") and "LOCK" not in entry.name \
                and entry.name != META_NAME:
            sizes[entry.name] = entry.stat().st_size
    return sizes


def _changed_files(directory: Path, recorded: dict) -> str | None:
    """The first index file that is missing or has another size than recorded."""
    for name, size in recorded.items():
        try:
            if (directory / name).stat().st_size != size:
                return name
        except OSError:
            return name
    return None


def open_checked(directory: Path, weighting, library_uuid: str | None = None):
    """Open and probe the index. Returns (index, searcher, meta) or raises `IndexProblem`.

    With `library_uuid`, an index built from another library (or before libraries had
    one) is a problem too: its change counter says nothing about this library.
    """
    if not directory.is_dir() or not any(directory.glob("*.toc")):
        raise IndexProblem("index missing")
    meta = read_meta(directory)
    if meta is None:
        raise IndexProblem("index damaged: no readable index_meta.json")
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise IndexProblem("index schema changed")
    if library_uuid is not None and meta.get("library_uuid") != library_uuid:
        raise IndexProblem("index belongs to another library")
    changed = _changed_files(directory, meta.get("files") or {})
    if changed:
        raise IndexProblem(f"index damaged: {changed} was changed or truncated")
    sys.modules.setdefault(PRE_ROOMS_MODULE, analysis)
    ix = searcher = None
    try:
        ix = whoosh_index.open_dir(str(directory))
        searcher = ix.searcher(weighting=weighting)
        _probe(searcher)
    except Exception as exc:  # any damage at all means "rebuild"
        if searcher is not None:
            searcher.close()
        if ix is not None:
            ix.close()
        raise IndexProblem(f"index damaged: {type(exc).__name__}") from exc
    return ix, searcher, meta


class IndexProblem(Exception):
    """Why the index cannot be used (one line for the user)."""


def _probe(searcher) -> None:
    """Touch every kind of file: terms, postings, stored fields, columns and lengths."""
    reader = searcher.reader()
    for fieldname in ("flags", "prefixes", "abstract"):
        first = next(iter(reader.lexicon(fieldname)), None)
        if first is not None:
            # Its first postings block, decoded (ids and weights); not the whole list: the
            # first flag is on half the papers, and stepping through 50,000 postings one
            # call at a time cost 15 ms of every command at 100k papers (file sizes are
            # checked against the metadata above).
            postings = reader.postings(fieldname, first)
            postings.id(), postings.weight()
    searcher.search(query.Term("flags", "is:starred"), limit=1)  # scored, on few papers: cheap at any size
    count = reader.doc_count_all()
    for docnum in {0, count - 1} if count else ():
        searcher.stored_fields(docnum)
        reader.doc_field_length(docnum, "abstract")
    # Columns segment by segment: a segment written before any paper had upvotes has no
    # upvotes column, and a multi-segment column reader then misreads the others.
    for leaf, _ in reader.leaf_readers():
        size = leaf.doc_count_all()
        for column in ("title", "abstract", "date", "upvotes"):
            if size and leaf.has_column(column):
                values = leaf.column_reader(column)
                values[0], values[size - 1]


def new_build_dir(directory: Path) -> Path:
    """A fresh sibling directory to build a new index in."""
    path = directory.parent / f".{directory.name}{_BUILDING}{secrets.token_hex(4)}"
    path.mkdir(parents=True)
    return path


def leftovers(directory: Path) -> list[Path]:
    """Half-built or replaced index directories left by an interrupted rebuild."""
    patterns = (f".{directory.name}{_BUILDING}*", f".{directory.name}{_OLD}*")
    return [path for pattern in patterns for path in directory.parent.glob(pattern)]


def sweep_leftovers(directory: Path) -> None:
    """Remove the leftovers of interrupted rebuilds (call it holding the write lock)."""
    for path in leftovers(directory):
        shutil.rmtree(path, ignore_errors=True)


def swap_in(built: Path, directory: Path) -> None:
    """Put the freshly built index in place of the old one (two renames, old one removed)."""
    old = None
    if directory.exists():
        old = directory.parent / f".{directory.name}{_OLD}{secrets.token_hex(4)}"
        os.replace(directory, old)
    os.replace(built, directory)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
