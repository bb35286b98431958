"""The search bar: the query input, a one-line hint of the syntax, and a status line."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Static

SYNTAX_HINT = ('words  "a phrase"  -word  a OR b  graf~  title: author: org: note:  '
               'is:starred  has:code  date:2024  upvotes:>=10  ·  ? all keys and syntax')


class QueryInput(Input):
    """The query field; arrow down hands the keyboard back to the list, escape clears first."""

    BINDINGS = [
        Binding("down", "leave", "Results", show=False, id="search-leave"),
        Binding("escape", "clear_or_leave", "Clear", show=False, id="search-clear"),
        Binding("tab", "accept_suggestion", "Accept suggestion", show=False, id="search-accept"),
    ]

    def action_accept_suggestion(self) -> None:
        """Tab takes the "did you mean" query when there is one; else it moves on as usual."""
        bar = self.parent
        suggestion = bar.suggestion if isinstance(bar, SearchBar) else ""
        if suggestion and suggestion != self.value:
            self.value = suggestion
            self.cursor_position = len(suggestion)
        else:
            self.screen.focus_next()

    def action_leave(self) -> None:
        """Announce that the user is done typing."""
        self.post_message(SearchBar.Done())

    def action_clear_or_leave(self) -> None:
        """Escape clears the query; a second escape (on an empty query) leaves the search bar."""
        if self.value:
            self.value = ""
        else:
            self.action_leave()


class SearchBar(Vertical):
    """Announces every edit of the query (`Changed`) and when the user is done (`Done`)."""

    status: reactive[str] = reactive("", init=False)
    """The line under the hint: what the search found, did-you-mean, the index build."""
    suggestion: reactive[str] = reactive("", init=False)
    """The "did you mean" query that tab accepts ("" for none)."""
    warning: reactive[bool] = reactive(False, init=False)
    """Whether the status line is a warning (nothing found, the index not ready)."""

    @dataclass
    class Changed(Message):
        """The query text changed (per keystroke)."""

        query: str

    @dataclass
    class Done(Message):
        """Enter, escape or arrow down in the query field: back to the list."""

        submitted: bool = False

    def compose(self) -> ComposeResult:
        yield QueryInput(placeholder="Search titles, abstracts, authors, notes…  (/ to focus)", id="query",
                         select_on_focus=False)
        yield Static(Content(SYNTAX_HINT), id="hint")
        yield Static(Content(""), id="status")

    @property
    def query(self) -> str:
        """The current query text."""
        return self.query_one(QueryInput).value

    def set_query(self, text: str) -> None:
        """Replace the query without announcing it as a keystroke."""
        field = self.query_one(QueryInput)
        with field.prevent(Input.Changed):
            field.value = text

    def append(self, text: str) -> None:
        """Go on typing: focus the field and add `text` at its end (a key the list does not take)."""
        field = self.query_one(QueryInput)
        field.focus()
        field.cursor_position = len(field.value)
        field.insert_text_at_cursor(text)

    def watch_status(self, text: str) -> None:
        self.query_one("#status", Static).update(Content(text))

    def watch_warning(self, warning: bool) -> None:
        self.query_one("#status", Static).set_class(warning, "-warning")

    @on(Input.Changed, "#query")
    def _announce_change(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    @on(Input.Submitted, "#query")
    def _announce_submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done(submitted=True))
