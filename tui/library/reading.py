"""How the library reads: the orders and filters of its views, and a row turned into a Paper."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from tui.records import Paper, Sighting
from tui.vocabulary import Status

#: Where a paper was first seen (digest date, then import order, then position); never-seen last.
FIRST_SEEN_ORDER = "p.first_date IS NULL, p.first_date, p.first_digest, p.first_position"
FIRST_SEEN_DESC = "p.first_date IS NULL, p.first_date DESC, p.first_digest DESC, p.first_position"
#: Each order has an index of the same expressions (schema step 3 -> 4): change both together.
ORDER = {
    # "relevance" without a query means the view's natural order: the Inbox walks the oldest
    # unread digest first, position within it, and a paper put off with "later" goes to the end.
    ("inbox", "relevance"): f"p.later_at IS NOT NULL, p.later_at, {FIRST_SEEN_ORDER}",
    ("starred", "relevance"): "p.starred_at DESC, p.id",
    ("all", "relevance"): FIRST_SEEN_DESC,
    "newest": f"p.date IS NULL, p.date DESC, {FIRST_SEEN_DESC}",
    "upvotes": "COALESCE(p.upvotes, -1) DESC, p.date DESC, p.id",
}


def listing_order(order: str, sort: str = "relevance") -> str:
    """The ORDER BY of a listing: `order`'s view in `sort`'s order (relevance: the view's own)."""
    return ORDER.get((order, sort)) or ORDER.get(sort) or ORDER[("all", "relevance")]


#: The filters a listing understands (the query language's is:/has: words), as SQL conditions.
FLAG_SQL = {
    **{f"is:{status}": f"p.status = '{status}'" for status in Status},
    "is:starred": "p.starred = 1",
    "has:note": "p.note != ''",
    "is:tagged": "EXISTS (SELECT 1 FROM tags t WHERE t.paper_id = p.id)",
    "is:later": "p.later_at IS NOT NULL",
}


#: A `tag:NAME` filter: papers carrying that tag (the name is a bound parameter, never pasted).
TAG_PREFIX = "tag:"
TAG_SQL = "p.id IN (SELECT t.paper_id FROM tags t WHERE t.tag = ?)"


def where(flags) -> tuple[str, tuple[str, ...]]:
    """The SQL condition for a set of filter flags, and its parameters; a leading "-" negates one.

    `tag:NAME` takes its name as a parameter, so no text from a query ever becomes SQL.
    """
    conditions, args = [], []
    for flag in flags:
        negated, name = flag.startswith("-"), flag.lstrip("-")
        if name.startswith(TAG_PREFIX):
            sql = TAG_SQL
            args.append(name[len(TAG_PREFIX):])
        else:
            sql = FLAG_SQL[name]
        conditions.append(f"NOT ({sql})" if negated else sql)
    return " AND ".join(conditions) or "1", tuple(args)


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


def paper_from_row(row: sqlite3.Row, seen: tuple[Sighting, ...], tags: tuple[str, ...] = ()) -> Paper:
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
        submitter=column(row, "submitter"),
        seen=seen,
        starred=bool(row["starred"]),
        note=row["note"],
        status=row["status"],
        added_at=row["added_at"],
        tags=tags,
        later=column(row, "later_at") is not None,
    )
