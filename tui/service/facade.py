"""The operations the CLI and the app share: import, search, star, note, triage, index upkeep."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tui import paths
from tui.library.store import Library, LibraryError
from tui.parsing.stream import open_digest
from tui.vocabulary import Progress
from tui.records import DigestError, ImportReport, Paper, SearchHit, SearchResult

#: Past this many changed papers a full rebuild is faster (and leaner) than document updates.
REBUILD_ABOVE = 5000


@dataclass
class Backend:
    """A library plus its derived search index, opened for one data directory."""

    library: Library
    data_dir: Path
    _index: object | None = field(default=None, repr=False)
    #: One-line notices from opening (a skipped backup, a read-only library) for the caller to show.
    warnings: list[str] = field(default_factory=list)

    # -- index upkeep ------------------------------------------------------------------------
    @property
    def index(self):
        """The Whoosh index, created on first use so commands that never search stay fast."""
        if self._index is None:
            from tui.search.index import SearchIndex

            self._index = SearchIndex(paths.index_dir(self.data_dir))
        return self._index

    def ensure_index(self, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> str | None:
        """Open the index, rebuild it when missing/stale/damaged, then catch up with the library.

        Returns a one-line notice when something visible happened (a rebuild), else None.
        """
        from tui.search.index import IndexBusy

        reason = self.index.open()
        if reason is None and not self.index.needs_rebuild:
            self.catch_up()
            return None
        try:
            summary = self.rebuild_index(progress, cancelled)
        except IndexBusy:
            return "another paper-reader is building the search index; search is back when it is done"
        if reason == "index missing":  # a first start, or someone deleted it: either way, say it is built
            return summary.replace("rebuilt", "built")
        return f"{reason}: {summary}"

    def rebuild_index(self, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> str:
        """Rebuild the whole index from the library; returns a one-line summary."""
        seq = self.library.current_seq()
        count = self.index.rebuild(
            self.library.iter_papers(), total=self.library.count(), seq=seq,
            progress=progress, cancelled=cancelled,
        )
        return f"rebuilt the search index from the library ({count} papers)"

    def catch_up(self) -> int:
        """Index every paper changed since the index last caught up (also other processes' changes).

        Returns how many papers were re-indexed. Catch-ups of every process on this data
        directory are serialised by a lock file, and each one reads what the index already
        holds from the index's own metadata *inside* that lock, so a slower process can never
        overwrite a newer document with an older one. If the lock or Whoosh's writer stays
        busy, the change stays pending and the next catch-up indexes it: the library is the truth.
        """
        from tui.search.index import IndexBusy

        with _exclusive(paths.index_dir(self.data_dir).with_suffix(".lock")) as locked:
            if not locked:
                return 0
            applied = self.index.shared_applied_seq()
            seq = self.library.current_seq()
            if applied >= seq:
                return 0
            if self.library.count_changed_since(applied) > REBUILD_ABOVE:
                self.rebuild_index()
                return self.library.count()
            papers = self.library.changed_since(applied)
            try:
                self.index.update(papers, seq)
            except IndexBusy:
                return 0
            return len(papers)

    # -- imports -----------------------------------------------------------------------------
    def import_files(self, files: Iterable[str | os.PathLike], reference_date: dt.date | None = None,
                     index: bool = True, progress: Callable[[str, int, int], None] | None = None) -> list[ImportReport]:
        """Parse and store each digest (one transaction each), then bring the index up to date.

        `progress(file_name, done, total)` reports long imports entry by entry (every 1,000).
        """
        reports = [self._import_one(Path(f), reference_date, progress) for f in files]
        if index and any(r.added or r.known for r in reports):
            self.ensure_index()
        return reports

    def _import_one(self, path: Path, reference_date: dt.date | None,
                    progress: Callable[[str, int, int], None] | None = None) -> ImportReport:
        """Stream one digest into the library; any reading error rolls the digest back."""
        try:
            stream = open_digest(path, reference_date=reference_date)
            report = (lambda done, _total: progress(path.name, done, 0)) if progress else None
            return self.library.import_stream(stream, report)
        except DigestError as exc:
            return ImportReport(path.name, error=str(exc))

    def import_seeds_if_empty(self) -> list[ImportReport]:
        """On a new machine, fill the empty library with the bundled sample digests."""
        seeds = paths.seeds_dir()
        if self.library.count() or seeds is None:
            return []
        return self.import_files(sorted(seeds.glob("*.txt")), index=False)

    # -- search ------------------------------------------------------------------------------
    def search(self, query: str, view: str = "all", sort: str = "relevance", limit: int = 500,
               as_you_type: bool = False) -> SearchResult:
        """Search within a view; an empty query lists the view in its own order."""
        if not query.strip():
            hits = tuple(SearchHit(i, 0.0) for i in self.library.list_ids(view, sort, limit))
            return SearchResult(query, hits, total=self.library.count_view(view))
        return self.index.search(query, sort=sort, limit=limit, as_you_type=as_you_type, view=view)

    def related(self, paper_id: str, limit: int = 20) -> list[SearchHit]:
        """Papers most like this one."""
        return self.index.related(paper_id, limit=limit)

    def papers(self, ids: Iterable[str]) -> dict[str, Paper]:
        """Papers by id, with the user's state."""
        return self.library.get_many(ids)

    # -- user state (written at once; the index follows incrementally) -------------------------
    # With index=False the caller brings the index up to date itself (the app does it in a
    # worker so a keypress never waits on Whoosh).
    def set_starred(self, paper_id: str, starred: bool, index: bool = True) -> Paper:
        """Star or unstar; returns the updated paper."""
        self.library.set_starred(paper_id, starred)
        return self._after_change(paper_id, index)

    def set_note(self, paper_id: str, note: str, index: bool = True) -> Paper:
        """Save a note; returns the updated paper."""
        self.library.set_note(paper_id, note)
        return self._after_change(paper_id, index)

    def set_status(self, paper_id: str, status: str, index: bool = True) -> Paper:
        """Triage: new, kept, dismissed or read; returns the updated paper."""
        self.library.set_status(paper_id, status)
        return self._after_change(paper_id, index)

    def _after_change(self, paper_id: str, index: bool) -> Paper:
        if index and self._index is not None and not self.index.needs_rebuild:
            self.catch_up()
        paper = self.library.get(paper_id)
        if paper is None:
            raise KeyError(paper_id)
        return paper

    def close(self) -> None:
        """Close the index and the library."""
        if self._index is not None:
            self._index.close()
        self.library.close()


@contextmanager
def _exclusive(lock_path: Path, wait_s: float = 10.0) -> Iterator[bool]:
    """Hold an inter-process lock on `lock_path` (yields False if it stays taken for `wait_s`)."""
    import fcntl

    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as handle:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    yield False
                    return
                time.sleep(0.02)
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def make_backend(data_dir: str | os.PathLike | None = None, backup: bool = True,
                 wait_s: float | None = None, on_wait: Callable[[str], None] | None = None) -> Backend:
    """Open (creating when needed) the library of a data directory. Raises LibraryError.

    A damaged library file is never overwritten: it is moved aside and the error says where,
    and which automatic backup to restore. A start-up backup that fails (full disk, read-only
    media) is a warning in `Backend.warnings`, never an error. `wait_s`/`on_wait`: how long
    writes wait for another process's write lock (see Library).
    """
    from tui.library.opening import set_aside

    base = paths.data_dir(data_dir)
    library = Library(paths.library_path(base), on_wait=on_wait, **({"wait_s": wait_s} if wait_s else {}))
    try:
        library.open()
    except LibraryError as exc:
        if exc.damaged:
            raise LibraryError(set_aside(library.path, str(exc)), damaged=True) from None
        raise
    backend = Backend(library=library, data_dir=base)
    if library.warning:
        backend.warnings.append(library.warning)
    if backup and library.count() and not library.read_only:
        _start_up_backup(backend)
    return backend


def _start_up_backup(backend: Backend) -> None:
    """Refresh the automatic backup; a failure is only a warning (reading must still work)."""
    import sqlite3

    from tui.library.backup import rotate_backup

    try:
        rotate_backup(backend.library, paths.backup_dir(backend.data_dir))
    except (OSError, sqlite3.Error) as exc:
        backend.warnings.append(f"automatic backup not made ({exc}); the library itself is unchanged")
