"""The search bar: the query input, a one-line hint of the syntax, and a status line."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

SYNTAX_HINT = ('words  "a phrase"  -word  a OR b  graf~  title: author: org: note:  '
               'is:starred  has:code  date:2024  upvotes:>=10  ·  ? all keys and syntax')


class QueryInput(Input):
    """The query field; arrow down and escape hand the keyboard back to the list."""

    BINDINGS = [Binding("down", "leave", "Results", show=False)]

    def action_leave(self) -> None:
        """Announce that the user is done typing."""
        self.post_message(SearchBar.Done())


class SearchBar(Vertical):
    """Announces every edit of the query (`Changed`) and when the user is done (`Done`)."""

    @dataclass
    class Changed(Message):
        """The query text changed (per keystroke)."""

        query: str

    @dataclass
    class Done(Message):
        """Enter, escape or arrow down in the query field: back to the list."""

        submitted: bool = False

    def compose(self) -> ComposeResult:
        yield QueryInput(placeholder="Search titles, abstracts, authors, notes…  (/ to focus)", id="query")
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

    def set_status(self, text: str | Content, warning: bool = False) -> None:
        """Show a line under the hint (results, did-you-mean, index progress)."""
        status = self.query_one("#status", Static)
        status.update(text if isinstance(text, Content) else Content(text))
        status.set_class(warning, "-warning")

    @on(Input.Changed, "#query")
    def _announce_change(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    @on(Input.Submitted, "#query")
    def _announce_submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done(submitted=True))
