"""The tag editor: a small modal that adds and removes the tags of a paper (or of every picked paper),
completing from the library's tags."""

from __future__ import annotations

import re
from collections import Counter
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


def complete(value: str, addable: list[str], own: tuple[str, ...]) -> str | None:
    """`value` with its last word completed: from the tags that can still be added (most used
    first), or, after a `-`, from the papers' own tags. None when nothing fits."""
    head, _, last = value.rpartition(" ")
    minus = last.startswith("-")
    stem = last[1:] if minus else last
    if not stem:
        return None
    pool = own if minus else addable
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
        return complete(value, self.editor.addable, self.editor.own)


class TagEditor(ModalScreen[None]):
    """Add and remove the tags of one paper or of many picked ones; each enter is ONE undoable
    step, written at once.

    `change(add, remove)` writes and returns the papers as they are now (ValueError: a bad
    name); `undo()` takes back the last step and returns what it was (None: nothing) with the
    papers as they are now.
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

    def __init__(self, papers: list[Paper], known: list[tuple[str, int]],
                 change: Callable[[list[str], list[str]], list[Paper]],
                 undo: Callable[[], tuple[str | None, list[Paper]]]) -> None:
        super().__init__()
        self.papers = list(papers)
        self._counts = dict(known)
        self._change = change
        self._undo = undo

    @property
    def known(self) -> list[str]:
        """The library's tags, most used first."""
        return sorted(self._counts, key=lambda tag: (-self._counts[tag], tag))

    @property
    def carried(self) -> Counter:
        """How many of the edited papers carry each tag."""
        return Counter(tag for paper in self.papers for tag in paper.tags)

    @property
    def own(self) -> tuple[str, ...]:
        """Tags on any edited paper, most carried first (what `-` completes)."""
        return tuple(tag for tag, _ in sorted(self.carried.items(), key=lambda item: (-item[1], item[0])))

    @property
    def addable(self) -> list[str]:
        """The library's tags that not every edited paper carries yet, most used first."""
        carried = self.carried
        return [tag for tag in self.known if carried[tag] < len(self.papers)]

    def compose(self) -> ComposeResult:
        many = len(self.papers) > 1
        whom = (f"{len(self.papers):,} picked papers", "bold") if many else (one_line(self.papers[0].title), "bold")
        with Vertical(id="tags-box"):
            yield Static(Content.assemble(("Tags on ", "dim"), whom), id="tags-title")
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
        carried, many = self.carried, len(self.papers) > 1
        marks = [(f"#{one_line(tag)}" + (f" {carried[tag]}" if many else "") + "  ", "bold $text-accent")
                 for tag in self.own]
        lead = "On these papers: " if many else "On this paper: "
        current = Content.assemble((lead, "dim"), *marks) if marks else Content.styled("No tags yet.", "dim italic")
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
            papers = self._change(add, remove)
        except ValueError as exc:
            self._say(one_line(str(exc)))
            return
        self._took(papers)
        event.input.clear()

    def _say(self, error: str) -> None:
        line = self.query_one("#tags-error", Static)
        line.update(Content(error))
        line.set_class(bool(error), "-shown")

    def _took(self, papers: list[Paper]) -> None:
        """The edited papers as they are now: the library's counts move by what changed."""
        before, now = self.carried, Counter(tag for paper in papers for tag in paper.tags)
        for tag in set(before) | set(now):
            self._counts[tag] = self._counts.get(tag, 0) + now[tag] - before[tag]
            if self._counts[tag] <= 0:
                del self._counts[tag]
        self.papers = list(papers)
        self._show()

    def action_accept_completion(self) -> None:
        """Tab: take the completion of the word being typed."""
        field = self.query_one(Input)
        found = complete(field.value, self.addable, self.own)
        if found:
            field.value = found + " "
            field.cursor_position = len(field.value)

    def action_undo(self) -> None:
        """Ctrl+z: take back the last change (this editor's, or the one before it)."""
        said, papers = self._undo()
        self.notify(said or "Nothing to undo.", markup=False, timeout=4)
        if papers:
            self._took(papers)

    def action_close(self) -> None:
        """Close; every change is already written."""
        self.dismiss(None)
