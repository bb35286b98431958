"""The help screen: every key (with the vim aliases) and the query syntax."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.ui.keys import key_display


APP_KEYS = [("?", "This help"), ("ctrl+p", "Command palette (every command, and jump to a listed paper)"),
            ("q", "Quit (ctrl+q anywhere, even while typing)")]
EDITOR_KEYS = [("ctrl+s", "Save the note and close"),
               ("escape", "Close; if the note changed, asks: save / discard / keep editing")]
MOVE_KEYS = [("↓ ↑  j k", "Next / previous paper (scroll the abstract when it has focus)"),
             ("home end  g G", "First / last paper"), ("pgup pgdn", "A page up / down")]


def query_help() -> Content:
    """The index's description of the query language, its section titles in bold."""
    from tui.search import QUERY_HELP  # the query language's own words, loaded when help opens
    lines = [(line + "\n", "bold $text-accent") if line and not line[0].isspace() else line + "\n"
             for line in QUERY_HELP.splitlines()]
    return Content.assemble(*lines)


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the library and triage screens, the note editor, and the query syntax."""

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", id="help-close"),
        Binding("j,down", "scroll(2)", "Down", show=False, id="help-down"),
        Binding("k,up", "scroll(-2)", "Up", show=False, id="help-up"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self.build(), id="help-text")

    def build(self) -> Content:
        """The whole help text as Content."""
        from tui.ui.screens.library import COMMAND_BINDINGS
        from tui.ui.screens.triage import TRIAGE_BINDINGS

        parts: list[Content | str | tuple[str, str]] = [("paper-reader — keys\n", "bold $text-accent")]
        parts += self._section("Library", self._rows(COMMAND_BINDINGS) + MOVE_KEYS)
        parts += self._section("Triage (t)", self._rows(TRIAGE_BINDINGS))
        parts += self._section("Note editor (n)", EDITOR_KEYS)
        fetch = [binding for binding in self.app.BINDINGS if getattr(binding, "id", None) == "fetch"]
        parts += self._section("Everywhere", APP_KEYS + self._rows(fetch))
        parts += self._section("Your keys", [("[keys]", "in the settings file, one  id = \"key\"  line per key; the ids:")])
        parts += [(self._ids(COMMAND_BINDINGS + TRIAGE_BINDINGS + fetch) + "\n", "dim"), "\n", query_help(), "\n\n",
                  ("Searches follow each keystroke within the current view. esc / ? / q closes this help.", "dim")]
        return Content.assemble(*parts)

    def _rows(self, bindings: list[Binding]) -> list[tuple[str, str]]:
        """Each binding's key (as remapped by the settings) and what it does."""
        return [(key_display(self.app, binding), binding.tooltip or binding.description) for binding in bindings]

    def _ids(self, bindings: list[Binding]) -> str:
        """`star (s) · note (n) · ...`: the binding ids a settings file's `[keys]` table takes."""
        return "  " + " · ".join(f"{binding.id} ({key_display(self.app, binding)})" for binding in bindings)

    @staticmethod
    def _section(title: str, rows: list[tuple[str, str]]) -> list[str | tuple[str, str]]:
        parts: list[str | tuple[str, str]] = [(f"\n{title}\n", "bold $text-accent")]
        for key, text in rows:
            parts += [(f"  {key:<16}", "bold $accent"), f"{text}\n"]
        return parts

    def action_close(self) -> None:
        """Back to where help was opened."""
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        """Scroll the help text."""
        self.query_one("#help-box").scroll_relative(y=lines, animate=False)
