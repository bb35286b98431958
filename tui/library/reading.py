"""How the library reads: the orders and filters of its views, and a row turned into a Paper."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from tui.records import Paper, Sighting
from tui.vocabulary import Status

ORDER = {
    # "relevance" without a query means the view's natural order.
    ("inbox", "relevance"): "first_digest, first_position",
    ("starred", "relevance"): "p.starred_at DESC, p.id",
    ("all", "relevance"): "first_digest DESC, first_position",
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
FIRST_SEEN = (
    "LEFT JOIN (SELECT paper_id, MIN(digest_id * 4294967296 + position) AS first_key"
    " FROM sightings GROUP BY paper_id) f ON f.paper_id = p.id"
)
FIRST_COLUMNS = "f.first_key >> 32 AS first_digest, f.first_key & 4294967295 AS first_position"



def where(flags) -> str:
    """The SQL condition for a set of filter flags; a leading "-" negates one."""
    conditions = [f"NOT ({FLAG_SQL[flag[1:]]})" if flag.startswith("-") else FLAG_SQL[flag] for flag in flags]
    return " AND ".join(conditions) or "1"


@dataclass(frozen=True)
class DigestInfo:
    """One imported digest as the app lists it: its human label, date, size and what is still new."""

    id: int
    label: str
    name: str
    format: str
    digest_date: str | None
    imported_at: str
    entries: int
    new: int


def column(row: sqlite3.Row, name: str, default: object = None) -> object:
    """A column that a library not yet migrated (opened read-only) may lack."""
    return row[name] if name in row.keys() else default


def paper_from_row(row: sqlite3.Row, seen: tuple[Sighting, ...]) -> Paper:
    """The Paper a `papers` row holds, with its sightings."""
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
        arxiv_id=column(row, "arxiv_id"),
        version=column(row, "version"),
        announce=column(row, "announce"),
        categories=tuple(json.loads(column(row, "categories", "[]"))),
        doi=column(row, "doi"),
        journal_ref=column(row, "journal_ref"),
        comments=column(row, "comments"),
        seen=seen,
        starred=bool(row["starred"]),
        note=row["note"],
        status=row["status"],
        added_at=row["added_at"],
    )
