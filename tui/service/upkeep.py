"""Index upkeep: the derived Whoosh index is opened, rebuilt and kept caught up with the library.

The library is the truth and the index a cache of it. `IndexKeeper` is the only object
that writes the index; catch-ups of every process on one data directory are serialised
by a lock file, so a slow process can never overwrite a newer document with an older one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tui import paths
from tui.library import Library
from tui.search import IndexBusy, SearchIndex
from tui.vocabulary import Progress

#: Past this many changed papers a full rebuild is faster (and leaner) than document updates.
REBUILD_ABOVE = 5000
#: How long a catch-up waits for another process's catch-up before leaving the change pending.
CATCH_UP_WAIT_S = 10.0
BUSY_NOTICE = "another paper-reader is building the search index; search is back when it is done"


class IndexKeeper:
    """Opens the index of one data directory on first use and keeps it in step with its library."""

    def __init__(self, library: Library, data_dir: Path) -> None:
        self._library = library
        self._directory = paths.index_dir(data_dir)
        self._index: SearchIndex | None = None
        self._making = threading.Lock()

    @property
    def index(self) -> SearchIndex:
        """The Whoosh index, created on first use so commands that never search stay fast.

        Made once under a lock: the app's workers (the index opener, the ranking, the watch
        lists) may ask for it at the same moment, and a second copy would start out as
        "needs a rebuild" under the one being opened.
        """
        if self._index is None:
            with self._making:
                if self._index is None:
                    # Tied to the library's identity: an index of another library (a restored
                    # backup) is rebuilt instead of trusted.
                    self._index = SearchIndex(self._directory, library_uuid=getattr(self._library, "uuid", None))
        return self._index

    @property
    def ready(self) -> bool:
        """True once the index is open and needs no rebuild."""
        return self._index is not None and not self._index.needs_rebuild

    def ensure(self, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> str | None:
        """Open the index, rebuild it when missing/stale/damaged, then catch up with the library.

        Returns a one-line notice when something visible happened (a rebuild), else None.
        """
        index = self.index
        reason = index.open()
        if reason is None and not index.needs_rebuild:
            self.catch_up()
            return None
        reason = reason or "index out of date"
        try:
            summary = self.rebuild(progress, cancelled)
        except IndexBusy:
            return BUSY_NOTICE
        if reason == "index missing":  # a first start, or someone deleted it: either way, say it is built
            return summary.replace("rebuilt", "built")
        return f"{reason}: {summary}"

    def rebuild(self, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> str:
        """Rebuild the whole index from the library; returns a one-line summary. Raises IndexBusy."""
        seq = self._library.current_seq()
        count = self.index.rebuild(self._library.iter_papers(), total=self._library.count(), seq=seq,
                                   progress=progress, cancelled=cancelled)
        return f"rebuilt the search index from the library ({count} papers)"

    def catch_up(self) -> int:
        """Index every paper changed since the index last caught up (also other processes' changes).

        Returns how many papers were re-indexed. The index's applied change is read from its
        metadata *inside* the lock. If the lock or Whoosh's writer stays busy, the change
        stays pending and the next catch-up indexes it.
        """
        if not self.ready:
            return 0
        with _exclusive(self._directory.with_suffix(".lock"), CATCH_UP_WAIT_S) as locked:
            if not locked:
                return 0
            applied, seq = self.index.shared_applied_seq(), self._library.current_seq()
            if applied >= seq:
                if applied > self.index.applied_seq:  # another process indexed it: search what it wrote
                    self.index.open()
                return 0
            if self._library.count_changed_since(applied) > REBUILD_ABOVE:
                self.rebuild()
                return self._library.count()
            papers = self._library.changed_since(applied)
            try:
                self.index.update(papers, seq)
            except IndexBusy:
                return 0
            return len(papers)

    def close(self) -> None:
        """Release the index's files."""
        if self._index is not None:
            self._index.close()


@contextmanager
def _exclusive(lock_path: Path, wait_s: float) -> Iterator[bool]:
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
