"""Which stored paper a digest entry is, and what a new sighting of it changes.

A paper is its arXiv id when one is known, else its normalised title. An entry first met
without an id (HF page text) and later with one (RSS) is one paper: the title finds it and
the id is recorded. Replacements update the version and date but never bring a paper back
to the Inbox; a replacement of a paper never seen before is stored without entering it.
"""

from __future__ import annotations

import json
import sqlite3

from tui.records import Paper, id_candidates
from tui.vocabulary import Status

REPLACEMENTS = frozenset({"replace", "replace-cross"})

_INSERT_COLUMNS = ("id", "key", "title", "abstract", "authors", "author_count", "orgs", "date", "upvotes",
                   "category", "has_code", "links", "added_at", "seq", "status", "arxiv_id", "version",
                   "announce", "categories", "doi", "journal_ref", "comments", "submitter")


def find_row(conn: sqlite3.Connection, paper: Paper) -> sqlite3.Row | None:
    """The stored paper this entry is, or None when it is a new one."""
    if paper.arxiv_id:
        row = conn.execute("SELECT * FROM papers WHERE arxiv_id = ?", (paper.arxiv_id,)).fetchone()
        if row is not None:
            return row
    row = conn.execute("SELECT * FROM papers WHERE key = ?", (paper.key,)).fetchone()
    if row is None or not paper.arxiv_id or row["arxiv_id"] in (None, paper.arxiv_id):
        return row
    return None  # the same title, but another arXiv paper


def insert_paper(conn: sqlite3.Connection, paper: Paper, seq: int, added_at: str) -> str:
    """Store a paper never seen before under a free id and key; returns its id."""
    key = paper.key
    if conn.execute("SELECT 1 FROM papers WHERE key = ?", (key,)).fetchone():
        key = f"{key} arxiv:{paper.arxiv_id}"  # a second arXiv paper with the very same title
    new_id = free_id(conn, key, paper.id if key == paper.key else None)
    status = Status.READ if paper.announce in REPLACEMENTS else Status.NEW
    values = (new_id, key, paper.title, paper.abstract, json.dumps(list(paper.authors)), paper.author_count,
              json.dumps(list(paper.orgs)), paper.date, paper.upvotes, paper.category, _bool_in(paper.has_code),
              json.dumps(list(paper.links)), paper.added_at or added_at, seq, str(status), paper.arxiv_id,
              paper.version, paper.announce, json.dumps(list(paper.categories)), paper.doi, paper.journal_ref,
              paper.comments, paper.submitter)
    marks = ",".join("?" * len(_INSERT_COLUMNS))
    conn.execute(f"INSERT INTO papers ({','.join(_INSERT_COLUMNS)}) VALUES ({marks})", values)
    return new_id


def free_id(conn: sqlite3.Connection, key: str, preferred: str | None = None) -> str:
    """The first id for `key` that no stored paper holds (a hash clash gets a longer id)."""
    candidates = ([preferred] if preferred else []) + id_candidates(key)
    for candidate in candidates:
        if not conn.execute("SELECT 1 FROM papers WHERE id = ?", (candidate,)).fetchone():
            return candidate
    n = 2
    while conn.execute("SELECT 1 FROM papers WHERE id = ?", (f"{candidates[-1]}-{n}",)).fetchone():
        n += 1
    return f"{candidates[-1]}-{n}"


def merge(row: sqlite3.Row, paper: Paper) -> dict[str, object]:
    """Columns a new sighting fills in or improves (first non-empty value wins; upvotes grow)."""
    changes = _fill(row, paper)
    for column, values in (("authors", paper.authors), ("orgs", paper.orgs), ("links", paper.links),
                           ("categories", paper.categories)):
        old = _json_list(row[column])
        new = old + [v for v in values if v not in old] if column == "links" or not old else old
        if new != old:
            changes[column] = json.dumps(new)
    if paper.upvotes is not None and (row["upvotes"] is None or paper.upvotes > row["upvotes"]):
        changes["upvotes"] = paper.upvotes
    if paper.has_code and not row["has_code"]:
        changes["has_code"] = 1
    changes.update(_revision(row, paper))
    return changes


def _fill(row: sqlite3.Row, paper: Paper) -> dict[str, object]:
    """Scalar columns the stored paper lacks and this sighting knows."""
    values = {
        "abstract": paper.abstract or None, "author_count": paper.author_count, "date": paper.date,
        "category": paper.category, "has_code": _bool_in(paper.has_code), "arxiv_id": paper.arxiv_id,
        "version": paper.version, "announce": paper.announce, "doi": paper.doi,
        "journal_ref": paper.journal_ref, "comments": paper.comments, "submitter": paper.submitter,
    }
    return {column: value for column, value in values.items()
            if value is not None and row[column] in (None, "")}


def _revision(row: sqlite3.Row, paper: Paper) -> dict[str, object]:
    """A newer version (or a replacement announcement) records its version, date and abstract.

    The status is never touched: a replaced paper does not come back to the Inbox.
    """
    newer = paper.version is not None and (row["version"] is None or paper.version > row["version"])
    replaced = paper.announce in REPLACEMENTS and (newer or paper.version is None)
    changes: dict[str, object] = {"version": paper.version} if newer else {}
    if replaced:
        changes["announce"] = paper.announce
        if paper.date:
            changes["date"] = paper.date
    if (newer or replaced) and paper.abstract:
        changes["abstract"] = paper.abstract  # replacements usually print none: then the old one stays
    return changes


def _json_list(text: str | None) -> list:
    value = json.loads(text) if text else []
    return value if isinstance(value, list) else []


def _bool_in(value: bool | None) -> int | None:
    return None if value is None else int(value)
