"""Triage: the inbox (or one digest) one paper at a time, keep / dismiss / later, with undo as far back as needed.

Every decision is written at once as one undoable step of the library, so `u` reaches back past
this visit, past the library screen's own changes, and past a restart.
"""

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
from tui.ui.workers import ReportsWorkerFailures
from tui.ui.screens.note import NoteEditor
from tui.ui.screens.tags import TagEditor
from tui.ui.session import Session
from tui.textsafe import one_line
from tui.describe import open_target, pdf_target
from tui.ui.widgets.render import paper_card
from tui.vocabulary import Sort

TRIAGE_BINDINGS = [
    Binding("s", "decide('kept')", "Keep ★", id="triage-keep", tooltip="Keep: star it and mark it kept"),
    Binding("x", "decide('dismissed')", "Dismiss", id="triage-dismiss", tooltip="Dismiss it"),
    Binding("space", "decide('later')", "Later", id="triage-later",
            tooltip="Later: to the end of the queue (it stays new, and comes last next time too)"),
    Binding("n", "edit_note", "Note", id="triage-note", tooltip="Write a note on it"),
    Binding("T", "edit_tags", "Tags", show=False, id="triage-tag", tooltip="Add or remove its tags"),
    Binding("u", "undo", "Undo", id="triage-undo", tooltip="Undo the last decision (again and again)"),
    Binding("ctrl+z", "undo", "Undo", show=False, id="triage-undo-ctrl", tooltip="Undo the last decision"),
    Binding("left_square_bracket", "step_digest(-1)", "Prev digest", show=False, id="triage-digest-previous",
            key_display="[", tooltip="The previous digest of the queue"),
    Binding("right_square_bracket", "step_digest(1)", "Next digest", show=False, id="triage-digest-next",
            key_display="]", tooltip="The next digest of the queue (this one's papers wait at the end)"),
    Binding("o", "open_paper", "Open", show=False, id="triage-open", tooltip="Open it in the browser"),
    Binding("O", "open_pdf", "PDF", show=False, id="triage-open-pdf", tooltip="Open its PDF (arXiv papers)"),
    Binding("escape", "leave", "Back", id="triage-back", tooltip="Back to the library"),
]
ALIAS_BINDINGS = [
    Binding("j", "scroll(3)", "Scroll down", show=False, id="triage-down-vim"),
    Binding("k", "scroll(-3)", "Scroll up", show=False, id="triage-up-vim"),
]


