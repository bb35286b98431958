"""The durable store: papers, digests, where each paper was seen, and the user's state (SQLite)."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from tui.library.schema import SchemaTooNew, migrate
from tui.records import ImportReport, LibraryStats, Paper, ParseResult, Sighting, Skipped
from tui.vocabulary import Progress, Sort, Status, View

_ORDER = {
    # "relevance" without a query means the view's natural order.
    (View.INBOX, Sort.RELEVANCE): "first_digest, first_position",
    (View.STARRED, Sort.RELEVANCE): "p.starred_at DESC, p.id",
    (View.ALL, Sort.RELEVANCE): "first_digest DESC, first_position",
    "newest": "p.date IS NULL, p.date DESC, first_digest DESC, first_position",
    "upvotes": "COALESCE(p.upvotes, -1) DESC, p.date DESC, p.id",
}
#: The filters a listing understands (the query language's is:/has: words), as SQL conditions.
FLAG_SQL = {
    **{f"is:{status}": f"p.status = '{status}'" for status in Status},
    "is:starred": "p.starred = 1",
    "has:note": "p.note != ''",
}
# Where each paper was first seen, in one pass over the sightings: the smallest
# (digest, position) pair packed into one integer, then split back into its two parts.
_FIRST_SEEN = (
    "LEFT JOIN (SELECT paper_id, MIN(digest_id * 4294967296 + position) AS first_key"
    " FROM sightings GROUP BY paper_id) f ON f.paper_id = p.id"
)
_FIRST_COLUMNS = "f.first_key >> 32 AS first_digest, f.first_key & 4294967295 AS first_position"


class _NothingToImport(Exception):
    """Raised inside an import transaction to roll back a digest without one complete entry."""


class LibraryError(Exception):
    """The library file cannot be used; the message says why and what to do."""

    def __init__(self, message: str, damaged: bool = False) -> None:
        super().__init__(message)
        self.damaged = damaged


def utc_now() -> str:
    """Current UTC time as an ISO string (seconds)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Library:
    """A SQLite library at `path`. Safe to share between threads: one connection per thread."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    # -- connections -------------------------------------------------------------------------
    def open(self) -> None:
        """Create or open the file, check it, and migrate; raises LibraryError when damaged."""
        fresh = not self.path.exists()
        if fresh:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        try:
            conn = self._conn()
            if not fresh:
                result = conn.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    raise sqlite3.DatabaseError(result)
            migrate(conn)
        except SchemaTooNew as exc:
            raise LibraryError(f"{self.path}: {exc}") from None
        except sqlite3.DatabaseError as exc:
            self.close()
            raise LibraryError(f"{self.path}: library file is damaged ({exc})", damaged=True) from None

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=15.0, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        """Close every connection this library opened."""
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (for dump/restore and backups, which read whole tables)."""
        return self._conn()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One explicit write transaction; takes the write lock up front so writers queue."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @staticmethod
    def _next_seq(conn: sqlite3.Connection) -> int:
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'seq'")
        return int(conn.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0])

    # -- imports -----------------------------------------------------------------------------
    def import_result(self, result: ParseResult, progress: Progress | None = None) -> ImportReport:
        """Store one parsed digest in one transaction; importing the same bytes again is a no-op."""
        return self.import_entries(result.source, result.format, result.digest_date, result.content_hash,
                                   result.entries, lambda: result.skipped, progress)

    def import_stream(self, stream, progress: Progress | None = None) -> ImportReport:
        """Store a streamed digest (tui.parsing.digest.open_digest) entry by entry, in one transaction.

        Memory stays flat however long the digest is. A DigestError raised while reading
        (a NUL byte half-way, the file changing underneath) rolls the whole digest back.
        """
        return self.import_entries(stream.source, stream.format, stream.digest_date, stream.content_hash,
                                   stream.entries(), lambda: tuple(stream.skipped), progress)

    def import_entries(self, source: str, fmt: str, digest_date: str | None, content_hash: str,
                       entries: Iterable[Paper], skipped: Callable[[], Sequence[Skipped]],
                       progress: Progress | None = None) -> ImportReport:
        """Store a digest's entries in one transaction; `skipped()` is read once they are consumed.

        `progress(done, 0)` is called every 1,000 entries. A digest with no complete entry is
        rolled back and reported as an error; the same bytes imported again are a no-op.
        """
        conn = self._conn()
        if content_hash and conn.execute("SELECT 1 FROM digests WHERE content_hash = ?", (content_hash,)).fetchone():
            return ImportReport(source, fmt, already_imported=True)
        try:
            with self.transaction() as conn:
                added, known = self._store_digest(conn, source, fmt, digest_date, content_hash, entries,
                                                  skipped, progress)
        except sqlite3.IntegrityError:
            # Another process imported the same bytes between our check and our write.
            return ImportReport(source, fmt, already_imported=True)
        except _NothingToImport:
            return ImportReport(source, fmt, skipped=tuple(skipped()),
                                error=f"{source}: no complete entries found, nothing imported")
        return ImportReport(source, fmt, added, known, tuple(skipped()))

    def _store_digest(self, conn: sqlite3.Connection, source: str, fmt: str, digest_date: str | None,
                      content_hash: str, entries: Iterable[Paper], skipped: Callable[[], Sequence[Skipped]],
                      progress: Progress | None) -> tuple[int, int]:
        seq = self._next_seq(conn)
        digest_id = conn.execute(
            "INSERT INTO digests (name, content_hash, format, digest_date, imported_at, entries, skipped)"
            " VALUES (?, ?, ?, ?, ?, 0, 0)",
            (source, content_hash or f"nohash:{seq}", fmt, digest_date, utc_now()),
        ).lastrowid
        added = position = 0
        for position, paper in enumerate(entries, start=1):
            added += self._store_paper(conn, paper, seq)
            conn.execute("INSERT OR IGNORE INTO sightings (paper_id, digest_id, position) VALUES (?, ?, ?)",
                         (paper.id, digest_id, position))
            if progress and position % 1000 == 0:
                progress(position, 0)
        if position == 0:
            raise _NothingToImport()
        conn.execute("UPDATE digests SET entries = ?, skipped = ? WHERE id = ?",
                     (position, len(skipped()), digest_id))
        return added, position - added

    def _store_paper(self, conn: sqlite3.Connection, paper: Paper, seq: int) -> bool:
        """Insert a new paper or merge what this sighting adds; True when it was new."""
        row = conn.execute("SELECT * FROM papers WHERE key = ?", (paper.key,)).fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO papers (id, key, title, abstract, authors, author_count, orgs, date, upvotes,"
                " category, has_code, links, added_at, seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (paper.id, paper.key, paper.title, paper.abstract, json.dumps(list(paper.authors)),
                 paper.author_count, json.dumps(list(paper.orgs)), paper.date, paper.upvotes,
                 paper.category, _bool_in(paper.has_code), json.dumps(list(paper.links)),
                 paper.added_at or utc_now(), seq),
            )
            return True
        merged = _merge(row, paper)
        if merged:
            sets = ", ".join(f"{column} = ?" for column in merged)
            conn.execute(f"UPDATE papers SET {sets}, seq = ? WHERE id = ?", (*merged.values(), seq, row["id"]))
        return False

    # -- user state --------------------------------------------------------------------------
    def set_starred(self, paper_id: str, starred: bool) -> int:
        """Star or unstar a paper; returns the change sequence number."""
        return self._set_state(paper_id, "starred", int(starred), "starred_at")

    def set_note(self, paper_id: str, note: str) -> int:
        """Replace the paper's note (empty string removes it)."""
        return self._set_state(paper_id, "note", note, "note_at")

    def set_status(self, paper_id: str, status: str) -> int:
        """Move a paper to one of STATUSES (new, kept, dismissed, read)."""
        if status not in set(Status):
            raise ValueError(f"unknown status {status!r}")
        return self._set_state(paper_id, "status", status, "status_at")

    def _set_state(self, paper_id: str, column: str, value: object, stamp: str) -> int:
        with self.transaction() as conn:
            row = conn.execute(f"SELECT {column} FROM papers WHERE id = ?", (paper_id,)).fetchone()
            if row is None:
                raise KeyError(paper_id)
            seq = self._next_seq(conn)
            conn.execute(
                f"UPDATE papers SET {column} = ?, {stamp} = ?, seq = ? WHERE id = ?",
                (value, utc_now(), seq, paper_id),
            )
            conn.execute(
                "INSERT INTO events (paper_id, kind, value, previous, at) VALUES (?, ?, ?, ?, ?)",
                (paper_id, column, str(value), str(row[0]), utc_now()),
            )
        return seq

    # -- reading -----------------------------------------------------------------------------
    def get(self, paper_id: str) -> Paper | None:
        """One paper with its sightings and state, or None."""
        found = self.get_many([paper_id])
        return found.get(paper_id)

    def get_many(self, ids: Iterable[str]) -> dict[str, Paper]:
        """Papers by id (missing ids are left out)."""
        ids = list(dict.fromkeys(ids))
        out: dict[str, Paper] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._conn().execute(f"SELECT * FROM papers WHERE id IN ({marks})", chunk).fetchall()
            seen = self._sightings(chunk)
            out.update((row["id"], _paper(row, seen.get(row["id"], ()))) for row in rows)
        return out

    def _sightings(self, ids: list[str]) -> dict[str, tuple[Sighting, ...]]:
        marks = ",".join("?" * len(ids))
        rows = self._conn().execute(
            "SELECT s.paper_id, d.name, s.position, d.digest_date FROM sightings s"
            f" JOIN digests d ON d.id = s.digest_id WHERE s.paper_id IN ({marks})"
            " ORDER BY s.digest_id, s.position",
            ids,
        ).fetchall()
        out: dict[str, list[Sighting]] = {}
        for row in rows:
            out.setdefault(row[0], []).append(Sighting(row[1], row[2], row[3]))
        return {key: tuple(value) for key, value in out.items()}

    def list_ids(self, flags: Sequence[str] = (), order: str = View.ALL, sort: str = Sort.RELEVANCE,
                 limit: int | None = None, offset: int = 0) -> list[str]:
        """Ids of the papers matching every filter flag (`is:new`, `-has:note`, ...) in `order`'s order.

        This one listing serves the views (a view is a set of flags) and filter-only
        queries, so the Inbox and `is:new` show the same papers in the same order.
        `order` names the view whose natural order applies when `sort` is relevance.
        """
        order_by = _ORDER.get((order, sort)) or _ORDER.get(sort) or _ORDER[(View.ALL, Sort.RELEVANCE)]
        sql = (f"SELECT p.id, {_FIRST_COLUMNS} FROM papers p {_FIRST_SEEN} WHERE {_where(flags)}"
               f" ORDER BY {order_by}")
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return [row[0] for row in self._conn().execute(sql)]

    def any_where(self, flags: Sequence[str] = ()) -> bool:
        """Whether any paper matches every filter flag (stops at the first)."""
        return self._conn().execute(f"SELECT 1 FROM papers p WHERE {_where(flags)} LIMIT 1").fetchone() is not None

    def count_where(self, flags: Sequence[str] = ()) -> int:
        """How many papers match every filter flag."""
        return self._conn().execute(f"SELECT COUNT(*) FROM papers p WHERE {_where(flags)}").fetchone()[0]

    def iter_papers(self, batch: int = 2000) -> Iterator[Paper]:
        """Every paper, in batches, for index builds and exports."""
        last = ""
        while True:
            rows = self._conn().execute(
                "SELECT id FROM papers WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
            ).fetchall()
            if not rows:
                return
            ids = [row[0] for row in rows]
            papers = self.get_many(ids)
            yield from (papers[i] for i in ids if i in papers)
            last = ids[-1]

    def changed_since(self, seq: int) -> list[Paper]:
        """Papers written after change `seq` (for the index to catch up)."""
        ids = [r[0] for r in self._conn().execute("SELECT id FROM papers WHERE seq > ?", (seq,))]
        return list(self.get_many(ids).values())

    def count_changed_since(self, seq: int) -> int:
        """How many papers were written after change `seq`."""
        return self._conn().execute("SELECT COUNT(*) FROM papers WHERE seq > ?", (seq,)).fetchone()[0]

    def current_seq(self) -> int:
        """The latest change sequence number."""
        return int(self._conn().execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0])

    def count(self) -> int:
        """How many papers the library holds."""
        return self._conn().execute("SELECT COUNT(*) FROM papers").fetchone()[0]

    def stats(self) -> LibraryStats:
        """Counts of papers, digests, stars, notes and triage states."""
        conn = self._conn()
        row = conn.execute(
            "SELECT COUNT(*), SUM(starred), SUM(note != ''), SUM(status = 'new'), SUM(status = 'kept'),"
            " SUM(status = 'read'), SUM(status = 'dismissed') FROM papers"
        ).fetchone()
        digests = conn.execute("SELECT COUNT(*) FROM digests").fetchone()[0]
        papers, starred, notes, new, kept, read, dismissed = (value or 0 for value in row)
        return LibraryStats(papers, digests, starred, notes, new, kept, read, dismissed)

    def events(self, paper_id: str | None = None) -> list[dict]:
        """The triage and state history, oldest first."""
        sql = "SELECT paper_id, kind, value, previous, at FROM events"
        args: tuple = ()
        if paper_id:
            sql, args = sql + " WHERE paper_id = ?", (paper_id,)
        return [dict(row) for row in self._conn().execute(sql + " ORDER BY id", args)]


