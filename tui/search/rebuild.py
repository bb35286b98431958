"""Full index builds: worker processes each writing a segment, then a new table of contents.

The caller builds into a fresh sibling directory and swaps it in (see `tui.search.disk`),
so searches keep using the old index until the new one is complete.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import TOC, clean_files

from tui.search import whoosh_fixes
from tui.search.bulk import BulkSegmentWriter, remove_temp_files
from tui.search.schema import build_schema, paper_document
from tui.vocabulary import Progress
from tui.records import Paper

#: Below this many papers one process is faster than starting workers.
SERIAL_LIMIT = 3000
#: Papers handed to a worker at a time.
BATCH_SIZE = 250
#: A worker starts a new segment after this many buffered postings (~20 bytes each), which
#: keeps each indexing process near 100 MB.
MAX_SEGMENT_POSTINGS = 4_500_000
_POLL = 0.25
#: prctl(2) option: the signal a process gets when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1



class BuildCancelled(Exception):
    """The caller's `cancelled()` returned True; nothing was kept."""


def worker_count() -> int:
    """Indexing processes to use: one per core, at most two (the measured sweet spot)."""
    return max(1, min(2, os.cpu_count() or 1))


def build_into(directory: Path, papers: Iterable[Paper], total: int | None = None,
               progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
               procs: int | None = None, inherited: tuple[int | None, ...] = ()) -> int:
    """Create a complete index of `papers` in the empty `directory`; returns how many were indexed.

    `inherited` lists file descriptors the worker processes must not keep (the index's
    write lock: a forked worker holding it would hold the lock after the parent died).
    """
    whoosh_fixes.apply()
    directory.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(directory), build_schema())
    papers = iter(papers)
    head = list(islice(papers, SERIAL_LIMIT))
    procs = procs or worker_count()
    try:
        if len(head) < SERIAL_LIMIT or procs < 2:
            return _build_serial(ix, _chain(head, papers), total, progress, cancelled)
        return _ParallelBuild(ix, procs, inherited).run(_chain(head, papers), total, progress, cancelled)
    finally:
        remove_temp_files(ix)


def _chain(head: list[Paper], rest: Iterator[Paper]) -> Iterator[Paper]:
    yield from head
    yield from rest


def _build_serial(ix, papers, total, progress, cancelled) -> int:
    sink, count = _Segments(ix), 0
    try:
        for count, paper in enumerate(papers, 1):
            sink.add(paper)
            if count % BATCH_SIZE == 0:
                _report(progress, count, total, cancelled)
        segments = sink.finish()
    except BaseException:
        sink.cancel()
        raise
    _commit(ix, segments)
    _report(progress, count, total, None)
    return count


class _Segments:
    """Writes papers into fresh segments, starting a new one whenever the buffered postings
    reach MAX_SEGMENT_POSTINGS (which bounds the memory of each indexing process)."""

    def __init__(self, ix) -> None:
        self.ix, self.writer, self.done = ix, None, []

    def add(self, paper: Paper) -> None:
        if self.writer is None:
            self.writer = BulkSegmentWriter(self.ix, _lk=False)
        self.writer.add_document(**paper_document(paper))
        if self.writer.posting_count > MAX_SEGMENT_POSTINGS:
            self._close()

    def finish(self) -> list:
        if self.writer is not None:
            self._close()
        return self.done

    def cancel(self) -> None:
        if self.writer is not None:
            self.writer.cancel()
            self.writer = None

    def _close(self) -> None:
        self.done.append(self.writer._finalize_segment())
        self.writer._finish()
        self.writer = None


def _commit(ix, segments: list) -> None:
    """Make `segments` the index's content: a new table of contents, stray files removed."""
    generation = ix.latest_generation() + 1
    TOC(ix.schema, segments, generation).write(ix.storage, ix.indexname)
    clean_files(ix.storage, ix.indexname, generation, segments)


def _report(progress, count, total, cancelled) -> None:
    if progress is not None:
        progress(count, total)
    if cancelled is not None and cancelled():
        raise BuildCancelled()


