"""The app's handle on the service: user-state writes land at once, the index follows behind."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from tui.records import Paper
from tui.service import Service
from tui.vocabulary import View

#: Seconds a write waits before the index catches up with it (a frame or three).
SYNC_AFTER_S = 0.05


@dataclass(frozen=True)
class Decision:
    """One triage step: what was decided, and the paper as it was before (for undo)."""

    before: Paper
    choice: str  # kept, dismissed or later


class Session:
    """Shared by every screen: the service, whether the index is ready, and state changes.

    Stars, notes and triage states are written to the SQLite library on the UI thread (a
    write takes well under a millisecond), so they are durable before the screen redraws and
    a note is never lost. Whoosh then catches up in a thread worker; a user never waits for
    the index, and a change made during an index build is picked up when the build finishes.
    """

    def __init__(self, service: Service, run_in_thread: Callable[[Callable[[], object], str], object]) -> None:
        self.service = service
        self.index_ready = False
        self.index_progress = ""
        self.index_error = ""
        self.decisions: list[Decision] = []
        self._run_in_thread = run_in_thread
        self._sync_lock = threading.Lock()

    # -- writes --------------------------------------------------------------------------------
    def set_starred(self, paper_id: str, starred: bool) -> Paper:
        """Star or unstar now; returns the updated paper."""
        return self._changed(self.service.set_starred(paper_id, starred))

    def set_note(self, paper_id: str, note: str) -> Paper:
        """Save a note now; returns the updated paper."""
        return self._changed(self.service.set_note(paper_id, note))

    def set_status(self, paper_id: str, status: str) -> Paper:
        """Move a paper to new, kept, dismissed or read now; returns the updated paper."""
        return self._changed(self.service.set_status(paper_id, status))

    def restore(self, paper: Paper) -> Paper:
        """Put back a paper's star and state as they were in `paper` (for undo)."""
        current = self.get(paper.id)
        if current is not None and current.starred != paper.starred:
            current = self.service.set_starred(paper.id, paper.starred)
        if current is not None and current.status != paper.status:
            current = self.service.set_status(paper.id, paper.status)
        if current is None:
            raise KeyError(paper.id)
        return self._changed(current)

    def get(self, paper_id: str) -> Paper | None:
        """One paper as the library holds it now."""
        return self.service.get(paper_id)

    def counts(self) -> dict[View, int]:
        """Papers per view: all, inbox (new) and reading list (starred), kept current by the service."""
        return self.service.counts()

    def _changed(self, paper: Paper) -> Paper:
        """The write is done: let the index follow in a worker, hand the paper back for redraw."""
        self.sync_index()
        return paper

    # -- the index follows ---------------------------------------------------------------------
    def sync_index(self) -> None:
        """Let the index catch up with the library in a thread (no-op until it is ready)."""
        if self.index_ready:
            self._run_in_thread(self._catch_up, "index-sync")

    def _catch_up(self) -> None:
        # Let the key press's frame paint first: Whoosh's update is pure Python and would share
        # the GIL with it.
        time.sleep(SYNC_AFTER_S)
        # One catch-up at a time: a second writer would find the index locked and skip.
        with self._sync_lock:
            self.service.upkeep.catch_up()
