"""Take the library anywhere: Markdown, BibTeX and CSV reading lists, and a full JSON backup."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from tui.describe import authors_line
from tui.library.backup_json import BACKUP_FORMAT, BACKUP_VERSION, RestoreError, dump_chunks, restore_library
from tui.library.state import tags_of
from tui.library.store import Library
from tui.records import Paper
from tui.tex import readable_text
from tui.textsafe import one_line, printable
from tui.vocabulary import View

__all__ = ["BACKUP_FORMAT", "BACKUP_VERSION", "ExportError", "RestoreError", "export_chunks", "export_library",
           "restore_library", "write_atomically", "write_export"]
FORMATS = ("markdown", "bibtex", "csv", "json")
#: Papers fetched from the library per query while exporting.
BATCH = 500


class ExportError(Exception):
    """An export that cannot be written where asked; the message is one line naming the place."""


def export_library(library: Library, fmt: str, starred_only: bool = False) -> str:
    """Render the library (or only the reading list) in one of markdown, bibtex, csv, json."""
    return "".join(export_chunks(library, fmt, starred_only))


def export_chunks(library: Library, fmt: str, starred_only: bool = False) -> Iterator[str]:
    """The export as text pieces, a row to a batch of papers each, so any library exports in flat memory."""
    if fmt == "json":
        return dump_chunks(library, starred_only)
    view = "starred" if starred_only else "all"
    total = library.count_where(View(view).flags)
    if fmt == "markdown":
        return _markdown_from_columns(library, view, starred_only, total)
    render = {"bibtex": to_bibtex, "csv": to_csv}[fmt]
    return render(_papers(library, view), starred_only, total=total)


def _papers(library: Library, view: str) -> Iterator[Paper]:
    """Papers of a view in its order, fetched a batch at a time."""
    ids = library.list_ids(View(view).flags, view)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        found = library.get_many(chunk)
        yield from (found[i] for i in chunk if i in found)


def write_export(library: Library, fmt: str, path: str | os.PathLike, starred_only: bool = False) -> None:
    """Write an export to `path` atomically, streaming it; ExportError when the folder is missing."""
    write_atomically(path, export_chunks(library, fmt, starred_only))


# Characters that can start TeX (or need a stand-in); text without any reads as it is.
_TEX_OR_CONTROL = re.compile(r"[\\$~\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _shown(text: str | None) -> str:
    """What the screen shows for stored text (TeX such as `3.4\\%` read as `3.4%`), on one line."""
    text = text or ""
    # Without TeX the same result comes without the TeX reader's cost. Printable text has no
    # control character (see textsafe.printable), so three quick scans tell; and it is already
    # one line unless it has a space to fold (textsafe.one_line's own test, not made twice).
    if text.isprintable():
        if "\\" not in text and "$" not in text and "~" not in text:
            return text if "  " not in text and text[:1] != " " and text[-1:] != " " else one_line(text)
    elif not _TEX_OR_CONTROL.search(text):
        return one_line(text)
    return one_line(readable_text(text, single_line=True))


#: Dates, categories, vote counts and statuses repeat from paper to paper (a few thousand values
#: in 100k papers), so each short one is read once; a long one is never kept.
_SHORT = 64
_shown_repeated = functools.lru_cache(maxsize=4096)(_shown)


def _shown_short(text: str) -> str:
    return _shown_repeated(text) if len(text) <= _SHORT else _shown(text)


# -- Markdown -------------------------------------------------------------------------------------
#: The `papers` columns a Markdown section shows (and the id, for its tags), read without Papers.
_MD_COLUMNS = ("id", "title", "authors", "author_count", "submitter", "date", "category", "upvotes", "starred",
               "status", "links", "abstract", "note")


def to_markdown(papers: Iterable[Paper], starred_only: bool = False, total: int | None = None) -> Iterator[str]:
    """One section per paper: title, who/when, links, abstract, and the note as a quote."""
    papers = papers if total is not None else list(papers)
    yield _md_heading(starred_only, len(papers) if total is None else total)
    for p in papers:
        yield _md_section(p.title, p.authors, p.author_count, p.submitter, p.date, p.category, p.upvotes, p.starred,
                          p.status, p.tags, p.links, p.abstract, p.note)


def _markdown_from_columns(library: Library, view: str, starred_only: bool, total: int) -> Iterator[str]:
    """`to_markdown` of a view, read as columns (no Paper, no sightings), a batch of sections per piece."""
    yield _md_heading(starred_only, total)
    conn = library.connection()
    for rows in library.listing_columns(_MD_COLUMNS, View(view).flags, view, batch=BATCH):
        tags = tags_of(conn, [row[0] for row in rows])
        yield "".join([
            _md_section(title, _json_list(authors), count, submitter, date, category, upvotes, starred, status,
                        tags.get(paper_id, ()), _json_list(links), abstract, note)
            for paper_id, title, authors, count, submitter, date, category, upvotes, starred, status, links,
            abstract, note in rows])


_scan_json = json.JSONDecoder().scan_once


def _json_list(text: str) -> list | tuple:
    """A list column as stored (JSON text, as json.dumps wrote it); many lists are empty.

    The decoder's own scanner reads it without json.loads's Python around it (more than half
    the cost of a short list); anything but one whole JSON value goes to json.loads, which says why.
    """
    if text == "[]":
        return ()
    try:
        value, end = _scan_json(text, 0)
    except (StopIteration, TypeError, ValueError):
        return json.loads(text)
    return value if end == len(text) else json.loads(text)


def _md_heading(starred_only: bool, count: int) -> str:
    return f"# {'Reading list' if starred_only else 'Papers'} ({count} papers)\n"


def _md_section(title: str, authors: Iterable[str], author_count: int | None, submitter: str | None,
                date: str | None, category: str | None, upvotes: int | None, starred: bool | int, status: str,
                tags: Iterable[str], links: Iterable[str], abstract: str, note: str) -> str:
    """One paper's section, from the fields it shows: its blocks apart by a blank line."""
    byline = authors_line(authors, author_count) or (f"submitted by {submitter}" if submitter else "")
    meta = [_shown(byline)] if byline else []
    if date:
        meta.append(_shown_short(date))
    if category:
        meta.append(_shown_short(category))
    if upvotes is not None:
        meta.append(_shown_short(f"{upvotes} upvotes"))
    if starred:
        meta.append("starred")
    if status:
        meta.append(_shown_short(status))
    # Escaping works character by character, so the title and the line under it take one call.
    blocks = ["## " + _md_escape(f"{_shown(title)}\n\n{' · '.join(meta)}")]
    if tags:
        blocks.append("Tags: " + ", ".join([f"`{_md_tag(tag)}`" for tag in tags]))
    if links:
        blocks.append("\n".join([f"- <{one_line(link)}>" for link in links]))
    if abstract:
        blocks.append(_md(abstract))
    if note:
        blocks.append("\n".join([f"> {line}" if line else ">" for line in printable(note).splitlines()]))
    return "\n" + "\n\n".join(blocks) + "\n"


