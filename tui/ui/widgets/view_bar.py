"""The view bar: the three views with their counts, and the result count and sort order."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from tui.vocabulary import Sort, View

#: Below this width the tabs use short titles.
COMPACT_WIDTH = 100
VIEW_KEYS = {View.ALL: "1", View.INBOX: "2", View.STARRED: "3"}


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
        suffix = {View.ALL: "", View.INBOX: " new", View.STARRED: " ★"}
        parts: list[str | tuple[str, str]] = []
        compact = 0 < self.size.width < COMPACT_WIDTH
        for name in View:
            title = name.short_title if compact else name.title
            style = "bold reverse $accent" if name == view else ""
            label = f" {VIEW_KEYS[name]} {title} {counts.get(name, 0)}{suffix[name]} "
            parts += [(label, style), " " if compact else "  "]
        tail = f"{results} · {'' if compact else 'sort: '}{Sort(sort).title}"
        parts.append((tail, "dim"))
        self.update(Content.assemble(*parts))

    def on_resize(self) -> None:
        """Short or long titles depend on the width."""
        self.show(*self._last, self.counts)
