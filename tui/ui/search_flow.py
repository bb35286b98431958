"""The library screen's background work: start-up imports, the index build, searches, highlights."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from tui.records import ImportReport, Page, Paper, SearchRequest, Span
from tui.textsafe import one_line
from tui.ui.widgets.results import Row, build_rows

#: Pause after a keystroke before searching; the next keystroke cancels the wait.
DEBOUNCE = 0.12
#: Rows fetched per page: about five screens of two-line rows; the next page comes on demand,
#: so a keystroke never loads or draws more than the user can see soon.
PAGE = 100
#: Extra attempts for a keystroke search cut short by its time budget.
SETTLE_TRIES = 2
#: The fewest seconds between two "indexing n/m" updates.
PROGRESS_EVERY = 0.1


@dataclass
class ResultsReady(Message):
    """A search finished (dropped unless `generation` is still the latest)."""

    generation: int
    page: Page
    rows: list[Row]
    counts: dict[str, int]


@dataclass
class MoreReady(Message):
    """The next page of the shown results (dropped unless `generation` is still the latest)."""

    generation: int
    rows: list[Row]


@dataclass
class StartupDone(Message):
    """Start-up imports finished."""

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
    """Highlights of the shown paper for the current query."""

    paper_id: str
    query: str
    title_spans: tuple[Span, ...]
    abstract_spans: tuple[Span, ...]


@dataclass
class RelatedReady(Message):
    """Papers like `paper`."""

    paper: Paper
    rows: list[Row] = field(default_factory=list)


class SearchFlow:
    """Mixin for the library screen: every slow call runs in a thread worker with its own group.

    Groups never overlap (an exclusive search must not cancel the index build), and results
    carry a generation number so a stale search can never overwrite a newer one.
    """

    generation = 0

    # -- start-up ------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="import", exit_on_error=False, name="import")
    def run_startup(self, files: list[str]) -> None:
        """Import the digests named on the command line, or the seeds into an empty library."""
        service = self.session.service
        if files:
            reports, seeded = service.import_files(files), False
        else:
            reports = service.import_seeds_if_empty()
            seeded = bool(reports)
        self.post_message(StartupDone(reports, seeded))

    @work(thread=True, exclusive=True, group="index", exit_on_error=False, name="index")
    def run_index(self) -> None:
        """Open, build or catch up the index, reporting progress; stops when the app quits."""
        worker = get_current_worker()
        last = 0.0

        def progress(done: int, total: int | None) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY or (total and done >= total):
                last = now
                self.post_message(IndexProgress(done, total))

        try:
            notice = self.session.service.upkeep.ensure(progress=progress, cancelled=lambda: worker.is_cancelled)
        except Exception as exc:  # e.g. another paper-reader is writing the index right now
            self.post_message(IndexFailed(f"{type(exc).__name__}: {exc}"))
            return
        if not worker.is_cancelled:
            self.post_message(IndexReady(notice))

    # -- searching -----------------------------------------------------------------------------
    def start_search(self, delay: float = 0.0, full: bool = False) -> None:
        """Search again for the current query, view and sort; newer calls supersede older ones.

        Keystrokes search "as you type" (a time budget, the last word as a prefix); `full`
        (enter in the search bar) takes the time to find every match.
        """
        self.generation += 1
        query = self.search_bar.query
        if query.strip() and not self.session.index_ready:
            self.refresh_status()
            return
        self.run_search(self.generation, query, self.view, self.sort, delay, typing=not full)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, name="search")
    def run_search(self, generation: int, query: str, view: str, sort: str, delay: float, typing: bool) -> None:
        """Wait out the debounce, search, load the papers; post them unless superseded."""
        worker = get_current_worker()
        if delay:
            time.sleep(delay)
        if worker.is_cancelled or generation != self.generation:
            return
        request = SearchRequest(query, view, sort, PAGE, as_you_type=typing and bool(query.strip()))
        page = self._search(request)
        for _ in range(SETTLE_TRIES):
            # A keystroke search that ran out of its time budget (a cold searcher, a busy
            # machine) is tried again on the now-warm searcher before it is shown as final.
            if not page.partial or worker.is_cancelled or generation != self.generation:
                break
            page = self._search(request)
        counts = self.session.counts()
        if worker.is_cancelled or generation != self.generation:
            return
        rows = build_rows(page.rows, show_notes=view == "starred")
        if not worker.is_cancelled and generation == self.generation:
            self.post_message(ResultsReady(generation, page, rows, counts))

    def _search(self, request: SearchRequest) -> Page:
        """One search; a query the index cannot read is a typing state, never an error dialog."""
        try:
            return self.session.service.page(request)
        except Exception:
            return Page(request, (), 0, hint="Cannot read this query yet: keep typing.")

    @work(thread=True, exclusive=True, group="more", exit_on_error=False, name="more results")
    def run_more(self, generation: int, request: SearchRequest) -> None:
        """Fetch and draw the next page of the shown results."""
        page = self._search(request)
        rows = build_rows(page.rows, show_notes=request.view == "starred")
        if not get_current_worker().is_cancelled and generation == self.generation:
            self.post_message(MoreReady(generation, rows))

    @work(thread=True, exclusive=True, group="highlight", exit_on_error=False, name="highlight")
    def run_highlights(self, paper: Paper, query: str) -> None:
        """Find the query's words in the shown paper's title and abstract."""
        service = self.session.service
        title, abstract = service.highlight(paper.title, query), service.highlight(paper.abstract, query)
        if not get_current_worker().is_cancelled:
            self.post_message(HighlightsReady(paper.id, query, tuple(title), tuple(abstract)))

    @work(thread=True, exclusive=True, group="related", exit_on_error=False, name="related")
    def run_related(self, paper: Paper) -> None:
        """Papers most like `paper`."""
        page = self.session.service.related(paper.id, limit=50)
        self.post_message(RelatedReady(paper, build_rows(page.rows)))

    # -- results arrive on the UI thread (handlers found by name: this mixin is no Widget) ----
    def on_startup_done(self, message: StartupDone) -> None:
        reports = message.reports
        if message.seeded:
            added = sum(report.added for report in reports)
            self.notify(f"Your library was empty: imported the {len(reports)} bundled sample digests "
                        f"({added} papers).", title="Welcome", markup=False, timeout=8)
        else:
            for report in reports:
                self.notify(one_line(report.line()), markup=False,
                            severity="error" if report.error else "information", timeout=8)
        if self.import_files:
            self.view = "inbox"
        self.start_search()
        self.run_index()

    def on_index_progress(self, message: IndexProgress) -> None:
        total = f"/{message.total}" if message.total else ""
        self.session.index_progress = f"indexing {message.done}{total}"
        self.refresh_status()

    def on_index_ready(self, message: IndexReady) -> None:
        self.session.index_ready = True
        self.session.index_progress = ""
        self.refresh_status()
        self.session.sync_index()  # changes made while the index was being built
        if message.notice:
            self.notify(one_line(message.notice), markup=False)
        self.start_search()

    def on_index_failed(self, message: IndexFailed) -> None:
        self.session.index_progress = ""
        self.session.index_error = one_line(message.reason)
        self.notify(f"Search is unavailable: {self.session.index_error}", severity="error", markup=False,
                    timeout=10)
        self.refresh_status()

    def on_results_ready(self, message: ResultsReady) -> None:
        if message.generation != self.generation:
            return
        self.related_to = None
        self.show_results(message.page, message.rows, message.counts)

    def on_more_ready(self, message: MoreReady) -> None:
        if message.generation == self.generation and self.related_to is None:
            self.results.append(message.rows)
            self.refresh_view_bar(self.results_summary())

    def on_highlights_ready(self, message: HighlightsReady) -> None:
        shown = self.abstract.paper
        if shown is not None and shown.id == message.paper_id and message.query == self.search_bar.query:
            self.abstract.show(shown, message.title_spans, message.abstract_spans, keep_scroll=True)

    def on_related_ready(self, message: RelatedReady) -> None:
        self.generation += 1  # a search still in flight must not replace these
        self.related_to = message.paper.id
        self.results.show(message.rows)
        title = one_line(message.paper.title)
        self.search_bar.set_status(f"{len(message.rows)} papers related to “{title}” · esc: back to your search")
        self.refresh_view_bar(f"{len(message.rows)} related")
