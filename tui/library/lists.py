"""Saved searches and watch lists as the library stores them (SQL only; the index counts matches).

A saved search is a query and its sort under a unique name, with when it was last opened
(`opened_at`, and the change sequence `opened_seq` at that moment), so "new since you last
opened it" is the matches an import wrote after that. A watch is an author
(`author:"Name"`) or a keyword query; the pair (kind, query) is unique.
"""

from __future__ import annotations

import sqlite3

from tui.records import SavedSearch, Watch
from tui.textsafe import one_line

#: Longest name of a saved search and longest query it or a watch may hold.
NAME_LIMIT = 40
QUERY_LIMIT = 2000
WATCH_KINDS = ("author", "keyword")
SORTS = ("relevance", "newest", "upvotes")

#: Papers written after `opened_seq` by an import, not by the user: a paper starred, noted or
#: triaged since `opened_at` is no news (imports write no events; every user change does).
NEW_SINCE_SQL = (
    "p.seq > ? AND NOT EXISTS (SELECT 1 FROM events e WHERE e.paper_id = p.id AND e.at >= ?)"
)


class ListError(ValueError):
    """A name, query or kind that cannot be stored, or one that does not exist; one line."""


def clean_name(name: str) -> str:
    """A saved search's name as stored: one line, trimmed, not empty, not too long."""
    text = one_line(name or "").strip()
    if not text:
        raise ListError("a saved search needs a name")
    if len(text) > NAME_LIMIT:
        raise ListError(f"a saved search's name is at most {NAME_LIMIT} characters")
    return text


def clean_query(query: str) -> str:
    """A query as stored: one line, trimmed, not empty."""
    text = " ".join((query or "").split())
    if not text:
        raise ListError("the query is empty")
    if len(text) > QUERY_LIMIT:
        raise ListError(f"a query is at most {QUERY_LIMIT} characters")
    return text


def author_query(name: str) -> str:
    """The query of an author watch: the name as a phrase in the authors field."""
    text = " ".join(one_line(name or "").replace('"', " ").split())
    if not text:
        raise ListError("an author watch needs a name")
    return f'author:"{text}"'


def _saved(row: sqlite3.Row | tuple) -> SavedSearch:
    name, query, sort, position, created_at, opened_at, opened_seq = tuple(row)
    return SavedSearch(name, query, sort if sort in SORTS else "relevance", position, created_at, opened_at,
                       opened_seq or 0)


_SAVED_COLUMNS = "name, query, sort, position, created_at, opened_at, opened_seq"


def saved_searches(conn: sqlite3.Connection) -> list[SavedSearch]:
    """Every saved search in its place order (the order of its number keys)."""
    return [_saved(row) for row in conn.execute(
        f"SELECT {_SAVED_COLUMNS} FROM saved_searches ORDER BY position, created_at, name")]


def saved_search(conn: sqlite3.Connection, name: str) -> SavedSearch | None:
    """One saved search by name (names compare without regard to case)."""
    row = conn.execute(f"SELECT {_SAVED_COLUMNS} FROM saved_searches WHERE name = ? COLLATE NOCASE",
                       (name,)).fetchone()
    return _saved(row) if row else None


def add_saved(conn: sqlite3.Connection, name: str, query: str, sort: str, now: str, seq: int) -> SavedSearch:
    """Save a new search at the end of the list; it counts as opened now. ListError if the name is taken."""
    name, query = clean_name(name), clean_query(query)
    if sort not in SORTS:
        raise ListError(f"unknown sort {sort!r} (relevance, newest or upvotes)")
    if saved_search(conn, name) is not None:
        raise ListError(f"a saved search called {name!r} exists already")
    position = conn.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM saved_searches").fetchone()[0]
    conn.execute("INSERT INTO saved_searches (name, query, sort, position, created_at, opened_at, opened_seq)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?)", (name, query, sort, position, now, now, seq))
    return SavedSearch(name, query, sort, position, now, now, seq)


