"""Running compiled queries on a Whoosh searcher: collection under a time cap, sorting,
fast listings for filter-only queries, and result rows with highlights.
"""

from __future__ import annotations

import sys
import time
from array import array
from collections import OrderedDict

from whoosh import collectors, scoring, sorting

from tui.search import whoosh_fixes
from tui.search.compile import Highlights
from tui.search.expand import Budget
from tui.search.highlight import excerpt, find_spans
from tui.search.matchers import CachedFilter
from tui.records import SearchHit

#: BM25F everywhere except the typing prefixes, which score a constant per document (so the
#: top-N collector can stop early instead of ranking tens of thousands of prefix matches).
WEIGHTING = scoring.MultiWeighting(scoring.BM25F(), prefixes=scoring.Frequency())
SORT_COLUMNS = {"newest": "date", "upvotes": "upvotes"}
_TIE = 1e-9


class _PresenceScorer(scoring.BaseScorer):
    def supports_block_quality(self):
        return True

    def score(self, matcher):
        return 1.0

    def max_quality(self):
        return 1.0

    def block_quality(self, matcher):
        return 1.0


class Presence(scoring.WeightingModel):
    """Scores a term 1 where it occurs, whatever its frequency; a term's boost still applies.

    Used while typing: a word in the title (boosted) outranks one in the abstract, and since
    the best possible score is known, the top-N collector stops as soon as it has N papers
    with it, instead of ranking every match of a common word (BM25F comes with submit).
    """

    def scorer(self, searcher, fieldname, text, qf=1):
        return _PresenceScorer()


TYPING_WEIGHTING = Presence()


class _TopCollector(collectors.TopCollector):
    """Top-N collector whose score threshold rises as soon as the heap is full, a hair above
    the lowest score kept.

    Whoosh raises it only when a better document replaces one, and its matchers skip only
    blocks scoring strictly below it; so with many equal scores nothing was ever skipped.
    A later document with an equal score never enters the heap anyway (the earlier wins).
    """

    def _collect(self, global_docnum, score):
        key = collectors.TopCollector._collect(self, global_docnum, score)
        if len(self.items) == self.limit:
            lowest = self.items[0][0]
            self.minscore = lowest + _TIE * max(1.0, abs(lowest))
        return key


class _Deadline(collectors.WrappingCollector):
    """Stops collecting (raising `TimeLimit`) once `deadline` (perf_counter) has passed, and
    (raising `SearchCancelled`) once the budget's caller cancels; both checked every 32 matches."""

    def __init__(self, child, deadline: float, budget: Budget | None = None) -> None:
        super().__init__(child)
        self.deadline = deadline
        self.budget = budget
        self.timed_out = False

    def collect_matches(self):
        collect, deadline, count = self.child.collect, self.deadline, 0
        for sub_docnum in self.child.matches():
            collect(sub_docnum)
            count += 1
            if not count & 31:
                if self.budget is not None:
                    self.budget.check_cancelled()
                if time.perf_counter() > deadline:
                    self.timed_out = True
                    raise collectors.TimeLimit()


def collect(searcher, q, sort: str, limit: int, deadline: float, weighting=None,
            budget: Budget | None = None) -> tuple[list[tuple[float, int]], int, bool]:
    """Top `limit` (score, docnum) pairs for `q`, an (estimated) total, and whether time ran out.

    With a `budget`, a cancelled search raises `SearchCancelled` wherever it is (expanding
    words, reading postings, collecting).
    """
    column = SORT_COLUMNS.get(sort)
    if column:
        child = collectors.SortingCollector(sorting.FieldFacet(column, reverse=True), limit=limit)
    else:
        child = _TopCollector(limit=limit)
    capped = _Deadline(child, deadline, budget)
    stop = budget.check_cancelled if budget is not None and budget.cancelled is not None else None
    try:
        with whoosh_fixes.deadline(deadline, stop):
            context = searcher.context(weighting=weighting) if weighting is not None else None
            searcher.search_with_collector(q, capped, context)
    except collectors.TimeLimit:
        capped.timed_out = True
    results = child.results()
    # Sorted by a column, the first item of each pair is a sort key, not a score.
    items = [(0.0, docnum) for _, docnum in results.top_n] if column else list(results.top_n)
    if not capped.timed_out and len(items) < limit:
        total = len(items)  # the heap never filled, so nothing was skipped: exact
    elif capped.timed_out or not child.computes_count():
        total = max(len(items), min(_estimate(q, searcher), searcher.doc_count()))
    else:
        total = child.count()
    return items, total, capped.timed_out