def die_with_parent(parent: int) -> None:
    """Make this (forked) process exit when `parent` does, however the parent ends.

    On Linux the kernel sends SIGKILL at the parent's death (prctl PR_SET_PDEATHSIG);
    elsewhere, and as a check of the race before that call, a thread watches the parent id.
    """
    libc_name = ctypes.util.find_library("c")
    if libc_name and hasattr(ctypes.CDLL(libc_name), "prctl"):
        ctypes.CDLL(libc_name, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the call above
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="parent-watch").start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_POLL)
    os._exit(1)


def _worker(dirname: str, jobs, results, parent: int, inherited: tuple[int, ...]) -> None:
    """Worker process: index batches from `jobs` into segments, report them on `results`."""
    die_with_parent(parent)
    for fd in inherited:  # closing our copy leaves the parent's lock as it is
        try:
            os.close(fd)
        except OSError:
            pass
    gc.freeze()  # the objects inherited from the parent: never scanned, so never copied
    whoosh_fixes.apply()  # already in effect in a forked worker; a spawned one starts stock
    try:
        sink, count = _Segments(whoosh_index.open_dir(dirname)), 0
        while (batch := jobs.get()) is not None:
            for paper in batch:
                sink.add(paper)
            count += len(batch)
        results.put(("ok", sink.finish(), count))
    except BaseException as exc:  # reported to the parent, which raises it
        results.put(("error", f"{type(exc).__name__}: {exc}", 0))


class _ParallelBuild:
    """Feeds batches of papers to worker processes and joins their segments into one index."""

    def __init__(self, ix, procs: int, inherited: tuple[int | None, ...] = ()) -> None:
        context = multiprocessing.get_context(
            "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        self.ix = ix
        self.jobs = context.Queue(procs * 2)
        self.results = context.Queue()
        forked = context.get_start_method() == "fork"  # a spawned worker inherits no descriptors
        fds = tuple(fd for fd in inherited if fd is not None) if forked else ()
        args = (ix.storage.folder, self.jobs, self.results, os.getpid(), fds)
        self.workers = [context.Process(target=_worker, args=args, daemon=True, name="paper-reader-indexer")
                        for _ in range(procs)]
        self.received: list[tuple] = []

    def run(self, papers, total, progress, cancelled) -> int:
        for worker in self.workers:
            worker.start()
        try:
            sent = 0
            while batch := list(islice(papers, BATCH_SIZE)):
                self._put(batch, cancelled)
                sent += len(batch)
                _report(progress, sent, total, cancelled)
            for _ in self.workers:
                self._put(None, cancelled)
            segments, count = self._collect(cancelled)
        except BaseException:
            self._stop()
            raise
        for channel in (self.jobs, self.results):
            channel.close()
            channel.join_thread()
        _commit(self.ix, segments)
        _report(progress, count, total, None)
        return count

    def _put(self, item, cancelled) -> None:
        while True:
            try:
                self.jobs.put(item, timeout=_POLL)
                return
            except queue.Full:
                self._check(cancelled)

    def _collect(self, cancelled) -> tuple[list, int]:
        while len(self.received) < len(self.workers):
            try:
                self._accept(self.results.get(timeout=_POLL))
            except queue.Empty:
                self._check(cancelled)
        for worker in self.workers:
            worker.join()
        segments = [segment for _, found, _ in self.received for segment in found]
        return segments, sum(done for _, _, done in self.received)

    def _accept(self, result) -> None:
        if result[0] != "ok":
            raise RuntimeError(f"index build failed: {result[1]}")
        self.received.append(result)

    def _check(self, cancelled) -> None:
        """Raise if the caller cancelled, a worker failed, or a worker died without a word."""
        if cancelled is not None and cancelled():
            raise BuildCancelled()
        while True:
            try:
                self._accept(self.results.get_nowait())
            except queue.Empty:
                break
        dead = sum(not worker.is_alive() for worker in self.workers)
        if dead > len(self.received):
            raise RuntimeError("index build failed: an indexing process exited unexpectedly")

    def _stop(self) -> None:
        """Stop the workers and drop queued batches (so exiting never waits on a full pipe)."""
        for worker in self.workers:
            if worker.is_alive():
                worker.terminate()
        for worker in self.workers:
            worker.join(timeout=5)
        for channel in (self.jobs, self.results):
            channel.cancel_join_thread()
            channel.close()
