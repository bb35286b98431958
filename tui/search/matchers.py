"""Whoosh query and matcher pieces the search needs beyond the stock ones.

* `ArrayPrefix`: a constant-scoring prefix query that lets a top-N search stop early, its
  expansion capped (see `tui.search.expand`).
* `CachedFilter`: is:/has:/date:/view filters as per-segment document sets, cached on the
  segment reader, skipped through by bisection.
* `numeric_range`: number and date ranges over the indexed precision tiers.
* `BestOf`: a word in several fields scores its best field only (used while typing).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left

from whoosh import matching, query
from whoosh.matching.binary import DisjunctionMaxMatcher
from whoosh.searching import SearchContext

from tui.search.expand import MAX_PREFIX_TERMS, Budget, ArrayOr, capped
from tui.search.schema import build_schema

_FEW_EXPANSIONS = 16
_SCHEMA = build_schema()
_FILTER_CACHE = "_paper_reader_filters"


class ArrayPrefix(query.Prefix):
    """A prefix query scoring `boost` per matching document, built for top-N searches.

    Expansions are remembered per reader (estimating the result size does not expand
    again) and unioned in one array pass when there are many (Whoosh's default is a deep
    tree of matchers). Its constant score lets the collector stop as soon as it has
    enough documents instead of visiting every match.
    """

    budget: Budget | None = None

    def _btexts(self, ixreader):
        cached = getattr(self, "_expansion", None)
        if cached is None or cached[0] is not ixreader:
            candidates = ixreader.expand_prefix(self.fieldname, self.text)
            terms = capped(ixreader, self.fieldname, candidates, MAX_PREFIX_TERMS, self.budget, f"{self.text}*")
            cached = (ixreader, terms)
            self._expansion = cached
        return cached[1]

    def matcher(self, searcher, context=None):
        terms = [query.Term(self.fieldname, t) for t in self._btexts(searcher.reader())]
        if not terms:
            return matching.NullMatcher()
        context = context.set(weighting=None) if context else SearchContext(weighting=None)
        union = terms[0] if len(terms) == 1 else (
            query.Or(terms) if len(terms) <= _FEW_EXPANSIONS else ArrayOr(terms))
        return ConstantMatcher(union.matcher(searcher, context), self.boost)


class ConstantMatcher(matching.WrappingMatcher):
    """Every match scores `score`; once that cannot beat the collector's threshold, stop."""

    def __init__(self, child, score: float = 1.0) -> None:
        super().__init__(child)
        self._score = score

    def copy(self):
        return ConstantMatcher(self.child.copy(), self._score)

    def _replacement(self, newchild):
        return ConstantMatcher(newchild, self._score)

    def replace(self, minquality=0):
        if minquality and self._score <= minquality:
            return matching.NullMatcher()
        return super().replace(0)

    def supports_block_quality(self):
        return True

    def max_quality(self):
        return self._score

    def block_quality(self):
        return self._score

    def skip_to_quality(self, minquality):
        if self._score <= minquality:
            self.child = matching.NullMatcher()
            return 1
        return 0

    def weight(self):
        return self._score

    def score(self):
        return self._score


def numeric_range(field_name: str, low: int, high: int):
    """Documents whose 16-bit number in `field_name` is in [low, high], using the indexed tiers.

    (Whoosh's own `NumericRange` splits small ranges wrongly, e.g. upvotes 5..12 matched all.)
    """
    field = _SCHEMA[field_name]
    parts = []
    for start, end, shift in _tiers(low, high, field.bits, field.shift_step):
        first, last = field.sortable_to_bytes(start, shift), field.sortable_to_bytes(end, shift)
        parts.append(query.Term(field_name, first) if first == last else query.TermRange(field_name, first, last))
    return parts[0] if len(parts) == 1 else query.Or(parts)


