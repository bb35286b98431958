"""The library's SQLite schema and its migrations, keyed by `PRAGMA user_version`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

#: Where each paper was first seen: the earliest digest by its date (else its import day), then
#: import order, then position. Run by the migration to 3 and again after a restore.
FIRST_SEEN_SQL = (
    "UPDATE papers SET (first_date, first_digest, first_position) = ("
    " SELECT COALESCE(d.digest_date, substr(d.imported_at, 1, 10)), s.digest_id, s.position"
    " FROM sightings s JOIN digests d ON d.id = s.digest_id"
    " WHERE s.paper_id = papers.id ORDER BY 1, 2, 3 LIMIT 1)"
)

#: Each entry migrates the schema from version i to i + 1. Append, never edit.
MIGRATIONS: tuple[str | Callable[[sqlite3.Connection], None], ...] = (
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta (key, value) VALUES ('seq', '0');
    CREATE TABLE papers (
        id TEXT PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        abstract TEXT NOT NULL DEFAULT '',
        authors TEXT NOT NULL DEFAULT '[]',
        author_count INTEGER,
        orgs TEXT NOT NULL DEFAULT '[]',
        date TEXT,
        upvotes INTEGER,
        category TEXT,
        has_code INTEGER,
        links TEXT NOT NULL DEFAULT '[]',
        added_at TEXT NOT NULL,
        starred INTEGER NOT NULL DEFAULT 0,
        starred_at TEXT,
        note TEXT NOT NULL DEFAULT '',
        note_at TEXT,
        status TEXT NOT NULL DEFAULT 'new'
            CHECK (status IN ('new', 'kept', 'dismissed', 'read')),
        status_at TEXT,
        seq INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX papers_seq ON papers (seq);
    CREATE INDEX papers_status ON papers (status);
    CREATE TABLE digests (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        content_hash TEXT NOT NULL UNIQUE,
        format TEXT NOT NULL,
        digest_date TEXT,
        imported_at TEXT NOT NULL,
        entries INTEGER NOT NULL,
        skipped INTEGER NOT NULL
    );
    CREATE TABLE sightings (
        paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        digest_id INTEGER NOT NULL REFERENCES digests (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        PRIMARY KEY (paper_id, digest_id, position)
    );
    CREATE INDEX sightings_digest ON sightings (digest_id, position);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        value TEXT,
        previous TEXT,
        at TEXT NOT NULL
    );
    CREATE INDEX events_paper ON events (paper_id);
    """,
    # 1 -> 2: what arXiv listings carry, the arXiv id as identity, announce types and digest labels.
    """
    ALTER TABLE papers ADD COLUMN arxiv_id TEXT;
    ALTER TABLE papers ADD COLUMN version INTEGER;
    ALTER TABLE papers ADD COLUMN announce TEXT;
    ALTER TABLE papers ADD COLUMN categories TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE papers ADD COLUMN doi TEXT;
    ALTER TABLE papers ADD COLUMN journal_ref TEXT;
    ALTER TABLE papers ADD COLUMN comments TEXT;
    CREATE UNIQUE INDEX papers_arxiv_id ON papers (arxiv_id) WHERE arxiv_id IS NOT NULL;
    ALTER TABLE sightings ADD COLUMN announce TEXT;
    ALTER TABLE digests ADD COLUMN label TEXT;
    """,
    # 2 -> 3: where each paper was first seen (the Inbox's order, kept on the row so listing it
    # reads one index), "later" that sends a paper to the end of the queue, tags, saved searches,
    # watch lists, and undo steps (the events one user action wrote share a step).
    """
    ALTER TABLE papers ADD COLUMN first_date TEXT;
    ALTER TABLE papers ADD COLUMN first_digest INTEGER;
    ALTER TABLE papers ADD COLUMN first_position INTEGER;
    ALTER TABLE papers ADD COLUMN later_at TEXT;
    ALTER TABLE papers ADD COLUMN submitter TEXT;
    {first_seen};
    CREATE INDEX papers_first_seen ON papers (first_date, first_digest, first_position);
    CREATE TABLE tags (
        paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (paper_id, tag)
    );
    CREATE INDEX tags_tag ON tags (tag);
    CREATE TABLE saved_searches (
        name TEXT PRIMARY KEY,
        query TEXT NOT NULL,
        sort TEXT NOT NULL DEFAULT 'relevance',
        position INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        opened_at TEXT,
        opened_seq INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE watches (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('author', 'keyword')),
        query TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (kind, query)
    );
    ALTER TABLE events ADD COLUMN step INTEGER;
    ALTER TABLE events ADD COLUMN undone INTEGER NOT NULL DEFAULT 0;
    UPDATE events SET step = id;
    CREATE INDEX events_step ON events (step)
    """.format(first_seen=FIRST_SEEN_SQL),
    # 3 -> 4: one index per listing order (reading.ORDER, expressions and all), so a view's
    # first page reads 100 index entries instead of sorting the library: 60-90 ms -> under 1 ms
    # at 100k papers. The Inbox's leads with status, its one filter.
    """
    CREATE INDEX papers_inbox_order ON papers (status, later_at IS NOT NULL, later_at,
        first_date IS NULL, first_date, first_digest, first_position);
    CREATE INDEX papers_all_order ON papers (first_date IS NULL, first_date DESC, first_digest DESC, first_position);
    CREATE INDEX papers_starred_order ON papers (starred_at DESC, id) WHERE starred = 1;
    CREATE INDEX papers_newest_order ON papers (date IS NULL, date DESC,
        first_date IS NULL, first_date DESC, first_digest DESC, first_position);
    CREATE INDEX papers_upvotes_order ON papers (COALESCE(upvotes, -1) DESC, date DESC, id)
    """,
    # 4 -> 5: `submitter` joined step 3 after libraries had been made at schema 3 without it
    # (their imports failed: "table papers has no column named submitter"). Added where missing.
    lambda conn: _add_missing_columns(conn, "papers", {"submitter": "TEXT"}),
)


def _add_missing_columns(conn: sqlite3.Connection, table: str, columns: dict[str, str]) -> None:
    """ALTER TABLE ... ADD COLUMN for each of `columns` the table does not have yet."""
    present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    for name, kind in columns.items():
        if name not in present:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")

SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(Exception):
    """The library was written by a newer paper-reader; refusing to touch it."""


def schema_version(conn: sqlite3.Connection) -> int:
    """The schema version a library file is at (0 for a brand-new file)."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema up to SCHEMA_VERSION, one transaction per step."""
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"library schema {version} is newer than this paper-reader understands ({SCHEMA_VERSION})"
        )
    for step in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            change = MIGRATIONS[step]
            if callable(change):
                change(conn)
            else:
                for statement in change.split(";"):
                    if statement.strip():
                        conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
