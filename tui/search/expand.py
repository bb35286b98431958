"""Expanding fuzzy and prefix words into index terms, within a budget of terms, time and will.

`graph~2` or `co*` can stand for hundreds of terms at 100k papers, and Whoosh unions them
in a tree of matchers whose cost grows with every term (250 fuzzy terms: 20 s a search).
An expansion keeps at most a fixed number of terms, the most frequent ones, stops when the
search's time is up (keeping what it found), and stops at once when the search is
cancelled. What was left out is noted in the budget, and the search's hint says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from whoosh import query
from whoosh.support.levenshtein import distance

#: Terms one fuzzy word may stand for (its most frequent ones), and one prefix.
MAX_FUZZY_TERMS = 32
MAX_PREFIX_TERMS = 128
#: Lexicon entries read between two looks at the clock and the cancel flag.
_CHECK_EVERY = 256
#: Where a reader remembers complete expansions (a reader lives as long as its searcher).
_MEMO = "_paper_reader_expansions"


class SearchCancelled(Exception):
    """The caller's `cancelled()` turned True: the search stopped where it was."""


@dataclass
class Budget:
    """What one search may spend: until `deadline` (perf_counter), unless `cancelled()`.

    `notes` collects one line per word whose expansion was cut, for the hint.
    """

    deadline: float | None = None
    cancelled: Callable[[], bool] | None = None
    notes: list[str] = field(default_factory=list)

    def check_cancelled(self) -> None:
        """Raise `SearchCancelled` if the caller gave up on this search."""
        if self.cancelled is not None and self.cancelled():
            raise SearchCancelled()

    def out_of_time(self) -> bool:
        return self.deadline is not None and time.perf_counter() > self.deadline

    def note(self, label: str, line: str) -> None:
        """Say once per word (`label`) what its expansion left out, whichever field it was in."""
        if not any(note.startswith(label + " ") or note.startswith(label + ":") for note in self.notes):
            self.notes.append(line)


def capped(reader, fieldname: str, candidates: Iterable, limit: int, budget: Budget | None, label: str,
           keep: Callable[[str], bool] | None = None) -> list:
    """At most `limit` of the `candidates` (terms of `fieldname`) that `keep`, the most frequent.

    Reading stops early when the budget's time is up (what was found is kept) and raises
    `SearchCancelled` when the search is cancelled; both are checked every few hundred
    candidates read, kept or not. A complete expansion is remembered by the reader.
    """
    key = (fieldname, label, limit)
    memo = reader.__dict__.setdefault(_MEMO, {})
    if key in memo:
        found, matched = memo[key]
        if matched > limit and budget is not None:
            budget.note(label, _too_many(label, matched, limit))
        return found
    found, complete = [], True
    for count, term in enumerate(candidates, 1):
        if keep is None or keep(term):
            found.append(term)
        if budget is not None and not count % _CHECK_EVERY:
            budget.check_cancelled()
            if budget.out_of_time():
                budget.note(label, f"{label}: stopped expanding after {count} words (time limit)")
                complete = False
                break
    matched = len(found)
    if matched > limit:
        found.sort(key=lambda term: -reader.doc_frequency(fieldname, term))
        if budget is not None:
            budget.note(label, _too_many(label, matched, limit))
        found = found[:limit]
    if complete:
        memo[key] = (found, matched)
    return found


def _too_many(label: str, matched: int, limit: int) -> str:
    return f"{label} stands for {matched} words; searched the {limit} most frequent"


class CappedFuzzy(query.FuzzyTerm):
    """A fuzzy term whose expansion is capped (see `capped`); the union is one array pass."""

    budget: Budget | None = None

    def _btexts(self, ixreader):
        cached = getattr(self, "_expansion", None)
        if cached is None or cached[0] is not ixreader:
            text, maxdist = self.text, self.maxdist
            candidates = (ixreader.schema[self.fieldname].from_bytes(b)
                          for b in ixreader.expand_prefix(self.fieldname, text[:self.prefixlength]))

            def near(word: str) -> bool:
                return abs(len(word) - len(text)) <= maxdist and distance(word, text, limit=maxdist) <= maxdist

            terms = capped(ixreader, self.fieldname, candidates, MAX_FUZZY_TERMS, self.budget,
                           f"{text}~{maxdist}", near)
            cached = (ixreader, terms)
            self._expansion = cached
        return cached[1]

    def matcher(self, searcher, context=None):
        terms = [query.Term(self.fieldname, t) for t in self._btexts(searcher.reader())]
        if len(terms) <= 1:
            return super().matcher(searcher, context)
        return ArrayOr(terms, boost=self.boost).matcher(searcher, context)


class ArrayOr(query.Or):
    """An OR unioned in one array pass (Whoosh's default is a tree of matchers)."""

    matcher_type = query.Or.ARRAY_MATCHER


def with_budget(q, budget: Budget):
    """Give every capped expansion in the query tree this search's budget; returns `q`."""
    if q is None:
        return q
    for part in _parts(q):
        if hasattr(type(part), "budget"):
            part.budget = budget
    return q


def _parts(q):
    yield q
    children = getattr(q, "subqueries", None) or [getattr(q, name) for name in ("a", "b", "child", "query")
                                                  if isinstance(getattr(q, name, None), query.Query)]
    for child in children:
        yield from _parts(child)
