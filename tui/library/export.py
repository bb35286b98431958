"""Take the library anywhere: Markdown, BibTeX and CSV reading lists, and a full JSON backup."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from tui.describe import who
from tui.library.store import Library
from tui.records import Paper
from tui.textsafe import one_line, printable
from tui.vocabulary import View

BACKUP_FORMAT = "paper-reader-backup"
BACKUP_VERSION = 1
_TABLES = ("digests", "papers", "sightings", "events")


class RestoreError(Exception):
    """A backup that cannot be restored; the message is one line naming the file."""


def export_library(library: Library, fmt: str, starred_only: bool = False) -> str:
    """Render the library (or only the reading list) in one of markdown, bibtex, csv, json."""
    if fmt == "json":
        return json.dumps(dump(library, starred_only), ensure_ascii=True, indent=1, sort_keys=True) + "\n"
    view = "starred" if starred_only else "all"
    ids = library.list_ids(View(view).flags, view)
    found = library.get_many(ids)
    papers = [found[i] for i in ids if i in found]
    return {"markdown": to_markdown, "bibtex": to_bibtex, "csv": to_csv}[fmt](papers, starred_only)


# -- Markdown -------------------------------------------------------------------------------------
def to_markdown(papers: list[Paper], starred_only: bool = False) -> str:
    """One section per paper: title, who/when, links, abstract, and the note as a quote."""
    heading = "Reading list" if starred_only else "Papers"
    out = [f"# {heading} ({len(papers)} papers)", ""]
    for paper in papers:
        out += [f"## {_md(paper.title)}", ""]
        meta = [who(paper), paper.date or "", paper.category or "",
                f"{paper.upvotes} upvotes" if paper.upvotes is not None else "",
                "starred" if paper.starred else "", paper.status]
        out += [" · ".join(_md(m) for m in meta if m), ""]
        out += [f"- <{one_line(link)}>" for link in paper.links] + ([""] if paper.links else [])
        if paper.abstract:
            out += [_md(paper.abstract), ""]
        if paper.note:
            out += [f"> {line}" if line else ">" for line in printable(paper.note).splitlines()] + [""]
    return "\n".join(out)


def _md(text: str) -> str:
    # Escape characters that would start Markdown structure or inline HTML.
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", one_line(text))


# -- BibTeX ---------------------------------------------------------------------------------------
_BIB_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
                "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def bib_escape(text: str) -> str:
    """Escape BibTeX/LaTeX special characters so any title is a valid field value."""
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in one_line(text))


def bib_key(paper: Paper, taken: set[str]) -> str:
    """A readable citation key: first author's surname + year + first title word, made unique."""
    surname = paper.authors[0].split()[-1] if paper.authors else "anon"
    word = next((w for w in re.findall(r"\w+", paper.title) if len(w) > 3), "paper")
    base = _ascii(f"{surname}{(paper.date or '')[:4]}{word}").lower() or "paper"
    key, n = base, 1
    while key in taken:
        key, n = f"{base}{chr(ord('a') + n - 1) if n <= 26 else n}", n + 1
    taken.add(key)
    return key


def _ascii(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode())


def to_bibtex(papers: list[Paper], starred_only: bool = False) -> str:
    """One @misc entry per paper with key, title, authors (or a count note), year and note."""
    taken: set[str] = set()
    entries = []
    for paper in papers:
        fields = [("title", "{" + bib_escape(paper.title) + "}")]
        if paper.authors:
            fields.append(("author", " and ".join(bib_escape(a) for a in paper.authors)))
        if paper.date:
            fields.append(("year", paper.date[:4]))
        notes = [f"{paper.author_count} authors"] if not paper.authors and paper.author_count else []
        if paper.note:
            notes.append(paper.note)
        if notes:
            fields.append(("note", bib_escape(" -- ".join(notes))))
        if paper.links:
            fields.append(("url", bib_escape(paper.links[0])))
        if paper.abstract:
            fields.append(("abstract", bib_escape(paper.abstract)))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@misc{{{bib_key(paper, taken)},\n{body}\n}}\n")
    return "\n".join(entries)


# -- CSV ------------------------------------------------------------------------------------------
CSV_COLUMNS = ("id", "title", "authors", "author_count", "orgs", "date", "upvotes", "category",
               "has_code", "links", "starred", "status", "note")


def _cell(value: object) -> str:
    text = "" if value is None else printable(str(value))
    # A leading = + - @ would make spreadsheets run the cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_csv(papers: list[Paper], starred_only: bool = False) -> str:
    """One row per paper; list fields joined with '; '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in papers:
        row = (p.id, p.title, "; ".join(p.authors), p.author_count, "; ".join(p.orgs), p.date, p.upvotes,
               p.category, p.has_code, "; ".join(p.links), p.starred, p.status, p.note)
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


# -- JSON backup and restore ----------------------------------------------------------------------
def dump(library: Library, starred_only: bool = False) -> dict:
    """Every table as plain rows: papers with state, digests, sightings, the triage history."""
    conn = library.connection()
    data: dict = {"format": BACKUP_FORMAT, "version": BACKUP_VERSION}
    where = {"papers": "WHERE starred = 1", "sightings": "WHERE paper_id IN (SELECT id FROM papers WHERE starred = 1)",
             "events": "WHERE paper_id IN (SELECT id FROM papers WHERE starred = 1)"} if starred_only else {}
    for table in _TABLES:
        rows = conn.execute(f"SELECT * FROM {table} {where.get(table, '')} ORDER BY rowid").fetchall()
        data[table] = [{k: row[k] for k in row.keys() if k != "seq"} for row in rows]
    return data


def restore_library(library: Library, path: str | os.PathLike) -> str:
    """Load a JSON backup into an empty library in one transaction; returns a summary line."""
    name = Path(path).name
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RestoreError(f"{name}: cannot read backup ({one_line(str(exc))})") from None
    if not isinstance(data, dict) or data.get("format") != BACKUP_FORMAT:
        raise RestoreError(f"{name}: not a paper-reader JSON backup")
    if library.count():
        raise RestoreError(f"{name}: the library is not empty; restore needs an empty data directory (--data-dir)")
    try:
        with library.transaction() as conn:
            for table in _TABLES:
                known = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
                for row in data.get(table, []):
                    if not isinstance(row, dict) or not set(row) <= known:
                        raise ValueError(f"unexpected row in {table}")
                    columns = ",".join(row)
                    conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({','.join('?' * len(row))})",
                                 tuple(row.values()))
            conn.execute("UPDATE papers SET seq = 1")
            conn.execute("UPDATE meta SET value = '1' WHERE key = 'seq'")
    except Exception as exc:  # any bad row rolls the whole restore back
        raise RestoreError(f"{name}: backup rejected, nothing restored ({type(exc).__name__}: {one_line(str(exc))})") from None
    counts = {table: len(data.get(table, [])) for table in _TABLES}
    return f"restored {counts['papers']} papers, {counts['digests']} digests, {counts['events']} events from {name}"


def write_atomically(path: str | os.PathLike, text: str) -> None:
    """Write a file so readers see the old or the new content, never half of it."""
    target = Path(path)
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
