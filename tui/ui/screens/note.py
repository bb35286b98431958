"""The note editor: a modal TextArea that saves on ctrl+s and never loses what was typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static, TextArea

from tui.records import Paper
from tui.textsafe import one_line
from tui.ui.session import Session
from tui.ui.writes import Outcome, Write

HELP = ("ctrl+s save and close · esc close (asks first when changed)\n"
        "saved elsewhere meanwhile? both versions are kept, the other one first")


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
    """Edit one paper's note, saved through the session's write queue.

    The note is read from the library when the editor opens (not the list's copy, which may
    be stale). Saved on ctrl+s, on "save" after escape, and when the app closes with the
    editor open; a changed note is only dropped when the user says "discard". When another
    app saved this note meanwhile, both versions are kept, the other one first. On a full
    disk or read-only media the editor stays open with the text and says "not saved".
    """

    BINDINGS = [
        # Not a priority binding: ctrl+s must queue behind the keys typed just before it.
        Binding("ctrl+s", "save", "Save", id="note-save"),
        Binding("escape", "close", "Close", id="note-close"),
    ]

    @dataclass
    class Saved(Message):
        """The first attempt to save ended (posted from the write queue's thread)."""

        outcome: Outcome

    def __init__(self, paper: Paper, session: Session, saved: Callable[[Paper], None]) -> None:
        super().__init__()
        self.paper = paper
        self.session = session
        self._saved = saved
        self._settled = False
        current = session.get(paper.id)
        #: The note as the library held it when the editor opened; a save compares with it.
        self.loaded = current.note if current is not None else paper.note
        self._draft = self.loaded
        self._write: Write | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(Content.assemble(("✎ Note on ", "dim"), (one_line(self.paper.title), "bold")),
                         id="note-title")
            yield TextArea(self.loaded, id="note-text", soft_wrap=True, tab_behavior="focus")
            yield Static(Content(HELP), id="note-help")
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
        return self.text != self.loaded

    def say(self, line: str, warning: bool = True) -> None:
        """Show one line under the text (why it was not saved, or that it is saving)."""
        help_line = self.query_one("#note-help", Static)
        help_line.update(Content(line))
        help_line.set_class(warning, "-warning")

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
        if save and self.changed:
            if self._write is None:  # not already saving
                self.say("saving…", warning=False)
                self._write = self.session.save_note(self.paper.id, self.text, self.loaded)
                self._write.first.add_done_callback(lambda done: self.post_message(self.Saved(done.result())))
            return
        self._settled = True
        self.dismiss(self.text if save else None)

    @on(Saved)
    def close_when_saved(self, message: Saved) -> None:
        """Saved (or queued behind another writer): close. Not saved: stay, keep the text, say why."""
        self._write = None
        outcome = message.outcome
        if outcome.error and not outcome.queued:
            self.say(f"{outcome.short or outcome.error} · the text stays here: ctrl+s tries again\n{outcome.error}")
            return
        self._settled = True
        paper = outcome.paper or self.session.get(self.paper.id)
        if paper is not None:
            self._saved(paper)
        self.dismiss(self.text)

    def on_unmount(self) -> None:
        # The app is closing with the editor still open: keep what was typed, whatever happens.
        self.keep_typed()

    def keep_typed(self) -> None:
        """Queue what was typed for saving (once), as closing does; the app's quit commits it."""
        if self._settled:
            return
        if self._write is not None and not self._write.first.done():
            self._write.withdraw_on_failure = False  # the editor is going: the queue must keep it
        elif self.text != self.loaded:
            self._settled = True
            self.session.save_note(self.paper.id, self._draft, self.loaded, keep=True)