def _where(flags: Sequence[str]) -> str:
    """The SQL condition for a set of filter flags; a leading "-" negates one."""
    conditions = [f"NOT ({FLAG_SQL[flag[1:]]})" if flag.startswith("-") else FLAG_SQL[flag] for flag in flags]
    return " AND ".join(conditions) or "1"


def _bool_in(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _merge(row: sqlite3.Row, paper: Paper) -> dict[str, object]:
    """Columns a new sighting fills in or improves (first non-empty value wins; upvotes grow)."""
    changes: dict[str, object] = {}
    fill = {
        "abstract": paper.abstract or None,
        "author_count": paper.author_count,
        "date": paper.date,
        "category": paper.category,
        "has_code": _bool_in(paper.has_code),
    }
    for column, value in fill.items():
        if value is not None and row[column] in (None, ""):
            changes[column] = value
    for column, values in (("authors", paper.authors), ("orgs", paper.orgs), ("links", paper.links)):
        old = json.loads(row[column])
        new = old + [v for v in values if v not in old] if column == "links" or not old else old
        if new != old:
            changes[column] = json.dumps(new)
    if paper.upvotes is not None and (row["upvotes"] is None or paper.upvotes > row["upvotes"]):
        changes["upvotes"] = paper.upvotes
    if paper.has_code and not row["has_code"]:
        changes["has_code"] = 1
    return changes


def _paper(row: sqlite3.Row, seen: tuple[Sighting, ...]) -> Paper:
    return Paper(
        id=row["id"],
        title=row["title"],
        abstract=row["abstract"],
        authors=tuple(json.loads(row["authors"])),
        author_count=row["author_count"],
        orgs=tuple(json.loads(row["orgs"])),
        date=row["date"],
        upvotes=row["upvotes"],
        category=row["category"],
        has_code=None if row["has_code"] is None else bool(row["has_code"]),
        links=tuple(json.loads(row["links"])),
        seen=seen,
        starred=bool(row["starred"]),
        note=row["note"],
        status=row["status"],
        added_at=row["added_at"],
    )
