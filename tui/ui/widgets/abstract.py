"""The abstract pane: one paper in full, scrollable, rendered from plain text (never markup)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.records import Paper, Span, WatchMarks
from tui.ui.widgets.render import paper_card


class AbstractPane(VerticalScroll):
    """Shows the highlighted paper: title, details, digests, links, abstract and note."""

    DEFAULT_CSS = """
    AbstractPane > #paper { width: 1fr; height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, can_focus=True)
        self.paper: Paper | None = None
        self._spans: tuple[tuple[Span, ...], tuple[Span, ...]] = ((), ())
        #: The "for you" order's explanation of a paper, while that order is shown (else None).
        self.explain: Callable[[Paper], str] | None = None
        #: Where watches match the shown paper (None: none does).
        self.watch: WatchMarks | None = None

    def compose(self):
        yield Static(Content("Nothing selected."), id="paper")

    def show(self, paper: Paper | None, title_spans: Iterable[Span] = (),
             abstract_spans: Iterable[Span] = (), keep_scroll: bool = False,
             watch: WatchMarks | None = None) -> None:
        """Render `paper` (or an empty state); scrolls back to the top for a different paper."""
        changed = paper is None or self.paper is None or paper.id != self.paper.id
        self.paper = paper
        self.watch = watch
        self._spans = (tuple(title_spans), tuple(abstract_spans))
        self._render_paper()
        if changed and not keep_scroll:
            self.scroll_home(animate=False)

    def refresh_paper(self, paper: Paper) -> None:
        """Redraw the same paper after its star, state or note changed, keeping highlights.

        Only a new note changes the card's height; a star or a state only rewrites a line,
        so the screen is not laid out again (a layout at 100k papers costs 20-40 ms).
        """
        same_height = self.paper is not None and self.paper.id == paper.id and self.paper.note == paper.note
        self.paper = paper
        self._render_paper(layout=not same_height)

    def _render_paper(self, layout: bool = True) -> None:
        body = self.query_one("#paper", Static)
        if self.paper is None:
            body.update(Content("No paper selected."), layout=layout)
        else:
            # the room a value has is the pane's, less a scrollbar that a long abstract brings
            room = self.scrollable_content_region.width
            if not self.show_vertical_scrollbar:
                room -= self.styles.scrollbar_size_vertical
            reason = self.explain(self.paper) if self.explain is not None else ""
            body.update(paper_card(self.paper, *self._spans, width=room, reason=reason, watch=self.watch),
                        layout=layout)

    def on_resize(self) -> None:
        if self.paper is not None:
            self.call_after_refresh(self._render_paper)
