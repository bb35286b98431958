"""The reference engine: the same library in SQLite FTS5 (stdlib only), queried like the Whoosh index.

It understands the query syntax the benchmark sends: bare words (AND), "phrases", `title:`,
`abstract:`, `author:` and `org:` filters, `date:2024`, `date:2023-01..2024-06`, `upvotes:>=10`,
and, when typing, the last unfinished word as a prefix of title words and author names (from its
second letter on), which is what the app's index does too: abstract-wide prefixes are slow. Ranking is bm25 (title weighted 4x).
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from tui.records import Paper, SearchHit, SearchResult, Span

COLUMNS = {"title": "title", "abstract": "abstract", "author": "authors", "authors": "authors",
           "org": "orgs", "orgs": "orgs"}
RANK = "bm25(4.0, 1.0, 2.0, 1.0)"
_TOKEN = re.compile(r'(\w+):("[^"]*"?|\S+)|"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")
_MARKED = re.compile("\x01([^\x02]*)\x02")
_STOP = frozenset("the and for with that this from are our which these their both than into has have been "
                  "can not its also such more while using based over show when where other each they".split())
_INSERT_PAPER = "INSERT INTO papers (id, date, upvotes, category, starred, status) VALUES (?, ?, ?, ?, ?, ?)"
_INSERT_TEXT = "INSERT INTO fts (rowid, title, abstract, authors, orgs) VALUES (?, ?, ?, ?, ?)"


class Fts5Index:
    """An FTS5 full-text table plus a plain table for ranges and ids, in one file per directory."""

    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / "fts5.sqlite"
        self.conn: sqlite3.Connection | None = None

    def open(self) -> str | None:
        """Connect; None when the tables are there, else why a rebuild is needed (like SearchIndex)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.path)
        found = self.conn.execute("SELECT count(*) FROM sqlite_master WHERE name IN ('fts', 'papers')").fetchone()
        return None if found[0] == 2 else "no index"

    def rebuild(self, papers: Iterable[Paper], total: int | None = None) -> int:
        """Drop and refill both tables in one transaction, then merge the FTS5 segments."""
        conn = self.conn
        with conn:
            conn.execute("DROP TABLE IF EXISTS fts")
            conn.execute("DROP TABLE IF EXISTS papers")
            conn.execute("CREATE TABLE papers (rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, date TEXT, "
                         "upvotes INTEGER, category TEXT, starred INTEGER, status TEXT)")
            conn.execute("CREATE VIRTUAL TABLE fts USING fts5(title, abstract, authors, orgs, "
                         "tokenize='porter unicode61', prefix='2 3')")
            conn.execute(f"INSERT INTO fts (fts, rank) VALUES ('rank', '{RANK}')")
            count = self._insert(papers)
            conn.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        return count

    def update(self, papers: Iterable[Paper], seq: int = 0) -> None:
        """Add or replace papers (by id) in one transaction."""
        with self.conn:
            self._insert(papers)

    def _insert(self, papers: Iterable[Paper]) -> int:
        count = 0
        for p in papers:
            old = self.conn.execute("SELECT rowid FROM papers WHERE id = ?", (p.id,)).fetchone()
            if old:
                self.conn.execute("DELETE FROM papers WHERE rowid = ?", old)
                self.conn.execute("DELETE FROM fts WHERE rowid = ?", old)
            cur = self.conn.execute(_INSERT_PAPER, (p.id, p.date, p.upvotes, p.category, p.starred, p.status))
            self.conn.execute(_INSERT_TEXT, (cur.lastrowid, p.title, p.abstract, ", ".join(p.authors),
                                             ", ".join(p.orgs)))
            count += 1
        return count

    def search(self, query: str, *, limit: int = 50, as_you_type: bool = False, highlight: int = 20) -> SearchResult:
        """Top `limit` ids by bm25, with title and abstract spans for the first `highlight` rows."""
        match, where, params = translate(query, as_you_type)
        filters = "".join(f" AND {w}" for w in where)
        if match:
            sql = ("SELECT p.rowid, p.id, fts.rank FROM fts JOIN papers p ON p.rowid = fts.rowid "
                   f"WHERE fts MATCH ?{filters} ORDER BY fts.rank LIMIT ?")
            rows = self.conn.execute(sql, (match, *params, limit)).fetchall()
        elif where:
            sql = f"SELECT rowid, id, 0.0 FROM papers p WHERE 1{filters} ORDER BY date DESC LIMIT ?"
            rows = self.conn.execute(sql, (*params, limit)).fetchall()
        else:
            rows = []
        spans = self.highlight([r[0] for r in rows[:highlight]], match) if match else {}
        hits = []
        for rowid, pid, score in rows:
            title_spans, abstract_spans = spans.get(rowid, ((), ()))
            hits.append(SearchHit(pid, -score, title_spans, "", abstract_spans))
        return SearchResult(query, tuple(hits), len(hits))

    def highlight(self, rowids: list[int], match: str) -> dict[int, tuple[tuple[Span, ...], tuple[Span, ...]]]:
        """rowid -> (title spans, abstract spans) of the query's matches, from FTS5's highlight()."""
        if not rowids:
            return {}
        sql = ("SELECT rowid, highlight(fts, 0, char(1), char(2)), highlight(fts, 1, char(1), char(2)) "
               f"FROM fts WHERE fts MATCH ? AND rowid IN ({', '.join('?' * len(rowids))})")
        return {rowid: (marked_spans(title), marked_spans(abstract))
                for rowid, title, abstract in self.conn.execute(sql, (match, *rowids))}

    def highlight_ids(self, ids: list[str], query: str) -> dict[int, tuple]:
        """The highlights of the given paper ids for a query (what visible rows need)."""
        match, _, _ = translate(query, as_you_type=False)
        sql = f"SELECT rowid FROM papers WHERE id IN ({', '.join('?' * len(ids))})"
        rowids = [r for (r,) in self.conn.execute(sql, ids)]
        return self.highlight(rowids, match) if match else {}

    def related(self, paper_id: str, limit: int = 20) -> list[SearchHit]:
        """Papers sharing the most frequent content words of this one (an OR query, bm25-ranked)."""
        row = self.conn.execute("SELECT f.rowid, f.title, f.abstract FROM fts f JOIN papers p "
                                "ON p.rowid = f.rowid WHERE p.id = ?", (paper_id,)).fetchone()
        if row is None:
            return []
        words = Counter(w for w in _WORD.findall(f"{row[1]} {row[2]}".lower()) if len(w) > 3 and w not in _STOP)
        match = " OR ".join(f'"{w}"' for w, _ in words.most_common(12))
        sql = ("SELECT p.id, fts.rank FROM fts JOIN papers p ON p.rowid = fts.rowid "
               "WHERE fts MATCH ? AND fts.rowid != ? ORDER BY fts.rank LIMIT ?")
        return [SearchHit(pid, -score) for pid, score in self.conn.execute(sql, (match, row[0], limit))]

    def size_bytes(self) -> int:
        """Bytes on disk, journal files included."""
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*"))

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def translate(query: str, as_you_type: bool) -> tuple[str, list[str], list]:
    """Query text -> (FTS5 MATCH expression, SQL conditions on `papers p`, their parameters)."""
    parts: list[str] = []
    where: list[str] = []
    params: list = []
    tokens = list(_TOKEN.finditer(query))
    for i, token in enumerate(tokens):
        field, value, phrase, bare = token.groups()
        typing = as_you_type and i == len(tokens) - 1 and not query[-1:].isspace()
        if field in ("date", "upvotes"):
            condition = _range(field, value)
            if condition:
                where.append(condition[0])
                params.extend(condition[1])
        elif field in COLUMNS:
            words = _WORD.findall(value)
            if words:
                parts.append(f'{COLUMNS[field]} : "{" ".join(words)}"' + ("*" if typing else ""))
        else:
            words = _WORD.findall(phrase if phrase is not None else token.group(0))
            if phrase is not None and words:
                parts.append(f'"{" ".join(words)}"')
            else:
                parts.extend(f'"{w}"' for w in words)
                if typing and words and bare is not None:
                    parts[-1] = f"{{title authors}} : {parts[-1]}*"
                    if len(words[-1]) < 2 and len(parts) > 1:
                        parts.pop()  # one typed letter: wait for the second (no 1-letter prefix index)
    return " ".join(parts), where, params


def _range(field: str, value: str) -> tuple[str, list] | None:
    """`date:2024`, `date:2023-01..2024-06`, `upvotes:>=10`, `upvotes:5..20` -> (SQL, params)."""
    if field == "date":
        low, _, high = value.partition("..")
        high = high or low
        if not re.fullmatch(r"\d{4}(-\d\d){0,2}", low) or not re.fullmatch(r"\d{4}(-\d\d){0,2}", high):
            return None
        return "p.date >= ? AND p.date < ?", [low, high + "\uffff"]
    match = re.fullmatch(r"(>=|<=|>|<)?(\d+)(?:\.\.(\d+))?", value)
    if not match:
        return None
    op, low, high = match.groups()
    if high:
        return "p.upvotes BETWEEN ? AND ?", [int(low), int(high)]
    return f"p.upvotes {op or '='} ?", [int(low)]


def marked_spans(text: str) -> tuple[Span, ...]:
    """Spans of the \\x01...\\x02-marked runs, as offsets into the text without the markers."""
    spans = []
    removed = 0
    for m in _MARKED.finditer(text):
        start = m.start() - removed
        spans.append(Span(start, start + len(m.group(1))))
        removed += 2
    return tuple(spans)
