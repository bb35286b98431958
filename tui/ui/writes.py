"""The app's writes, in order and off the UI thread: a busy library queues them until it is free.

A star, a status or a note is queued here and committed by a thread. Each attempt waits only
`WAIT_S` for another process's write lock (a long `paper-reader import` in another shell); when
the lock stays taken the write stays at the head of the queue and is tried again every
`RETRY_S`, in order, until it commits. Nothing here imports Textual: the app is told through
`report(WritesReport)` and shows the optimistic state meanwhile.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import datetime

from tui.library import ChangedElsewhere, LibraryBusy, LibraryError, LibraryFull, LibraryReadOnly
from tui.records import Paper
from tui.service import Service
from tui.textsafe import one_line

#: One attempt waits at most this long (seconds) for another process's write lock.
WAIT_S = 0.3
#: Pause between two attempts while the library stays busy (or the disk full).
RETRY_S = 0.5
#: Quitting waits at most this long (seconds) for queued writes, then says what was not saved.
QUIT_WAIT_S = 8.0
#: What each decision does to a paper's fields (to show it before it is saved; see Service.decide).
DECIDED: dict[str, dict[str, object]] = {
    "kept": {"starred": True, "status": "kept", "later": False},
    "dismissed": {"status": "dismissed", "later": False},
    "read": {"status": "read", "later": False},
    "new": {"status": "new", "later": False},
    "later": {"later": True},
    "starred": {"starred": True},
    "unstarred": {"starred": False},
}


@dataclass
class Write:
    """One queued change to one paper; `first` resolves on the first attempt's outcome."""

    paper_id: str
    kind: str  # starred, status, note, decide (value: the choice) or tags (value: (added, removed))
    value: object
    title: str = ""
    #: A decision's papers (one undoable step for all of them); else just `paper_id`.
    ids: tuple[str, ...] = ()
    #: For a note: the text the editor loaded (None: replace whatever is there).
    expected: str | None = None
    first: Future = field(default_factory=Future)
    #: The editor keeps the text itself when the first attempt fails: drop it from the queue then.
    withdraw_on_failure: bool = False

    def __post_init__(self) -> None:
        self.ids = self.ids or (self.paper_id,)

    def fields(self, paper: Paper) -> dict[str, object]:
        """The fields of `paper` this write sets."""
        if self.kind == "tags":
            add, remove = self.value
            return {"tags": tuple(sorted((set(paper.tags) | set(add)) - set(remove)))}
        if self.kind == "decide":
            return DECIDED[str(self.value)]
        if self.kind == "status":
            return {"status": self.value, "later": False}
        return {self.kind: self.value}

    def describe(self, text: bool = False) -> str:
        """`star on “Title”`; with `text`, a note's text follows (for the quit report)."""
        if self.kind == "tags":
            what = " ".join([*(f"+{t}" for t in self.value[0]), *(f"-{t}" for t in self.value[1])])
        else:
            what = {"starred": "star" if self.value else "unstar", "status": f"mark {self.value}", "note": "note",
                    "decide": str(self.value)}[self.kind]
        line = f"{what} on “{one_line(self.title)}”"
        return f"{line}: {one_line(str(self.value))}" if text and self.kind == "note" else line


@dataclass(frozen=True)
class Outcome:
    """How a write's first attempt ended: saved, queued (library busy) or failed (message)."""

    paper: Paper | None = None
    queued: bool = False
    error: str = ""
    #: The error in a few words ("disk full: not saved"), for a narrow line.
    short: str = ""
    #: For a note: the other version kept above this one (it was changed elsewhere).
    merged: bool = False


@dataclass(frozen=True)
class WritesReport:
    """What changed in the queue: papers now saved, how many wait, why, and failures to show."""

    saved: tuple[Paper, ...] = ()
    pending: int = 0
    reason: str = ""
    errors: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()


def short_reason(exc: Exception) -> str:
    """`disk full: not saved`, `read-only: not saved`, or the error's own line."""
    if isinstance(exc, LibraryFull):
        return "disk full: not saved"
    if isinstance(exc, LibraryReadOnly):
        return "read-only: not saved"
    return one_line(str(exc))


