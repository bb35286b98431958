"""The results list: one OptionList row per paper (two lines each), fast for thousands of rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from textual.content import Content

from tui.records import Paper, SearchHit
from tui.ui.widgets.render import row

#: One list entry: the hit, its paper, and the prompt drawn for it.
Row = tuple[SearchHit, Paper, Content]


def build_rows(pairs: Iterable[tuple[SearchHit, Paper]], show_notes: bool = False) -> list[Row]:
    """Draw the rows for (hit, paper) pairs (pure, so a thread worker can do it).

    Repeated papers are left out (option ids must be unique).
    """
    seen: set[str] = set()
    rows: list[Row] = []
    for hit, paper in pairs:
        if paper.id not in seen:
            seen.add(paper.id)
            rows.append((hit, paper, row(paper, hit, show_notes)))
    return rows


class ResultsList(OptionList):
    """Papers found by a search, in order; keeps the highlighted paper across refreshes."""

    DEFAULT_CSS = """
    ResultsList {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    @dataclass
    class Highlighted(Message):
        """The cursor moved to a paper (None when the list is empty)."""

        paper_id: str | None

    @dataclass
    class Chosen(Message):
        """Enter was pressed on a paper."""

        paper_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.papers: dict[str, Paper] = {}
        self.hits: dict[str, SearchHit] = {}
        self.show_notes = False

    @property
    def current_id(self) -> str | None:
        """The id of the highlighted paper."""
        option = self.highlighted_option
        return option.id if option is not None else None

    @property
    def current(self) -> Paper | None:
        """The highlighted paper."""
        paper_id = self.current_id
        return self.papers.get(paper_id) if paper_id else None

    def show(self, rows: list[Row], show_notes: bool = False, keep: str | None = None) -> None:
        """Replace the rows; the cursor stays on `keep` (or the first row) when it is still listed."""
        self.show_notes = show_notes
        self.papers = {hit.id: paper for hit, paper, _ in rows}
        self.hits = {hit.id: hit for hit, _, _ in rows}
        self.set_options(Option(prompt, id=hit.id) for hit, _, prompt in rows)
        if rows:
            index = next((i for i, (hit, _, _) in enumerate(rows) if hit.id == keep), 0)
            self.highlighted = index
            self.scroll_to_highlight(top=index == 0)
        else:
            self.post_message(self.Highlighted(None))

    def update_paper(self, paper: Paper) -> None:
        """Redraw one paper's row after its star, note or state changed."""
        if paper.id not in self.papers:
            return
        self.papers[paper.id] = paper
        self.replace_option_prompt(paper.id, row(paper, self.hits.get(paper.id), self.show_notes))

    def select_paper(self, paper_id: str) -> bool:
        """Move the cursor to a paper; False when it is not listed."""
        if paper_id not in self.papers:
            return False
        self.highlighted = self.get_option_index(paper_id)
        return True

    @on(OptionList.OptionHighlighted)
    def _announce_highlight(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(event.option.id))

    @on(OptionList.OptionSelected)
    def _announce_choice(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))
