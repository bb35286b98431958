"""The view bar: the three views with their counts, and the result count and sort order."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from tui.vocabulary import Sort, View

#: Below this width the tabs use short titles.
COMPACT_WIDTH = 100
VIEW_KEYS = {View.ALL: "1", View.INBOX: "2", View.STARRED: "3"}
SUFFIX = {View.ALL: "", View.INBOX: " new", View.STARRED: " ★"}


class ViewBar(Static):
    """`1 All papers 341 │ 2 Inbox 120 new │ 3 Reading list 8 ★      42 results · sort: newest`.

    Drawn from its reactives alone, which the library screen binds to its own state.
    """

    view: reactive[View] = reactive(View.ALL)
    """The active view."""
    sort: reactive[Sort] = reactive(Sort.RELEVANCE)
    """The active order."""
    order_title: reactive[str] = reactive("")
    """What the order is called for the shown list (empty: the sort's own name)."""
    summary: reactive[str] = reactive("loading…")
    """What the list holds (`42 results`, `100 of 2,341 results`)."""
    counts: reactive[dict] = reactive(dict, always_update=True)
    """Papers per view."""

    def render(self) -> Content:
        full = self._bar(compact=0 < self.size.width < COMPACT_WIDTH)
        return full if full.cell_length <= self.size.width or not self.size.width else self._bar(compact=True)

    def _bar(self, compact: bool) -> Content:
        parts: list[str | tuple[str, str]] = []
        for name in View:
            title = name.short_title if compact else name.title
            label = f" {VIEW_KEYS[name]} {title} {self.counts.get(name, 0):,}{SUFFIX[name]} "
            parts += [(label, "bold reverse $accent" if name == self.view else ""), " " if compact else "  "]
        order = self.order_title or Sort(self.sort).title
        parts.append((f"{self.summary} · {'' if compact else 'sort: '}{order}", "dim"))
        return Content.assemble(*parts)
