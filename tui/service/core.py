"""The service the CLI and the app share: imports, listings and searches as pages, and the writes.

Callers never reach into the library or the index: every question they may ask is a
method here, and every answer is a plain record (`Page`, `Paper`, `ImportReport`).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tui import paths
from tui.describe import describe_undo
from tui.library import Change, DigestInfo, Library, Undone
from tui.library.opening import set_aside_if_damaged
from tui.library.state import TAG_ADD, TAG_REMOVE, clean_tag
from tui.records import DigestError, ImportReport, LibraryStats, Page, Paper, SearchHit, SearchRequest, Span
from tui.records import SavedSearch, Watch, WatchMarks
from tui.search.query import Flag, Group, Not, Word, parse
from tui.service import lists
from tui.service.priority import Foreground
from tui.service.upkeep import IndexKeeper
from tui.vocabulary import Sort, Status, View

if TYPE_CHECKING:
    from tui.service.foryou import ForYou

#: Filters the library can list on its own (anything else needs the index).
LISTABLE = {"is:new", "is:kept", "is:read", "is:dismissed", "is:starred", "has:note", "is:tagged", "is:later"}
#: The "for you" model kept between sessions, in the data directory (rebuilt when missing).
FORYOU_SNAPSHOT = "foryou-model.jsonl"
#: Highlighted rows per page: the index marks titles and excerpts only for these.
HIGHLIGHTED_ROWS = 30

ImportProgress = Callable[[str, int, int], None]
#: What each decision writes to one paper.
DECISIONS: dict[str, Callable[[str], list[Change]]] = {
    "kept": lambda i: [Change(i, "starred", True), Change(i, "status", "kept")],
    "dismissed": lambda i: [Change(i, "status", "dismissed")],
    "read": lambda i: [Change(i, "status", "read")],
    "new": lambda i: [Change(i, "status", "new")],
    "later": lambda i: [Change(i, "later", True)],
    "starred": lambda i: [Change(i, "starred", True)],
    "unstarred": lambda i: [Change(i, "starred", False)],
}


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
        #: Searches the user waits for mark themselves here; background work gives way to them.
        self.foreground = Foreground()
        self._foryou: ForYou | None = None
        self._foryou_lock = threading.Lock()

    @property
    def foryou(self) -> ForYou:
        """The "for you" order: trained from the library's decisions, moved by every write here.

        Made on first use (once, whichever thread asks first), so a command that never ranks
        does not load the ranking room.
        """
        if self._foryou is None:
            with self._foryou_lock:
                if self._foryou is None:
                    from tui.service.foryou import ForYou

                    self._foryou = ForYou(self._library, pause=self.foreground.pause,
                                          snapshot=self.data_dir / FORYOU_SNAPSHOT)
        return self._foryou

    def __enter__(self) -> Service:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        """Close; damage found meanwhile (a write's check, a damaged page SQLite read) is set
        aside with the message the open gives, as a LibraryError(damaged=True)."""
        self.close()
        set_aside_if_damaged(self._library, exc)

    # -- imports -------------------------------------------------------------------------------
    def import_files(self, files: Iterable[str | os.PathLike], reference_date: dt.date | None = None,
                     progress: ImportProgress | None = None) -> list[ImportReport]:
        """Parse and store each digest, one transaction each; the index follows on `upkeep.catch_up()`.

        `progress(file_name, done, total)` reports long imports entry by entry (every 1,000).
        """
        reports = [self._import_one(Path(f), reference_date, progress) for f in files]
        if any(report.added or report.known for report in reports):
            self._counts = None
            if self.foryou.trained:  # the app: a new digest is ranked without extracting it then
                self.foryou.warm()
        self._seen_seq = self._library.current_seq()
        return reports

    def _import_one(self, path: Path, reference_date: dt.date | None,
                    progress: ImportProgress | None) -> ImportReport:
        """Stream one digest into the library; any reading error rolls the digest back."""
        from tui.parsing import open_digest  # only imports need the parsers

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
        if request.sort == Sort.FOR_YOU:
            return self.foryou.page(request, lambda own: self.page(own, cancelled), self.listing_ids,
                                    lambda ids: self._rows(SearchHit(i, 0.0) for i in ids))
        flags = listing_flags(request.query, request.as_you_type)
        if flags is not None:
            return self._listing(request, flags)
        if lists.WATCHED in request.query:
            lists.sync_watches(self._library, self.upkeep.index)  # `is:watched` means the watches of now
        query = request.query
        if request.digest is not None:
            label = self.digest_label(request.digest)
            query = f'({query}) digest:"{label.replace(chr(34), " ")}"' if label else query
        result = self.upkeep.index.search(query, sort=request.sort, limit=request.offset + request.limit,
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
        ids = self._library.list_ids(every, order, request.sort, request.limit, request.offset, request.digest)
        if flags or request.digest is not None:
            total = self._library.count_where(every, request.digest)
        else:
            total = self.counts()[View(request.view)]
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
        self.foryou.catch_up()  # its decisions (and undos) move the "for you" order too
        before = self._counts[View.ALL] if self._counts is not None else None
        self._counts = None
        after = self.counts()[View.ALL]
        return max(after - before, 0) if before is not None else 0

    # -- writes (each one committed at once; the index follows on `upkeep.catch_up()`) ----------
    def set_starred(self, paper_id: str, starred: bool) -> Paper:
        """Star or unstar; returns the updated paper."""
        return self._write(paper_id, lambda: self._library.set_starred(paper_id, starred))

    def set_note(self, paper_id: str, note: str, expected: str | None = None) -> Paper:
        """Save a note; returns the updated paper.

        With `expected` (the note as the editor loaded it), raises ChangedElsewhere when
        another process saved a different note since (see `Library.set_note`).
        """
        return self._write(paper_id, lambda: self._library.set_note(paper_id, note, expected))

    def waiting_at_most(self, seconds: float):
        """A context: writes from this thread wait at most `seconds` for the lock, then LibraryBusy."""
        return self._library.waiting_at_most(seconds)

    def set_status(self, paper_id: str, status: str) -> Paper:
        """Triage: new, kept, dismissed or read; returns the updated paper."""
        return self._write(paper_id, lambda: self._library.set_status(paper_id, status))

    # -- tags, marks on many papers, undo (each one step; the view counts are taken again) -------
    def mark(self, ids: Iterable[str], *, starred: bool | None = None, status: str | None = None,
             note: str | None = None, tag: Iterable[str] = (), untag: Iterable[str] = ()) -> tuple[list[Paper], int]:
        """Star, triage, note and (un)tag every paper in ONE undoable step; returns (papers now, how many changed).

        Tag names are checked first (TagError, a ValueError, names the problem); an unknown id
        is a KeyError and nothing is written.
        """
        ids = list(dict.fromkeys(ids))
        tags, untags = [clean_tag(name) for name in tag], [clean_tag(name) for name in untag]
        if status is not None and status not in set(Status):
            raise ValueError(f"unknown status {status!r}")
        before = self._library.get_many(ids)
        missing = [i for i in ids if i not in before]
        if missing:
            raise KeyError(missing[0])
        changes = [Change(i, kind, value) for i in ids for kind, value in
                   (("starred", starred), ("status", status), ("note", note)) if value is not None]
        changes += [Change(i, TAG_ADD, name) for i in ids for name in tags]
        changes += [Change(i, TAG_REMOVE, name) for i in ids for name in untags]
        after = self._moved(ids, lambda: self._library.apply(changes)) if changes else before
        changed = sum(_marks(before[i]) != _marks(after[i]) for i in ids if i in after)
        return [after[i] for i in ids if i in after], changed

    def add_tag(self, ids: Iterable[str], tag: str) -> list[Paper]:
        """Tag papers (one undoable step however many); returns them as they are now."""
        return self.mark(ids, tag=[tag])[0]

    def remove_tag(self, ids: Iterable[str], tag: str) -> list[Paper]:
        """Take a tag off papers (one undoable step); returns them as they are now."""
        return self.mark(ids, untag=[tag])[0]

    def tags(self) -> list[tuple[str, int]]:
        """Every tag with how many papers carry it, most used first."""
        return self._library.tags()

    def rename_tag(self, old: str, new: str) -> int:
        """Rename (or merge into an existing) tag across the library, one undoable step; papers moved."""
        return self._own_step(lambda: self._library.rename_tag(old, new))

    def delete_tag(self, tag: str) -> int:
        """Take a tag off every paper, one undoable step; how many papers lost it."""
        return self._own_step(lambda: self._library.delete_tag(tag))

    def query_ids(self, query: str, limit: int | None = None) -> tuple[list[str], int, bool]:
        """The ids of the papers a query finds (every one, or at most `limit`), how many it finds in
        all, and whether that number is exact (past `limit` it may be the index's estimate)."""
        want = limit or 1000
        while True:
            page = self.page(SearchRequest(query, View.ALL, Sort.RELEVANCE, limit=want))
            ids = [hit.id for hit, _ in page.rows]
            if len(page.rows) < want:
                return ids, len(ids), True
            if limit is not None or page.exact:
                return ids, max(page.total, len(ids)), page.exact
            want *= 4

    def _own_step(self, write: Callable[[], object]):
        """Run a write of many papers; the counts are taken again, and its change is known as ours."""
        seq = self._library.current_seq()
        result = write()
        if seq == self._seen_seq and self._library.current_seq() == seq + 1:
            self._seen_seq = seq + 1
        self.forget_counts()
        self.foryou.catch_up()  # a tag deleted everywhere may take papers out of the kept side
        return result

    def _write(self, paper_id: str, write: Callable[[], object]) -> Paper:
        """Run one write on one paper (KeyError for an unknown one) and return it as it is after."""
        return self._moved([paper_id], write)[paper_id]

    # -- decisions as undoable steps, digests and the triage queue -----------------------------
    def decide(self, paper_ids: Iterable[str], choice: str) -> dict[str, Paper]:
        """One decision for one paper or many, as ONE undoable step; returns the papers after it.

        `kept` stars and keeps, `dismissed`, `read` and `new` set the state, `later` puts off,
        `starred`/`unstarred` only star or unstar.
        """
        ids = list(dict.fromkeys(paper_ids))
        changes = [change for paper_id in ids for change in DECISIONS[choice](paper_id)]
        return self._moved(ids, lambda: self._library.apply(changes))

    def undo(self) -> tuple[str, dict[str, Paper]] | None:
        """Take back the newest change (of any view, of any earlier session): what it was, and the
        papers as they are after the undo. None when there is nothing left to undo."""
        pending = self._library.next_undo()
        if pending is None:
            return None
        holder: list[Undone | None] = []
        after = self._moved(pending[1], lambda: holder.append(self._library.undo()))
        undone = holder[0]
        if undone is None:
            return None
        return describe_undo(undone.kinds, list(after.values()), undone.values), after

    def _moved(self, ids: list[str], write: Callable[[], object]) -> dict[str, Paper]:
        """Run a write on many papers and move the view counts by exactly what it changed."""
        before = self._library.get_many(ids)
        seq = write()
        seq = seq if isinstance(seq, int) else self._library.current_seq()
        if seq == self._seen_seq + 1:
            self._seen_seq = seq  # ours; a gap means another process wrote in between
        after = self._library.get_many(ids)
        self.foryou.follow(before, after)
        counts = self._counts  # the app writes from a thread while its UI may drop the counts
        if counts is not None:
            for paper_id, now in after.items():
                then = before.get(paper_id, now)
                counts[View.INBOX] += (now.status == "new") - (then.status == "new")
                counts[View.STARRED] += now.starred - then.starred
        return after

    def digests(self) -> list[DigestInfo]:
        """Every imported digest, newest first: its name, date, papers and how many are still new."""
        return self._library.digests()

    def digest_label(self, digest_id: int) -> str | None:
        """A digest's name as the app shows it (and as `digest:` accepts it)."""
        return next((d.label for d in self._library.digests() if d.id == digest_id), None)

    def listing_ids(self, request: SearchRequest, limit: int | None = None) -> list[str]:
        """Every id of a listing (a view, filters, a digest) in its order (or its first `limit`): to pick them all."""
        flags = listing_flags(request.query) or ()
        every = tuple(dict.fromkeys(View(request.view).flags + flags))
        return self._library.list_ids(every, request.view, request.sort, limit=limit, digest=request.digest)

    def first_digest_of(self, paper_id: str) -> int | None:
        """The digest a paper was first seen in (the one the Inbox files it under)."""
        return self._library.first_digest_of(paper_id)

    def triage_queue(self, digest: int | None = None, sort: Sort = Sort.RELEVANCE) -> list[tuple[str, int | None]]:
        """Every new paper in Inbox order (of one digest, or all), each with the digest it is triaged in;
        with `Sort.FOR_YOU`, each digest's papers best first."""
        queue = self._library.queue(digest)
        return self.foryou.order_queue(queue) if sort == Sort.FOR_YOU else queue

    # -- taking the library elsewhere ----------------------------------------------------------
    def export_chunks(self, fmt: str, starred_only: bool = False) -> Iterator[str]:
        """The library (or the reading list) as Markdown, BibTeX, CSV or a JSON backup, piece by piece."""
        from tui.library import export_chunks

        return export_chunks(self._library, fmt, starred_only=starred_only)

    def write_export(self, fmt: str, path: str | os.PathLike, starred_only: bool = False) -> None:
        """Write an export to `path` atomically, streaming it (ExportError: no such directory)."""
        from tui.library import write_export

        write_export(self._library, fmt, path, starred_only=starred_only)

    def restore(self, file: str | os.PathLike) -> str:
        """Load a JSON export into this (empty) library; returns a one-line summary."""
        from tui.library import restore_library

        summary = restore_library(self._library, file)
        self._counts = None
        self.foryou.trained = False
        return summary

    def close(self) -> None:
        """Close the index and the library."""
        self.upkeep.close()
        self._library.close()

    # -- saved searches and watch lists (tui.service.lists) -------------------------------------
    def saved_searches(self, counted: bool = False) -> list[SavedSearch]:
        """Every saved search in the order of its number keys; `counted` fills count and new (slow: a worker)."""
        found = self._library.saved_searches()
        return [self.count_saved(search) for search in found] if counted else found

    def saved_search(self, name: str) -> SavedSearch | None:
        """One saved search by name (any case), or None."""
        return self._library.saved_search(name)

    def count_saved(self, search: SavedSearch) -> SavedSearch:
        """The saved search with how many papers it finds and how many of them are new since it was opened."""
        lists.sync_watches(self._library, self.upkeep.index)
        return lists.counted(self._library, self.upkeep.index, search, listing_flags(search.query))

    def add_saved_search(self, name: str, query: str, sort: str = Sort.RELEVANCE) -> SavedSearch:
        """Save a query and its sort under a new name (ListError: empty, too long or taken)."""
        return self._library.add_saved_search(name, query, sort)

    def update_saved_search(self, name: str, new_name: str | None = None, query: str | None = None,
                            sort: str | None = None) -> SavedSearch:
        """Rename a saved search, or change its query or sort."""
        return self._library.update_saved_search(name, new_name, query, sort)

    def delete_saved_search(self, name: str) -> SavedSearch:
        """Delete a saved search; returns what it was."""
        return self._library.delete_saved_search(name)

    def open_saved_search(self, name: str) -> SavedSearch:
        """Note that a saved search is being opened: from now on only later matches count as new."""
        return self._library.open_saved_search(name)

    def watches(self) -> list[Watch]:
        """Every watched author and keyword."""
        return lists.sync_watches(self._library, self.upkeep.index)

    def add_watch(self, kind: str, text: str) -> tuple[Watch, bool]:
        """Watch an author (by name) or a keyword (any query); returns (the watch, whether it is new)."""
        found = self._library.add_watch(kind, text)
        lists.sync_watches(self._library, self.upkeep.index)
        return found

    def delete_watch(self, kind: str | None, text: str) -> Watch:
        """Stop watching an author or keyword (or a watch by id); ListError when not watched."""
        found = self._library.delete_watch(kind, text)
        lists.sync_watches(self._library, self.upkeep.index)
        return found

    def watch_marks(self, rows: Iterable[tuple[SearchHit | None, Paper]], full: bool = False) -> dict[str, WatchMarks]:
        """The papers some watch matches, each with where to mark it (title, excerpt, authors; `full`: abstract)."""
        return lists.watch_marks(self.upkeep.index, self.watches(), rows, full)

    def complete_marks(self, paper: Paper, marks: WatchMarks) -> WatchMarks:
        """Marks of a list row with the spans in the paper's whole abstract added (the detail pane)."""
        return lists.complete(paper, marks)

    def prepare_watches(self, cancelled: Callable[[], bool] | None = None) -> None:
        """Find once every paper each watch matches, so marking a page is a look-up (call in a worker)."""
        queries = [watch.query for watch in self.watches()]
        if queries:
            self.upkeep.index.prepare([*queries, lists.WATCHED], cancelled)

    def watched_ids(self, ids: Iterable[str]) -> set[str]:
        """The papers among `ids` that any watch matches (as `is:watched` finds them)."""
        self.watches()
        return lists.watched_ids(self.upkeep.index, ids)


def listing_flags(query: str, as_you_type: bool = False) -> tuple[str, ...] | None:
    """The filter flags of a query made only of listable filters (`is:new -has:note tag:gnn`), else None.

    An empty query is the empty tuple: the view as it is. A tag still being typed is a
    prefix, which only the index can match.
    """
    if not query.strip():
        return ()
    root = parse(query, as_you_type=as_you_type).root
    if not isinstance(root, Group) or root.op != "and" or not root.children:
        return None
    flags = []
    for child in root.children:
        negated = isinstance(child, Not)
        node = child.child if negated else child
        name = _listable(node)
        if name is None:
            return None
        flags.append(("-" if negated else "") + name)
    return tuple(flags)


def _listable(node) -> str | None:
    """The library's filter for one query node (`is:new`, `tag:gnn`), or None when it needs the index."""
    if isinstance(node, Flag):
        return node.name if node.name in LISTABLE else None
    if isinstance(node, Word) and node.field == "tags" and not (node.prefix or node.fuzzy or node.typing):
        try:
            return "tag:" + clean_tag(node.text)
        except ValueError:
            return None
    return None


def _marks(paper: Paper) -> tuple:
    """What `mark` may change on a paper (to count the papers it changed)."""
    return paper.starred, paper.status, paper.note, paper.tags
