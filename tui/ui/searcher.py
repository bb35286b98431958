"""The library screen's background work: start-up imports, the index, searches, pages, highlights.

`Searcher` is an invisible widget. Each kind of work runs in its own worker group (a new
search must never cancel the index build) and ends by posting one message that carries
all its data, so the screen never asks back. Stale work is dropped by generation number.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import time
from dataclasses import dataclass, field

from textual import on, work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from tui.library import LibraryError
from tui.records import ImportReport, Page, Paper, SearchRequest, Span, WatchMarks
from tui.service import finish_opening
from tui.textsafe import one_line
from tui.ui.session import Session
from tui.ui.widgets.results import Row, build_rows
from tui.vocabulary import View

#: Pause after a keystroke before searching; the next keystroke cancels the wait. Zero: a
#: keystroke's search starts at once (it is a title-prefix search under a time budget, 5-30 ms
#: at 100k papers), and a newer keystroke stops it early through its `cancelled` check, so
#: waiting would only add to what the user waits for.
DEBOUNCE = 0.0
#: Rows fetched per page: three to four screens of two-line rows in a 36-line terminal; the
#: next page comes on demand (see results.NEAR_END), so a keystroke never loads or draws more
#: than the user can see soon. Each row costs about 0.15 ms to fetch and draw at 100k papers.
PAGE = 50
#: Extra attempts for a keystroke search cut short by its time budget (a cold searcher, a busy
#: machine): tried again on the now-warm searcher before it is shown as final.
SETTLE_TRIES = 2
#: The fewest seconds between two "indexing n/m" updates.
PROGRESS_EVERY = 0.1
#: How long closing the screen waits for a running search to stop (it checks often).
UNMOUNT_WAIT_S = 5.0
#: Related papers listed for `R`.
RELATED = 50


#: The thread searches run in (one at a time; see `_run_search`).
_SEARCH_THREAD = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="search")


class Searcher(Widget):
    """Runs the slow work of one library screen in workers and announces each result."""

    DEFAULT_CSS = "Searcher { display: none; }"

    @dataclass
    class ResultsReady(Message):
        """A search or listing finished (dropped unless `generation` is still the latest)."""

        generation: int
        page: Page
        rows: list[Row]
        counts: dict[View, int]
        marks: dict[str, WatchMarks] = field(default_factory=dict)

    @dataclass
    class MoreReady(Message):
        """The next page of the shown results."""

        generation: int
        rows: list[Row]
        marks: dict[str, WatchMarks] = field(default_factory=dict)

    @dataclass
    class StartupDone(Message):
        """Start-up imports finished; `seeded` when the bundled samples filled an empty library."""

        reports: list[ImportReport]
        seeded: bool

    @dataclass
    class IndexProgress(Message):
        """The index build advanced."""

        done: int
        total: int | None

    @dataclass
    class IndexReady(Message):
        """The index is open and up to date; `notice` says what happened, if anything visible."""

        notice: str | None

    @dataclass
    class IndexFailed(Message):
        """The index could not be opened or built; lists still work from the library."""

        reason: str

    @dataclass
    class HighlightsReady(Message):
        """Highlights of the shown paper for a query."""

        paper_id: str
        query: str
        title_spans: tuple[Span, ...]
        abstract_spans: tuple[Span, ...]

    @dataclass
    class RelatedReady(Message):
        """Papers like `paper`."""

        paper: Paper
        rows: list[Row] = field(default_factory=list)

    @dataclass
    class Notice(Message):
        """Something the user should know that is no error (a start-up backup not made)."""

        text: str

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        #: Bumped by every new search; results of an older one are never shown.
        self.generation = 0
        #: The search thread running now, if any (a superseded one runs on until its next check).
        self._in_flight: concurrent.futures.Future | None = None

    # -- start-up ------------------------------------------------------------------------------
    @dataclass
    class LibraryDamaged(Message):
        """The integrity check left for after the first paint found the library damaged."""

        reason: str

    @work(thread=True, exclusive=True, group="import", exit_on_error=False, name="import")
    def import_at_start(self, files: list[str]) -> None:
        """Check and back up the library (after the first paint), then import the digests named
        on the command line, or the seeds into an empty library."""
        service = self.session.service
        try:
            notices = finish_opening(service)
        except LibraryError as exc:
            if not exc.damaged:
                raise
            self.post_message(self.LibraryDamaged(str(exc)))
            return
        for notice in notices:
            self.post_message(self.Notice(notice))
        if files:
            reports, seeded = service.import_files(files), False
        else:
            reports = service.import_seeds_if_empty()
            seeded = bool(reports)
        self.post_message(self.StartupDone(reports, seeded))

    @work(thread=True, exclusive=True, group="index", exit_on_error=False, name="index")
    def open_index(self) -> None:
        """Open, build or catch up the index, reporting progress; stops when the app quits."""
        worker = get_current_worker()
        last = 0.0

        def progress(done: int, total: int | None) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY or (total and done >= total):
                last = now
                self.post_message(self.IndexProgress(done, total))

        try:
            notice = self.session.service.upkeep.ensure(progress=progress, cancelled=lambda: worker.is_cancelled)
        except Exception as exc:  # e.g. another paper-reader is writing the index right now
            self.post_message(self.IndexFailed(f"{type(exc).__name__}: {exc}"))
            return
        if not worker.is_cancelled:
            self.post_message(self.IndexReady(notice))

    def on_unmount(self) -> None:
        """Let a search still running stop before the app closes the library under it."""
        self.supersede()
        if self._in_flight is not None:
            concurrent.futures.wait([self._in_flight], timeout=UNMOUNT_WAIT_S)

    @on(Notice)
    def _show_notice(self, message: Notice) -> None:
        self.notify(one_line(message.text), severity="warning", markup=False, timeout=8)

    @on(LibraryDamaged)
    def _close_damaged(self, message: LibraryDamaged) -> None:
        """Nothing was written to it: leave, and let `run_app` set the file aside and say how to restore."""
        self.app.exit(message.reason, return_code=1)

    # -- searching -----------------------------------------------------------------------------
    def search(self, request: SearchRequest, delay: float = 0.0) -> None:
        """Search (or list) after `delay`; a newer call supersedes this one, wait included."""
        self.generation += 1
        self._run_search(self.generation, request, delay)

    def supersede(self) -> None:
        """Make every search in flight stale (its results will not replace what is shown)."""
        self.generation += 1

    @work(exclusive=True, group="search", exit_on_error=False, name="search")
    async def _run_search(self, generation: int, request: SearchRequest, delay: float) -> None:
        """Wait out the debounce (cancelled by the next keystroke), search in a thread, draw rows."""
        if delay:
            await asyncio.sleep(delay)
        def stale() -> bool:
            return generation != self.generation

        # One search thread at a time: while a superseded one stops (at its next `cancelled`
        # check), keystrokes pile up here and only the newest of them searches next.
        while self._in_flight is not None and not self._in_flight.done():
            await asyncio.wait([asyncio.wrap_future(self._in_flight)])
        if stale():
            return
        self._in_flight = _SEARCH_THREAD.submit(self._found, request, stale)
        found = await asyncio.wrap_future(self._in_flight)
        if found is None or stale():
            return  # superseded: no rows are drawn for it
        page, rows, counts, marks = found
        self.post_message(self.ResultsReady(generation, page, rows, counts, marks))

    def _found(self, request: SearchRequest, stale) -> tuple[Page, list[Row], dict[View, int], dict] | None:
        """In a thread: the page (tried again while cut short), its rows drawn, the view counts, the watch marks.

        Nothing of it runs on the event loop, so the keys typed meanwhile are never held up, and
        background work (training "for you") gives way to it while it runs.
        """
        with self.session.service.foreground.busy():
            return self._found_now(request, stale)

    def _found_now(self, request: SearchRequest, stale) -> tuple[Page, list[Row], dict[View, int], dict] | None:
        page = self._page(request, stale)
        for _ in range(SETTLE_TRIES):
            if not page.partial or stale():
                break
            page = self._page(request, stale)
        if stale():
            return None
        marks = self.watch_marks(page)
        if stale():
            return None
        rows = build_rows(page.rows, show_notes=request.view == View.STARRED, marks=marks)
        return page, rows, self.session.counts(), marks

    def _page(self, request: SearchRequest, cancelled=None) -> Page:
        """One page; a query the index cannot read is a typing state, never an error dialog."""
        try:
            return self.session.page(request, cancelled)
        except Exception:
            return Page(request, (), 0, hint="Cannot read this query yet: keep typing.")

    def watch_marks(self, page: Page) -> dict[str, WatchMarks]:
        """Where watched authors and keywords match the page's papers (decoration: never fails the page)."""
        try:
            return self.session.service.watch_marks(page.rows)
        except Exception:
            return {}

    @work(thread=True, exclusive=True, group="more", exit_on_error=False, name="more results")
    def load_more(self, request: SearchRequest, offset: int) -> None:
        """Fetch and draw the page of the shown results that starts at `offset`."""
        generation = self.generation
        with self.session.service.foreground.busy():
            page = self._page(dataclasses.replace(request, offset=offset))
            marks = self.watch_marks(page)
            rows = build_rows(page.rows, show_notes=request.view == View.STARRED, marks=marks)
        if not get_current_worker().is_cancelled and generation == self.generation:
            self.post_message(self.MoreReady(generation, rows, marks))

    @work(thread=True, exclusive=True, group="highlight", exit_on_error=False, name="highlight")
    def highlight(self, paper: Paper, query: str) -> None:
        """Find the query's words in the shown paper's title and abstract."""
        service = self.session.service
        title, abstract = service.highlight(paper.title, query), service.highlight(paper.abstract, query)
        if not get_current_worker().is_cancelled:
            self.post_message(self.HighlightsReady(paper.id, query, tuple(title), tuple(abstract)))

    @work(thread=True, exclusive=True, group="related", exit_on_error=False, name="related")
    def related(self, paper: Paper) -> None:
        """Papers most like `paper`."""
        self.supersede()  # a search still in flight must not replace these
        page = self.session.service.related(paper.id, limit=RELATED)
        self.post_message(self.RelatedReady(paper, build_rows(page.rows)))
