"""The main screen: search bar, results list, abstract pane; the keys that act on a paper.

Its state (query, view, sort, related-to, reading, the shown page, the index's state) lives
in reactives. The view bar and the status line are bound to them, so nothing redraws by hand;
the slow work runs in the invisible `Searcher`, whose messages carry everything they report.
"""

from __future__ import annotations

import time

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive, var
from textual.screen import Screen
from textual.widgets import Footer, Input

from tui.describe import citation, open_target
from tui.records import Page, Paper, SearchRequest
from tui.textsafe import one_line
from tui.ui.screens.note import NoteEditor
from tui.ui.screens.triage import TriageScreen
from tui.ui.searcher import DEBOUNCE, PAGE, Searcher
from tui.ui.session import Session
from tui.ui.widgets.abstract import AbstractPane
from tui.ui.widgets.results import ResultsList
from tui.ui.widgets.search_bar import SearchBar
from tui.ui.widgets.view_bar import ViewBar
from tui.ui.workers import ReportsWorkerFailures
from tui.vocabulary import Sort, Status, View

#: Every command of this screen, in the order the help screen and the palette list them.
COMMAND_BINDINGS = [
    # A priority binding moves the focus before the keys typed after it are delivered; while
    # the search bar has focus `check_action` turns it off, so "/" is typed as text there.
    Binding("slash", "focus_search", "Search", id="search", key_display="/", priority=True,
            tooltip="Type a query (results follow each keystroke)"),
    Binding("enter", "read", "Read", id="read", tooltip="Into the abstract of the highlighted paper"),
    Binding("escape", "back", "Back", show=False, id="back",
            tooltip="Back to the list (from the search bar, the abstract or related papers)"),
    Binding("s", "toggle_star", "Star", id="star", tooltip="Star or unstar (the reading list)"),
    Binding("n", "edit_note", "Note", id="note", tooltip="Write or edit the note"),
    Binding("r", "toggle_read", "Read/unread", show=False, id="read-toggle", tooltip="Mark read or unread"),
    Binding("x", "dismiss_paper", "Dismiss", show=False, id="dismiss", tooltip="Dismiss (again: back to new)"),
    Binding("t", "triage", "Triage", id="triage", tooltip="Triage the inbox one paper at a time"),
    Binding("o", "open_paper", "Open", show=False, id="open",
            tooltip="Open the code link (else a search for the title) in the browser"),
    Binding("y", "copy_citation", "Copy", show=False, id="copy", tooltip="Copy the title and a one-line citation"),
    Binding("R", "related", "Related", show=False, id="related", tooltip="Papers related to this one"),
    Binding("S", "cycle_sort", "Sort", show=False, id="sort",
            tooltip="Cycle the order: relevance, newest, most upvoted"),
    Binding("1", "show_view('all')", "All", show=False, id="view-all", tooltip="View: all papers"),
    Binding("2", "show_view('inbox')", "Inbox", show=False, id="view-inbox",
            tooltip="View: the inbox (new papers, oldest digest first)"),
    Binding("3", "show_view('starred')", "Reading list", show=False, id="view-starred",
            tooltip="View: the reading list (starred papers with their notes)"),
]
#: Vim-style aliases, never shown in the footer.
ALIAS_BINDINGS = [
    Binding("j", "move(1)", "Down", show=False, id="down-vim"),
    Binding("k", "move(-1)", "Up", show=False, id="up-vim"),
    Binding("g", "move_to('first')", "First", show=False, id="first-vim"),
    Binding("G", "move_to('last')", "Last", show=False, id="last-vim"),
]
#: Seconds after the last edit of the query during which a letter typed on the list still (a
#: typist's pause between keys is well under it) belongs to the query: a user who pressed enter
#: and typed on must not star or dismiss.
TYPING_GRACE = 0.6
#: How often the open app looks for writes by other processes (a CLI import, a fetch, a second app).
LIVE_EVERY = 1.0
#: What the list is ordered by when there is no query to rank by.
LISTING_ORDER = {View.ALL: "digest order, newest first", View.INBOX: "digest order", View.STARRED: "recently starred"}


