"""The Digests view: every imported digest, newest first, with its papers and how many are still new."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.describe import short_date
from tui.textsafe import one_line
from tui.ui.session import Session
from tui.ui.workers import ReportsWorkerFailures
from tui.vocabulary import View

DIGEST_BINDINGS = [
    Binding("enter", "choose('show')", "Show papers", id="digest-show", tooltip="List this digest's papers"),
    Binding("t", "choose('triage')", "Triage", id="digest-triage", tooltip="Triage this digest's new papers"),
    Binding("escape", "choose('back')", "Back", id="digest-back", tooltip="Back to the library"),
    Binding("j", "move(1)", "Down", show=False, id="digest-down-vim"),
    Binding("k", "move(-1)", "Up", show=False, id="digest-up-vim"),
]


@dataclass(frozen=True)
class DigestChoice:
    """What the user chose in the Digests view: show or triage a digest, or go back (digest None)."""

    action: str
    digest: object | None = None


def digest_line(info, screen_width: int = 120) -> Content:
    """`HF Daily · 2026-04-22        43 papers · 12 new    imported Nov 21` (the import day only when wide)."""
    wide = screen_width >= 100
    width = max(16, min(44, screen_width - (60 if wide else 36)))
    label = one_line(info.label)
    label = label if len(label) <= width else label[: width - 1] + "…"
    new = (f"{info.new:,} new".ljust(11), "bold $accent") if info.new else ("all triaged".ljust(11), "dim")
    imported = short_date(info.imported_at[:10]) or info.imported_at[:10]
    return Content.assemble((label.ljust(width), "bold" if info.new else ""), f"  {info.entries:>6,} papers · ", new,
                            (f"  imported {one_line(imported)}" if wide else "", "dim"))


class DigestsScreen(ReportsWorkerFailures, Screen[DigestChoice]):
    """Pick a digest to list or to triage; the library screen does the rest."""

    BINDINGS = DIGEST_BINDINGS
    DEFAULT_CSS = """
    DigestsScreen #digests { height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    DigestsScreen #digests-title { padding: 0 1; }
    """

    def __init__(self, session: Session, current: int | None = None) -> None:
        super().__init__()
        self.session = session
        self.current = current
        self.digests: list = []

    @dataclass
    class Loaded(Message):
        """The digests, read in a worker (counting what is new touches every sighting)."""

        digests: list
        inbox: int

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("Digests", "bold"), " · newest first · loading…"), id="digests-title")
        yield OptionList(id="digests")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.load()

    @work(thread=True, exclusive=True, group="digests", exit_on_error=False, name="digests")
    def load(self) -> None:
        service = self.session.service
        self.post_message(self.Loaded(service.digests(), service.counts()[View.INBOX]))

    @on(Loaded)
    def show_digests(self, message: Loaded) -> None:
        self.digests = message.digests
        options = self.query_one(OptionList)
        options.set_options(Option(digest_line(info, self.size.width), id=str(info.id)) for info in self.digests)
        self.query_one("#digests-title", Static).update(Content.assemble(
            ("Digests", "bold"), f" · newest first · {len(self.digests):,} digests · Inbox {message.inbox:,} new",
            (" · enter: list it · t: triage it" if self.size.width >= 100 else "", "dim")))
        if not self.digests:
            self.query_one("#digests-title", Static).update(Content.assemble(
                ("Digests", "bold"), " · none imported yet: `paper-reader import FILE`"))
        index = next((i for i, info in enumerate(self.digests) if info.id == self.current), 0)
        if self.digests:
            options.highlighted = index

    @property
    def highlighted(self):
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.digests:
            return None
        return self.digests[options.highlighted]

    @on(OptionList.OptionSelected)
    def chosen(self) -> None:
        self.action_choose("show")

    def action_choose(self, action: str) -> None:
        """Show or triage the highlighted digest, or go back."""
        info = None if action == "back" else self.highlighted
        if action != "back" and info is None:
            return
        self.dismiss(DigestChoice(action, info))

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        (options.action_cursor_down if step > 0 else options.action_cursor_up)()
