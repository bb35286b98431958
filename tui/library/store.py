"""The durable store: papers, digests, where each paper was seen, and the user's state (SQLite)."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid as uuidlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from tui.library import lists, opening
from tui.library.errors import (SQLITE_BUSY, SQLITE_LOCKED, ChangedElsewhere, LibraryBusy, LibraryError, LibraryReadOnly,
                                as_library_error, is_damage, primary_code)
from tui.library.identity import find_row, insert_paper, merge
from tui.library.reading import ORDER, DigestInfo, listing_order, paper_from_row, where
from tui.library.schema import SchemaTooNew, migrate
from tui.library.state import TAG_REMOVE, TAG_ADD, Change, Undone, apply_changes, clean_tag, tags_of, undo_last
from tui.records import ImportReport, LibraryStats, Paper, ParseResult, SavedSearch, Sighting, Skipped, Watch
from tui.vocabulary import Progress, Sort, Status, View

__all__ = ["DigestInfo", "Library", "LibraryBusy", "LibraryError", "utc_now"]

#: How long one attempt to take the write lock waits inside SQLite, in seconds; writers retry in
#: slices this long so a long wait can be reported while it lasts.
BUSY_SLICE_S = 0.5
#: A CLI writer waits this long (seconds) for another process's import before giving up.
WAIT_BLOCKING_S = 3600.0
#: What the app uses: give up quickly with LibraryBusy, keep the change queued and retry.
WAIT_SHORT_S = 1.0
#: Tell the user after this many seconds of waiting for the write lock.
NOTICE_AFTER_S = 2.0

class _NothingToImport(Exception):
    """Raised inside an import transaction to roll back a digest without one complete entry."""


def utc_now() -> str:
    """Current UTC time as an ISO string (seconds)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Library:
    """A SQLite library at `path`. Safe to share between threads: one connection per thread.

    Writers wait their turn: a write waits up to `wait_s` seconds for another process's write
    lock (calling `on_wait(message)` once when that takes long), then raises LibraryBusy.
    """

    def __init__(self, path: Path, wait_s: float = WAIT_BLOCKING_S,
                 on_wait: Callable[[str], None] | None = None) -> None:
        self.path = Path(path)
        self.wait_s = wait_s
        self.on_wait = on_wait
        #: False, or how the library was opened read-only ("ro", "immutable") when it cannot be written.
        self.read_only: str | bool = False
        #: A one-line notice from opening (e.g. "opened read-only"), or None.
        self.warning: str | None = None
        self._local = threading.local()
        #: Every connection opened, with the thread it belongs to.
        self._connections: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._closed = False
        self._lock = threading.Lock()
        #: Whether quick_check was left for `check()` (see `open`), and what it found, if damage.
        self._unchecked = False
        self._damage: str | None = None
        self._check_lock = threading.Lock()

    # -- connections -------------------------------------------------------------------------
    def open(self, check: bool = True) -> None:
        """Create or open the file, check it, back it up and migrate; raises LibraryError.

        Only real damage (SQLite says corrupt, or quick_check fails) is `damaged=True`; a full
        disk or read-only media open the library read-only instead, so reading still works.
        `check=False` leaves quick_check (0.2-1.3 s at 100k papers) to `check()`, which the app
        runs in a thread after its first paint. Nothing is written before it passes: a
        migration checks first, and every write transaction waits for the check (or runs it).
        """
        self._closed = False
        opening.refuse_unsafe_path(self.path)
        fresh = not self.path.exists()
        if fresh:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        elif self.path.stat().st_size == 0:
            opening.refuse_empty_with_backups(self.path)
        try:
            self._open_checked(fresh, check)
        except SchemaTooNew as exc:
            self._release()
            raise LibraryError(f"{self.path}: {exc}") from None
        except LibraryError:
            self._release()
            raise
        except sqlite3.Error as exc:
            self._release()
            if is_damage(exc):
                raise LibraryError(f"{self.path}: library file is damaged ({exc})", damaged=True) from None
            if primary_code(exc) in (SQLITE_BUSY, SQLITE_LOCKED):
                raise LibraryBusy(f"{self.path}: another paper-reader holds the library; try again") from None
            self._open_read_only(exc)

    def _open_checked(self, fresh: bool, check: bool = True) -> None:
        conn = self._conn()
        if not fresh and (check or opening.needs_migration(conn)):
            opening.quick_check(conn)
        else:
            self._unchecked = not fresh
        if opening.needs_migration(conn):
            opening.back_up_before_migrating(conn, self.path)
        self._while_busy(lambda: migrate(conn), self.wait_s)  # another process may be importing
        if not conn.execute("SELECT 1 FROM meta WHERE key = 'uuid'").fetchone():
            with self.transaction() as tx:
                tx.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('uuid', ?)", (str(uuidlib.uuid4()),))

    def check(self) -> None:
        """Run the quick_check that `open(check=False)` left out (once; other threads wait for it).

        Raises LibraryError(damaged=True) when the file is damaged, and again on every later
        write, so a damaged library is never written to.
        """
        with self._check_lock:
            if self._damage is not None:
                raise LibraryError(self._damage, damaged=True)
            if not self._unchecked:
                return
            try:
                opening.quick_check(self._conn())
            except sqlite3.Error as exc:
                if not is_damage(exc):
                    error = as_library_error(exc, self.path)
                    if error is exc:
                        raise
                    raise error from exc
                self._damage = f"{self.path}: library file is damaged ({exc})"
                raise LibraryError(self._damage, damaged=True) from None
            self._unchecked = False

    def _open_read_only(self, cause: sqlite3.Error) -> None:
        """Fall back to reading when the file cannot be written (full disk, read-only media)."""
        for mode in opening.read_only_modes(self.path):
            self.read_only = mode
            try:
                opening.quick_check(self._conn())
            except sqlite3.Error as exc:
                self._release()
                if is_damage(exc):
                    raise LibraryError(f"{self.path}: library file is damaged ({exc})", damaged=True) from None
                continue
            self.warning = (f"{self.path}: opened read-only, the disk is full or cannot be written ({cause});"
                            " changes cannot be saved")
            return
        self.read_only = False
        raise LibraryError(f"{self.path}: cannot open the library ({cause})")

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise LibraryError(f"{self.path}: the library is closed")
            conn = opening.connect(self.path, BUSY_SLICE_S, self.read_only)
            self._local.conn = conn
            with self._lock:
                self._connections.append((threading.current_thread(), conn))
        return conn

    def close(self) -> None:
        """Close every connection this library opened.

        A connection another live thread may be using (an index catch-up still running when
        the app quits) is interrupted, never freed under it: closing it there crashes SQLite.
        It closes when that thread lets go of it. No new connection opens after this.
        """
        with self._lock:
            self._closed = True
        self._release()

    def _release(self) -> None:
        """Let go of every connection (see close); opening again stays possible."""
        me = threading.current_thread()
        with self._lock:
            for owner, conn in self._connections:
                if owner is me or not owner.is_alive():
                    conn.close()
                else:
                    conn.interrupt()
            self._connections.clear()
        self._local = threading.local()

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (for dump/restore and backups, which read whole tables)."""
        return self._conn()

    @property
    def uuid(self) -> str | None:
        """This library's identity: made on first open, kept by migrations, new after a restore.

        A backup copy gets its own, so an index built for one library is never trusted for another.
        """
        row = self._conn().execute("SELECT value FROM meta WHERE key = 'uuid'").fetchone()
        return row[0] if row else None

    @contextmanager
    def waiting_at_most(self, seconds: float) -> Iterator[None]:
        """Writes from this thread wait at most `seconds` for the lock (then LibraryBusy).

        The app wraps its key-press writes in it, so a long import elsewhere never freezes the
        UI, while its own import worker (another thread) keeps waiting its turn.
        """
        previous = getattr(self._local, "wait_s", None)
        self._local.wait_s = seconds
        try:
            yield
        finally:
            self._local.wait_s = previous

    @contextmanager
    def transaction(self, wait_s: float | None = None) -> Iterator[sqlite3.Connection]:
        """One write transaction, all or nothing; waits for other writers (see the class).

        Raises LibraryBusy, LibraryFull, LibraryReadOnly or LibraryError; the write is then rolled
        back whole, never half-written.
        """
        if self.read_only:
            raise LibraryReadOnly(f"{self.path} is open read-only: not saved")
        self.check()  # at once when the open-time check already ran
        conn = self._conn()
        if wait_s is None:
            wait_s = getattr(self._local, "wait_s", None) or self.wait_s
        self._begin(conn, wait_s)
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error) and as_library_error(exc, self.path) is not exc:
                raise as_library_error(exc, self.path) from exc
            raise

    def _begin(self, conn: sqlite3.Connection, wait_s: float) -> None:
        """Take the write lock up front (BEGIN IMMEDIATE), waiting while another process holds it."""
        self._while_busy(lambda: conn.execute("BEGIN IMMEDIATE"), wait_s)

    def _while_busy(self, step: Callable[[], object], wait_s: float) -> None:
        """Run `step`, retrying while SQLite says another process holds the lock; LibraryBusy at `wait_s`."""
        started = time.monotonic()
        told = False
        while True:
            try:
                step()
                return
            except sqlite3.OperationalError as exc:
                waited = time.monotonic() - started
                if primary_code(exc) not in (SQLITE_BUSY, SQLITE_LOCKED):
                    raise as_library_error(exc, self.path) from exc
                if waited >= wait_s:
                    raise LibraryBusy("another paper-reader is writing to the library: not saved yet") from None
                if self.on_wait and not told and waited >= NOTICE_AFTER_S:
                    self.on_wait("waiting for another paper-reader to finish writing to the library…")
                    told = True

    @staticmethod
    def _next_seq(conn: sqlite3.Connection) -> int:
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'seq'")
        return int(conn.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0])

    # -- imports -----------------------------------------------------------------------------
    def import_result(self, result: ParseResult, progress: Progress | None = None) -> ImportReport:
        """Store one parsed digest in one transaction; importing the same bytes again is a no-op."""
        return self.import_entries(result.source, result.format, result.digest_date, result.content_hash,
                                   result.entries, lambda: result.skipped, progress,
                                   label=getattr(result, "label", None) or None)

    def import_stream(self, stream, progress: Progress | None = None) -> ImportReport:
        """Store a streamed digest (tui.parsing.digest.open_digest) entry by entry, in one transaction.

        Memory stays flat however long the digest is. A DigestError raised while reading
        (a NUL byte half-way, the file changing underneath) rolls the whole digest back.
        """
        return self.import_entries(stream.source, stream.format, stream.digest_date, stream.content_hash,
                                   stream.entries(), lambda: tuple(stream.skipped), progress,
                                   label=getattr(stream, "label", None) or None)

    def import_entries(self, source: str, fmt: str, digest_date: str | None, content_hash: str,
                       entries: Iterable[Paper], skipped: Callable[[], Sequence[Skipped]],
                       progress: Progress | None = None, label: str | None = None) -> ImportReport:
        """Store a digest's entries in one transaction; `skipped()` is read once they are consumed.

        `progress(done, 0)` is called every 1,000 entries. A digest with no complete entry is
        rolled back and reported as an error. Only the same content hash means "already imported".
        """
        if content_hash and self._imported(content_hash):
            return ImportReport(source, fmt, already_imported=True)
        try:
            with self.transaction() as conn:
                added, known = self._store_digest(conn, (source, fmt, digest_date, content_hash, label),
                                                  entries, skipped, progress)
        except sqlite3.IntegrityError as exc:
            if "digests.content_hash" not in str(exc):
                raise
            # Another process imported the same bytes between our check and our write.
            return ImportReport(source, fmt, already_imported=True)
        except _NothingToImport:
            return ImportReport(source, fmt, skipped=tuple(skipped()),
                                error=f"{source}: no complete entries found, nothing imported")
        return ImportReport(source, fmt, added, known, tuple(skipped()))

    def _imported(self, content_hash: str) -> bool:
        return self._conn().execute("SELECT 1 FROM digests WHERE content_hash = ?", (content_hash,)).fetchone() is not None

    def _store_digest(self, conn: sqlite3.Connection, digest: tuple, entries: Iterable[Paper],
                      skipped: Callable[[], Sequence[Skipped]], progress: Progress | None) -> tuple[int, int]:
        source, fmt, digest_date, content_hash, label = digest
        seq = self._next_seq(conn)
        imported_at = utc_now()
        digest_id = conn.execute(
            "INSERT INTO digests (name, content_hash, format, digest_date, imported_at, entries, skipped, label)"
            " VALUES (?, ?, ?, ?, ?, 0, 0, ?)",
            (source, content_hash or f"nohash:{seq}", fmt, digest_date, imported_at, label),
        ).lastrowid
        day = digest_date or imported_at[:10]
        added = position = 0
        for position, paper in enumerate(entries, start=1):
            stored_id, new = self._store_paper(conn, paper, seq)
            added += new
            conn.execute("INSERT OR IGNORE INTO sightings (paper_id, digest_id, position, announce)"
                         " VALUES (?, ?, ?, ?)", (stored_id, digest_id, position, paper.announce))
            first = (day, digest_id, position)
            conn.execute("UPDATE papers SET first_date = ?, first_digest = ?, first_position = ? WHERE id = ?"
                         " AND (first_date IS NULL OR (first_date, first_digest, first_position) > (?, ?, ?))",
                         (*first, stored_id, *first))
            if progress and position % 1000 == 0:
                progress(position, 0)
        if position == 0:
            raise _NothingToImport()
        conn.execute("UPDATE digests SET entries = ?, skipped = ? WHERE id = ?",
                     (position, len(skipped()), digest_id))
        return added, position - added

    def _store_paper(self, conn: sqlite3.Connection, paper: Paper, seq: int) -> tuple[str, bool]:
        """Insert a new paper or merge what this sighting adds; returns (stored id, was it new)."""
        row = find_row(conn, paper)
        if row is None:
            return insert_paper(conn, paper, seq, utc_now()), True
        changes = merge(row, paper)
        if changes:
            sets = ", ".join(f"{column} = ?" for column in changes)
            conn.execute(f"UPDATE papers SET {sets}, seq = ? WHERE id = ?", (*changes.values(), seq, row["id"]))
        return row["id"], False

    def stored_id(self, paper: Paper) -> str | None:
        """The id under which the library holds a parsed entry (by arXiv id, else title), if any."""
        row = find_row(self._conn(), paper)
        return row["id"] if row else None

    # -- user state --------------------------------------------------------------------------
    def set_starred(self, paper_id: str, starred: bool) -> int:
        """Star or unstar a paper; returns the change sequence number."""
        return self.apply([Change(paper_id, "starred", starred)])

    def set_note(self, paper_id: str, note: str, expected: str | None = None) -> int:
        """Replace the paper's note (empty string removes it).

        With `expected` (the note as the writer loaded it), raises ChangedElsewhere and writes
        nothing when the stored note is neither that nor `note`: someone else saved in between.
        """
        def unchanged(conn: sqlite3.Connection) -> None:
            row = conn.execute("SELECT note, note_at FROM papers WHERE id = ?", (paper_id,)).fetchone()
            if row is not None and row[0] not in (expected, note):
                raise ChangedElsewhere(row[0], row[1])
        return self.apply([Change(paper_id, "note", note)], check=None if expected is None else unchanged)

    def set_status(self, paper_id: str, status: str) -> int:
        """Move a paper to one of STATUSES (new, kept, dismissed, read); this ends "later"."""
        if status not in set(Status):
            raise ValueError(f"unknown status {status!r}")
        return self.apply([Change(paper_id, "status", status)])

    def set_later(self, paper_id: str, later: bool = True) -> int:
        """Put a paper off: the Inbox lists it after every other new paper, until it is decided."""
        return self.apply([Change(paper_id, "later", later)])

    def apply(self, changes: Sequence[Change], check: Callable[[sqlite3.Connection], None] | None = None) -> int:
        """Write changes (one user action, however many papers) as one undoable step; returns the seq.

        `check(conn)` runs first inside the same transaction (the write lock held): raising
        there writes nothing, so a precondition cannot race another process.
        """
        with self.transaction() as conn:
            if check is not None:
                check(conn)
            seq = self._next_seq(conn)
            apply_changes(conn, list(changes), seq, utc_now())
        return seq

    def undo(self) -> Undone | None:
        """Take back the newest step not yet undone (persisted: it works after a restart too)."""
        with self.transaction() as conn:
            seq = self._next_seq(conn)
            done = undo_last(conn, seq, utc_now())
            if done is None:
                conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) - 1 WHERE key = 'seq'")
        return done

    def tags(self) -> list[tuple[str, int]]:
        """Every tag with how many papers carry it, most used first."""
        return [(row[0], row[1]) for row in self._conn().execute(
            "SELECT tag, COUNT(*) FROM tags GROUP BY tag ORDER BY COUNT(*) DESC, tag")]

    def tagged(self, tag: str) -> list[str]:
        """Ids of the papers carrying a tag."""
        return [row[0] for row in self._conn().execute("SELECT paper_id FROM tags WHERE tag = ? ORDER BY paper_id",
                                                        (clean_tag(tag),))]

    def rename_tag(self, old: str, new: str) -> int:
        """Rename (or merge) a tag across the library as one undoable step; returns how many papers moved."""
        old, new = clean_tag(old), clean_tag(new)
        ids = self.tagged(old)
        if not ids or old == new:
            return 0
        self.apply([Change(i, TAG_REMOVE, old) for i in ids] + [Change(i, TAG_ADD, new) for i in ids])
        return len(ids)

    def delete_tag(self, tag: str) -> int:
        """Remove a tag from every paper as one undoable step; returns how many papers lost it."""
        ids = self.tagged(tag)
        if ids:
            self.apply([Change(i, TAG_REMOVE, clean_tag(tag)) for i in ids])
        return len(ids)

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
            tags = tags_of(self._conn(), chunk)
            out.update((row["id"], paper_from_row(row, seen.get(row["id"], ()), tags.get(row["id"], ()))) for row in rows)
        return out

    def _sightings(self, ids: list[str]) -> dict[str, tuple[Sighting, ...]]:
        marks = ",".join("?" * len(ids))
        rows = self._conn().execute(
            "SELECT s.paper_id, COALESCE(d.label, d.name), s.position, d.digest_date, s.announce FROM sightings s"
            f" JOIN digests d ON d.id = s.digest_id WHERE s.paper_id IN ({marks})"
            " ORDER BY s.digest_id, s.position",
            ids,
        ).fetchall()
        out: dict[str, list[Sighting]] = {}
        for row in rows:
            out.setdefault(row[0], []).append(Sighting(row[1], row[2], row[3], row[4]))
        return {key: tuple(value) for key, value in out.items()}

    def list_ids(self, flags: Sequence[str] = (), order: str = View.ALL, sort: str = Sort.RELEVANCE,
                 limit: int | None = None, offset: int = 0, digest: int | None = None) -> list[str]:
        """Ids of the papers matching every filter flag (`is:new`, `-has:note`, ...) in `order`'s order.

        This one listing serves the views (a view is a set of flags) and filter-only
        queries, so the Inbox and `is:new` show the same papers in the same order.
        `order` names the view whose natural order applies when `sort` is relevance.
        With `digest`, only that digest's papers, in its own order (position) by relevance.
        """
        order_by = listing_order(order, sort)
        condition, args = self._in_digest(flags, digest)
        if digest is not None and sort == Sort.RELEVANCE:
            order_by = ("(SELECT MIN(s.position) FROM sightings s WHERE s.paper_id = p.id AND s.digest_id = ?)"
                        + (", p.later_at IS NOT NULL, p.later_at" if order == View.INBOX else ""))
            args = (*args, digest)
        sql = f"SELECT p.id FROM papers p WHERE {condition} ORDER BY {order_by}"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return [row[0] for row in self._conn().execute(sql, args)]

    @staticmethod
    def _in_digest(flags: Sequence[str], digest: int | None) -> tuple[str, tuple]:
        condition, args = where(flags)
        if digest is None:
            return condition, args
        # SQLite must start from the digest's few hundred sightings (their digest index), not from
        # every paper the flags let through: so IN rather than a correlated EXISTS, and the flags
        # as `(...) IS 1`, which no index serves (same truth; else `status = 'new'` drives the
        # plan). At 100,000 new papers one digest's listing went from ~170 ms to ~1.5 ms.
        return (f"({condition}) IS 1 AND p.id IN (SELECT s.paper_id FROM sightings s WHERE s.digest_id = ?)",
                (*args, int(digest)))

    def queue(self, digest: int | None = None) -> list[tuple[str, int | None]]:
        """The triage queue: every new paper (of one digest, or the whole Inbox) in Inbox order,
        each with the digest it belongs to in the queue (where it was first seen, or `digest`)."""
        if digest is None:
            condition, args = where(View.INBOX.flags)
            sql = f"SELECT p.id, p.first_digest FROM papers p WHERE {condition} ORDER BY {ORDER[(View.INBOX, Sort.RELEVANCE)]}"
            return [(row[0], row[1]) for row in self._conn().execute(sql, args)]
        return [(paper_id, digest) for paper_id in self.list_ids(View.INBOX.flags, View.INBOX, digest=digest)]

    def first_digest_of(self, paper_id: str) -> int | None:
        """The digest a paper was first seen in."""
        row = self._conn().execute("SELECT first_digest FROM papers WHERE id = ?", (paper_id,)).fetchone()
        return row[0] if row else None

    def next_undo(self) -> tuple[int, list[str]] | None:
        """The step an undo would take back, and the papers it touches (None when nothing is left)."""
        row = self._conn().execute("SELECT MAX(step) FROM events WHERE undone = 0").fetchone()
        if row is None or row[0] is None:
            return None
        ids = [r[0] for r in self._conn().execute(
            "SELECT DISTINCT paper_id FROM events WHERE step = ? AND undone = 0", (row[0],))]
        return row[0], ids

    def any_where(self, flags: Sequence[str] = ()) -> bool:
        """Whether any paper matches every filter flag (stops at the first)."""
        condition, args = where(flags)
        return self._conn().execute(f"SELECT 1 FROM papers p WHERE {condition} LIMIT 1", args).fetchone() is not None

    def count_where(self, flags: Sequence[str] = (), digest: int | None = None) -> int:
        """How many papers match every filter flag (in one digest, with `digest`)."""
        condition, args = self._in_digest(flags, digest)
        return self._conn().execute(f"SELECT COUNT(*) FROM papers p WHERE {condition}", args).fetchone()[0]

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

    def listing_columns(self, columns: Sequence[str], flags: Sequence[str] = (), order: str = View.ALL,
                        batch: int = 500) -> Iterator[list[tuple]]:
        """Some `papers` columns of what `list_ids(flags, order)` lists, in its order, `batch` rows at a time.

        One statement reads them all as plain tuples: one snapshot, no look-up by id and no
        Paper built, for exports that need a few columns of every paper (the Markdown export
        of 100k papers read them in 0.2 s instead of 4 s). A column the library lacks (a file
        not yet migrated, opened read-only) reads as NULL.
        """
        conn = self._conn()
        present = {row[1] for row in conn.execute("PRAGMA table_info(papers)")}
        select = ", ".join(f"p.{name}" if name in present else "NULL" for name in columns)
        condition, args = where(flags)
        cursor = conn.cursor()
        cursor.row_factory = None
        try:
            cursor.execute(f"SELECT {select} FROM papers p WHERE {condition} ORDER BY {listing_order(order)}", args)
            while rows := cursor.fetchmany(batch):
                yield rows
        finally:
            cursor.close()

    def changed_since(self, seq: int) -> list[Paper]:
        """Papers written after change `seq` (for the index to catch up)."""
        return list(self.get_many(self.changed_ids_since(seq)).values())

    def changed_ids_since(self, seq: int) -> list[str]:
        """The ids of the papers written after change `seq`."""
        return [r[0] for r in self._conn().execute("SELECT id FROM papers WHERE seq > ?", (seq,))]

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
        sql = "SELECT paper_id, kind, value, previous, at, step, undone FROM events"
        args: tuple = ()
        if paper_id:
            sql, args = sql + " WHERE paper_id = ?", (paper_id,)
        return [dict(row) for row in self._conn().execute(sql + " ORDER BY id", args)]

    def digests(self) -> list[DigestInfo]:
        """Every imported digest, newest first (by its date, else the day it was imported), with its
        label (else file name) and papers still new."""
        rows = self._conn().execute(
            "SELECT d.id, COALESCE(d.label, d.name), d.name, d.format, d.digest_date, d.imported_at, d.entries,"
            " (SELECT COUNT(DISTINCT s.paper_id) FROM sightings s JOIN papers p ON p.id = s.paper_id"
            "  WHERE s.digest_id = d.id AND p.status = 'new')"
            " FROM digests d ORDER BY COALESCE(d.digest_date, substr(d.imported_at, 1, 10)) DESC, d.id DESC"
        ).fetchall()
        return [DigestInfo(*row) for row in rows]

    # -- saved searches and watch lists (SQL in tui.library.lists) -----------------------------
    def saved_searches(self) -> list[SavedSearch]:
        """Every saved search in the order of its number keys."""
        return lists.saved_searches(self._conn())

    def saved_search(self, name: str) -> SavedSearch | None:
        """One saved search by name (any case), or None."""
        return lists.saved_search(self._conn(), name)

    def add_saved_search(self, name: str, query: str, sort: str = Sort.RELEVANCE) -> SavedSearch:
        """Save a query and its sort under a new name (ListError if taken or empty)."""
        with self.transaction() as conn:
            return lists.add_saved(conn, name, query, str(sort), utc_now(), self.current_seq())

    def update_saved_search(self, name: str, new_name: str | None = None, query: str | None = None,
                            sort: str | None = None) -> SavedSearch:
        """Rename a saved search or change its query or sort."""
        with self.transaction() as conn:
            return lists.update_saved(conn, name, new_name, query, None if sort is None else str(sort))

    def delete_saved_search(self, name: str) -> SavedSearch:
        """Delete a saved search; returns what it was."""
        with self.transaction() as conn:
            return lists.delete_saved(conn, name)

    def open_saved_search(self, name: str) -> SavedSearch:
        """Record the opening of a saved search (now, at the current change): nothing is new in it."""
        with self.transaction() as conn:
            return lists.mark_opened(conn, name, utc_now(), self.current_seq())

    def new_since_ids(self, seq: int, opened_at: str | None) -> list[str]:
        """Papers seen in a digest imported since `opened_at` and changed after `seq`."""
        return lists.new_since_ids(self._conn(), seq, opened_at)

    def watches(self) -> list[Watch]:
        """Every watched author and keyword."""
        return lists.watches(self._conn())

    def add_watch(self, kind: str, text: str) -> tuple[Watch, bool]:
        """Watch an author or a keyword; returns (the watch, whether it was not watched before)."""
        with self.transaction() as conn:
            return lists.add_watch(conn, kind, text, utc_now())

    def delete_watch(self, kind: str | None, text: str) -> Watch:
        """Stop watching an author or keyword (or a watch by its id)."""
        with self.transaction() as conn:
            return lists.delete_watch(conn, kind, text)
