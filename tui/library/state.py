"""The user's state as changes: every star, status, note, "later" and tag is one event in a step.

One user action (a key press, a bulk decision, renaming a tag across the library) writes one
step, in one transaction. Undo takes back the newest step not yet undone, whole, and the
history lives in the library file, so it survives a restart.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Callable

from tui.vocabulary import Status

#: A change's kind -> (papers column it writes, the column stamped with its time).
COLUMNS = {
    "starred": ("starred", "starred_at"),
    "note": ("note", "note_at"),
    "status": ("status", "status_at"),
    "later": ("later_at", None),
}
_ROW_INDEX = {"starred": 0, "note": 1, "status": 2, "later_at": 3}
TAG_ADD, TAG_REMOVE = "tag+", "tag-"
KINDS = frozenset(COLUMNS) | {TAG_ADD, TAG_REMOVE}
#: Longest tag name, and the characters a tag may not hold (they would break `tag:NAME`).
TAG_LIMIT = 60
_TAG_FORBIDDEN = set(' \t\r\n"():,')


@dataclass(frozen=True)
class Change:
    """One change to one paper: star ("1"/"0"), status, note text, later (True/False) or a tag."""

    paper_id: str
    kind: str
    value: object


@dataclass(frozen=True)
class Undone:
    """What an undo took back: how many changes, of which kinds, to which papers."""

    step: int
    kinds: tuple[str, ...]
    paper_ids: tuple[str, ...]
    changes: int
    #: Each distinct (kind, value) the step had written, in writing order (`("tag+", "gnn")`).
    values: tuple[tuple[str, str | None], ...] = ()


class TagError(ValueError):
    """A tag name that cannot be stored; the message says why in one line."""


def clean_tag(name: str) -> str:
    """A tag as stored: trimmed, lower case, no spaces or query punctuation; raises TagError."""
    tag = (name or "").strip().lower()
    if not tag:
        raise TagError("a tag needs a name")
    if len(tag) > TAG_LIMIT:
        raise TagError(f"a tag is at most {TAG_LIMIT} characters")
    bad = sorted({c for c in tag if c in _TAG_FORBIDDEN or not c.isprintable()})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        raise TagError(f"a tag cannot hold {shown}")
    return tag


def apply_changes(conn: sqlite3.Connection, changes: list[Change], seq: int, now: str) -> tuple[int, int]:
    """Write every change as one step inside the caller's transaction; returns (step, changes written).

    A change that changes nothing (starring a starred paper) writes no event. A status change
    also ends "later". Raises KeyError for an unknown paper, ValueError for an unknown kind.
    """
    step = _next_step(conn)
    written = 0
    for change in changes:
        if change.kind not in KINDS:
            raise ValueError(f"unknown change {change.kind!r}")
        row = conn.execute("SELECT starred, note, status, later_at FROM papers WHERE id = ?",
                           (change.paper_id,)).fetchone()
        if row is None:
            raise KeyError(change.paper_id)
        if change.kind in (TAG_ADD, TAG_REMOVE):
            written += _tag(conn, change, step, seq, now)
            continue
        column, stamp = COLUMNS[change.kind]
        value = _stored(change, now)
        previous = row[_ROW_INDEX[column]]
        if value == previous:
            continue
        sets = f"{column} = ?" + (f", {stamp} = ?" if stamp else "")
        args: tuple = (value, now) if stamp else (value,)
        if change.kind == "status":
            sets += ", later_at = NULL"
        conn.execute(f"UPDATE papers SET {sets}, seq = ? WHERE id = ?", (*args, seq, change.paper_id))
        _event(conn, change.paper_id, change.kind, value, previous, now, step)
        if change.kind == "status" and row[3] is not None:
            _event(conn, change.paper_id, "later", None, row[3], now, step)  # undo brings "later" back too
        written += 1
    return step, written


def _stored(change: Change, now: str) -> object:
    if change.kind == "starred":
        return int(bool(change.value) and change.value != "0")
    if change.kind == "status":
        if change.value not in set(Status):
            raise ValueError(f"unknown status {change.value!r}")
        return str(change.value)
    if change.kind == "later":
        return now if change.value else None
    return str(change.value)


def _tag(conn: sqlite3.Connection, change: Change, step: int, seq: int, now: str) -> int:
    tag = clean_tag(str(change.value))
    if change.kind == TAG_ADD:
        done = conn.execute("INSERT OR IGNORE INTO tags (paper_id, tag, at) VALUES (?, ?, ?)",
                            (change.paper_id, tag, now)).rowcount
    else:
        done = conn.execute("DELETE FROM tags WHERE paper_id = ? AND tag = ?", (change.paper_id, tag)).rowcount
    if done:
        conn.execute("UPDATE papers SET seq = ? WHERE id = ?", (seq, change.paper_id))
        _event(conn, change.paper_id, change.kind, tag, None, now, step)
    return done


def _event(conn: sqlite3.Connection, paper_id: str, kind: str, value: object, previous: object, now: str,
           step: int) -> None:
    conn.execute(
        "INSERT INTO events (paper_id, kind, value, previous, at, step) VALUES (?, ?, ?, ?, ?, ?)",
        (paper_id, kind, None if value is None else str(value), None if previous is None else str(previous), now, step),
    )


def _next_step(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT MAX(COALESCE(step, id)) FROM events").fetchone()
    return (row[0] or 0) + 1


def undo_last(conn: sqlite3.Connection, seq: int, now: str) -> Undone | None:
    """Take back the newest step not yet undone, inside the caller's transaction; None when none is left."""
    row = conn.execute("SELECT MAX(step) FROM events WHERE undone = 0").fetchone()
    if row is None or row[0] is None:
        return None
    step = row[0]
    events = conn.execute("SELECT id, paper_id, kind, value, previous FROM events WHERE step = ? AND undone = 0"
                          " ORDER BY id DESC", (step,)).fetchall()
    for _id, paper_id, kind, value, previous in events:
        _revert(conn, paper_id, kind, value, previous, seq, now)
    conn.execute("UPDATE events SET undone = 1 WHERE step = ?", (step,))
    kinds = tuple(dict.fromkeys(e[2] for e in reversed(events)))  # in the order they were made
    papers = tuple(dict.fromkeys(e[1] for e in reversed(events)))
    values = tuple(dict.fromkeys((e[2], e[3]) for e in reversed(events)))
    return Undone(step, kinds, papers, len(events), values)


