"""The tag editor: a small modal that adds and removes a paper's tags, completing from the library's tags."""

from __future__ import annotations

import re
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static

from tui.records import Paper
from tui.textsafe import one_line

#: How many of the library's tags the editor lists under the input.
KNOWN_SHOWN = 12
_SPLIT = re.compile(r"[\s,]+")


def tag_words(text: str) -> tuple[list[str], list[str]]:
    """`gnn, to-read -old` -> (["gnn", "to-read"], ["old"]): words to add, and `-words` to remove."""
    add, remove = [], []
    for word in filter(None, _SPLIT.split(text)):
        if word.startswith("-") and len(word) > 1:
            remove.append(word[1:])
        elif word != "-":
            add.append(word)
    return add, remove


def complete(value: str, known: list[str], own: tuple[str, ...]) -> str | None:
    """`value` with its last word completed: from the library's tags (most used first), or, after
    a `-`, from the paper's own tags. None when nothing fits."""
    head, _, last = value.rpartition(" ")
    minus = last.startswith("-")
    stem = last[1:] if minus else last
    if not stem:
        return None
    pool = own if minus else [tag for tag in known if tag not in own]
    found = next((tag for tag in pool if tag.startswith(stem.lower()) and tag != stem.lower()), None)
    if found is None:
        return None
    return f"{head} {'-' if minus else ''}{found}".lstrip() if head else f"{'-' if minus else ''}{found}"


class TagSuggester(Suggester):
    """Completes the word being typed from the editor's current tags (no cache: tags change as you go)."""

    def __init__(self, editor: TagEditor) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.editor = editor

    async def get_suggestion(self, value: str) -> str | None:
        return complete(value, self.editor.known, self.editor.paper.tags)


class TagEditor(ModalScreen[None]):
    """Add and remove one paper's tags; each enter is one undoable step, written at once.

    `change(add, remove)` writes and returns the paper as it is now (ValueError: a bad name);
    `undo()` takes back the last step and returns what it was (None: nothing) with this paper now.
    """

    DEFAULT_CSS = """
    TagEditor { align: center middle; background: $background 60%; }
    #tags-box { width: 80%; max-width: 90; height: auto; border: thick $accent; background: $surface;
                padding: 0 1; }
    #tags-title, #tags-current, #tags-known, #tags-help, #tags-error { height: auto; }
    #tags-title { text-wrap: nowrap; text-overflow: ellipsis; }
    #tags-help, #tags-known { color: $text-muted; }
    #tags-error { color: $error; display: none; }
    #tags-error.-shown { display: block; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="tags-close"),
        Binding("tab", "accept_completion", "Complete", id="tags-complete", priority=True),
        Binding("ctrl+z", "undo", "Undo", id="tags-undo"),
    ]

    def __init__(self, paper: Paper, known: list[tuple[str, int]], change: Callable[[list[str], list[str]], Paper],
                 undo: Callable[[], tuple[str | None, Paper | None]]) -> None:
        super().__init__()
        self.paper = paper
        self._counts = dict(known)
        self._change = change
        self._undo = undo

    @property
    def known(self) -> list[str]:
        """The library's tags, most used first."""
        return sorted(self._counts, key=lambda tag: (-self._counts[tag], tag))

    def compose(self) -> ComposeResult:
        with Vertical(id="tags-box"):
            yield Static(Content.assemble(("Tags on ", "dim"), (one_line(self.paper.title), "bold")), id="tags-title")
            yield Static(id="tags-current")
            yield Input(placeholder="tag to add, -tag to remove (several: gnn to-read -old)",
                        suggester=TagSuggester(self), id="tags-input")
            yield Static(id="tags-error")
            yield Static(id="tags-known")
            yield Static(Content("enter apply · tab complete · ctrl+z undo · esc close"), id="tags-help")

    def on_mount(self) -> None:
        self._show()
        self.query_one(Input).focus()

    def _show(self, typed: str = "") -> None:
        tags = self.paper.tags
        current = Content.assemble(("On this paper: ", "dim"),
                                   *[(f"#{one_line(tag)}  ", "bold $text-accent") for tag in tags]) if tags else \
            Content.styled("No tags yet.", "dim italic")
        self.query_one("#tags-current", Static).update(current)
        stem = typed.rpartition(" ")[2].lstrip("-").lower()
        fits = [tag for tag in self.known if tag.startswith(stem)][:KNOWN_SHOWN]
        known = "  ".join(f"{one_line(tag)} ({self._counts[tag]})" for tag in fits)
        self.query_one("#tags-known", Static).update(Content(f"Your tags: {known}" if known else ""))

    @on(Input.Changed, "#tags-input")
    def follow_typing(self, event: Input.Changed) -> None:
        self._show(event.value)
        self._say("")

    @on(Input.Submitted, "#tags-input")
    def apply_typed(self, event: Input.Submitted) -> None:
        """Enter: add the words, remove the `-words`, as one step; an empty enter closes."""
        add, remove = tag_words(event.value)
        if not add and not remove:
            self.dismiss(None)
            return
        try:
            paper = self._change(add, remove)
        except ValueError as exc:
            self._say(one_line(str(exc)))
            return
        self._took(paper, add, remove)
        event.input.clear()

    def _say(self, error: str) -> None:
        line = self.query_one("#tags-error", Static)
        line.update(Content(error))
        line.set_class(bool(error), "-shown")

    def _took(self, paper: Paper, add: list[str], remove: list[str]) -> None:
        for tag in set(paper.tags) - set(self.paper.tags):
            self._counts[tag] = self._counts.get(tag, 0) + 1
        for tag in set(self.paper.tags) - set(paper.tags):
            self._counts[tag] = self._counts.get(tag, 1) - 1
            if self._counts[tag] <= 0:
                del self._counts[tag]
        self.paper = paper
        self._show()

    def action_accept_completion(self) -> None:
        """Tab: take the completion of the word being typed."""
        field = self.query_one(Input)
        found = complete(field.value, self.known, self.paper.tags)
        if found:
            field.value = found + " "
            field.cursor_position = len(field.value)

    def action_undo(self) -> None:
        """Ctrl+z: take back the last change (this editor's, or the one before it)."""
        said, paper = self._undo()
        self.notify(said or "Nothing to undo.", markup=False, timeout=4)
        if paper is not None and paper.id == self.paper.id:
            self._took(paper, [], [])

    def action_close(self) -> None:
        """Close; every change is already written."""
        self.dismiss(None)
