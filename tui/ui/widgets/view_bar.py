"""The view bar: the three views with their counts, and the result count and sort order."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

VIEW_TITLES = {"all": "All papers", "inbox": "Inbox", "starred": "Reading list"}
SHORT_TITLES = {"all": "All", "inbox": "Inbox", "starred": "Reading"}
#: Below this width the tabs use short titles.
COMPACT_WIDTH = 100
VIEW_KEYS = {"all": "1", "inbox": "2", "starred": "3"}
SORT_TITLES = {"relevance": "relevance", "newest": "newest", "upvotes": "most upvoted"}


class ViewBar(Static):
    """`1 All papers 341 │ 2 Inbox 120 new │ 3 Reading list 8 ★      42 results · sort: newest`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Content(""), id=id)
        self.counts: dict[str, int] = {}
        self._last: tuple[str, str, str] = ("all", "relevance", "")

    def show(self, view: str, sort: str, results: str, counts: dict[str, int]) -> None:
        """Redraw for the active view, the sort order, a results summary and the view counts."""
        self.counts = counts
        self._last = (view, sort, results)
        suffix = {"all": "", "inbox": " new", "starred": " ★"}
        parts: list[str | tuple[str, str]] = []
        compact = 0 < self.size.width < COMPACT_WIDTH
        for name, title in (SHORT_TITLES if compact else VIEW_TITLES).items():
            style = "bold reverse $accent" if name == view else ""
            label = f" {VIEW_KEYS[name]} {title} {counts.get(name, 0)}{suffix[name]} "
            parts += [(label, style), " " if compact else "  "]
        tail = f"{results} · {'' if compact else 'sort: '}{SORT_TITLES.get(sort, sort)}"
        parts.append((tail, "dim"))
        self.update(Content.assemble(*parts))

    def on_resize(self) -> None:
        """Short or long titles depend on the width."""
        self.show(*self._last, self.counts)
