"""The note editor: a modal TextArea that saves on ctrl+s and never loses what was typed."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static, TextArea

from tui.records import Paper
from tui.textsafe import one_line


class ConfirmClose(ModalScreen[str]):
    """Asked when escape closes a changed note: save, discard, or keep editing."""

    BINDINGS = [
        Binding("s", "choose('save')", "Save", id="confirm-save"),
        Binding("d", "choose('discard')", "Discard", id="confirm-discard"),
        Binding("escape,k", "choose('keep')", "Keep editing", id="confirm-keep"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Content("The note has unsaved changes."), id="confirm-text")
            with Horizontal(id="confirm-buttons"):
                yield Button("Save (s)", id="save", variant="primary")
                yield Button("Discard (d)", id="discard", variant="error")
                yield Button("Keep editing (esc)", id="keep")

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or "keep")

    def action_choose(self, choice: str) -> None:
        """Close with the user's choice."""
        self.dismiss(choice)


class NoteEditor(ModalScreen[str | None]):
    """Edit one paper's note. `save(text)` writes it to the library.

    Saved on ctrl+s, on "save" after escape, and when the app closes with the editor open;
    a changed note is only dropped when the user says "discard".
    """

    BINDINGS = [
        # Not a priority binding: ctrl+s must queue behind the keys typed just before it.
        Binding("ctrl+s", "save", "Save", id="note-save"),
        Binding("escape", "close", "Close", id="note-close"),
    ]

    def __init__(self, paper: Paper, save: Callable[[str], None]) -> None:
        super().__init__()
        self.paper = paper
        self._save = save
        self._settled = False
        self._draft = paper.note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(Content.assemble(("✎ Note on ", "dim"), (one_line(self.paper.title), "bold")),
                         id="note-title")
            yield TextArea(self.paper.note, id="note-text", soft_wrap=True, tab_behavior="focus")
            yield Static(Content("ctrl+s save and close · esc close (asks first when changed)"), id="note-help")
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._draft = event.text_area.text

    @property
    def text(self) -> str:
        """What the editor holds now (read live: keys may still be in flight as messages)."""
        try:
            self._draft = self.query_one(TextArea).text
        except NoMatches:
            pass  # already torn down: the last text seen is kept
        return self._draft

    @property
    def changed(self) -> bool:
        """Has the note been edited since it was opened?"""
        return self.text != self.paper.note

    def action_save(self) -> None:
        """Save the note to the library and close."""
        self._finish(save=True)

    def action_close(self) -> None:
        """Close; when the note changed, ask first."""
        if not self.changed:
            self._finish(save=False)
        else:
            self.app.push_screen(ConfirmClose(), self._confirmed)

    def _confirmed(self, choice: str | None) -> None:
        if choice == "save":
            self._finish(save=True)
        elif choice == "discard":
            self._finish(save=False)

    def _finish(self, save: bool) -> None:
        text = self.text
        if save and self.changed:
            self._save(text)
        self._settled = True
        self.dismiss(text if save else None)

    def on_unmount(self) -> None:
        # The app is closing with the editor still open: keep what was typed.
        if not self._settled and self.text != self.paper.note:
            self._settled = True
            self._save(self._draft)
