"""Full index builds: worker processes each writing a segment, then a new table of contents.

The caller builds into a fresh sibling directory and swaps it in (see `tui.index_store`),
so searches keep using the old index until the new one is complete.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import TOC, clean_files

from tui.index_build import BulkSegmentWriter
from tui.index_schema import build_schema, paper_document
from tui.records import Paper

#: Below this many papers one process is faster than starting workers.
SERIAL_LIMIT = 3000
#: Papers handed to a worker at a time.
BATCH_SIZE = 250
#: A worker starts a new segment after this many buffered postings (~20 bytes each), which
#: keeps each indexing process near 100 MB.
MAX_SEGMENT_POSTINGS = 5_000_000
_POLL = 0.25

Progress = Callable[[int, int | None], None]


class BuildCancelled(Exception):
    """The caller's `cancelled()` returned True; nothing was kept."""


def worker_count() -> int:
    """Indexing processes to use: one per core, at most two (the measured sweet spot)."""
    return max(1, min(2, os.cpu_count() or 1))


def build_into(directory: Path, papers: Iterable[Paper], total: int | None = None,
               progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
               procs: int | None = None) -> int:
    """Create a complete index of `papers` in the empty `directory`; returns how many were indexed."""
    directory.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(directory), build_schema())
    papers = iter(papers)
    head = list(islice(papers, SERIAL_LIMIT))
    procs = procs or worker_count()
    if len(head) < SERIAL_LIMIT or procs < 2:
        return _build_serial(ix, _chain(head, papers), total, progress, cancelled)
    return _ParallelBuild(ix, procs).run(_chain(head, papers), total, progress, cancelled)


def _chain(head: list[Paper], rest: Iterator[Paper]) -> Iterator[Paper]:
    yield from head
    yield from rest


def _build_serial(ix, papers, total, progress, cancelled) -> int:
    writer = BulkSegmentWriter(ix)
    count = 0
    try:
        for count, paper in enumerate(papers, 1):
            writer.add_document(**paper_document(paper))
            if count % BATCH_SIZE == 0:
                _report(progress, count, total, cancelled)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    _report(progress, count, total, None)
    return count


def _report(progress, count, total, cancelled) -> None:
    if progress is not None:
        progress(count, total)
    if cancelled is not None and cancelled():
        raise BuildCancelled()


def _worker(dirname: str, jobs, results) -> None:
    """Worker process: index batches from `jobs` into segments, report them on `results`."""
    gc.freeze()  # the objects inherited from the parent: never scanned, so never copied
    try:
        ix = whoosh_index.open_dir(dirname)
        segments, writer, count = [], None, 0
        while (batch := jobs.get()) is not None:
            writer = writer or BulkSegmentWriter(ix, _lk=False)
            for paper in batch:
                writer.add_document(**paper_document(paper))
            count += len(batch)
            if writer.posting_count > MAX_SEGMENT_POSTINGS:
                segments.append(_finish_segment(writer))
                writer = None
        if writer is not None:
            segments.append(_finish_segment(writer))
        results.put(("ok", segments, count))
    except BaseException as exc:  # reported to the parent, which raises it
        results.put(("error", f"{type(exc).__name__}: {exc}", 0))


def _finish_segment(writer: BulkSegmentWriter):
    segment = writer._finalize_segment()
    writer._finish()
    return segment


class _ParallelBuild:
    """Feeds batches of papers to worker processes and joins their segments into one index."""

    def __init__(self, ix, procs: int) -> None:
        context = multiprocessing.get_context(
            "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        self.ix = ix
        self.jobs = context.Queue(procs * 2)
        self.results = context.Queue()
        self.workers = [context.Process(target=_worker, args=(ix.storage.folder, self.jobs, self.results),
                                        daemon=True, name="paper-reader-indexer") for _ in range(procs)]
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
        self._commit(segments)
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
        for worker in self.workers:
            if worker.is_alive():
                worker.terminate()
        for worker in self.workers:
            worker.join(timeout=5)

    def _commit(self, segments) -> None:
        generation = self.ix.latest_generation() + 1
        TOC(self.ix.schema, segments, generation).write(self.ix.storage, self.ix.indexname)
        clean_files(self.ix.storage, self.ix.indexname, generation, segments)
