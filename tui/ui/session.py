"""The app's handle on the service: user-state writes land at once, the index follows behind."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from tui.records import Paper
from tui.service import Service
from tui.vocabulary import View

#: Seconds a write waits before the index catches up with it (a frame or three).
SYNC_AFTER_S = 0.05


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

    def change_tags(self, paper_ids: list[str], add: list[str], remove: list[str]) -> list[Paper]:
        """Add and remove tags on one paper or many as ONE undoable step; ValueError names a bad tag."""
        papers = self.service.mark(paper_ids, tag=add, untag=remove)[0]
        self.sync_index()
        return papers

    def tags(self) -> list[tuple[str, int]]:
        """The library's tags with their counts, most used first."""
        return self.service.tags()

    def decide(self, paper_ids: list[str], choice: str) -> dict[str, Paper]:
        """One decision (kept, dismissed, read, new, later, starred, unstarred) for one paper or
        many, as one undoable step; returns the papers after it."""
        return self._changed_many(self.service.decide(paper_ids, choice))

    def undo(self) -> tuple[str, dict[str, Paper]] | None:
        """Take back the newest change (any view, any earlier session): what it was, and the papers."""
        done = self.service.undo()
        if done is not None:
            self.sync_index()
        return done

    def _changed_many(self, papers: dict[str, Paper]) -> dict[str, Paper]:
        self.sync_index()
        return papers

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
