"""The full JSON backup: written row by row and restored row by row, all or nothing.

Neither side holds the library whole, so a 100k-paper library exports and restores in flat memory.
"""

from __future__ import annotations

import json
import os
import shlex
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

from tui.library.jsonstream import START, top_level
from tui.library.rows import IGNORED, BadField, checked_row
from tui.library.schema import FIRST_SEEN_SQL
from tui.library.store import Library, utc_now
from tui.textsafe import one_line

BACKUP_FORMAT = "paper-reader-backup"
#: 3 added tags, saved searches, watch lists, "later" and undo steps; 2 the arXiv columns,
#: sighting announce types and digest labels. 1 and 2 are still read.
BACKUP_VERSION = 3
KNOWN_VERSIONS = frozenset({1, 2, 3})
TABLES = ("digests", "papers", "sightings", "events", "tags", "saved_searches", "watches")
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: A reason quoted from a parser or SQLite is cut here: the message stays one readable line.
REASON_LIMIT = 200
#: How much of a bad id or version is quoted back (enough to find the row).
QUOTE_LIMIT = 40


class RestoreError(Exception):
    """A backup that cannot be restored; the message is one line naming the file."""


def dump_chunks(library: Library, starred_only: bool = False) -> Iterator[str]:
    """The backup as text pieces, one row each: every table, papers with their state."""
    conn = library.connection()
    where = {"papers": "WHERE starred = 1", "sightings": "WHERE paper_id IN (SELECT id FROM papers WHERE starred = 1)",
             "events": "WHERE paper_id IN (SELECT id FROM papers WHERE starred = 1)",
             "tags": "WHERE paper_id IN (SELECT id FROM papers WHERE starred = 1)"} if starred_only else {}
    yield f'{{\n "format": "{BACKUP_FORMAT}",\n "version": {BACKUP_VERSION}'
    for table in TABLES:
        yield f',\n "{table}": ['
        cursor = conn.execute(f"SELECT * FROM {table} {where.get(table, '')} ORDER BY rowid")
        names = [d[0] for d in cursor.description]
        for n, row in enumerate(cursor):
            record = {k: v for k, v in zip(names, row) if k not in IGNORED}
            yield ("\n  " if n == 0 else ",\n  ") + json.dumps(record, ensure_ascii=True, sort_keys=True)
        yield "\n ]"
    yield "\n}\n"


def restore_library(library: Library, path: str | os.PathLike) -> str:
    """Load a JSON backup into an empty library in one transaction; returns a summary line.

    Every row is type-checked before it is written; the first bad one rejects the whole file
    with one line naming the row and field. The restored library gets a new identity (uuid).
    """
    name = Path(path).name
    _refuse_sqlite_file(Path(path), library)
    if library.count():
        raise RestoreError(f"{name}: the library is not empty; restore needs an empty data directory (--data-dir)")
    try:
        with open(path, encoding="utf-8") as handle, library.transaction() as conn:
            counts = _load(conn, handle, name)
    except RestoreError:
        raise
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise RestoreError(f"{name}: cannot read backup ({one_line(str(exc))[:REASON_LIMIT]}); nothing restored") from None
    except sqlite3.Error as exc:
        raise RestoreError(f"{name}: backup rejected, nothing restored ({_sql_reason(exc)})") from None
    return f"restored {counts['papers']} papers, {counts['digests']} digests, {counts['events']} events from {name}"


def _load(conn: sqlite3.Connection, handle, name: str) -> dict[str, int]:
    """Insert every row as it is read; check the header (wherever it stands) before committing."""
    conn.execute("PRAGMA defer_foreign_keys = ON")  # rows may come in any table order
    counts = dict.fromkeys(TABLES, 0)
    header: dict[str, object] = {}
    added_at = utc_now()
    for key, value in top_level(handle):
        if key not in TABLES:
            header[key] = value
        elif value is not START:
            counts[key] += 1
            _insert(conn, key, _checked(name, key, counts[key], value, added_at))
    _check_header(name, header)
    conn.execute(FIRST_SEEN_SQL)
    conn.execute("UPDATE events SET step = id WHERE step IS NULL")
    conn.execute("UPDATE papers SET seq = 1")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'seq'")
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('uuid', ?)", (str(uuid.uuid4()),))
    return counts


def _checked(name: str, table: str, number: int, row: object, added_at: str) -> dict[str, object]:
    try:
        return checked_row(table, row, added_at)
    except BadField as exc:
        ident = row.get("id") if isinstance(row, dict) else None
        which = f"{table} row {number}" + (f" (id {one_line(str(ident))[:QUOTE_LIMIT]})" if ident is not None else "")
        raise RestoreError(f"{name}: {which}: {exc}; nothing restored") from None


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, object]) -> None:
    columns = ",".join(row)
    conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({','.join('?' * len(row))})", tuple(row.values()))


def _check_header(name: str, header: dict[str, object]) -> None:
    if header.get("format") != BACKUP_FORMAT:
        raise RestoreError(f"{name}: not a paper-reader JSON backup")
    version = header.get("version")
    if isinstance(version, bool) or version not in KNOWN_VERSIONS:
        raise RestoreError(f"{name}: backup version {one_line(str(version))[:QUOTE_LIMIT]} is not one this paper-reader "
                           f"reads ({', '.join(map(str, sorted(KNOWN_VERSIONS)))}); nothing restored")


def _refuse_sqlite_file(path: Path, library: Library) -> None:
    """An automatic backup is a SQLite file, not JSON: say how to use it instead."""
    try:
        with open(path, "rb") as handle:
            magic = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise RestoreError(f"{path.name}: cannot read backup ({one_line(str(exc))})") from None
    if magic == _SQLITE_MAGIC:
        raise RestoreError(
            f"{path.name} is a SQLite library backup, not a JSON export: quit paper-reader, then use it with: "
            f"cp {shlex.quote(str(path))} {shlex.quote(str(library.path))}")


def _sql_reason(exc: sqlite3.Error) -> str:
    text = one_line(str(exc))
    if "FOREIGN KEY" in text:
        return "a sighting or event refers to a paper or digest the backup does not hold"
    return f"{type(exc).__name__}: {text[:REASON_LIMIT]}"
