"""The app's handle on the service: user-state writes are queued off the UI thread, the index follows."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable

from tui.records import Page, Paper, SearchRequest
from tui.service import Service
from tui.library import LibraryError
from tui.library.state import clean_tag
from tui.textsafe import one_line
from tui.ui.writes import WAIT_S, Write, WriteQueue, WritesReport, short_reason, waiting_line
from tui.vocabulary import Status, View


#: How long a search or listing waits for queued writes to land before it reads the library.
IDLE_WAIT_S = 0.5

#: Seconds a write waits before the index catches up with it (a frame or three).
SYNC_AFTER_S = 0.05


class Session:
    """Shared by every screen: the service, whether the index is ready, and state changes.

    Stars, notes and triage states go through a `WriteQueue`: committed by a thread, in
    order, each attempt waiting only a moment for another process's write lock, so a long
    import elsewhere never freezes the UI. Until a write is committed the screens show the
    intended state (`get` and `counts` include what is queued). Whoosh then catches up in a
    thread worker; a change made during an index build is picked up when the build finishes.
    """

    def __init__(self, service: Service, run_in_thread: Callable[[Callable[[], object], str], object],
                 report: Callable[[WritesReport], None] | None = None) -> None:
        self.service = service
        self.index_ready = False
        self.index_progress = ""
        self.index_error = ""
        self._run_in_thread = run_in_thread
        self._sync_lock = threading.Lock()
        self.writes = WriteQueue(service, lambda drain: run_in_thread(drain, "writes"), report or (lambda _r: None))

    # -- writes --------------------------------------------------------------------------------
    def set_starred(self, paper_id: str, starred: bool) -> Paper:
        """Star or unstar (queued); returns the paper as it will be."""
        return self._queue(paper_id, "starred", bool(starred))

    def set_note(self, paper_id: str, note: str) -> Paper:
        """Save a note (queued); returns the paper as it will be."""
        return self._queue(paper_id, "note", note)

    def set_status(self, paper_id: str, status: str) -> Paper:
        """Move a paper to new, kept, dismissed or read (queued); returns the paper as it will be."""
        return self._queue(paper_id, "status", str(status))

    def save_note(self, paper_id: str, note: str, expected: str, keep: bool = False) -> Write:
        """Save a note the editor loaded as `expected`; `write.first` gets the first attempt's `Outcome`.

        A note saved elsewhere in between is kept above this one. On a full disk or read-only
        media the write is handed back (the editor keeps the text) unless `keep`; on a busy
        library it stays queued and the outcome says `queued`.
        """
        paper = self.get(paper_id)
        write = Write(paper_id, "note", note, paper.title if paper else paper_id, expected=expected,
                      withdraw_on_failure=not keep)
        return self.writes.put(write)

    def change_tags(self, paper_ids: list[str], add: list[str], remove: list[str]) -> list[Paper]:
        """Add and remove tags on one paper or many as ONE undoable step (queued); ValueError names a
        bad tag at once. Returns the papers as they will be."""
        tags = (tuple(clean_tag(name) for name in add), tuple(clean_tag(name) for name in remove))
        papers = [paper for paper_id in dict.fromkeys(paper_ids) if (paper := self.get(paper_id)) is not None]
        if not papers or not (tags[0] or tags[1]):
            return papers
        title = papers[0].title if len(papers) == 1 else f"{len(papers)} papers"
        self.writes.put(Write(papers[0].id, "tags", tags, title, ids=tuple(p.id for p in papers)))
        return [self.writes.overlay(paper) for paper in papers]

    def tags(self) -> list[tuple[str, int]]:
        """The library's tags with their counts, most used first."""
        return self.service.tags()

    def decide(self, paper_ids: list[str], choice: str) -> dict[str, Paper]:
        """One decision (kept, dismissed, read, new, later, starred, unstarred) for one paper or
        many, as one undoable step (queued); returns the papers as they will be."""
        ids = list(dict.fromkeys(paper_ids))
        papers = {paper_id: paper for paper_id in ids if (paper := self.get(paper_id)) is not None}
        if not papers:
            return {}
        first = next(iter(papers.values()))
        title = first.title if len(papers) == 1 else f"{len(papers)} papers"
        self.writes.put(Write(first.id, "decide", choice, title, ids=tuple(papers)))
        return {paper_id: self.writes.overlay(paper) for paper_id, paper in papers.items()}

    def undo(self) -> tuple[str, dict[str, Paper]] | None:
        """Take back the newest change (any view, any earlier session): what it was, and the papers.

        While changes wait to be saved (another process holds the lock), the newest waiting
        change is taken back before it is ever written. When the library stays busy past a
        short wait, nothing is undone and the text says why.
        """
        waiting = self.waiting_line()
        if waiting:
            withdrawn = self.writes.withdraw_newest(WAIT_S + 0.1)
            if withdrawn is not None:
                write, papers = withdrawn
                return _withdrawn_text(write), {paper.id: paper for paper in papers}
            waiting = self.waiting_line()
            if waiting:
                return f"Not undone yet: {waiting}", {}
        try:
            with self.service.waiting_at_most(WAIT_S):
                done = self.service.undo()
        except LibraryError as exc:
            return f"Not undone: {short_reason(exc)}", {}
        if done is not None:
            self.sync_index()
        return done

    def prepare_ranking(self) -> None:
        """Papers arrived from another process: their "for you" features, in a worker, before they are ranked."""
        if self.service.foryou.trained:
            self._run_in_thread(self.service.foryou.warm, "for-you")

    def _queue(self, paper_id: str, kind: str, value: object) -> Paper:
        paper = self.get(paper_id)
        if paper is None:
            raise KeyError(paper_id)
        self.writes.put(Write(paper_id, kind, value, paper.title))
        return self.writes.overlay(paper)

    def finish(self, seconds: float) -> list[str]:
        """At quit: commit what is queued within `seconds`; returns what could not be saved."""
        return [write.describe(text=True) for write in self.writes.flush(seconds)]

    def waiting_line(self) -> str:
        """`waiting for the import to finish: 2 changes not saved yet`, or empty."""
        return waiting_line(len(self.writes.pending()), self.writes.reason)

    # -- reading -------------------------------------------------------------------------------
    def get(self, paper_id: str) -> Paper | None:
        """One paper as the user will see it: the library's copy with its queued writes."""
        paper = self.service.get(paper_id)
        return self.writes.overlay(paper) if paper is not None else None

    def page(self, request: SearchRequest, cancelled: Callable[[], bool] | None = None) -> Page:
        """A page of a search or listing, its papers showing their queued writes.

        Called in a worker: it first gives queued writes a moment to land, so a view opened
        right after a key press lists the papers as they now are.
        """
        self.writes.wait_idle(IDLE_WAIT_S)
        page = self.service.page(request, cancelled)
        if not self.writes.pending():
            return page
        return dataclasses.replace(page, rows=tuple((hit, self.writes.overlay(p)) for hit, p in page.rows))

    def counts(self) -> dict[View, int]:
        """Papers per view: all, inbox (new) and reading list (starred), queued writes included."""
        counts = self.service.counts()
        for paper_id in dict.fromkeys(i for write in self.writes.pending() for i in write.ids):
            stored = self.service.get(paper_id)
            if stored is None:
                continue
            shown = self.writes.overlay(stored)
            counts[View.INBOX] += (shown.status == Status.NEW) - (stored.status == Status.NEW)
            counts[View.STARRED] += shown.starred - stored.starred
        return counts

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

    # -- saved searches and watch lists --------------------------------------------------------
    #: Whether triage shows the papers a watch matches before the rest (`w` in triage).
    watched_first = False

    def catch_up_now(self) -> None:
        """Bring the index up to date before counting (call from a thread worker, never the UI)."""
        if self.index_ready:
            self._catch_up()


def _withdrawn_text(write: Write) -> str:
    """`Undid the star on “Title” (it was not saved yet)`, `… the “kept” decision on 3 papers …`."""
    value = write.value
    what = {"starred": "star" if value else "unstar", "status": f"mark as {value}", "note": "note",
            "decide": f"“{value}” decision", "tags": "tag change"}.get(write.kind, write.kind)
    on = f"{len(write.ids)} papers" if len(write.ids) > 1 else f"“{one_line(write.title)}”"
    return f"Undid the {what} on {on} (it was not saved yet)"
