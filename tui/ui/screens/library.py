"""The main screen: search bar, results list, abstract pane; the keys that act on a paper.

Its state (query, view, sort, related-to, reading, the shown page, the index's state) lives
in reactives. The view bar and the status line are bound to them, so nothing redraws by hand;
the slow work runs in the invisible `Searcher`, whose messages carry everything they report.
"""

from __future__ import annotations

import time
from dataclasses import replace

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive, var
from textual.screen import Screen
from textual.widgets import Footer, Input

from tui.describe import citation, open_target, pdf_target
from tui.records import Page, Paper, SearchRequest
from tui.textsafe import one_line
from tui.ui.screens.confirm import Confirm
from tui.ui.screens.digests import DigestChoice, DigestsScreen
from tui.ui.screens.lists_keys import LIST_COMMANDS, SAVED_BINDINGS, ListKeys
from tui.ui.screens.note import NoteEditor
from tui.ui.screens.tags import TagEditor
from tui.ui.screens.triage import TriageScreen
from tui.ui import heap
from tui.ui.searcher import DEBOUNCE, PAGE, Searcher
from tui.ui.session import Session
from tui.ui.widgets.abstract import AbstractPane
from tui.ui.widgets.results import ResultsList
from tui.ui.widgets.saved_bar import SavedCounter
from tui.ui.widgets.search_bar import SearchBar
from tui.ui.widgets.view_bar import ViewBar
from tui.ui.workers import ReportsWorkerFailures
from tui.vocabulary import Sort, Status, View

#: While the reader types, the detail pane follows the list this long after its last change.
DETAIL_WHILE_TYPING_S = 0.12
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
    Binding("T", "edit_tags", "Tags", show=False, id="tag", tooltip="Add or remove tags (completes your tags)"),
    Binding("o", "open_paper", "Open", show=False, id="open",
            tooltip="Open the arXiv page, else the code link, else a search for the title, in the browser"),
    Binding("O", "open_pdf", "PDF", show=False, id="open-pdf", tooltip="Open the PDF (arXiv papers) in the browser"),
    Binding("y", "copy_citation", "Copy", show=False, id="copy", tooltip="Copy the title and a one-line citation"),
    Binding("R", "related", "Related", show=False, id="related", tooltip="Papers related to this one"),
    Binding("S", "cycle_sort", "Sort", show=False, id="sort",
            tooltip="Cycle the order: relevance, newest, most upvoted, for you"),
    Binding("u", "undo", "Undo", id="undo", tooltip="Undo the last change (star, decision, note, bulk), again and again"),
    Binding("ctrl+z", "undo", "Undo", show=False, id="undo-ctrl", tooltip="Undo the last change"),
    Binding("space", "toggle_selected", "Select", show=False, id="select",
            tooltip="Pick the paper for a bulk decision (then s, x or r act on every picked paper)"),
    Binding("ctrl+a", "select_all", "Select all", show=False, id="select-all",
            tooltip="Pick every paper of the list (again: pick none)"),
    Binding("d", "digests", "Digests", id="digests", tooltip="The digests, newest first: list or triage one"),
    Binding("left_square_bracket", "step_digest(-1)", "Newer digest", show=False, id="digest-previous",
            key_display="[", tooltip="The previous (newer) digest"),
    Binding("right_square_bracket", "step_digest(1)", "Older digest", show=False, id="digest-next",
            key_display="]", tooltip="The next (older) digest"),
    Binding("less_than_sign", "resize_list(-1)", "Narrower list", show=False, id="list-narrower", key_display="<",
            tooltip="Give the abstract more room"),
    Binding("greater_than_sign", "resize_list(1)", "Wider list", show=False, id="list-wider", key_display=">",
            tooltip="Give the list more room (long titles)"),
    Binding("1", "show_view('all')", "All", show=False, id="view-all", tooltip="View: all papers"),
    Binding("2", "show_view('inbox')", "Inbox", show=False, id="view-inbox",
            tooltip="View: the inbox (new papers, oldest digest first)"),
    Binding("3", "show_view('starred')", "Reading list", show=False, id="view-starred",
            tooltip="View: the reading list (starred papers with their notes)"),
]
COMMAND_BINDINGS += LIST_COMMANDS
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
#: From this width on the footer has room for more keys: these are shown too.
WIDE_FOOTER = 150
WIDE_FOOTER_KEYS = frozenset({"read-toggle", "dismiss", "open", "related", "sort", "select"})
#: A bulk decision on more papers than this asks first.
BULK_CONFIRM = 25
#: What the list is ordered by when there is no query to rank by.
LISTING_ORDER = {View.ALL: "digest order, newest first", View.INBOX: "digest order", View.STARRED: "recently starred"}