class LibraryScreen(ReportsWorkerFailures, Screen):
    """Search everything, read abstracts, star, note and triage, all from the keyboard."""

    BINDINGS = COMMAND_BINDINGS + ALIAS_BINDINGS
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide"), (160, "-huge")]

    # The screen draws nothing itself: its state is `var`s, so a change repaints only the widgets
    # bound to it, never the whole screen (a full repaint at every star cost 10-20 ms).
    search_text: reactive[str] = var("", init=False)
    """The search bar's text."""
    view: reactive[View] = var(View.ALL, init=False)
    """The active view: all, inbox (new papers) or starred (the reading list)."""
    sort: reactive[Sort] = var(Sort.RELEVANCE, init=False)
    """Result order: relevance, newest or upvotes."""
    related_to: reactive[str | None] = var(None, init=False)
    """The paper whose related papers are listed, or None for the search results."""
    related_title: reactive[str] = var("", init=False)
    """The title of the paper whose related papers are listed."""
    reading: reactive[bool] = var(False, init=False)
    """Whether the keyboard is in the abstract (full screen on a narrow terminal)."""
    shown: reactive[Page | None] = var(None, init=False, always_update=True)
    """The page of results the list was filled from."""
    counts: reactive[dict] = var(dict, always_update=True)
    """Papers per view, for the view bar."""
    summary: reactive[str] = var("loading…")
    """What the list holds, for the view bar."""
    order_title: reactive[str] = var("")
    """The name of the order the list is in, for the view bar."""
    index_ready: reactive[bool] = var(False)
    """Whether the search index is open (lists work without it)."""
    index_note: reactive[str] = var("")
    """The index build's progress while it runs."""
    index_error: reactive[str] = var("")
    """Why search is unavailable, if it is."""
    status: reactive[str] = var("")
    """The status line under the search bar's hint."""
    status_warning: reactive[bool] = var(False)
    """Whether the status line is a warning."""

    def __init__(self, session: Session, import_files: list[str] | None = None) -> None:
        super().__init__()
        self.session = session
        self.import_files = list(import_files or [])
        self.searcher = Searcher(session)
        self._typed_at = 0.0

    def compose(self) -> ComposeResult:
        yield ViewBar(id="views").data_bind(LibraryScreen.view, LibraryScreen.sort, LibraryScreen.counts,
                                            LibraryScreen.summary, LibraryScreen.order_title)
        yield SearchBar(id="search").data_bind(status=LibraryScreen.status, warning=LibraryScreen.status_warning)
        with Horizontal(id="body"):
            yield ResultsList(id="results")
            yield AbstractPane(id="abstract")
        yield Footer()
        yield self.searcher

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    @property
    def results(self) -> ResultsList:
        return self.query_one(ResultsList)

    @property
    def abstract(self) -> AbstractPane:
        return self.query_one(AbstractPane)

    def on_mount(self) -> None:
        self.results.focus()
        if self.session.service.has_new():
            self.view = View.INBOX  # open on what is new (its watcher lists it)
        else:
            self.start_search()
        self.call_after_refresh(self.searcher.import_at_start, self.import_files)
        self.set_interval(LIVE_EVERY, self.follow_other_writers)

    def follow_other_writers(self) -> None:
        """Another process wrote: refresh counts and list (cursor and query kept), index follows."""
        added = self.session.service.changes_from_elsewhere()
        if added is None:
            return
        if added:
            self.notify(f"{added} new paper{'s' if added != 1 else ''} arrived", markup=False, timeout=5)
        self.session.sync_index()
        if self.related_to is None:
            self.start_search()

    def on_screen_resume(self) -> None:
        """Back from triage, a note or help: redraw what may have changed."""
        if self.is_mounted and self.shown is not None and self.related_to is None:
            self.start_search()

    # -- searching -----------------------------------------------------------------------------
    def start_search(self, delay: float = 0.0, full: bool = False) -> None:
        """Search the query in the view, or list the view when the query is empty.

        Keystrokes search "as you type" (a time budget, the last word as a prefix); `full`
        (enter in the search bar) takes the time to find every match.
        """
        if self.search_text.strip() and not self.index_ready:
            self.searcher.supersede()
            return
        request = SearchRequest(self.search_text, self.view, self.sort, PAGE, as_you_type=not full and bool(self.search_text.strip()))
        self.searcher.search(request, delay)

    def watch_search_text(self, text: str) -> None:
        self.start_search(delay=DEBOUNCE if text.strip() else 0.0)

    def watch_view(self) -> None:
        self.start_search()

    def watch_sort(self) -> None:
        self.start_search()

    def watch_reading(self, reading: bool) -> None:
        self.set_class(reading, "-reading")
        (self.abstract if reading else self.results).focus()

    def compute_order_title(self) -> str:
        if self.related_to is not None:
            return "similarity"
        if self.sort == Sort.RELEVANCE and not self.search_text.strip():
            return LISTING_ORDER[View(self.view)]
        return Sort(self.sort).title

    def compute_status(self) -> str:
        if self.related_to is not None:
            return f"{len(self.results.papers)} papers related to “{self.related_title}” · esc: back to your search"
        text = self._found_line() if self.shown is not None else ""
        if self.index_error:
            return f"{text}  search is unavailable ({self.index_error}); the lists still work".strip()
        if not self.index_ready and (self.index_note or self.search_text.strip()):
            building = "index is being built…" if self.search_text.strip() else "search index:"
            return f"{text}  {building} {self.index_note}".strip()
        return text

    def compute_status_warning(self) -> bool:
        return not (self.shown is not None and self.shown.rows) or not self.index_ready

    def _found_line(self) -> str:
        """What the shown search found: hints, nothing found, did you mean, partial results."""
        page = self.shown
        hint = one_line(page.hint)
        parts = [hint] if hint else []
        if not page.rows and not hint:
            parts.append("No papers match." if page.request.query.strip() else f"{View(self.view).title} is empty.")
        if page.suggestion and page.suggestion not in hint:
            parts.append(f"Did you mean “{one_line(page.suggestion)}”?")
        if page.partial:
            parts.append("(more may match: press enter for a full search)")
        return " · ".join(parts)

    def _summarise(self) -> None:
        """`42 results`, or `100 of 2,341 results` while more are still to load."""
        shown, total = len(self.results.papers), self.results.total
        noun = "result" if total == 1 else "results"
        about = "" if self.shown is None or self.shown.exact else "about "
        self.summary = f"{shown:,} {noun}" if shown >= total else f"{shown:,} of {about}{total:,} {noun}"

    # -- what the searcher reports -------------------------------------------------------------
    @on(Searcher.ResultsReady)
    def show_results(self, message: Searcher.ResultsReady) -> None:
        """Fill the list, keep the cursor on the same paper, and say what the search found."""
        if message.generation != self.searcher.generation:
            return
        page = message.page
        # A refresh of the same search keeps the cursor; a new query, view or order starts at the top.
        same = self.shown is not None and self.related_to is None and self.shown.request == page.request
        keep = self.results.current_id if same else None
        self.related_to = None
        self.results.show(message.rows, show_notes=page.request.view == View.STARRED, keep=keep, total=page.total)
        self.counts, self.shown = message.counts, page
        self._summarise()

    @on(Searcher.MoreReady)
    def show_more(self, message: Searcher.MoreReady) -> None:
        """Add the next page below the loaded rows."""
        if message.generation == self.searcher.generation and self.related_to is None:
            self.results.append(message.rows)
            self._summarise()

    @on(ResultsList.NearEnd)
    def load_next_page(self, message: ResultsList.NearEnd) -> None:
        """The cursor nears the last loaded row: load the next page behind it."""
        if self.shown is not None and self.related_to is None:
            self.searcher.load_more(self.shown.request, message.loaded)

    @on(Searcher.StartupDone)
    def greet(self, message: Searcher.StartupDone) -> None:
        """Say what the start-up import did, then open the index."""
        reports = message.reports
        if message.seeded:
            added = sum(report.added for report in reports)
            self.notify(f"Your library was empty: imported the {len(reports)} bundled sample digests "
                        f"({added} papers).", title="Welcome", markup=False, timeout=8)
        else:
            for report in reports:
                self.notify(one_line(report.line()), markup=False,
                            severity="error" if report.error else "information", timeout=8)
        self.session.service.forget_counts()
        if self.import_files or message.seeded:
            self.view = View.INBOX
        self.start_search()
        self.searcher.open_index()

    @on(Searcher.IndexProgress)
    def show_index_progress(self, message: Searcher.IndexProgress) -> None:
        total = f"/{message.total}" if message.total else ""
        self.index_note = f"indexing {message.done}{total}"

    @on(Searcher.IndexReady)
    def use_index(self, message: Searcher.IndexReady) -> None:
        """Search works from now on; catch up with changes made while the index was built."""
        self.session.index_ready = self.index_ready = True
        self.index_note = ""
        self.session.sync_index()
        if message.notice:
            self.notify(one_line(message.notice), markup=False)
        self.start_search()

    @on(Searcher.IndexFailed)
    def report_index_failure(self, message: Searcher.IndexFailed) -> None:
        self.index_note, self.index_error = "", one_line(message.reason)
        self.notify(f"Search is unavailable: {self.index_error}", severity="error", markup=False, timeout=10)

    @on(Searcher.HighlightsReady)
    def show_highlights(self, message: Searcher.HighlightsReady) -> None:
        shown = self.abstract.paper
        if shown is not None and shown.id == message.paper_id and message.query == self.search_text:
            self.abstract.show(shown, message.title_spans, message.abstract_spans, keep_scroll=True)

    @on(Searcher.RelatedReady)
    def show_related(self, message: Searcher.RelatedReady) -> None:
        self.related_to = message.paper.id
        self.results.show(message.rows, total=len(message.rows))
        self.related_title = one_line(message.paper.title)
        self.summary = f"{len(message.rows)} related"

    # -- what the widgets announce -------------------------------------------------------------
    @on(ResultsList.Highlighted)
    def show_paper(self, message: ResultsList.Highlighted) -> None:
        """The cursor moved: show that paper, and find the query's words in it."""
        paper = self.results.papers.get(message.paper_id) if message.paper_id else None
        hit = self.results.hits.get(message.paper_id) if message.paper_id else None
        self.abstract.show(paper, hit.title_spans if hit else ())
        if paper is not None and self.search_text.strip() and self.index_ready and self.related_to is None:
            self.searcher.highlight(paper, self.search_text)

    @on(ResultsList.Chosen)
    def read_chosen(self) -> None:
        self.action_read()

    @on(SearchBar.Changed)
    def follow_query(self, message: SearchBar.Changed) -> None:
        self._typed_at = time.monotonic()
        self.search_text = message.query

    @on(SearchBar.Done)
    def leave_search_bar(self, message: SearchBar.Done) -> None:
        if message.submitted and self.search_text.strip():
            self.start_search(full=True)
        elif not message.submitted:
            self._typed_at = 0.0  # left on purpose (escape, arrow down): the next letter is a command
        self.results.focus()

    def on_key(self, event: events.Key) -> None:
        """On the list, a letter that is no command, or one typed right after the query, goes on the query."""
        if not self.results.has_focus or not event.is_printable or not event.character:
            return
        binding = self.app.active_bindings.get(event.key)
        # `/` goes to the search bar either way: it is never typed into the query.
        typing = binding is not None and binding.binding.action != "focus_search" \
            and time.monotonic() - self._typed_at < TYPING_GRACE
        if binding is None or typing:
            event.stop()
            event.prevent_default()
            self.search_bar.append(event.character)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`/` is a command on the list and plain text in the search bar."""
        if action == "focus_search" and isinstance(self.focused, Input):
            return False
        return True

    # -- moving around -------------------------------------------------------------------------
    def action_focus_search(self) -> None:
        """Put the cursor in the search bar."""
        self.reading = False
        self.search_bar.query_one("#query").focus()

    def action_back(self) -> None:
        """Escape: leave the search bar or the abstract, or leave related papers."""
        if self.results.has_focus and self.related_to is not None:
            self.related_to = None
            self.start_search()
        self.reading = False
        self.results.focus()

    def action_read(self) -> None:
        """Enter: move into the abstract (full screen on a narrow terminal)."""
        if self.abstract.paper is not None:
            self.reading = True

    def action_move(self, step: int) -> None:
        """j/k: the next or previous paper, or scroll the abstract when it has focus."""
        if self.abstract.has_focus:
            self.abstract.scroll_relative(y=step * 2, animate=False)
        elif step > 0:
            self.results.action_cursor_down()
        else:
            self.results.action_cursor_up()

    def action_move_to(self, where: str) -> None:
        """g/G: first or last paper."""
        (self.results.action_first if where == "first" else self.results.action_last)()

    def action_show_view(self, view: str) -> None:
        """Switch to all papers, the inbox or the reading list (the shown one is listed again)."""
        if self.view == view:
            self.start_search()
        self.view = View(view)
        self.results.focus()

    def action_cycle_sort(self) -> None:
        """Relevance, newest, most upvoted, and round again."""
        self.sort = Sort(self.sort).next()
        self.notify(f"Sorted by {self.sort.title}", markup=False, timeout=2)

    def select_paper(self, paper_id: str) -> None:
        """Put the cursor on a listed paper (used by the command palette)."""
        if self.results.select_paper(paper_id):
            self.results.focus()

    # -- acting on the highlighted paper -------------------------------------------------------
    def _current(self) -> Paper | None:
        paper = self.abstract.paper if self.abstract.has_focus else self.results.current
        if paper is None:
            self.notify("No paper selected.", severity="warning", markup=False, timeout=2)
        return paper

    def apply(self, paper: Paper) -> None:
        """Show a paper's new state everywhere it is visible."""
        self.results.update_paper(paper)
        if self.abstract.paper is not None and self.abstract.paper.id == paper.id:
            self.abstract.refresh_paper(paper)
        self.counts = self.session.counts()

    def action_toggle_star(self) -> None:
        """Star or unstar."""
        if paper := self._current():
            self.apply(self.session.set_starred(paper.id, not paper.starred))

    def action_toggle_read(self) -> None:
        """Mark read, or back to new (unread)."""
        if paper := self._current():
            self.apply(self.session.set_status(paper.id, Status.NEW if paper.status == Status.READ else Status.READ))

    def action_dismiss_paper(self) -> None:
        """Dismiss (or bring a dismissed paper back as new)."""
        if paper := self._current():
            dismissed = paper.status == Status.DISMISSED
            self.apply(self.session.set_status(paper.id, Status.NEW if dismissed else Status.DISMISSED))

    def action_edit_note(self) -> None:
        """Write or edit the note in a modal editor."""
        if paper := self._current():
            def save(text: str, paper_id: str = paper.id) -> None:
                # Written at once; the redraw is queued (it is skipped if the app is closing).
                self.call_later(self.apply, self.session.set_note(paper_id, text))
            self.app.push_screen(NoteEditor(paper, save))

    def action_triage(self) -> None:
        """One new paper at a time, oldest digest first."""
        self.app.push_screen(TriageScreen(self.session))

    def action_open_paper(self) -> None:
        """Open the code link, else a search for the title, in the browser."""
        if paper := self._current():
            url = open_target(paper)
            self.app.open_url(url)
            self.notify(f"Opening {one_line(url)}", markup=False, timeout=3)

    def action_copy_citation(self) -> None:
        """Copy the title and a one-line citation to the clipboard."""
        if paper := self._current():
            self.app.copy_to_clipboard(citation(paper))
            self.notify("Copied the title and citation.", markup=False, timeout=2)

    def action_related(self) -> None:
        """List papers like the highlighted one."""
        if not self.index_ready:
            self.notify("The search index is still being built.", severity="warning", markup=False)
        elif paper := self._current():
            self.searcher.related(paper)