def _tiers(low: int, high: int, bits: int, step: int) -> list[tuple[int, int, int]]:
    """Split [low, high] into (start, end, shift) ranges: ragged ends at fine precision, the
    aligned middle at coarser tiers (each tier term stands for 2**shift values)."""
    out, shift = [], 0
    while True:
        size = 1 << (shift + step)
        aligned_low = -(-low // size) * size
        aligned_high = (high + 1) // size * size - 1
        if shift + step >= bits or aligned_low > aligned_high:
            out.append((low, high, shift))
            return out
        if low < aligned_low:
            out.append((low, aligned_low - 1, shift))
        if aligned_high < high:
            out.append((aligned_high + 1, high, shift))
        low, high, shift = aligned_low, aligned_high, shift + step


class CachedFilter(query.WrappingQuery):
    """Matches what `child` matches, scoring nothing. Each segment's matching documents are
    computed once per opened reader and kept with it (a new searcher starts afresh)."""

    def _rewrap(self, child):
        return CachedFilter(child)

    def matcher(self, searcher, context=None):
        return _cached_matcher(searcher.reader(), repr(self.child), lambda: _documents(self.child, searcher))


class IdSet(query.Query):
    """Matches the papers of a set of ids known in advance (a prepared `is:watched`), scoring nothing.

    `key` names the set's contents (it changes whenever the set does): the search cache and
    each segment's document numbers are keyed by it, so a 50-watch union is never compiled
    and run as a query once the set is known.
    """

    def __init__(self, ids: set[str], key: str) -> None:
        self.ids, self.key = ids, key

    def __repr__(self) -> str:
        return f"IdSet({self.key!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, IdSet) and other.key == self.key

    def __hash__(self) -> int:
        return hash(("IdSet", self.key))

    def is_leaf(self):
        return True

    def estimate_size(self, ixreader):
        return len(self.ids)

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        return _cached_matcher(reader, ("IdSet", self.key), lambda: self._documents(reader))

    def _documents(self, reader):
        """This segment's live documents whose id is in the set (one pass over its id terms)."""
        ids, found = self.ids, []
        if not ids:
            return found
        for text, info in reader.iter_field("id"):
            paper_id = text.decode("utf-8") if isinstance(text, bytes) else text
            if paper_id in ids:
                found.extend(reader.postings("id", text).all_ids() if info.doc_frequency() > 1 else [info.min_id()])
        if reader.has_deletions():
            found = [d for d in found if not reader.is_deleted(d)]
        return found


def _cached_matcher(reader, key, documents):
    """A matcher over the documents `documents()` finds in this segment, found once per opened
    reader under `key` and kept with it (a new searcher starts afresh)."""
    cache = reader.__dict__.setdefault(_FILTER_CACHE, {})
    ids = cache.get(key)
    if ids is None:
        ids = array("I", sorted(documents()))
        if len(cache) > 32:
            cache.clear()
        cache[key] = ids
    return DocSetMatcher(ids) if ids else matching.NullMatcher()


def _documents(q, searcher):
    """Documents matching `q` in one segment. A union of terms (a range, a flag) is read
    term by term, much faster than stepping through a tree of union matchers."""
    if not _only_terms(q):
        return set(q.docs(searcher))
    reader = searcher.reader()
    found = set()
    for fieldname, btext in q.existing_terms(reader, expand=True):
        found.update(reader.postings(fieldname, btext).all_ids())
    return found


def _only_terms(q) -> bool:
    if isinstance(q, (query.Term, query.MultiTerm)):
        return True
    return isinstance(q, query.Or) and all(_only_terms(sub) for sub in q.subqueries)


class DocSetMatcher(matching.Matcher):
    """Steps through a sorted array of document numbers; skipping is a bisection."""

    def __init__(self, ids, position: int = 0) -> None:
        self._ids, self._i = ids, position

    def is_active(self):
        return self._i < len(self._ids)

    def id(self):
        return self._ids[self._i]

    def next(self):
        self._i += 1

    def skip_to(self, target):
        if not self.is_active():
            raise matching.ReadTooFar
        if target > self._ids[self._i]:
            self._i = bisect_left(self._ids, target, self._i)

    def all_ids(self):
        return iter(self._ids[self._i:])

    def copy(self):
        return DocSetMatcher(self._ids, self._i)

    def reset(self):
        self._i = 0

    def replace(self, minquality=0):
        return self if self.is_active() else matching.NullMatcher()

    def supports(self, astype):
        return False

    def supports_block_quality(self):
        return False

    def max_quality(self):
        return 0.0

    def block_quality(self):
        return 0.0

    def weight(self):
        return 0.0

    def score(self):
        return 0.0

    def value(self):
        return b""

    def term(self):
        return None


class BestOf(query.DisjunctionMax):
    """Matches any subquery; a document scores its best subquery, not their sum.

    With presence scores (see `index_search.Presence`) a word in the title always scores
    the title boost, so the best possible score is common and a top-N search ends early.
    """

    def _matcher(self, subs, searcher, context):
        return self._tree_matcher(subs, _BestOfMatcher, searcher, context, None, tiebreak=self.tiebreak)


class _BestOfMatcher(DisjunctionMaxMatcher):
    """Whoosh's dis-max matcher with two fixes: `score()` took the other side's score even
    when that side was on another document, and `replace()` dropped the remaining matches of
    one side when the other side was exhausted."""

    def score(self):
        a, b = self.a, self.b
        if not a.is_active():
            return b.score()
        if not b.is_active():
            return a.score()
        a_id, b_id = a.id(), b.id()
        if a_id != b_id:
            return a.score() if a_id < b_id else b.score()
        high, low = sorted((a.score(), b.score()), reverse=True)
        return high + self.tiebreak * low

    def replace(self, minquality=0):
        a, b = self.a, self.b
        if not a.is_active():
            return b.replace(minquality)
        if not b.is_active():
            return a.replace(minquality)
        if minquality:
            a_max, b_max = a.max_quality(), b.max_quality()
            if a_max < minquality and b_max < minquality:
                return matching.NullMatcher()
            if b_max < minquality:
                return a.replace(minquality)
            if a_max < minquality:
                return b.replace(minquality)
        new_a, new_b = a.replace(minquality), b.replace(minquality)
        if not new_a.is_active():
            return new_b
        if not new_b.is_active():
            return new_a
        if new_a is not a or new_b is not b:
            return _BestOfMatcher(new_a, new_b, tiebreak=self.tiebreak)
        return self
