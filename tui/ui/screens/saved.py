"""Small modals for saved searches and watches: a name or query prompt, an author picker, and
the lists screen where saved searches are opened, renamed, edited and deleted, and watches dropped."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.records import SavedSearch, Watch
from tui.textsafe import one_line
from tui.ui.widgets.saved_bar import SAVED_KEYS, saved_label


class TextPrompt(ModalScreen[str | None]):
    """One line of text (a saved search's name, or its query): enter gives it, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt-cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "", default: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        #: What an empty enter gives (None: nothing, as escape).
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Static(Content(self.title_text), id="prompt-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static(Content("enter: done · escape: cancel"), id="prompt-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def done(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or self.default)

    def action_cancel(self) -> None:
        """Close without a value."""
        self.dismiss(None)


class AuthorPicker(ModalScreen[str | None]):
    """Choose which of a paper's authors to watch (a watched one: stop watching)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="picker-cancel")]

    def __init__(self, authors: tuple[str, ...], watched: set[str]) -> None:
        super().__init__()
        self.authors = authors
        self.watched = watched

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(Content("Watch which author?  (enter: watch · a watched one: stop watching)"),
                         id="picker-title")
            options = []
            for index, name in enumerate(self.authors):
                mark = ("◆ ", "bold $warning") if name.lower() in self.watched else "  "
                options.append(Option(Content.assemble(mark, one_line(name)), id=str(index)))
            yield OptionList(*options, id="picker-list", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def choose(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.authors[int(event.option.id)])

    def action_cancel(self) -> None:
        """Close without watching anyone."""
        self.dismiss(None)


@dataclass(frozen=True)
class ListAction:
    """What the lists screen asks the library screen to do: open, rename, edit or delete a saved
    search, or delete a watch; `target` names it (a saved search's name, a watch's id)."""

    verb: str
    target: str


class ListsScreen(ModalScreen[ListAction | None]):
    """Saved searches (with their counts) and watches; one key acts on the highlighted entry."""

    BINDINGS = [
        Binding("enter", "act('open')", "Open", id="lists-open"),
        Binding("r", "act('rename')", "Rename", id="lists-rename"),
        Binding("e", "act('edit')", "Edit query", id="lists-edit"),
        Binding("d", "act('delete')", "Delete", id="lists-delete"),
        Binding("escape,q", "cancel", "Close", id="lists-close"),
    ]

    def __init__(self, searches: tuple[SavedSearch, ...], watches: list[Watch]) -> None:
        super().__init__()
        self.searches = searches
        self.watches = watches

    def compose(self) -> ComposeResult:
        with Vertical(id="lists-box"):
            yield Static(Content.assemble(("Saved searches and watches", "bold $text-accent"),
                                          "   (ctrl+s saves a search, w watches an author)"), id="lists-title")
            yield OptionList(*self._options(), id="lists-list", markup=False)
        yield Footer()

    def _options(self) -> list[Option | None]:
        options: list[Option | None] = []
        for index, search in enumerate(self.searches):
            key = SAVED_KEYS[index] if index < len(SAVED_KEYS) else " "
            prompt = Content.assemble((saved_label(key, search), "bold"), ("  ", ""),
                                      (one_line(search.query), "dim"),
                                      (f"  sort: {search.sort}" if search.sort != "relevance" else "", "dim"))
            options.append(Option(prompt, id=f"saved:{search.name}"))
        if not self.searches:
            options.append(Option(Content("No saved searches yet: ctrl+s on the library saves the query."),
                                  id="none:saved", disabled=True))
        options.append(None)
        for watch in self.watches:
            prompt = Content.assemble(("◆ ", "bold $warning"), (f"{watch.kind:8}", "dim"), one_line(watch.label))
            options.append(Option(prompt, id=f"watch:{watch.id}"))
        if not self.watches:
            options.append(Option(Content("No watches yet: w on a paper watches one of its authors."),
                                  id="none:watch", disabled=True))
        return options

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def open_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_act("open")

    def action_act(self, verb: str) -> None:
        """Hand the highlighted entry and what to do with it back to the library screen."""
        option = self.query_one(OptionList).highlighted_option
        if option is None or not option.id or option.id.startswith("none:"):
            return
        kind, _, target = option.id.partition(":")
        if kind == "watch" and verb not in ("delete", "open"):
            self.notify("A watch can only be deleted here (d).", markup=False, timeout=3)
            return
        if kind == "watch" and verb == "open":
            self.dismiss(ListAction("search-watch", target))
            return
        self.dismiss(ListAction(verb if kind == "saved" else "delete-watch", target))

    def action_cancel(self) -> None:
        """Back to the library."""
        self.dismiss(None)