_REVERT: dict[str, Callable[[str | None], tuple[str, tuple]]] = {
    "starred": lambda previous: ("starred = ?", (int(previous or 0),)),
    "note": lambda previous: ("note = ?", (previous or "",)),
    "status": lambda previous: ("status = ?", (previous or Status.NEW,)),
    "later": lambda previous: ("later_at = ?", (previous,)),
}


def _revert(conn: sqlite3.Connection, paper_id: str, kind: str, value: str | None, previous: str | None,
            seq: int, now: str) -> None:
    if kind == TAG_ADD:
        conn.execute("DELETE FROM tags WHERE paper_id = ? AND tag = ?", (paper_id, value))
    elif kind == TAG_REMOVE:
        conn.execute("INSERT OR IGNORE INTO tags (paper_id, tag, at) VALUES (?, ?, ?)", (paper_id, value, now))
    elif kind in _REVERT:
        sets, args = _REVERT[kind](previous)
        conn.execute(f"UPDATE papers SET {sets} WHERE id = ?", (*args, paper_id))
    conn.execute("UPDATE papers SET seq = ? WHERE id = ?", (seq, paper_id))


def tags_of(conn: sqlite3.Connection, ids: list[str]) -> dict[str, tuple[str, ...]]:
    """Each paper's tags, sorted."""
    marks = ",".join("?" * len(ids))
    out: dict[str, list[str]] = {}
    for paper_id, tag in conn.execute(f"SELECT paper_id, tag FROM tags WHERE paper_id IN ({marks}) ORDER BY tag", ids):
        out.setdefault(paper_id, []).append(tag)
    return {key: tuple(value) for key, value in out.items()}