class TriageScreen(ReportsWorkerFailures, Screen):
    """Walk the queue (oldest digest first, each in its own order), deciding each paper with one key."""

    BINDINGS = TRIAGE_BINDINGS + ALIAS_BINDINGS

    def __init__(self, session: Session, digest=None, sort: Sort = Sort.RELEVANCE) -> None:
        super().__init__()
        self.session = session
        #: FOR_YOU: each digest's papers best first, re-ranked as decisions come in.
        self.for_you = sort == Sort.FOR_YOU
        #: The DigestInfo being triaged, or None for the whole Inbox.
        self.digest = digest
        #: (paper id, digest id) in the order they come up; `position` is the paper shown.
        self.queue: list[tuple[str, int | None]] = []
        self.position = 0
        self.loaded = False
        self.labels: dict[int, str] = {}
        #: The choices made in this visit, for the summary (undo takes them back off).
        self.choices: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="triage-progress")
        with VerticalScroll(id="triage-body"):
            yield Static(Content(""), id="triage-card")
        yield Footer()

    @dataclass
    class QueueLoaded(Message):
        """The whole queue with each digest's name, read in a worker (no cap, however long it is)."""

        queue: list[tuple[str, int | None]]
        labels: dict[int, str]

    def on_mount(self) -> None:
        what = one_line(self.digest.label) if self.digest is not None else "the Inbox"
        self.query_one("#triage-progress", Static).update(Content.assemble(("Triage", "bold"), f" · loading {what}…"))
        self.load_queue()

    @work(thread=True, exclusive=True, group="triage-queue", exit_on_error=False, name="triage queue")
    def load_queue(self) -> None:
        """Read every new paper's id in queue order, and the digests' names."""
        service = self.session.service
        queue = service.triage_queue(self.digest.id if self.digest is not None else None,
                                     Sort.FOR_YOU if self.for_you else Sort.RELEVANCE)
        labels = {info.id: info.label for info in service.digests()}
        self.post_message(self.QueueLoaded(queue, labels))

    @on(QueueLoaded)
    def start_deciding(self, message: QueueLoaded) -> None:
        self.queue, self.labels = message.queue, message.labels
        self.loaded = True
        self.show_current()

    @property
    def ids(self) -> list[str]:
        """The queue's paper ids, in the order they come up."""
        return [paper_id for paper_id, _ in self.queue]

    @property
    def current(self) -> Paper | None:
        """The paper being decided, as the library holds it now (None once the queue is done)."""
        if not self.loaded or self.position >= len(self.queue):
            return None
        return self.session.get(self.queue[self.position][0])

    def show_current(self) -> None:
        """Draw the current paper, or the summary when the queue is done."""
        paper = self.current
        progress = self.query_one("#triage-progress", Static)
        card = self.query_one("#triage-card", Static)
        if paper is None:
            done = len(self.queue)
            progress.update(Content.assemble(("Triage", "bold"), f" · {done:,} / {done:,} · nothing left"))
            card.update(Content.assemble((self.summary() + "\n\n", "bold"),
                                         ("u: undo the last decision · esc: back to the library", "dim")))
        else:
            progress.update(Content.assemble(("Triage", "bold"), " · ", self.progress_text()))
            card.update(paper_card(paper, note_hint="n: add a note", width=card.size.width or self.size.width - 4,
                                   reason=self.reason(paper)))
        self.query_one("#triage-body").scroll_home(animate=False)

    def reason(self, paper: Paper) -> str:
        """The "for you" line: why this paper comes now (shown whenever the order has learned
        enough, since triage is where it helps to decide), or what it still needs in that order."""
        foryou = self.session.service.foryou
        if foryou.status.ready or self.for_you:
            return foryou.explain(paper)
        return ""

    def progress_text(self) -> str:
        """`HF Daily · 2026-04-22: 12 / 43 · Inbox 300 left` (where this paper's digest stands)."""
        digest = self.queue[self.position][1]
        in_digest = [d for _, d in self.queue].count(digest)
        reached = [d for _, d in self.queue[: self.position + 1]].count(digest)
        label = one_line(self.labels.get(digest, "")) if digest is not None else ""
        left = len(self.queue) - self.position
        where = "this digest" if self.digest is not None else "Inbox"
        head = f"{label}: {reached:,} / {in_digest:,}" if label else f"{self.position + 1:,} / {len(self.queue):,}"
        return f"{head} · {where} {left:,} left"

    def summary(self) -> str:
        """`12 decided: 3 kept, 8 dismissed, 1 later` (or an empty-inbox message)."""
        if not self.queue:
            return ("This digest has no new papers: nothing to triage." if self.digest is not None
                    else "The inbox is empty: nothing to triage.")
        choices = [choice for _, choice in self.choices]
        return (f"{len(choices)} decided: {choices.count('kept')} kept, "
                f"{choices.count('dismissed')} dismissed, {choices.count('later')} later")

    def action_decide(self, choice: str) -> None:
        """Keep (star), dismiss, or leave for later; then the next paper."""
        paper = self.current
        if paper is None:
            return
        self.session.decide([paper.id], choice)
        self.choices.append((paper.id, choice))
        if choice == "later":  # to the end of the queue: it comes round again after the rest
            self.queue.append(self.queue.pop(self.position))
        else:
            self.position += 1
        self.show_current()
        if self.for_you and choice != "later":
            self.rerank(self.position, self.queue[self.position + 1:])

    @work(thread=True, exclusive=True, group="triage-rerank", exit_on_error=False, name="for you order")
    def rerank(self, position: int, rest: list[tuple[str, int | None]]) -> None:
        """Put the papers after the shown one in the order the last decision taught, in a worker."""
        ranked = self.session.service.foryou.order_queue(rest)
        self.app.call_from_thread(self._reordered, position, [paper_id for paper_id, _ in rest], ranked)

    def _reordered(self, position: int, waiting: list[str], ranked: list[tuple[str, int | None]]) -> None:
        """Apply a re-ranking unless the queue moved on meanwhile (it is redone at the next key)."""
        if position == self.position and [p for p, _ in self.queue[position + 1:]] == waiting:
            self.queue[position + 1:] = ranked

    def action_undo(self) -> None:
        """Take back the last change and show that paper again (it may be from an earlier visit)."""
        done = self.session.undo()
        if done is None:
            self.notify("Nothing to undo.", markup=False, timeout=2)
            return
        text, papers = done
        self.notify(text, markup=False, timeout=3)
        self._put_back(papers)

    def _put_back(self, papers: dict) -> None:
        """An undo brought one paper back: decide it again now."""
        if len(papers) != 1:
            return
        paper_id = next(iter(papers))
        for index in range(len(self.choices) - 1, -1, -1):
            if self.choices[index][0] == paper_id:
                del self.choices[index]
                break
        at = next((i for i, (pid, _) in enumerate(self.queue) if pid == paper_id), None)
        entry = self.queue.pop(at) if at is not None else (paper_id, self.session.service.first_digest_of(paper_id))
        if at is not None and at < self.position:
            self.position -= 1
        self.queue.insert(self.position, entry)
        self.show_current()

    def action_step_digest(self, step: int) -> None:
        """`]`: this digest's remaining papers wait at the end, the next digest comes up; `[`: the
        previous digest's remaining papers come back to the front."""
        rest = self.queue[self.position :]
        if not rest:
            return
        order = list(dict.fromkeys(d for _, d in rest))
        if len(order) < 2:
            self.notify("No other digest in the queue.", markup=False, timeout=2)
            return
        target = order[1] if step > 0 else order[-1]
        front = [entry for entry in rest if entry[1] == target]
        others = [entry for entry in rest if entry[1] != target]
        if step > 0:
            current = [entry for entry in others if entry[1] == order[0]]
            others = [entry for entry in others if entry[1] != order[0]] + current
        self.queue[self.position :] = front + others
        self.show_current()

    def action_edit_note(self) -> None:
        """Write a note on the current paper."""
        if (paper := self.current) is not None:
            def save(text: str, paper_id: str = paper.id) -> None:
                self.session.set_note(paper_id, text)
                self.call_later(self.show_current)
            self.app.push_screen(NoteEditor(paper, save))

    def action_edit_tags(self) -> None:
        """Tag the current paper (completing from your tags); the card shows them at once."""
        if (paper := self.current) is not None:
            def change(add: list[str], remove: list[str], paper_id: str = paper.id) -> list[Paper]:
                papers = self.session.change_tags([paper_id], add, remove)
                self.show_current()
                return papers

            def undo() -> tuple[str | None, list[Paper]]:
                done = self.session.undo()
                if done is not None:
                    self._put_back(done[1])
                now = self.session.get(paper.id)
                return (done[0] if done else None), [now] if now is not None else []
            self.app.push_screen(TagEditor([paper], self.session.tags(), change, undo))

    def action_open_paper(self) -> None:
        """Open the code link, else a search for the title."""
        if (paper := self.current) is not None:
            self.app.open_link(open_target(paper))  # the browser setting, else the clipboard

    def action_open_pdf(self) -> None:
        """Open the PDF (arXiv papers, or a link that is a PDF)."""
        if (paper := self.current) is not None:
            url = pdf_target(paper)
            if url is None:
                self.notify("No PDF is known for this paper: o opens its page.", markup=False, timeout=3)
                return
            self.app.open_link(url)

    def action_scroll(self, lines: int) -> None:
        """j/k scroll a long abstract."""
        self.query_one("#triage-body").scroll_relative(y=lines, animate=False)

    def action_leave(self) -> None:
        """Back to the library, saying what was decided in this visit."""
        if self.choices:
            self.notify(self.summary(), title="Triage", markup=False, timeout=6)
        self.app.pop_screen()
