"""Running compiled queries on a Whoosh searcher: collection under a time cap, sorting,
fast listings for filter-only queries, and result rows with highlights.
"""

from __future__ import annotations

import heapq
import sys
import time
from array import array
from collections import OrderedDict

from whoosh import collectors, query, scoring
from whoosh.codec import whoosh3
from whoosh.matching import binary, mcore, wrappers

from tui.search import whoosh_fixes
from tui.search.compile import Highlights
from tui.search.expand import Budget
from tui.search.highlight import excerpt, find_spans
from tui.search.matchers import CachedFilter, ConstantMatcher, IdSet
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

    When the matcher (after Whoosh's rewrite for the threshold) is "required part AND MAYBE
    optional part", as a word looked for in the title, abstract and notes becomes once the
    abstract alone cannot reach the page, it is replaced by `_LazyOptional`, told the
    lowest score in the full heap (see `_collect`).
    """

    def _collect(self, global_docnum, score):
        key = collectors.TopCollector._collect(self, global_docnum, score)
        if len(self.items) == self.limit:
            lowest = self.items[0][0]
            self.minscore = lowest + _TIE * max(1.0, abs(lowest))
            matcher = self.matcher
            if type(matcher) is _LazyOptional:
                matcher.floor = lowest - _TIE * max(1.0, abs(lowest))
        return key

    def matches(self):
        """Whoosh's `ScoredCollector.matches`, with an AND MAYBE made lazy after each rewrite."""
        minscore = self.minscore
        matcher = self.matcher
        usequality = self._use_block_quality()
        replace = self.replace
        replacecounter = 0
        checkquality = True
        while matcher.is_active():
            if replace:
                if replacecounter == 0 or self.minscore != minscore:
                    self.matcher = matcher = self._lazy(matcher.replace(minscore or 0))
                    self.replaced_times += 1
                    if not matcher.is_active():
                        break
                    usequality = self._use_block_quality()
                    replacecounter = self.replace
                    if self.minscore != minscore:
                        checkquality = True
                        minscore = self.minscore
                replacecounter -= 1
            if usequality and checkquality and minscore is not None:
                self.skipped_times += matcher.skip_to_quality(minscore)
                if not matcher.is_active():
                    break
            yield matcher.id()
            checkquality = matcher.next()

    def _lazy(self, matcher):
        """The matcher, with a plain AND MAYBE made lazy and told the heap's floor once it is full."""
        if type(matcher) is binary.AndMaybeMatcher and matcher.supports_block_quality():
            matcher = _LazyOptional(matcher.a, matcher.b)
        if type(matcher) is _LazyOptional and len(self.items) == self.limit:
            lowest = self.items[0][0]
            matcher.floor = lowest - _TIE * max(1.0, abs(lowest))
        return matcher


class _LazyOptional(binary.AndMaybeMatcher):
    """AND MAYBE whose optional part is read only for a document that could reach the page.

    Whoosh moves the optional part (`b`) to every document of the required part (`a`) and
    scores both. Here `b` moves only when a score needs it, and a document whose `a` score
    plus the best `b` could give stays below `floor` (a hair under the lowest score in the
    full heap) is scored by `a` alone: it cannot enter the heap either way, since the heap
    only takes a score above its lowest. Every document that can enter gets Whoosh's exact
    score, so the page and its order are Whoosh's. For "learning" at 100k papers most
    documents never read their abstract's score: 150 ms -> 120 ms.
    """

    #: Scores below this cannot enter the collector's heap (None: the heap is not full yet).
    floor: float | None = None

    def __init__(self, a, b) -> None:
        super().__init__(a, b)
        self._b_best = b.max_quality() if b.is_active() else 0.0

    def _follow(self) -> None:
        """Move `b` to `a`'s document (it only ever lags behind)."""
        a, b = self.a, self.b
        if a.is_active() and b.is_active() and b.id() < a.id():
            b.skip_to(a.id())

    def next(self):
        if not self.a.is_active():
            raise mcore.ReadTooFar
        return self.a.next()

    def skip_to(self, id):
        if not self.a.is_active():
            raise mcore.ReadTooFar
        return self.a.skip_to(id)

    def score(self):
        a_score = self.a.score()
        floor = self.floor
        if floor is not None and a_score + self._b_best < floor:
            return a_score
        self._follow()
        b = self.b
        if b.is_active() and b.id() == self.a.id():
            return a_score + b.score()
        return a_score

    def weight(self):
        self._follow()
        return super().weight()

    def block_quality(self):
        self._follow()
        return super().block_quality()

    def skip_to_quality(self, minquality):
        self._follow()
        return super().skip_to_quality(minquality)

    def replace(self, minquality=0):
        self._follow()
        return super().replace(minquality)


class _Deadline(collectors.WrappingCollector):
    """Stops collecting (raising `TimeLimit`) once `deadline` (perf_counter) has passed, and
    (raising `SearchCancelled`) once the budget's caller cancels; both checked every 32 matches."""

    def __init__(self, child, deadline: float, budget: Budget | None = None) -> None:
        super().__init__(child)
        self.deadline = deadline
        self.budget = budget
        self.timed_out = False
        #: Matches collected (of every segment so far): the least the total can be.
        self.collected = 0

    def collect_matches(self):
        collect, deadline, count = self.child.collect, self.deadline, 0
        try:
            for sub_docnum in self.child.matches():
                collect(sub_docnum)
                count += 1
                if not count & 31:
                    if self.budget is not None:
                        self.budget.check_cancelled()
                    if time.perf_counter() > deadline:
                        self.timed_out = True
                        raise collectors.TimeLimit()
        finally:
            self.collected += count


def collect(searcher, q, sort: str, limit: int, deadline: float, weighting=None,
            budget: Budget | None = None, count_up_to: int = 0) -> tuple[list[tuple[float, int]], int, bool, bool]:
    """Top `limit` (score, docnum) pairs for `q`, the total, whether time ran out, and whether
    the total is exact (else an estimate).

    By relevance, a top-N collector skips the postings blocks that cannot reach the top, so
    it does not see every match: the total is then an estimate, or an exact count when
    counting reads at most `count_up_to` postings. Sorted by a column, every match is read
    (block by block, as sets; no scores) and the total is exact.

    With a `budget`, a cancelled search raises `SearchCancelled` wherever it is (expanding
    words, reading postings, collecting).
    """
    column = SORT_COLUMNS.get(sort)
    stop = budget.check_cancelled if budget is not None and budget.cancelled is not None else None
    if column:
        return _collect_sorted(searcher, q, column, limit, deadline, stop, weighting)
    child = _TopCollector(limit=limit)
    capped = _Deadline(child, deadline, budget)
    try:
        with whoosh_fixes.deadline(deadline, stop):
            context = searcher.context(weighting=weighting) if weighting is not None else None
            searcher.search_with_collector(q, capped, context)
    except collectors.TimeLimit:
        capped.timed_out = True
    items = list(child.results().top_n)
    if not capped.timed_out and len(items) < limit:
        return items, len(items), False, True  # the heap never filled, so nothing was skipped: exact
    if not capped.timed_out and child.computes_count():
        return items, child.count(), False, True
    if not capped.timed_out and count_up_to and _postings(q, searcher) <= count_up_to:
        counted = _count(searcher, q, deadline, stop)
        if counted is not None:
            return items, max(counted, len(items)), False, True
    return items, max(len(items), capped.collected, estimate(q, searcher)), capped.timed_out, False


def _collect_sorted(searcher, q, column: str, limit: int, deadline: float, stop, weighting):
    """The first `limit` matches by `column`, highest first, as Whoosh's SortingCollector orders
    them (ties: lowest document number first), and how many match in all.

    Each segment's matches are read as a set, then only the documents whose value reaches
    the segment's `limit`-th best are sorted; a time limit keeps the segments read so far.
    """
    picked: list[tuple[int, int]] = []
    total, timed_out = 0, False
    context = searcher.context(weighting=weighting) if weighting is not None else searcher.context()
    try:
        with whoosh_fixes.deadline(deadline, stop):
            for subsearcher, offset in searcher.leaf_searchers():
                found = matched(q.matcher(subsearcher, context))
                total += len(found)
                if not found:
                    continue
                reader = subsearcher.reader()
                value = _column_values(reader, column, reader.doc_count_all()).__getitem__
                best = heapq.nlargest(limit, found, key=value)
                if len(best) == limit:  # with every document tied with the last: the lowest numbers win
                    reach = value(best[-1])
                    best = [docnum for docnum in found if value(docnum) >= reach]
                picked.extend((-value(docnum), offset + docnum) for docnum in best)
                picked.sort()
                del picked[limit:]
    except collectors.TimeLimit:
        timed_out = True
    items = [(0.0, docnum) for _, docnum in picked]
    if timed_out:
        return items, max(total, estimate(q, searcher)), True, False
    return items, total, False, True


def _count(searcher, q, deadline: float, stop) -> int | None:
    """How many documents `q` matches, exactly; None when time runs out first."""
    context = searcher.context()
    try:
        with whoosh_fixes.deadline(deadline, stop):
            return sum(len(matched(q.matcher(subsearcher, context))) for subsearcher, _ in searcher.leaf_searchers())
    except collectors.TimeLimit:
        return None


def matched(matcher) -> set[int]:
    """The documents a matcher matches from where it stands (its segment's numbers): what
    Whoosh's `all_ids()` yields, as a set.

    Term postings are read a block at a time (a block's ids come in one array) and unions,
    intersections and exclusions are set operations, instead of stepping a tree of matchers
    one document at a time (86,230 matches of a word in three fields: 140 ms -> 55 ms). Any
    other kind of matcher is stepped through by Whoosh itself.
    """
    kind = type(matcher)
    if kind is whoosh3.W3LeafMatcher:
        return _leaf_ids(matcher)
    if kind in _SAME_DOCUMENTS:
        return matched(matcher.child)
    if kind is wrappers.FilterMatcher:
        found = matched(matcher.child)
        return found - matcher._ids if matcher._exclude else found & matcher._ids
    if kind in _UNIONS:
        return matched(matcher.a) | matched(matcher.b)
    if kind is binary.IntersectionMatcher or kind is wrappers.RequireMatcher:
        return matched(matcher.a) & matched(matcher.b)
    if kind is binary.AndNotMatcher:
        return matched(matcher.a) - matched(matcher.b)
    if kind is binary.AndMaybeMatcher:
        return matched(matcher.a)
    if kind is mcore.NullMatcherClass:
        return set()
    return set(matcher.all_ids())


def _leaf_ids(matcher) -> set[int]:
    found: set[int] = set()
    while matcher.is_active():
        whoosh_fixes.check_deadline()
        if matcher._ids is None:
            matcher._read_ids()
        found.update(matcher._ids[matcher._i:] if matcher._i else matcher._ids)
        matcher._i = matcher._blocklength
        matcher._next_block()
    return found


#: Matchers that match exactly what their child matches (they change scores only).
_SAME_DOCUMENTS = (wrappers.WrappingMatcher, wrappers.SingleTermMatcher, wrappers.ConstantScoreWrapperMatcher,
                   wrappers.CoordMatcher, ConstantMatcher)
_UNIONS = (binary.UnionMatcher, binary.DisjunctionMaxMatcher)


def _postings(q, searcher) -> int:
    """How many postings counting `q`'s matches would read (its terms' document counts, added up).

    A filter's document set is read once per searcher and kept (see `CachedFilter`): free.
    """
    try:
        return _postings_of(q, searcher.reader())
    except Exception:  # a part that cannot say: treat it as too many to count
        return sys.maxsize


def _postings_of(q, reader) -> int:
    if isinstance(q, (CachedFilter, IdSet)):
        return 0
    if q.is_leaf():
        return int(q.estimate_size(reader))
    return sum(_postings_of(child, reader) for child in q.children())


def estimate(q, searcher) -> int:
    """About how many documents `q` matches (at most all of them).

    Whoosh adds up the parts of an OR, of an AND NOT, and of an optional part, and gives a
    required filter its own size: a word is looked for in the title, the abstract and the
    notes, so "learning" at 100k papers was "about 109,463" (cut to 100,000) for 86,230, and
    any search in the Inbox was "about" the Inbox's size. Here an OR counts its parts as if
    they were independent, N·(1 − Π(1 − nᵢ/N)), never less than its largest part; an AND (and
    a required filter) is its smallest part, as in Whoosh; AND NOT and an optional part keep
    the size of what they start from.
    """
    size = searcher.doc_count()
    try:
        return int(min(_estimated(q, searcher.reader(), size), size))
    except Exception:  # estimates are a nicety; never let them fail a search
        return 0


def _estimated(q, reader, size: int) -> float:
    if isinstance(q, (query.Or, query.DisjunctionMax)) and q.subqueries and size:
        parts = [min(_estimated(sub, reader, size), size) for sub in q.subqueries]
        missed = 1.0
        for part in parts:
            missed *= 1.0 - part / size
        return max(max(parts), size * (1.0 - missed))
    if isinstance(q, query.And) and q.subqueries:
        return min(_estimated(sub, reader, size) for sub in q.subqueries)
    if isinstance(q, query.Require):
        return min(_estimated(q.a, reader, size), _estimated(q.b, reader, size))
    if isinstance(q, (query.AndNot, query.AndMaybe)):
        return _estimated(q.a, reader, size)
    return q.estimate_size(reader)


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