def keep_both(other: str, mine: str, at: str | None) -> str:
    """The note changed elsewhere while it was edited here: the other text, a separator, then ours."""
    try:
        when = datetime.fromisoformat(at).astimezone().strftime("%H:%M") if at else datetime.now().strftime("%H:%M")
    except ValueError:
        when = datetime.now().strftime("%H:%M")
    return f"{other.rstrip()}\n--- edited elsewhere at {when} ---\n{mine.lstrip()}"


def waiting_line(pending: int, reason: str) -> str:
    """`waiting for the import to finish: 2 changes not saved yet` (empty when nothing waits)."""
    if not pending:
        return ""
    return f"{reason}: {pending} change{'s' if pending != 1 else ''} not saved yet"


class WriteQueue:
    """Writes committed one at a time, in order, by a thread that `start(drain)` runs."""

    def __init__(self, service: Service, start: Callable[[Callable[[], None]], None],
                 report: Callable[[WritesReport], None]) -> None:
        self.service = service
        self._start = start
        self._report = report
        self._queue: deque[Write] = deque()
        self._lock = threading.Lock()  # guards the queue and the drainer flag
        self._idle = threading.Condition(self._lock)  # notified whenever a write leaves the queue
        self._writing = threading.Lock()  # one attempt at a time (the drainer, or the final flush)
        self._draining = False
        self._closing = threading.Event()
        self.reason = ""
        #: Writes given up for good (read-only library, unknown paper), said once and kept for the quit report.
        self.failed: list[Write] = []

    # -- what the UI asks ----------------------------------------------------------------------
    def put(self, write: Write) -> Write:
        """Queue a write and make sure a drainer runs; returns it (its `first` future resolves soon)."""
        with self._lock:
            self._queue.append(write)
            start = not self._draining and not self._closing.is_set()
            self._draining = self._draining or start
        if start:
            try:
                self._start(self.drain)
            except Exception:  # the app is shutting down: the final flush writes it
                with self._lock:
                    self._draining = False
        elif self._closing.is_set():
            self.flush(QUIT_WAIT_S)  # the app is closing: no drainer will come, write it here
        return write

    def pending(self) -> list[Write]:
        """The writes not committed yet, oldest first."""
        with self._lock:
            return list(self._queue)

    def wait_idle(self, seconds: float) -> bool:
        """Wait (in a worker, never on the UI thread) up to `seconds` for the queue to empty."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._queue, timeout=seconds)

    def overlay(self, paper: Paper) -> Paper:
        """`paper` as the user will see it once its queued writes are committed."""
        for write in self.pending():
            if paper.id in write.ids:
                paper = replace(paper, **write.fields(paper))
        return paper

    def withdraw_newest(self, seconds: float) -> tuple[Write, tuple[Paper, ...]] | None:
        """Take the newest queued write back before it is committed (undo while the library is busy);
        returns it and its papers as they are now shown (also reported, so the list redraws them).

        An attempt under way is waited for (`seconds` at most): if it lands, nothing is withdrawn
        and the caller undoes it in the library instead. None when nothing waits, or when the
        attempt outlasts `seconds`.
        """
        if not self._writing.acquire(timeout=seconds):
            return None
        try:
            with self._lock:
                if not self._queue:
                    return None
                write = self._queue.pop()
                pending = len(self._queue)
                self._idle.notify_all()
        finally:
            self._writing.release()
        if not write.first.done():
            write.first.set_result(Outcome())
        if not pending:
            self.reason = ""
        current = tuple(self.overlay(p) for p in self.service.papers(write.ids).values())
        self._report(WritesReport(saved=current, pending=pending, reason=self.reason))
        return write, current

    # -- committing ----------------------------------------------------------------------------
    def drain(self, deadline: float | None = None) -> None:
        """Commit queued writes in order; a busy library is retried every RETRY_S.

        Returns when the queue is empty, when the app starts closing (the final flush takes
        over) or at `deadline` (monotonic seconds).
        """
        while True:
            with self._lock:
                if not self._queue:
                    self._draining = False
                    return
            if not self._attempt_head():
                if self._closing.is_set() and deadline is None:
                    with self._lock:
                        self._draining = False
                    return
                if deadline is not None and time.monotonic() >= deadline:
                    return
                time.sleep(RETRY_S)

    def flush(self, seconds: float) -> list[Write]:
        """At quit: stop the drainer, commit what is queued within `seconds`; returns what was not saved."""
        self._closing.set()
        self.drain(deadline=time.monotonic() + seconds)
        return self.failed + self.pending()

    def _attempt_head(self) -> bool:
        """Try the oldest write once; False while it must wait (busy library, full disk)."""
        with self._writing:
            with self._lock:
                if not self._queue:
                    return True
                write = self._queue[0]
            try:
                papers, merged = self._commit(write)
            except (LibraryBusy, LibraryFull) as exc:
                return self._wait(write, exc)
            except LibraryReadOnly as exc:
                handed_back = write.withdraw_on_failure and not write.first.done()
                self._drop(write, Outcome(error=one_line(str(exc)), short=short_reason(exc)), quiet=handed_back)
                return True
            except LibraryError as exc:
                return self._wait(write, exc)
            except Exception as exc:  # an unknown paper, a bad value: never retried, always said
                self._drop(write, Outcome(error=f"{type(exc).__name__}: {one_line(str(exc))}"))
                return True
            with self._lock:
                self._queue.popleft()
                pending = len(self._queue)
                self._idle.notify_all()
            if not write.first.done():
                write.first.set_result(Outcome(papers[0] if papers else None, merged=merged))
            self._report(WritesReport(saved=papers, pending=pending, reason=self.reason,
                                      merged=(write.title,) if merged else ()))
            return True

    def _commit(self, write: Write) -> tuple[tuple[Paper, ...], bool]:
        """One attempt, waiting WAIT_S at most for the lock; a note changed elsewhere keeps both."""
        service, merged = self.service, False
        with service.waiting_at_most(WAIT_S):
            if write.kind == "decide":
                return tuple(service.decide(list(write.ids), str(write.value)).values()), False
            if write.kind == "tags":
                add, remove = write.value
                return tuple(service.mark(list(write.ids), tag=add, untag=remove)[0]), False
            if write.kind == "starred":
                return (service.set_starred(write.paper_id, bool(write.value)),), False
            if write.kind == "status":
                return (service.set_status(write.paper_id, str(write.value)),), False
            while True:
                try:
                    return (service.set_note(write.paper_id, str(write.value), write.expected),), merged
                except ChangedElsewhere as exc:
                    write.value = keep_both(exc.current, str(write.value), exc.at)
                    write.expected, merged = exc.current, True

    def _wait(self, write: Write, exc: LibraryError) -> bool:
        """The write could not be made now: keep it queued (or hand it back to the editor)."""
        full = isinstance(exc, LibraryFull)
        if write.withdraw_on_failure and not isinstance(exc, LibraryBusy) and not write.first.done():
            self._drop(write, Outcome(error=one_line(str(exc)), short=short_reason(exc)), quiet=True)
            return True
        self.reason = "disk full" if full else (
            "waiting for the import to finish" if isinstance(exc, LibraryBusy) else one_line(str(exc)))
        if not write.first.done():
            write.first.set_result(Outcome(queued=True, error=one_line(str(exc)), short=short_reason(exc)))
        self._report(WritesReport(pending=len(self.pending()), reason=self.reason))
        return False

    def _drop(self, write: Write, outcome: Outcome, quiet: bool = False) -> None:
        """A write that can never be made (read-only library, unknown paper): said, then dropped."""
        with self._lock:
            if self._queue and self._queue[0] is write:
                self._queue.popleft()
            pending = len(self._queue)
            self._idle.notify_all()
        if not write.first.done():
            write.first.set_result(outcome)
        current = tuple(self.service.papers(write.ids).values())
        if not quiet:
            self.failed.append(write)
        errors = () if quiet else (f"{write.describe()} not saved: {outcome.error}",)
        self._report(WritesReport(saved=current, pending=pending, reason=self.reason,
                                  errors=errors))
