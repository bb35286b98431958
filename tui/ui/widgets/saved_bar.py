"""Saved searches beside the views: their labels (`4 gnn 42 (+5)`) and the worker that counts them."""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from tui.records import SavedSearch
from tui.textsafe import one_line

#: Number keys of the saved searches, in their order (1-3 are the views).
SAVED_KEYS = ("4", "5", "6", "7", "8", "9")
#: Longest name shown in the view bar (the palette and the lists screen show it whole).
NAME_CHARS = 16


def saved_label(key: str, search: SavedSearch, compact: bool = False) -> str:
    """` 4 gnn 42 (+5) `: key, name, matches, and how many are new since it was last opened."""
    name = one_line(search.name)
    limit = NAME_CHARS // 2 if compact else NAME_CHARS
    if len(name) > limit:
        name = name[:limit - 1] + "…"
    count = "" if search.count is None else f" {search.count:,}"
    new = f" (+{search.new:,})" if search.new else ""
    return f" {key} {name}{count}{new} "


class SavedCounter(Widget):
    """Counts every saved search in a thread worker, after letting the index catch up."""

    DEFAULT_CSS = "SavedCounter { display: none; }"

    @dataclass
    class Counted(Message):
        """The saved searches in key order, with their counts (None until the index is ready)."""

        searches: tuple[SavedSearch, ...]

    def __init__(self, session) -> None:
        super().__init__()
        self.session = session

    @work(thread=True, exclusive=True, group="saved-counts", exit_on_error=False, name="saved search counts")
    def count(self) -> None:
        """Count matches and new matches of each saved search (the UI thread never waits for it).

        First the index catches up and the watches' matches are found (so list rows are marked
        by a look-up).
        """
        self.session.catch_up_now()
        worker = get_current_worker()
        if self.session.index_ready:
            self.session.service.prepare_watches(cancelled=lambda: worker.is_cancelled)
        searches = tuple(self.session.service.saved_searches(counted=self.session.index_ready))
        if not worker.is_cancelled:
            self.post_message(self.Counted(searches))
