"""The search index of the library: open/check, rebuild, incremental updates, search, related.

`SearchIndex` is the search room's front door (see `tui/search/__init__.py` for the map of
its modules). One long-lived searcher serves all queries under a lock and is replaced
after each write. Opening or building an index applies the Whoosh speed fixes
(`whoosh_fixes.apply()`, idempotent).
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh import query

from tui.search import whoosh_fixes
from tui.search.highlight import find_spans
from tui.search.run import SearchRunner
from tui.search.matchers import IdSet
from tui.search.watching import ListQueries
from tui.search.schema import paper_document
from tui.search.collect import WEIGHTING
from tui.search.disk import (IndexBusy, IndexProblem, leftovers, new_build_dir, open_checked, read_meta,
                             sweep_leftovers, swap_in, write_meta)
from tui.search.locking import IndexLock, forget_holder, open_writer
from tui.records import Paper, SearchHit, SearchResult, Span
from tui.search.compile import Compiler
from tui.search.query import QUERY_HELP, parse

__all__ = ["IndexBusy", "QUERY_HELP", "SearchIndex"]

#: Result rows that get title spans and an excerpt; the caller asks `spans()` for more.
HIGHLIGHTED_ROWS = 30
_WRITE_DELAY = 0.1


class SearchIndex:
    """The Whoosh index in `directory` (a cache of the library, rebuilt when in doubt)."""

    #: Seconds a write waits for another writer before giving up with `IndexBusy`.
    write_timeout = 2.0

    def __init__(self, directory: Path, library_uuid: str | None = None) -> None:
        self.directory = Path(directory)
        #: The identity of the library this index must reflect (None: not checked).
        self.library_uuid = library_uuid
        self.needs_rebuild = True
        self.applied_seq = 0
        self._ix = None
        self._searcher = None
        self._runner: SearchRunner | None = None
        self._lock = threading.RLock()
        self._write_lock = threading.Lock()
        #: What list filters stand for (`is:watched`: any of the watch queries), by flag name.
        self.expansions: dict[str, tuple[str, ...]] = {}
        self._lists: ListQueries | None = None
        #: Paper ids each prepared list query matches, kept current by every update.
        self._sets: dict[str, set[str]] = {}
        #: Bumped whenever a prepared set may have changed (names the sets' contents in caches).
        self._sets_version = 0
        self._dirty: set[str] | None = None
        self._preparing = threading.Lock()

    # Opening and closing

    def open(self, library_uuid: str | None = None) -> str | None:
        """Open and probe the index. None when healthy, else why it needs a rebuild.

        `library_uuid` (or the one given to the constructor) ties the index to one library:
        an index whose metadata names another is "index belongs to another library".
        """
        if library_uuid is not None:
            self.library_uuid = library_uuid
        whoosh_fixes.apply()
        self._sweep()
        with self._lock:
            self._close_handles()
            self._sets.clear()
            self._sets_version += 1
            try:
                self._ix, searcher, meta = open_checked(self.directory, WEIGHTING, self.library_uuid)
            except IndexProblem as problem:
                self.needs_rebuild = True
                return str(problem)
            self._use(searcher)
            self.applied_seq = int(meta.get("applied_seq", 0))
            self.library_uuid = self.library_uuid or meta.get("library_uuid")
            self.needs_rebuild = False
            return None

    def _sweep(self) -> None:
        """Remove what a killed rebuild left beside the index, unless a rebuild is running."""
        if not leftovers(self.directory):
            return
        lock = IndexLock(self.directory)
        if lock.acquire():
            try:
                sweep_leftovers(self.directory)
            finally:
                lock.release()

    def shared_applied_seq(self) -> int:
        """The library change this index reflects, as its metadata on disk says right now.

        Other processes may have written the index since this one opened it; a catch-up
        reads this inside the catch-up lock instead of trusting `applied_seq` in memory.
        """
        meta = read_meta(self.directory) if not self.needs_rebuild else None
        return int(meta.get("applied_seq", 0)) if meta else self.applied_seq

    def close(self) -> None:
        """Release the searcher and index files."""
        with self._lock:
            self._close_handles()

    def doc_count(self) -> int:
        """Number of papers in the index (0 when it is not open)."""
        with self._lock:
            return self._searcher.doc_count() if self._searcher is not None else 0

    def _use(self, searcher) -> None:
        self._searcher = searcher
        self._runner = SearchRunner(searcher, self.expansions)

    def _close_handles(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        if self._ix is not None:
            self._ix.close()
        self._ix = self._searcher = self._runner = None

    # Writing

    def rebuild(self, papers: Iterable[Paper], total: int | None = None, seq: int = 0,
                progress: Callable[[int, int | None], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> int:
        """Index `papers` from scratch in a sibling directory, then swap it in; returns the count.

        Searches keep using the old index meanwhile. If `cancelled()` turns True the new
        index is discarded, the old one stays as it was, and 0 is returned.
        """
        from tui.search.rebuild import BuildCancelled, build_into  # worker processes: only a rebuild needs them

        lock = IndexLock(self.directory)
        if not lock.acquire():
            raise IndexBusy()
        try:
            sweep_leftovers(self.directory)
            built = new_build_dir(self.directory)
            try:
                count = build_into(built, papers, total, progress, cancelled, inherited=(lock.fd,))
                if cancelled is not None and cancelled():
                    raise BuildCancelled()
                write_meta(built, count, seq, self.library_uuid)
            except BuildCancelled:
                sweep_leftovers(self.directory)
                return 0
            except BaseException:
                sweep_leftovers(self.directory)
                raise
            with self._write_lock, self._lock:
                self._close_handles()
                swap_in(built, self.directory)
                reason = self.open()
            if reason:
                raise RuntimeError(f"the rebuilt index does not open: {reason}")
            return count
        finally:
            lock.release()

    def update(self, papers: Iterable[Paper], seq: int) -> None:
        """Add or replace papers by id and record `seq`. Ignored while a rebuild is needed."""
        documents = [paper_document(p) for p in papers]
        self._write(lambda writer: [writer.update_document(**doc) for doc in documents], seq)
        self._recheck([doc["id"] for doc in documents])

    def delete(self, ids: Iterable[str], seq: int) -> None:
        """Remove papers by id and record `seq`. Ignored while a rebuild is needed."""
        ids = list(ids)
        self._write(lambda writer: [writer.delete_by_term("id", paper_id) for paper_id in ids], seq)
        with self._lock:
            for found in self._sets.values():
                found.difference_update(ids)
            self._sets_version += 1

    def _write(self, change: Callable, seq: int) -> None:
        with self._write_lock:
            ix = self._ix
            if ix is None or self.needs_rebuild:
                return
            writer = self._writer(ix)
            try:
                change(writer)
                forget_holder(self.directory)
                writer.commit()
            except BaseException:
                forget_holder(self.directory)
                writer.cancel()
                raise
            # A fresh searcher, not `refresh()`: Whoosh's refresh reuses the reader of a
            # segment whose deletions changed, so replaced papers would still be found.
            searcher = ix.searcher(weighting=WEIGHTING)
            # Load it here, not on a keystroke; a flag few papers carry, as scoring all the new
            # papers (70k at 100k) held the GIL for 90 ms after every star.
            searcher.search(query.Term("flags", "is:starred"), limit=1)
            with self._lock:
                old = self._searcher
                self._use(searcher)
                if old is not None:
                    old.close()
                write_meta(self.directory, searcher.doc_count(), seq, self.library_uuid)
                self.applied_seq = seq

    def _writer(self, ix):
        """An index writer, waiting up to `write_timeout` for another one; `IndexBusy` after."""
        deadline = time.monotonic() + self.write_timeout
        while (writer := open_writer(ix, self.directory)) is None:
            if time.monotonic() > deadline:
                raise IndexBusy()
            time.sleep(_WRITE_DELAY)
        return writer

    # Searching

    def search(self, query_text: str, *, sort: str = "relevance", limit: int = 200, as_you_type: bool = False,
               view: str = "all", today: datetime.date | None = None,
               highlighted: int = HIGHLIGHTED_ROWS, cancelled: Callable[[], bool] | None = None) -> SearchResult:
        """Search with the query language of `QUERY_HELP`. Never raises on user input.

        Only the first `highlighted` hits carry title spans and an abstract excerpt (the
        visible rows); `spans()` marks any other text. With `as_you_type` the unfinished
        last word is a prefix and the search is capped at a few tens of milliseconds,
        after which the hits found so far are returned with `partial=True`. The time cap
        covers expanding fuzzy and prefix words too, and each of those stands for a capped
        number of its most frequent terms (the hint says when). When `cancelled()` turns
        True (a newer keystroke) the search stops wherever it is and returns no hits,
        `partial=True`, hint "search cancelled".
        """
        query_text = query_text if isinstance(query_text, str) else str(query_text)
        today = today or datetime.date.today()
        started = time.perf_counter()
        with self._lock:
            if self._runner is None:
                return SearchResult(query_text, (), 0, hint="the search index is being rebuilt")
            # A list filter (`is:watched`) whose papers are prepared is a set look-up, not a union of queries.
            self._runner.prepared = {flag: IdSet(self._sets[flag], f"{flag}@{self._sets_version}")
                                     for flag in self.expansions if flag in self._sets}
            return self._runner.search(query_text, sort, limit, as_you_type, view, today, highlighted, started,
                                       cancelled)

    def spans(self, text: str, query_text: str) -> tuple[Span, ...]:
        """Highlight spans of the query's words in any text (e.g. a full abstract)."""
        try:
            marks = Compiler(datetime.date.today()).compile(parse(query_text)).highlights
            return find_spans(text, marks)
        except Exception:  # highlighting is decoration; never fail the caller
            return ()

    def related(self, paper_id: str, limit: int = 20) -> list[SearchHit]:
        """Papers sharing the most distinctive words of this paper's title and abstract."""
        with self._lock:
            if self._runner is None:
                return []
            try:
                return self._runner.related(paper_id, limit)
            except Exception:  # a missing or odd paper just has no related papers
                return []

    # The user's lists: what `is:watched` means, exact counts, which papers a query matches

    def set_expansion(self, flag: str, texts: Iterable[str]) -> None:
        """Tell the index what a list filter stands for (`is:watched`: any of these queries)."""
        texts = tuple(texts)
        with self._lock:
            if self.expansions.get(flag) != texts:
                self.expansions[flag] = texts
                self._lists = None
                for text in [text for text in self._sets if flag in text]:
                    del self._sets[text]
                self._sets_version += 1

    def _list_queries(self) -> ListQueries | None:
        if self._searcher is None:
            return None
        if self._lists is None or self._lists.searcher is not self._searcher:
            self._lists = ListQueries(self._searcher, self.expansions)
        return self._lists

    def count(self, query_text: str) -> int:
        """How many papers a query matches, exactly (0 while the index is not open)."""
        with self._lock:
            lists = self._list_queries()
            try:
                return lists.count(query_text) if lists is not None else 0
            except Exception:  # a query Whoosh objects to counts nothing; never fail the caller
                return 0

    def matching(self, ids: Iterable[str], queries: dict) -> dict:
        """For each key of `queries`, the set of the papers `ids` that its query matches."""
        ids = list(ids)
        with self._lock:
            lists = self._list_queries()
            if lists is None:
                return {key: set() for key in queries}
            out = {}
            for key, text in queries.items():
                if text in self._sets:
                    out[key] = {paper_id for paper_id in ids if paper_id in self._sets[text]}
                    continue
                try:
                    out.update(lists.matching(ids, {key: text}))
                except Exception:  # as in count()
                    out[key] = set()
            return out

    def prepare(self, texts: Iterable[str], cancelled: Callable[[], bool] | None = None) -> None:
        """Find every paper each query matches, once, so `matching` is a set look-up (call in a worker).

        Runs on a searcher of its own, so searches are not held up; papers written meanwhile
        are checked again at the end. `update` keeps the sets current from then on.
        """
        if not self._preparing.acquire(blocking=False):
            return  # another worker is preparing them right now
        try:
            self._prepare(list(texts), cancelled)
        finally:
            self._preparing.release()

    def _prepare(self, texts: list[str], cancelled: Callable[[], bool] | None) -> None:
        with self._lock:
            missing = [text for text in dict.fromkeys(texts) if text not in self._sets]
            ix = self._ix
            if not missing or ix is None or self.needs_rebuild:
                return
            self._dirty = set()
            expansions = dict(self.expansions)
        found: dict[str, set[str]] = {}
        searcher = ix.searcher(weighting=WEIGHTING)
        try:
            lists = ListQueries(searcher, expansions)
            for text in missing:
                if cancelled is not None and cancelled():
                    return
                if text in expansions:  # `is:watched`: the union of its queries' sets, not a query of its own
                    parts = [found.get(part) or self._sets.get(part) or lists.paper_ids(part)
                             for part in expansions[text]]
                    found[text] = set().union(*parts)
                else:
                    found[text] = lists.paper_ids(text)
        except Exception:  # the index changed under it (a rebuild): prepared another time
            return
        finally:
            searcher.close()
            with self._lock:
                dirty, self._dirty = self._dirty or set(), None
        with self._lock:
            if self._ix is not ix:
                return
            if self.expansions != expansions:  # a watch changed meanwhile: `is:watched` means more now
                found = {text: ids for text, ids in found.items() if not any(flag in text for flag in expansions)}
            self._sets.update(found)
            self._sets_version += 1
            self._recheck(list(dirty), only=list(found))

    def _recheck(self, ids: list[str], only: list[str] | None = None) -> None:
        """Papers just (re)indexed: check them again against every prepared query."""
        with self._lock:
            if self._dirty is not None:
                self._dirty.update(ids)
            texts = [text for text in (only if only is not None else self._sets) if text in self._sets]
            lists = self._list_queries()
            if not texts or not ids or lists is None:
                return
            try:
                matched = lists.matching(ids, {text: text for text in texts})
            except Exception:  # cannot tell: forget the set, it is prepared again
                self._sets_version += 1
                for text in texts:
                    self._sets.pop(text, None)
                return
            self._sets_version += 1
            for text in texts:
                self._sets[text].difference_update(ids)
                self._sets[text].update(matched[text])