def update_saved(conn: sqlite3.Connection, name: str, new_name: str | None = None, query: str | None = None,
                 sort: str | None = None) -> SavedSearch:
    """Rename a saved search, or change its query or sort; ListError when it does not exist."""
    found = _existing(conn, name)
    target = clean_name(new_name) if new_name is not None else found.name
    if target.lower() != found.name.lower() and saved_search(conn, target) is not None:
        raise ListError(f"a saved search called {target!r} exists already")
    text = clean_query(query) if query is not None else found.query
    order = sort if sort is not None else found.sort
    if order not in SORTS:
        raise ListError(f"unknown sort {order!r} (relevance, newest or upvotes)")
    conn.execute("UPDATE saved_searches SET name = ?, query = ?, sort = ? WHERE name = ?",
                 (target, text, order, found.name))
    return saved_search(conn, target)


def delete_saved(conn: sqlite3.Connection, name: str) -> SavedSearch:
    """Delete a saved search; returns it. ListError when it does not exist."""
    found = _existing(conn, name)
    conn.execute("DELETE FROM saved_searches WHERE name = ?", (found.name,))
    return found


def mark_opened(conn: sqlite3.Connection, name: str, now: str, seq: int) -> SavedSearch:
    """Record that a saved search was opened now: its "new" count starts again from zero."""
    found = _existing(conn, name)
    conn.execute("UPDATE saved_searches SET opened_at = ?, opened_seq = ? WHERE name = ?", (now, seq, found.name))
    return saved_search(conn, found.name)


def _existing(conn: sqlite3.Connection, name: str) -> SavedSearch:
    found = saved_search(conn, name)
    if found is None:
        raise ListError(f"no saved search called {one_line(name)!r}")
    return found


def new_since_ids(conn: sqlite3.Connection, seq: int, opened_at: str | None) -> list[str]:
    """Ids of the papers new since a saved search was opened (see NEW_SINCE_SQL)."""
    return [row[0] for row in conn.execute(f"SELECT p.id FROM papers p WHERE {NEW_SINCE_SQL}",
                                           (seq, opened_at or ""))]


def watches(conn: sqlite3.Connection) -> list[Watch]:
    """Every watch: authors first, then keywords, each in the order they were added."""
    return [Watch(*row) for row in conn.execute(
        "SELECT id, kind, query, created_at FROM watches ORDER BY kind, id")]


def add_watch(conn: sqlite3.Connection, kind: str, text: str, now: str) -> tuple[Watch, bool]:
    """Watch an author (by name) or a keyword (any query); returns (the watch, whether it is new)."""
    if kind not in WATCH_KINDS:
        raise ListError(f"a watch is an author or a keyword, not {one_line(kind)!r}")
    query = author_query(text) if kind == "author" else clean_query(text)
    row = conn.execute("SELECT id, kind, query, created_at FROM watches WHERE kind = ? AND query = ? COLLATE NOCASE",
                       (kind, query)).fetchone()
    if row is not None:
        return Watch(*row), False
    watch_id = conn.execute("INSERT INTO watches (kind, query, created_at) VALUES (?, ?, ?)",
                            (kind, query, now)).lastrowid
    return Watch(watch_id, kind, query, now), True


def delete_watch(conn: sqlite3.Connection, kind: str | None, text: str) -> Watch:
    """Stop watching: by id (`kind` None and `text` a number), or by kind and name/query."""
    if kind is None and str(text).isdigit():
        row = conn.execute("SELECT id, kind, query, created_at FROM watches WHERE id = ?", (int(text),)).fetchone()
    else:
        if kind not in WATCH_KINDS:
            raise ListError(f"a watch is an author or a keyword, not {one_line(str(kind))!r}")
        query = author_query(text) if kind == "author" else clean_query(text)
        row = conn.execute("SELECT id, kind, query, created_at FROM watches WHERE kind = ? AND query = ?"
                           " COLLATE NOCASE", (kind, query)).fetchone()
    if row is None:
        raise ListError(f"not watching {one_line(str(text))!r}")
    conn.execute("DELETE FROM watches WHERE id = ?", (row[0],))
    return Watch(*row)