class LibraryScreen(ReportsWorkerFailures, ListKeys, Screen):
    """Search everything, read abstracts, star, note and triage, all from the keyboard."""

    BINDINGS = COMMAND_BINDINGS + ALIAS_BINDINGS + SAVED_BINDINGS
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
    digest: reactive[object | None] = var(None, init=False)
    """The digest (a DigestInfo) whose papers are listed, or None for every digest."""
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
    fetch_note: reactive[str] = var("")
    """A running fetch's progress (`fetching cs.LG… 2/3`), set by the app."""
    status: reactive[str] = var("")
    """The status line under the search bar's hint."""
    split: reactive[int] = var(0, init=False)
    """The list's share of the width in tenths (0: the layout's own split)."""
    status_warning: reactive[bool] = var(False)
    """Whether the status line is a warning."""
    waiting: reactive[str] = var("")
    """Changes not saved yet because another writer holds the library (shown first in the status line)."""
    suggestion: reactive[str] = var("")
    """The shown search's "did you mean" query, which tab in the search bar accepts."""
    saved: reactive[tuple] = var(tuple, always_update=True)
    """The saved searches with their counts, for the view bar (keys 4-9)."""
    saved_name: reactive[str] = var("")
    """The saved search the list shows, or "" (typing or a view key leaves it)."""

    def __init__(self, session: Session, import_files: list[str] | None = None) -> None:
        super().__init__()
        self.session = session
        self.import_files = list(import_files or [])
        self.searcher = Searcher(session)
        self._typed_at = 0.0
        #: Where the cursor was (paper id, rows loaded) before related papers were listed.
        self._back_to: tuple[str | None, int] | None = None
        self._wide_footer = False
        #: The detail pane's update waiting while the reader types (see `show_paper`).
        self._detail_timer = None
        self._detail_for: str | None = None

    def compose(self) -> ComposeResult:
        yield ViewBar(id="views").data_bind(LibraryScreen.view, LibraryScreen.sort, LibraryScreen.counts,
                                            LibraryScreen.summary, LibraryScreen.order_title,
                                            LibraryScreen.saved, LibraryScreen.saved_name)
        yield SearchBar(id="search").data_bind(status=LibraryScreen.status, warning=LibraryScreen.status_warning,
                                               suggestion=LibraryScreen.suggestion)
        with Horizontal(id="body"):
            yield ResultsList(id="results")
            yield AbstractPane(id="abstract")
        yield Footer()
        yield self.searcher
        yield SavedCounter(self.session)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    @property
    def results(self) -> ResultsList:
        return self.query_one(ResultsList)

    @property
    def abstract(self) -> AbstractPane:
        return self.query_one(AbstractPane)

    def on_resize(self, event: events.Resize) -> None:
        self.show_more_keys(event.size.width >= WIDE_FOOTER)

    def show_more_keys(self, wide: bool) -> None:
        """A wide terminal's footer also shows read, dismiss, open, related, sort and select."""
        if wide == self._wide_footer:
            return
        self._wide_footer = wide
        keys = self._bindings.key_to_bindings  # this screen's own copy (the lists are shared: replace them)
        for key, bindings in list(keys.items()):
            keys[key] = [replace(b, show=wide) if b.id in WIDE_FOOTER_KEYS else b for b in bindings]
        self.refresh_bindings()

    def on_mount(self) -> None:
        self.results.focus()
        if self.session.service.has_new():
            self.view = View.INBOX  # open on what is new (its watcher lists it)
        else:
            self.start_search()
        self.call_after_refresh(self.searcher.import_at_start, self.import_files)
        self.set_interval(LIVE_EVERY, self.follow_other_writers)
        self.count_saved()

    def follow_other_writers(self) -> None:
        """Another process wrote: refresh counts and list (cursor and query kept), index follows."""
        added = self.session.service.changes_from_elsewhere()
        if added is None:
            return
        if added:
            self.notify(f"{added} new paper{'s' if added != 1 else ''} arrived", markup=False, timeout=5)
            self.session.prepare_ranking()
        self.session.sync_index()
        self.count_saved()
        if self.related_to is None:
            self.start_search()

    def on_screen_resume(self) -> None:
        """Back from triage, a note or help: redraw what may have changed."""
        if self.is_mounted and self.shown is not None and self.related_to is None:
            self.start_search()
        self.count_saved()

    # -- searching -----------------------------------------------------------------------------
    def start_search(self, delay: float = 0.0, full: bool = False, rows: int = PAGE) -> None:
        """Search the query in the view, or list the view when the query is empty.

        Keystrokes search "as you type" (a time budget, the last word as a prefix); `full`
        (enter in the search bar) takes the time to find every match.
        """
        if self.search_text.strip() and not self.index_ready:
            self.searcher.supersede()
            return
        request = SearchRequest(self.search_text, self.view, self.sort, max(rows, PAGE),
                                as_you_type=not full and bool(self.search_text.strip()),
                                digest=self.digest.id if self.digest is not None else None)
        self.searcher.search(request, delay)

    def watch_search_text(self, text: str) -> None:
        self.start_search(delay=DEBOUNCE if text.strip() else 0.0)

    def watch_view(self) -> None:
        self.start_search()

    def watch_sort(self, sort: Sort) -> None:
        self.abstract.explain = self.session.service.foryou.explain if sort == Sort.FOR_YOU else None
        if self.abstract.paper is not None:
            self.abstract.refresh_paper(self.abstract.paper)
        self.start_search()

    def watch_digest(self) -> None:
        self.results.clear_selection()
        self.start_search()

    def watch_reading(self, reading: bool) -> None:
        self.set_class(reading, "-reading")
        (self.abstract if reading else self.results).focus()

    def compute_order_title(self) -> str:
        if self.related_to is not None:
            return "similarity"
        if self.sort == Sort.RELEVANCE and not self.search_text.strip():
            return "digest order" if self.digest is not None else LISTING_ORDER[View(self.view)]
        if self.sort == Sort.FOR_YOU:
            return self.session.service.foryou.label
        return Sort(self.sort).title

    def compute_status(self) -> str:
        return " · ".join(part for part in (self.waiting, self._status_line()) if part)

    def _status_line(self) -> str:
        if self.related_to is not None:
            return f"{len(self.results.papers)} papers related to “{self.related_title}” · esc: back to your search"
        found = self._found_line() if self.shown is not None else ""
        text = " · ".join(part for part in (self.fetch_note, found) if part)
        if self.index_error:
            return f"{text}  search is unavailable ({self.index_error}); the lists still work".strip()
        if not self.index_ready and (self.index_note or self.search_text.strip()):
            building = "index is being built…" if self.search_text.strip() else "search index:"
            return f"{text}  {building} {self.index_note}".strip()
        return text

    def compute_suggestion(self) -> str:
        page = self.shown
        return page.suggestion if page is not None and page.suggestion and self.related_to is None else ""

    def compute_status_warning(self) -> bool:
        return bool(self.waiting) or not (self.shown is not None and self.shown.rows) or not self.index_ready

    def _found_line(self) -> str:
        """What the shown search found: hints, nothing found, did you mean, partial results."""
        page = self.shown
        hint = one_line(page.hint)
        parts = [hint] if hint else []
        if not page.rows and not hint:
            parts.append("No papers match." if page.request.query.strip() else f"{View(self.view).title} is empty.")
        if page.suggestion and page.suggestion not in hint:
            parts.append(f"Did you mean “{one_line(page.suggestion)}”? (tab: yes)")
        if page.partial:
            parts.append("(more may match: press enter for a full search)")
        return " · ".join(parts)

    def _summarise(self) -> None:
        """`42 results`, or `100 of 2,341 results` while more are still to load."""
        shown, total = len(self.results.papers), self.results.total
        noun = "result" if total == 1 else "results"
        about = "" if self.shown is None or self.shown.exact else "about "
        summary = f"{shown:,} {noun}" if shown >= total else f"{shown:,} of {about}{total:,} {noun}"
        if self.digest is not None:
            summary += f" in {one_line(self.digest.label)}"
        if self.results.selected:
            summary += f" · {len(self.results.selected):,} picked"
        self.summary = summary

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
        if self._back_to is not None:  # back from related papers: the cursor where it was
            keep, self._back_to = self._back_to[0], None
        self.related_to = None
        self.results.show(message.rows, show_notes=page.request.view == View.STARRED, keep=keep, total=page.total,
                          marks=message.marks)
        self.counts, self.shown = message.counts, page
        self._summarise()

    @on(Searcher.MoreReady)
    def show_more(self, message: Searcher.MoreReady) -> None:
        """Add the next page below the loaded rows."""
        if message.generation == self.searcher.generation and self.related_to is None:
            self.results.append(message.rows, message.marks)
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
        heap.keep_built()  # the opened index's readers and caches last until the next write
        self.session.sync_index()
        if message.notice:
            self.notify(one_line(message.notice), markup=False)
        self.start_search()
        self.count_saved()

    @on(Searcher.IndexFailed)
    def report_index_failure(self, message: Searcher.IndexFailed) -> None:
        self.index_note, self.index_error = "", one_line(message.reason)
        self.notify(f"Search is unavailable: {self.index_error}", severity="error", markup=False, timeout=10)

    @on(Searcher.HighlightsReady)
    def show_highlights(self, message: Searcher.HighlightsReady) -> None:
        shown = self.abstract.paper
        if shown is not None and shown.id == message.paper_id and message.query == self.search_text:
            self.abstract.show(shown, message.title_spans, message.abstract_spans, keep_scroll=True,
                               watch=self.abstract.watch)

    @on(Searcher.RelatedReady)
    def show_related(self, message: Searcher.RelatedReady) -> None:
        self.related_to = message.paper.id
        self.results.show(message.rows, total=len(message.rows))
        self.related_title = one_line(message.paper.title)
        self.summary = f"{len(message.rows)} related"

    # -- what the widgets announce -------------------------------------------------------------
    @on(ResultsList.Highlighted)
    def show_paper(self, message: ResultsList.Highlighted) -> None:
        """The cursor moved: show that paper, and find the query's words in it.

        While the reader types, each keystroke's list paints first and the detail pane follows
        once the typing pauses (DETAIL_WHILE_TYPING_S): laying out a new card costs a frame of its
        own, and the cards of the results in between are never looked at.
        """
        self._cancel_detail()
        if isinstance(self.focused, Input) and self.search_text.strip():
            self._detail_for = message.paper_id
            self._detail_timer = self.set_timer(DETAIL_WHILE_TYPING_S, self._show_waiting_detail)
            return
        self._show_detail(message.paper_id)

    def _cancel_detail(self) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None

    def _show_waiting_detail(self) -> None:
        self._detail_timer = None
        self._show_detail(self._detail_for)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving the search bar: the detail pane shows the highlighted paper at once."""
        if self._detail_timer is not None and isinstance(event.widget, Input):
            self._cancel_detail()
            self._show_detail(self._detail_for)

    def _show_detail(self, paper_id: str | None) -> None:
        paper = self.results.papers.get(paper_id) if paper_id else None
        hit = self.results.hits.get(paper_id) if paper_id else None
        watch = self.results.marks.get(paper_id) if paper_id else None
        if watch is not None and paper is not None:
            watch = self.session.service.complete_marks(paper, watch)
        self.abstract.show(paper, hit.title_spans if hit else (), watch=watch)
        if paper is not None and self.search_text.strip() and self.index_ready and self.related_to is None:
            self.searcher.highlight(paper, self.search_text)

    @on(ResultsList.Chosen)
    def read_chosen(self) -> None:
        self.action_read()

    @on(SearchBar.Changed)
    def follow_query(self, message: SearchBar.Changed) -> None:
        self._typed_at = time.monotonic()
        self.search_text = message.query
        self.saved_name = ""

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
            if self._back_to is not None:
                self.start_search(rows=self._back_to[1])  # as many rows as were loaded, cursor kept
            else:
                self.start_search()
        elif self.results.has_focus and self.results.selected:
            self.results.clear_selection()
            self._summarise()
        elif self.results.has_focus and self.digest is not None:
            self.digest = None
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
        self.saved_name = ""
        self.view = View(view)
        self.results.focus()

    def action_resize_list(self, step: int) -> None:
        """`<` / `>`: move the split between the list and the abstract by a tenth of the width."""
        current = self.split or round(10 * self.results.size.width / max(self.query_one("#body").size.width, 1))
        self.split = min(max(current + step, 2), 8)

    def watch_split(self, tenths: int) -> None:
        if tenths:
            self.results.styles.width = f"{tenths}fr"
            self.abstract.styles.width = f"{10 - tenths}fr"

    def action_cycle_sort(self) -> None:
        """Relevance, newest, most upvoted, and round again."""
        self.sort = Sort(self.sort).next()
        said = self.session.service.foryou.status.message if self.sort == Sort.FOR_YOU else f"Sorted by {self.sort.title}"
        self.notify(said, markup=False, timeout=3)

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
        self.count_saved()

    def action_toggle_star(self) -> None:
        """Star or unstar; with papers picked, keep them all (star and mark kept)."""
        if self.results.selected:
            self.decide_picked("kept")
        elif paper := self._current():
            self.apply(self.session.set_starred(paper.id, not paper.starred))

    def action_toggle_read(self) -> None:
        """Mark read, or back to new (unread); with papers picked, mark them all read."""
        if self.results.selected:
            self.decide_picked(Status.READ)
        elif paper := self._current():
            self.apply(self.session.set_status(paper.id, Status.NEW if paper.status == Status.READ else Status.READ))

    def action_dismiss_paper(self) -> None:
        """Dismiss (or bring a dismissed paper back as new); with papers picked, dismiss them all."""
        if self.results.selected:
            self.decide_picked(Status.DISMISSED)
        elif paper := self._current():
            dismissed = paper.status == Status.DISMISSED
            self.apply(self.session.set_status(paper.id, Status.NEW if dismissed else Status.DISMISSED))

    # -- many papers at once, and undo ---------------------------------------------------------
    def action_toggle_selected(self) -> None:
        """Pick or unpick the highlighted paper, then move down (space, space, space…)."""
        if paper := self._current():
            self.results.set_selected([paper.id], paper.id not in self.results.selected)
            self.results.action_cursor_down()
            self._summarise()

    def action_select_all(self) -> None:
        """Pick every paper of the list, loaded or not (a listing); again: pick none."""
        if self.results.selected:
            self.results.clear_selection()
            self._summarise()
            return
        if self.shown is not None and self.shown.request.is_listing and self.results.total > len(self.results.papers):
            self.pick_whole_listing(self.shown.request)
        else:
            self.results.set_selected(list(self.results.papers), True)
            self._summarise()

    @work(thread=True, exclusive=True, group="pick", exit_on_error=False, name="pick the listing")
    def pick_whole_listing(self, request: SearchRequest) -> None:
        ids = self.session.service.listing_ids(request)
        self.app.call_from_thread(self._picked, ids)

    def _picked(self, ids: list[str]) -> None:
        self.results.set_selected(ids, True)
        self._summarise()

    def decide_picked(self, choice: str) -> None:
        """One decision for every picked paper: one undoable step, asked first when there are many."""
        ids = list(self.results.selected)
        verb = {"kept": "Keep", "read": "Mark read", "dismissed": "Dismiss"}[choice]

        def go(yes: bool | None = True) -> None:
            if not yes:
                return
            papers = self.session.decide(ids, choice)
            self.results.clear_selection()
            for paper in papers.values():
                self.apply(paper)
            self.notify(f"{verb}: {len(papers):,} papers (u: undo)", markup=False, timeout=4)
            self.start_search()

        if len(ids) > BULK_CONFIRM:
            self.app.push_screen(Confirm(f"{verb} {len(ids):,} papers?"), go)
        else:
            go()

    def action_undo(self) -> None:
        """Take back the last change, whatever view it was made in (and before a restart)."""
        done = self.session.undo()
        if done is None:
            self.notify("Nothing to undo.", markup=False, timeout=2)
            return
        text, papers = done
        for paper in papers.values():
            self.apply(paper)
        self.notify(text, markup=False, timeout=4)
        self.start_search()

    # -- digests -------------------------------------------------------------------------------
    def action_digests(self) -> None:
        """The Digests view: pick one to list or to triage."""
        def chosen(choice: DigestChoice | None) -> None:
            if choice is None or choice.digest is None:
                return
            if choice.action == "triage":
                self.app.push_screen(TriageScreen(self.session, digest=choice.digest, sort=self.sort))
            else:
                self.search_bar.set_query("")
                self.search_text = ""
                self.digest = choice.digest
                self.results.focus()
        self.app.push_screen(DigestsScreen(self.session, self.digest.id if self.digest else None), chosen)

    def action_step_digest(self, step: int) -> None:
        """`[` / `]`: list the previous (newer) or next (older) digest."""
        paper = self.results.current
        self.find_digest(step, self.digest.id if self.digest else None, paper.id if paper else None)

    @work(thread=True, exclusive=True, group="step-digest", exit_on_error=False, name="step digest")
    def find_digest(self, step: int, current: int | None, paper_id: str | None) -> None:
        digests = self.session.service.digests()
        if not digests:
            return
        ids = [info.id for info in digests]
        if current is None and paper_id is not None:
            current = self.session.service.first_digest_of(paper_id)
        if current in ids:
            index = min(max(ids.index(current) + (step if self.digest is not None else 0), 0), len(ids) - 1)
        else:
            index = 0 if step > 0 else len(ids) - 1
        self.app.call_from_thread(setattr, self, "digest", digests[index])

    def action_edit_note(self) -> None:
        """Write or edit the note in a modal editor."""
        if paper := self._current():
            # The editor saves through the session; the redraw is queued (skipped if the app is closing).
            self.app.push_screen(NoteEditor(paper, self.session, lambda saved: self.call_later(self.apply, saved)))

    def show_query(self, query: str) -> None:
        """Search `query` as if typed and submitted (the palette's `Show tag #gnn`)."""
        self.search_bar.set_query(query)
        self.search_text = query
        self.start_search(full=True)
        self.results.focus()

    def action_edit_tags(self) -> None:
        """Add or remove tags on the paper, or on every picked paper, in a small editor (ctrl+z undoes)."""
        ids = list(self.results.selected)
        if not ids and (paper := self._current()):
            ids = [paper.id]
        if not ids:
            return

        def change(add: list[str], remove: list[str]) -> list[Paper]:
            papers = self.session.change_tags(ids, add, remove)
            for now in papers:
                self.apply(now)
            return papers

        def undo() -> tuple[str | None, list[Paper]]:
            done = self.session.undo()
            for now in (done[1].values() if done else ()):
                self.apply(now)
            return (done[0] if done else None), list(self.session.service.papers(ids).values())
        papers = self.session.service.papers(ids)
        self.app.push_screen(TagEditor([papers[i] for i in ids if i in papers], self.session.tags(), change, undo))

    def action_triage(self) -> None:
        """One new paper at a time, oldest digest first (of the listed digest, when one is)."""
        self.app.push_screen(TriageScreen(self.session, digest=self.digest, sort=self.sort))

    def action_open_paper(self) -> None:
        """Open the code link, else a search for the title, in the browser."""
        if paper := self._current():
            self.app.open_link(open_target(paper))  # the browser setting, else the clipboard

    def action_open_pdf(self) -> None:
        """Open the paper's PDF (arXiv papers, or a link that is a PDF)."""
        if paper := self._current():
            url = pdf_target(paper)
            if url is None:
                self.notify("No PDF is known for this paper: o opens its page.", markup=False, timeout=3)
                return
            self.app.open_link(url)

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
            if self.related_to is None:
                self._back_to = (self.results.current_id, len(self.results.papers))
            self.searcher.related(paper)
