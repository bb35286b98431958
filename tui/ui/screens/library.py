"""The main screen: search bar, results list, abstract pane; the keys that act on a paper."""

from __future__ import annotations

import dataclasses

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer

from tui.records import Page, Paper
from tui.ui.workers import ReportsWorkerFailures
from tui.ui.screens.note import NoteEditor
from tui.ui.search_flow import DEBOUNCE, SearchFlow
from tui.ui.session import Session
from tui.ui.screens.triage import TriageScreen
from tui.textsafe import one_line
from tui.ui.widgets.abstract import AbstractPane
from tui.describe import citation, open_target
from tui.ui.widgets.results import ResultsList, Row
from tui.ui.widgets.search_bar import SearchBar
from tui.ui.widgets.view_bar import ViewBar
from tui.vocabulary import Sort, View

#: Every command of this screen, in the order the help screen and the palette list them.
COMMAND_BINDINGS = [
    Binding("slash", "focus_search", "Search", id="search", key_display="/",
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


class LibraryScreen(ReportsWorkerFailures, SearchFlow, Screen):
    """Search everything, read abstracts, star, note and triage, all from the keyboard."""

    BINDINGS = COMMAND_BINDINGS + ALIAS_BINDINGS
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide"), (160, "-huge")]

    view: reactive[str] = reactive("all", init=False)
    """The active view: all, inbox (new papers) or starred (the reading list)."""
    sort: reactive[str] = reactive("relevance", init=False)
    """Result order: relevance, newest or upvotes."""

    def __init__(self, session: Session, import_files: list[str] | None = None) -> None:
        super().__init__()
        self.session = session
        self.import_files = list(import_files or [])
        self.related_to: str | None = None
        self.counts: dict[str, int] = {}
        self.last_result: Page | None = None
        self._shown_key: tuple[str, str, str] | None = None

    def compose(self) -> ComposeResult:
        yield ViewBar(id="views")
        yield SearchBar(id="search")
        with Horizontal(id="body"):
            yield ResultsList(id="results")
            yield AbstractPane(id="abstract")
        yield Footer()

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
        self.refresh_view_bar("loading…")
        self.start_search()
        self.call_after_refresh(self.run_startup, self.import_files)

    def on_screen_resume(self) -> None:
        """Back from triage, a note or help: redraw what may have changed."""
        if self.is_mounted and self.last_result is not None and self.related_to is None:
            self.start_search()

    # -- showing results -----------------------------------------------------------------------
    def show_results(self, result: Page, rows: list[Row], counts: dict[str, int]) -> None:
        """Fill the list, keep the cursor on the same paper, and say what the search found."""
        # A refresh of the same search keeps the cursor; a new query, view or order starts at the top.
        key = (result.request.query, self.view, self.sort)
        keep = self.results.current_id if key == self._shown_key else None
        self.last_result, self.counts, self._shown_key = result, counts, key
        self.results.show(rows, show_notes=self.view == "starred", keep=keep, total=result.total)
        self.refresh_view_bar(self.results_summary())
        self.refresh_status()

    def results_summary(self) -> str:
        """`42 results`, or `100 of 2,341 results` while more are still to load."""
        result, shown = self.last_result, len(self.results.papers)
        total = self.results.total
        noun = "result" if total == 1 else "results"
        if shown >= total:
            return f"{shown:,} {noun}"
        return f"{shown:,} of {'' if result is None or result.exact else 'about '}{total:,} {noun}"

    def on_results_list_near_end(self, message: ResultsList.NearEnd) -> None:
        """The cursor nears the last loaded row: load the next page behind it."""
        if self.last_result is not None and self.related_to is None:
            request = dataclasses.replace(self.last_result.request, offset=message.loaded)
            self.run_more(self.generation, request)

    def refresh_status(self) -> None:
        """The line under the hint: what the search found, and the index build while it runs."""
        result, shown = self.last_result, len(self.results.papers)
        text = self._status_line(result, shown) if result is not None else ""
        if self.session.index_error:
            text = f"{text}  search is unavailable ({self.session.index_error}); the lists still work".strip()
        elif not self.session.index_ready and (self.session.index_progress or self.search_bar.query.strip()):
            building = "index is being built…" if self.search_bar.query.strip() else "search index:"
            text = f"{text}  {building} {self.session.index_progress}".strip()
        self.search_bar.set_status(text, warning=not shown or not self.session.index_ready)

    def _status_line(self, result: Page, shown: int) -> str:
        hint = one_line(result.hint)
        parts = [hint] if hint else []
        if not shown and not hint:
            parts.append("No papers match." if result.request.query.strip() else f"{View(self.view).title} is empty.")
        if result.suggestion and result.suggestion not in hint:
            parts.append(f"Did you mean “{one_line(result.suggestion)}”?")
        if result.partial:
            parts.append("(more may match: press enter for a full search)")
        return " · ".join(parts)

    def refresh_view_bar(self, summary: str | None = None) -> None:
        """Redraw the view tabs and counts; `summary` replaces the results text when given."""
        bar = self.query_one(ViewBar)
        self._summary = summary or getattr(self, "_summary", "")
        bar.show(self.view, self.sort, self._summary, self.counts)

    def on_results_list_highlighted(self, message: ResultsList.Highlighted) -> None:
        paper = self.results.papers.get(message.paper_id) if message.paper_id else None
        hit = self.results.hits.get(message.paper_id) if message.paper_id else None
        self.abstract.show(paper, hit.title_spans if hit else ())
        query = self.search_bar.query
        if paper is not None and query.strip() and self.session.index_ready and self.related_to is None:
            self.run_highlights(paper, query)

    def on_results_list_chosen(self, message: ResultsList.Chosen) -> None:
        self.action_read()

    def on_search_bar_changed(self, message: SearchBar.Changed) -> None:
        self.start_search(delay=DEBOUNCE if message.query.strip() else 0.0)

    def on_search_bar_done(self, message: SearchBar.Done) -> None:
        if message.submitted and self.search_bar.query.strip():
            self.start_search(full=True)
        self.results.focus()

    def watch_view(self) -> None:
        self.start_search()

    def watch_sort(self) -> None:
        self.start_search()

    # -- moving around -------------------------------------------------------------------------
    def action_focus_search(self) -> None:
        """Put the cursor in the search bar."""
        self.remove_class("-reading")
        self.search_bar.query_one("#query").focus()

    def action_back(self) -> None:
        """Escape: leave the search bar or the abstract, or leave related papers."""
        if self.results.has_focus and self.related_to is not None:
            self.related_to = None
            self.start_search()
        self.remove_class("-reading")
        self.results.focus()

    def action_read(self) -> None:
        """Enter: move into the abstract (full screen on a narrow terminal)."""
        if self.abstract.paper is None:
            return
        self.add_class("-reading")
        self.abstract.focus()

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
        """Switch to all papers, the inbox or the reading list."""
        self.view = view
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
        self.refresh_view_bar()

    def action_toggle_star(self) -> None:
        """Star or unstar."""
        if paper := self._current():
            self.apply(self.session.set_starred(paper.id, not paper.starred))

    def action_toggle_read(self) -> None:
        """Mark read, or back to new (unread)."""
        if paper := self._current():
            self.apply(self.session.set_status(paper.id, "new" if paper.status == "read" else "read"))

    def action_dismiss_paper(self) -> None:
        """Dismiss (or bring a dismissed paper back as new)."""
        if paper := self._current():
            self.apply(self.session.set_status(paper.id, "new" if paper.status == "dismissed" else "dismissed"))

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
            self.notify(f"Opening {url}", markup=False, timeout=3)

    def action_copy_citation(self) -> None:
        """Copy the title and a one-line citation to the clipboard."""
        if paper := self._current():
            self.app.copy_to_clipboard(citation(paper))
            self.notify("Copied the title and citation.", markup=False, timeout=2)

    def action_related(self) -> None:
        """List papers like the highlighted one."""
        if not self.session.index_ready:
            self.notify("The search index is still being built.", severity="warning", markup=False)
        elif paper := self._current():
            self.run_related(paper)