def _estimate(q, searcher) -> int:
    try:
        return int(q.estimate_size(searcher.reader()))
    except Exception:  # estimates are a nicety; never let them fail a search
        return 0


class Listings:
    """Cached orders and filter sets for queries without words (views, is:, date ranges).

    Built once per searcher generation: every live document sorted by a column, and the
    document set of each filter, so listing the inbox is a walk down a list.
    """

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self._orders: dict[str, list[int]] = {}
        self._sets: OrderedDict = OrderedDict()

    def list(self, q, sort: str, limit: int) -> tuple[list[tuple[float, int]], int]:
        order = self._order(SORT_COLUMNS.get(sort, "date"))
        if q is None:
            return [(0.0, d) for d in order[:limit]], len(order)
        allowed = self._set(q)
        items = []
        for docnum in order:
            if docnum in allowed:
                items.append((0.0, docnum))
                if len(items) >= limit:
                    break
        return items, len(allowed)

    def _order(self, column: str) -> list[int]:
        """Live documents by `column`, highest first (ties: most recently indexed first)."""
        if column not in self._orders:
            values, live = [], []
            for leaf, offset in self.searcher.reader().leaf_readers():
                count = leaf.doc_count_all()
                docnums = leaf.all_doc_ids() if leaf.has_deletions() else range(count)
                live.extend(offset + d for d in docnums)
                values.extend(_column_values(leaf, column, count))
            live.reverse()
            live.sort(key=values.__getitem__, reverse=True)
            self._orders[column] = live
        return self._orders[column]

    def _set(self, q) -> set[int]:
        key = repr(q)
        if key not in self._sets:
            self._sets[key] = set(self.searcher.docs_for_query(CachedFilter(q)))
            if len(self._sets) > 16:
                self._sets.popitem(last=False)
        self._sets.move_to_end(key)
        return self._sets[key]


def _column_values(leaf, column: str, count: int) -> list[int]:
    """All values of a 16-bit numeric column in one segment, read in one go."""
    if not leaf.has_column(column):
        return [0] * count
    reader = leaf.column_reader(column, translate=False)
    raw = array("H", reader._dbfile.get(reader._basepos, reader._count * reader._fixedlen))
    if sys.byteorder == "little":
        raw.byteswap()
    values = raw.tolist()
    values.extend([reader._default] * (count - len(values)))
    return values


class Rows:
    """Reads ids, titles and abstracts of result documents (columns cached per searcher)."""

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        reader = searcher.reader()
        self._titles = reader.column_reader("title") if reader.has_column("title") else None
        self._abstracts = reader.column_reader("abstract") if reader.has_column("abstract") else None

    def paper_id(self, docnum: int) -> str:
        return self.searcher.stored_fields(docnum).get("id", "")

    def title(self, docnum: int) -> str:
        return self._titles[docnum] if self._titles is not None else ""

    def abstract(self, docnum: int) -> str:
        return self._abstracts[docnum] if self._abstracts is not None else ""

    def hits(self, items, marks: Highlights, highlighted: int) -> tuple[SearchHit, ...]:
        """Result rows; the first `highlighted` ones carry title spans and an excerpt."""
        out = []
        for rank, (hit_score, docnum) in enumerate(items):
            if rank < highlighted:
                text, spans = excerpt(self.abstract(docnum), marks)
                out.append(SearchHit(self.paper_id(docnum), float(hit_score),
                                     find_spans(self.title(docnum), marks), text, spans))
            else:
                out.append(SearchHit(self.paper_id(docnum), float(hit_score)))
        return tuple(out)