def _md_tag(tag: str) -> str:
    # Inside a code span nothing is Markdown; a backtick would end it, so it becomes a quote.
    return one_line(tag).replace("`", "'")


# Characters that would start Markdown structure or inline HTML, each escaped with a backslash:
# the backslash itself first, so no escape added is escaped again. A scan per character that
# finds nothing is cheaper than one regex substitution over an abstract.
_MD_ESCAPES = tuple((char, "\\" + char) for char in "\\`*_{}[]<>#|")


def _md(text: str) -> str:
    return _md_escape(_shown(text))


def _md_escape(text: str) -> str:
    for char, escaped in _MD_ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    return text


# -- BibTeX ---------------------------------------------------------------------------------------
# Braces become commands whose own braces balance: BibTeX counts `\{` as a brace, so one
# unbalanced `{` in a title would otherwise swallow the rest of the file.
_BIB_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "&": r"\&",
                "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
                "^": r"\textasciicircum{}"}
_ET_AL = re.compile(r",?\s*(et\s+al\.?|and\s+others)\s*$", re.IGNORECASE)


_BIB_TABLE = str.maketrans(_BIB_SPECIAL)


def bib_escape(text: str) -> str:
    """Escape BibTeX/LaTeX special characters so any title is a valid field value."""
    return one_line(text).translate(_BIB_TABLE)


