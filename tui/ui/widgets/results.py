"""The results list: one OptionList row per paper (two lines each), a page at a time, more on demand."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from textual.content import Content

from tui.records import Paper, SearchHit, WatchMarks
from tui.ui.widgets.render import row

#: Rows from the end of what is loaded at which the next page is asked for (a screenful and a half).
NEAR_END = 25

#: Lines per row (title, then the byline and excerpt).
ROW_LINES = 2
#: One list entry: the hit, its paper, and the prompt drawn for it.
Row = tuple[SearchHit, Paper, Content]


def build_rows(pairs: Iterable[tuple[SearchHit, Paper]], show_notes: bool = False,
               marks: dict[str, WatchMarks] | None = None) -> list[Row]:
    """Draw the rows for (hit, paper) pairs (pure, so a thread worker can do it).

    Repeated papers are left out (option ids must be unique); `marks` are where watches match.
    """
    marks = marks or {}
    seen: set[str] = set()
    rows: list[Row] = []
    for hit, paper in pairs:
        if paper.id not in seen:
            seen.add(paper.id)
            rows.append((hit, paper, row(paper, hit, show_notes, watch=marks.get(paper.id))))
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
    class NearEnd(Message):
        """The cursor came close to the last loaded row while more results exist."""

        loaded: int

    @dataclass
    class Chosen(Message):
        """Enter was pressed on a paper."""

        paper_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.papers: dict[str, Paper] = {}
        self.hits: dict[str, SearchHit] = {}
        #: Where watches match the listed papers (by id), for their rows and the detail pane.
        self.marks: dict[str, WatchMarks] = {}
        self.show_notes = False
        #: How many results the whole search has (rows past the loaded ones arrive on demand).
        self.total = 0
        self._asked_at = -1
        #: Papers picked for a bulk decision (they stay picked across refreshes while listed).
        self.selected: set[str] = set()

    def validate_scroll_y(self, value: float) -> float:
        """Scroll by whole rows (two lines each): the top line is never a row's orphaned second line."""
        value = super().validate_scroll_y(value)
        whole = int(value)
        if whole % ROW_LINES == 0 or value >= self.max_scroll_y:
            return value
        snapped = whole + (ROW_LINES - whole % ROW_LINES) if value > self.scroll_y else whole - whole % ROW_LINES
        return float(min(snapped, self.max_scroll_y))

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

    def show(self, rows: list[Row], show_notes: bool = False, keep: str | None = None, total: int = 0,
             marks: dict[str, WatchMarks] | None = None) -> None:
        """Replace the rows; the cursor stays on `keep` (or the first row) when it is still listed."""
        self.marks = dict(marks or {})
        self.show_notes, self.total, self._asked_at = show_notes, max(total, len(rows)), -1
        self.papers = {hit.id: paper for hit, paper, _ in rows}
        self.hits = {hit.id: hit for hit, _, _ in rows}
        self.set_options(Option(self._prompt(hit.id, prompt), id=hit.id) for hit, _, prompt in rows)
        if rows:
            index = next((i for i, (hit, _, _) in enumerate(rows) if hit.id == keep), 0)
            self.highlighted = index
            self.scroll_to_highlight(top=index == 0)
        else:
            self.post_message(self.Highlighted(None))

    def append(self, rows: list[Row], marks: dict[str, WatchMarks] | None = None) -> None:
        """Add the next page of rows below the loaded ones (papers already listed are skipped)."""
        self.marks.update(marks or {})
        fresh = [(hit, paper, prompt) for hit, paper, prompt in rows if paper.id not in self.papers]
        self.papers.update((paper.id, paper) for _, paper, _ in fresh)
        self.hits.update((paper.id, hit) for hit, paper, _ in fresh)
        self.add_options(Option(self._prompt(paper.id, prompt), id=paper.id) for _, paper, prompt in fresh)
        if not fresh:
            self.total = self.option_count  # the search ended earlier than its estimate said

    def update_paper(self, paper: Paper) -> None:
        """Redraw one paper's row after its star, note or state changed."""
        if paper.id not in self.papers:
            return
        self.papers[paper.id] = paper
        self._redraw_row(paper.id, row(paper, self.hits.get(paper.id), self.show_notes,
                                       selected=paper.id in self.selected, watch=self.marks.get(paper.id)))

    def _redraw_row(self, option_id: str, prompt: Content) -> None:
        """Swap one row's prompt and repaint only its lines.

        `replace_option_prompt` would drop every row's cached render and measure every row
        again (a full relayout of the list, tens of ms). A row's height never changes here
        (two lines, no wrapping), so only that row's render is forgotten.
        """
        index = self.get_option_index(option_id)
        option = self.get_option_at_index(index)
        option._set_prompt(prompt)
        cache = self._option_render_cache
        for key in [key for key in cache.keys() if key[0] is option]:
            cache.discard(key)
        line = self._index_to_line.get(index)
        if line is None:  # not measured yet: let the list lay itself out
            self._clear_caches()
        else:
            self.refresh_lines(line, self._heights.get(index, ROW_LINES))

    def _prompt(self, paper_id: str, prompt: Content) -> Content:
        """A row drawn in a worker does not know the selection: redraw the few that are picked."""
        if paper_id in self.selected:
            return row(self.papers[paper_id], self.hits.get(paper_id), self.show_notes, selected=True,
                       watch=self.marks.get(paper_id))
        return prompt

    def set_selected(self, paper_ids: Iterable[str], selected: bool) -> None:
        """Pick papers for a bulk decision (or unpick them), redrawing the listed ones."""
        for paper_id in list(paper_ids):
            if (paper_id in self.selected) == selected:
                continue
            (self.selected.add if selected else self.selected.discard)(paper_id)
            if paper_id in self.papers:
                self.update_paper(self.papers[paper_id])

    def clear_selection(self) -> None:
        """Unpick everything."""
        self.set_selected(set(self.selected), False)

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
        loaded = self.option_count
        if loaded < self.total and event.option_index >= loaded - NEAR_END and self._asked_at != loaded:
            self._asked_at = loaded  # one request per page
            self.post_message(self.NearEnd(loaded))

    @on(OptionList.OptionSelected)
    def _announce_choice(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))
