"""Triage: the inbox one paper at a time, keep / dismiss / later, with undo as far back as needed."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.records import Paper
from tui.vocabulary import View
from tui.ui.workers import ReportsWorkerFailures
from tui.ui.screens.note import NoteEditor
from tui.ui.session import Decision, Session
from tui.textsafe import one_line
from tui.describe import open_target, short_date
from tui.ui.widgets.render import paper_card
from tui.ui.screens.lists_keys import watched_first

TRIAGE_BINDINGS = [
    Binding("s", "decide('kept')", "Keep ★", id="triage-keep", tooltip="Keep: star it and mark it kept"),
    Binding("x", "decide('dismissed')", "Dismiss", id="triage-dismiss", tooltip="Dismiss it"),
    Binding("space", "decide('later')", "Later", id="triage-later", tooltip="Later: skip, it stays new"),
    Binding("n", "edit_note", "Note", id="triage-note", tooltip="Write a note on it"),
    Binding("u", "undo", "Undo", id="triage-undo", tooltip="Undo the last decision (again and again)"),
    Binding("o", "open_paper", "Open", show=False, id="triage-open", tooltip="Open it in the browser"),
    Binding("w", "toggle_watched_first", "Watched first", show=False, id="triage-watched-first",
            tooltip="Papers your watched authors and keywords match first (again: Inbox order)"),
    Binding("escape", "leave", "Back", id="triage-back", tooltip="Back to the library"),
]
ALIAS_BINDINGS = [
    Binding("j", "scroll(3)", "Scroll down", show=False, id="triage-down-vim"),
    Binding("k", "scroll(-3)", "Scroll up", show=False, id="triage-up-vim"),
]


class TriageScreen(ReportsWorkerFailures, Screen):
    """Walk the inbox queue (oldest digest first), deciding each paper with one key."""

    BINDINGS = TRIAGE_BINDINGS + ALIAS_BINDINGS

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.queue: list[str] = []
        self.position = 0
        self.loaded = False
        # Decisions live in the session, so undo reaches back past this visit to the queue.
        self.first_decision = len(session.decisions)

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="triage-progress")
        with VerticalScroll(id="triage-body"):
            yield Static(Content(""), id="triage-card")
        yield Footer()

    @dataclass
    class QueueLoaded(Message):
        """The whole Inbox queue, read in a worker (no cap, however long it is)."""

        queue: list[str]

    def on_mount(self) -> None:
        self.query_one("#triage-progress", Static).update(Content.assemble(("Triage", "bold"), " · loading the Inbox…"))
        self.load_queue()

    @work(thread=True, exclusive=True, group="triage-queue", exit_on_error=False, name="triage queue")
    def load_queue(self) -> None:
        """Read every new paper's id in Inbox order."""
        ids = self.session.service.view_ids(View.INBOX)
        if self.session.watched_first:
            ids = watched_first(self.session.service, ids)
        self.post_message(self.QueueLoaded(ids))

    @on(QueueLoaded)
    def start_deciding(self, message: QueueLoaded) -> None:
        self.queue = message.queue
        self.loaded = True
        self.show_current()

    @property
    def current(self) -> Paper | None:
        """The paper being decided, as the library holds it now (None once the queue is done)."""
        if not self.loaded or self.position >= len(self.queue):
            return None
        return self.session.get(self.queue[self.position])

    def show_current(self) -> None:
        """Draw the current paper, or the summary when the queue is done."""
        paper = self.current
        progress = self.query_one("#triage-progress", Static)
        card = self.query_one("#triage-card", Static)
        if paper is None:
            progress.update(Content.assemble(("Triage", "bold"), f" · {len(self.queue)} / {len(self.queue)}"))
            card.update(Content.assemble((self.summary() + "\n\n", "bold"),
                                         ("u: undo the last decision · esc: back to the library", "dim")))
        else:
            progress.update(Content.assemble(("Triage", "bold"), " · ", self.progress_text(paper),
                                             (" · watched first (w)", "dim") if self.session.watched_first else ""))
            watch = self.session.service.watch_marks([(None, paper)], full=True).get(paper.id)
            card.update(paper_card(paper, note_hint="n: add a note", watch=watch))
        self.query_one("#triage-body").scroll_home(animate=False)

    def progress_text(self, paper: Paper) -> str:
        """`12 / 43, digest Apr 22`."""
        where = ""
        if paper.seen:
            first = paper.seen[0]
            where = f", digest {short_date(first.digest_date) or one_line(first.digest)}"
        return f"{self.position + 1} / {len(self.queue)}{where}"

    def summary(self) -> str:
        """`12 decided: 3 kept, 8 dismissed, 1 later` (or an empty-inbox message)."""
        if not self.queue:
            return "The inbox is empty: nothing to triage."
        choices = [decision.choice for decision in self.session.decisions[self.first_decision :]]
        return (f"{len(choices)} decided: {choices.count('kept')} kept, "
                f"{choices.count('dismissed')} dismissed, {choices.count('later')} later")

    def action_decide(self, choice: str) -> None:
        """Keep (star), dismiss, or leave for later; then the next paper."""
        paper = self.current
        if paper is None:
            return
        if choice == "kept":
            self.session.set_starred(paper.id, True)
            self.session.set_status(paper.id, "kept")
        elif choice == "dismissed":
            self.session.set_status(paper.id, "dismissed")
        self.session.decisions.append(Decision(paper, choice))
        if choice == "later":  # to the end of the queue: it comes round again after the rest
            self.queue.append(self.queue.pop(self.position))
        else:
            self.position += 1
        self.show_current()

    def action_undo(self) -> None:
        """Take back the last decision: restore the star and state, and show that paper again."""
        if not self.session.decisions:
            self.notify("Nothing to undo.", markup=False, timeout=2)
            return
        decision = self.session.decisions.pop()
        self.first_decision = min(self.first_decision, len(self.session.decisions))
        if decision.choice != "later":
            self.session.restore(decision.before)
        if self.position and self.queue[self.position - 1] == decision.before.id:
            self.position -= 1
        else:  # later (now at the end), or decided in an earlier visit: back to the front
            rest = [paper_id for paper_id in self.queue[self.position :] if paper_id != decision.before.id]
            self.queue[self.position :] = [decision.before.id, *rest]
        self.show_current()

    def action_edit_note(self) -> None:
        """Write a note on the current paper."""
        if (paper := self.current) is not None:
            def save(text: str, paper_id: str = paper.id) -> None:
                self.session.set_note(paper_id, text)
                self.call_later(self.show_current)
            self.app.push_screen(NoteEditor(paper, save))

    def action_open_paper(self) -> None:
        """Open the code link, else a search for the title."""
        if (paper := self.current) is not None:
            url = open_target(paper)
            self.app.open_url(url)
            self.notify(f"Opening {url}", markup=False, timeout=3)

    def action_toggle_watched_first(self) -> None:
        """Put the papers a watch matches first in the rest of the queue, or back in Inbox order."""
        self.session.watched_first = not self.session.watched_first
        rest = self.queue[self.position:]
        if self.session.watched_first:
            rest = watched_first(self.session.service, rest)
        else:
            order = {paper_id: n for n, paper_id in enumerate(self.session.service.view_ids(View.INBOX))}
            rest.sort(key=lambda paper_id: order.get(paper_id, len(order)))
        self.queue[self.position:] = rest
        self.notify("Watched papers first." if self.session.watched_first else "Inbox order.", markup=False,
                    timeout=2)
        self.show_current()

    def action_scroll(self, lines: int) -> None:
        """j/k scroll a long abstract."""
        self.query_one("#triage-body").scroll_relative(y=lines, animate=False)

    def action_leave(self) -> None:
        """Back to the library, saying what was decided in this visit."""
        if self.session.decisions[self.first_decision :]:
            self.notify(self.summary(), title="Triage", markup=False, timeout=6)
        self.app.pop_screen()