def bib_key(paper: Paper, taken: set[str]) -> str:
    """A readable citation key: first author's surname + year + first title word, made unique."""
    surname = paper.authors[0].split()[-1] if paper.authors and paper.authors[0].split() else "anon"
    word = next((w for w in re.findall(r"\w+", paper.title) if len(w) > 3), "paper")
    base = _ascii(f"{surname}{(paper.date or '')[:4]}{word}").lower() or "paper"
    key, n = base, 1
    while key in taken:
        key, n = f"{base}{chr(ord('a') + n - 1) if n <= 26 else n}", n + 1
    taken.add(key)
    return key


def _ascii(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode())


def bib_authors(authors: Iterable[str]) -> str:
    """Authors joined with `and`; a list that ended in "et al." ends in BibTeX's `and others`."""
    names, more = [], False
    for author in authors:
        cut = _ET_AL.sub("", author)
        more = more or cut != author
        if cut.strip():
            names.append(bib_escape(_shown(cut)))
    return " and ".join(names + (["others"] if more else []))


def bib_fields(paper: Paper) -> list[tuple[str, str]]:
    """The fields of one entry, values escaped, with arXiv's eprint fields when the id is known."""
    fields = [("title", "{" + bib_escape(_shown(paper.title)) + "}")]
    if paper.authors:
        fields.append(("author", bib_authors(paper.authors)))
    if paper.date:
        fields.append(("year", bib_escape(paper.date[:4])))
    if paper.arxiv_id:
        primary = paper.categories[0] if paper.categories else paper.category
        fields += [("eprint", bib_escape(paper.arxiv_id)), ("archivePrefix", "arXiv")]
        fields += [("primaryClass", bib_escape(primary))] if primary else []
    if paper.doi:
        fields.append(("doi", bib_escape(paper.doi)))
    notes = [f"{paper.author_count} authors"] if not paper.authors and paper.author_count else []
    notes += [paper.note] if paper.note else []
    if notes:
        fields.append(("note", bib_escape(" -- ".join(notes))))
    if paper.tags:
        fields.append(("keywords", ", ".join(bib_escape(tag) for tag in paper.tags)))
    if paper.links:
        fields.append(("url", bib_escape(paper.links[0])))
    if paper.abstract:
        fields.append(("abstract", bib_escape(_shown(paper.abstract))))
    return fields


def to_bibtex(papers: Iterable[Paper], starred_only: bool = False, total: int | None = None) -> Iterator[str]:
    """One @misc entry per paper with key, title, authors (or a count note), year and note."""
    taken: set[str] = set()
    for n, paper in enumerate(papers):
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in bib_fields(paper))
        yield ("\n" if n else "") + f"@misc{{{bib_key(paper, taken)},\n{body}\n}}\n"


# -- CSV ------------------------------------------------------------------------------------------
CSV_COLUMNS = ("id", "title", "authors", "author_count", "orgs", "date", "upvotes", "category",
               "has_code", "links", "starred", "status", "note", "arxiv_id", "version", "categories", "doi", "tags")


def _cell(value: object) -> str:
    text = "" if value is None else printable(str(value))
    # A leading = + - @ would make spreadsheets run the cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_csv(papers: Iterable[Paper], starred_only: bool = False, total: int | None = None) -> Iterator[str]:
    """One row per paper; list fields joined with '; '; titles and abstracts read as on screen."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in papers:
        row = (p.id, _shown(p.title), "; ".join(map(_shown, p.authors)), p.author_count, "; ".join(p.orgs), p.date,
               p.upvotes, p.category, p.has_code, "; ".join(p.links), p.starred, p.status, p.note, p.arxiv_id,
               p.version, "; ".join(p.categories), p.doi, "; ".join(p.tags))
        writer.writerow([_cell(v) for v in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


# -- files ----------------------------------------------------------------------------------------
def write_atomically(path: str | os.PathLike, text: str | Iterable[str]) -> None:
    """Write a file (from text or text pieces) so readers see the old or the new content, never half.

    Raises ExportError when the folder does not exist or cannot be written.
    """
    target = Path(path)
    if not target.parent.is_dir():
        raise ExportError(f"{target.parent}: no such directory")
    try:
        handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as exc:
        raise ExportError(f"{target}: cannot write there ({exc.strerror or exc})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            for piece in [text] if isinstance(text, str) else text:
                out.write(piece)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
