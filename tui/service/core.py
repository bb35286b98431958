"""The service the CLI and the app share: imports, listings and searches as pages, and the writes.

Callers never reach into the library or the index: every question they may ask is a
method here, and every answer is a plain record (`Page`, `Paper`, `ImportReport`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from tui import paths
from tui.library import Library, export_chunks, restore_library, write_export
from tui.parsing import open_digest
from tui.records import DigestError, ImportReport, LibraryStats, Page, Paper, SearchHit, SearchRequest, Span
from tui.search.query import Flag, Group, Not, parse
from tui.service.upkeep import IndexKeeper
from tui.vocabulary import Sort, View

#: Filters the library can list on its own (anything else needs the index).
LISTABLE = {"is:new", "is:kept", "is:read", "is:dismissed", "is:starred", "has:note"}
#: Highlighted rows per page: the index marks titles and excerpts only for these.
HIGHLIGHTED_ROWS = 30

ImportProgress = Callable[[str, int, int], None]


class Service:
    """A library plus its derived search index, opened for one data directory. A context manager."""

    def __init__(self, library: Library, data_dir: Path) -> None:
        self._library = library
        self.data_dir = data_dir
        #: The index's upkeep (ensure, rebuild, catch up): its own object, shared by CLI and app.
        self.upkeep = IndexKeeper(library, data_dir)
        self._counts: dict[View, int] | None = None
        #: One-line notices from opening (a skipped backup, a read-only library) for the caller to show.
        self.warnings: list[str] = []
        #: Whether the start-up backup waits for `finish_opening` (an app opened with `check_later`).
        self.backup_owed = False
        #: The last library change this process made or has seen; a higher one came from elsewhere.
        self._seen_seq = library.current_seq()

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- imports -------------------------------------------------------------------------------
    def import_files(self, files: Iterable[str | os.PathLike], reference_date: dt.date | None = None,
                     progress: ImportProgress | None = None) -> list[ImportReport]:
        """Parse and store each digest, one transaction each; the index follows on `upkeep.catch_up()`.

        `progress(file_name, done, total)` reports long imports entry by entry (every 1,000).
        """
        reports = [self._import_one(Path(f), reference_date, progress) for f in files]
        if any(report.added or report.known for report in reports):
            self._counts = None
        self._seen_seq = self._library.current_seq()
        return reports

    def _import_one(self, path: Path, reference_date: dt.date | None,
                    progress: ImportProgress | None) -> ImportReport:
        """Stream one digest into the library; any reading error rolls the digest back."""
        try:
            stream = open_digest(path, reference_date=reference_date)
            report = (lambda done, _total: progress(path.name, done, 0)) if progress else None
            return self._library.import_stream(stream, report)
        except DigestError as exc:
            return ImportReport(path.name, error=str(exc))

    def import_seeds_if_empty(self) -> list[ImportReport]:
        """On a new machine, fill the empty library with the bundled sample digests."""
        seeds = paths.seeds_dir()
        if self._library.count() or seeds is None:
            return []
        return self.import_files(sorted(seeds.glob("*.txt")))

    # -- reading -------------------------------------------------------------------------------
    def page(self, request: SearchRequest, cancelled: Callable[[], bool] | None = None) -> Page:
        """One page of a search, or of a listing when the query holds only filters (or nothing).

        A filter-only query (`is:new`, `is:starred -has:note`) is listed by the library
        exactly as the matching view is, so the Inbox and `is:new` always agree. A search
        stops early, with no hits, once `cancelled()` turns True (a newer keystroke).
        """
        flags = listing_flags(request.query)
        if flags is not None:
            return self._listing(request, flags)
        result = self.upkeep.index.search(request.query, sort=request.sort, limit=request.offset + request.limit,
                                          as_you_type=request.as_you_type, view=request.view,
                                          highlighted=request.offset + HIGHLIGHTED_ROWS, cancelled=cancelled)
        hits = result.hits[request.offset:]
        return Page(request, self._rows(hits), result.total, exact=result.exact, hint=result.hint,
                    suggestion=result.suggestion, partial=result.partial)

    def list_view(self, view: View, sort: Sort = Sort.RELEVANCE, limit: int = 50, offset: int = 0) -> Page:
        """One page of a view in its own order (what an empty search bar shows)."""
        return self.page(SearchRequest("", view, sort, limit, offset))

    def _listing(self, request: SearchRequest, flags: tuple[str, ...]) -> Page:
        """A page listed by the library: the view's flags plus the query's, in the matching view's order."""
        every = tuple(dict.fromkeys(View(request.view).flags + flags))
        order = next((view for view in View if view.flags and set(view.flags) == set(every)), request.view)
        ids = self._library.list_ids(every, order, request.sort, request.limit, request.offset)
        total = self.counts()[View(request.view)] if not flags else self._library.count_where(every)
        return Page(request, self._rows(SearchHit(i, 0.0) for i in ids), total)

    def _rows(self, hits: Iterable[SearchHit]) -> tuple[tuple[SearchHit, Paper], ...]:
        """Each hit with its paper as the library holds it now (hits of deleted papers dropped)."""
        hits = tuple(hits)
        papers = self._library.get_many(hit.id for hit in hits)
        return tuple((hit, papers[hit.id]) for hit in hits if hit.id in papers)

    def view_ids(self, view: View, sort: Sort = Sort.RELEVANCE) -> list[str]:
        """Every paper id of a view in its order (the triage queue): ids only, never capped."""
        return self._library.list_ids(View(view).flags, view, sort)

    def related(self, paper_id: str, limit: int = 50) -> Page:
        """The papers most like this one, as a page."""
        hits = self.upkeep.index.related(paper_id, limit=limit)
        rows = self._rows(hits)
        return Page(SearchRequest(limit=limit), rows, len(rows))

    def highlight(self, text: str, query: str) -> tuple[Span, ...]:
        """Where the query's words are in any text (a full abstract, a title)."""
        return tuple(self.upkeep.index.spans(text, query))

    def get(self, paper_id: str) -> Paper | None:
        """One paper as the library holds it now."""
        return self._library.get(paper_id)

    def papers(self, ids: Iterable[str]) -> dict[str, Paper]:
        """Papers by id, with the user's state."""
        return self._library.get_many(ids)

    def counts(self) -> dict[View, int]:
        """Papers per view, counted once and then kept up to date from each write's own change."""
        if self._counts is None:
            # Three index-only counts (a few ms at 100k), not `stats()`, which reads every row.
            self._counts = {view: self._library.count_where(view.flags) for view in View}
        return dict(self._counts)

    def has_new(self) -> bool:
        """Whether any paper is new (cheap: stops at the first one)."""
        return self._library.any_where(View.INBOX.flags)

    def stats(self) -> LibraryStats:
        """Counts of papers, digests, stars, notes and triage states."""
        return self._library.stats()

    def forget_counts(self) -> None:
        """Another process may have written: count again at the next look."""
        self._counts = None

    def changes_from_elsewhere(self) -> int | None:
        """None when no other process wrote since the last look; else how many papers it added.

        Cheap enough to ask every second (one row of the library's metadata); after a change
        the view counts are taken again.
        """
        seq = self._library.current_seq()
        if seq <= self._seen_seq:
            return None
        self._seen_seq = seq
        before = self._counts[View.ALL] if self._counts is not None else None
        self._counts = None
        after = self.counts()[View.ALL]
        return max(after - before, 0) if before is not None else 0

    # -- writes (each one committed at once; the index follows on `upkeep.catch_up()`) ----------
    def set_starred(self, paper_id: str, starred: bool) -> Paper:
        """Star or unstar; returns the updated paper."""
        return self._write(paper_id, lambda: self._library.set_starred(paper_id, starred))

    def set_note(self, paper_id: str, note: str) -> Paper:
        """Save a note; returns the updated paper."""
        return self._write(paper_id, lambda: self._library.set_note(paper_id, note))

    def set_status(self, paper_id: str, status: str) -> Paper:
        """Triage: new, kept, dismissed or read; returns the updated paper."""
        return self._write(paper_id, lambda: self._library.set_status(paper_id, status))

    def _write(self, paper_id: str, write: Callable[[], object]) -> Paper:
        """Run one write and move the view counts by exactly what it changed."""
        before = self._library.get(paper_id)
        if before is None:
            raise KeyError(paper_id)
        seq = write()
        if isinstance(seq, int) and seq == self._seen_seq + 1:
            self._seen_seq = seq  # ours; a gap means another process wrote in between
        after = self._library.get(paper_id)
        if self._counts is not None and after is not None:
            self._counts[View.INBOX] += (after.status == "new") - (before.status == "new")
            self._counts[View.STARRED] += after.starred - before.starred
        return after

    # -- taking the library elsewhere ----------------------------------------------------------
    def export_chunks(self, fmt: str, starred_only: bool = False) -> Iterator[str]:
        """The library (or the reading list) as Markdown, BibTeX, CSV or a JSON backup, piece by piece."""
        return export_chunks(self._library, fmt, starred_only=starred_only)

    def write_export(self, fmt: str, path: str | os.PathLike, starred_only: bool = False) -> None:
        """Write an export to `path` atomically, streaming it (ExportError: no such directory)."""
        write_export(self._library, fmt, path, starred_only=starred_only)

    def restore(self, file: str | os.PathLike) -> str:
        """Load a JSON export into this (empty) library; returns a one-line summary."""
        summary = restore_library(self._library, file)
        self._counts = None
        return summary

    def close(self) -> None:
        """Close the index and the library."""
        self.upkeep.close()
        self._library.close()


def listing_flags(query: str) -> tuple[str, ...] | None:
    """The filter flags of a query made only of listable filters (`is:new -has:note`), else None.

    An empty query is the empty tuple: the view as it is.
    """
    if not query.strip():
        return ()
    root = parse(query).root
    if not isinstance(root, Group) or root.op != "and" or not root.children:
        return None
    flags = []
    for child in root.children:
        negated = isinstance(child, Not)
        node = child.child if negated else child
        if not isinstance(node, Flag) or node.name not in LISTABLE:
            return None
        flags.append(("-" if negated else "") + node.name)
    return tuple(flags)
