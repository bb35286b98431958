"""One opened searcher's query work: compile, cache, collect, rows with highlights, hints.

`SearchIndex` owns the searcher and its lock; a `SearchRunner` is made for each searcher
(after every write a new one), so its caches never outlive the documents they describe.
"""

from __future__ import annotations

import datetime
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace

from whoosh import query

from tui.search.analysis import WORD_RE
from tui.search.schema import TITLE_BOOST
from tui.search.collect import TYPING_WEIGHTING, Listings, Rows, collect
from tui.search.suggest import field_suggestion, matches_anything, suggest
from tui.records import SearchHit, SearchResult
from tui.search.compile import Compiled, Compiler, Highlights
from tui.search.expand import Budget, SearchCancelled, with_budget
from tui.search.query import parse

#: Collection time caps (seconds): per keystroke, for a submitted query, for related papers.
TYPING_BUDGET = 0.035
SUBMIT_BUDGET = 0.5
RELATED_BUDGET = 0.15
#: A submitted search whose total would take at most this many postings to count says it
#: exactly (a few ms); past it, and while typing, a full page says an estimate ("about N").
COUNT_UP_TO = 20_000
#: Few enough hits to offer a spelling correction.
FEW_HITS = 2
#: Distinctive words of a paper used to find related ones.
RELATED_TERMS = 10
_CACHE_SIZE = 128


class SearchRunner:
    """Runs queries on one searcher; results are cached by the query that actually runs."""

    def __init__(self, searcher, expansions: dict[str, tuple[str, ...]] | None = None) -> None:
        self.searcher = searcher
        #: What list filters stand for (`is:watched`), shared with the index that made this runner.
        self.expansions = expansions if expansions is not None else {}
        #: List filters whose papers the index has prepared (flag -> IdSet), set before each search.
        self.prepared: dict = {}
        self.rows = Rows(searcher)
        self.listings = Listings(searcher)
        self._cache: OrderedDict = OrderedDict()

    def search(self, text: str, sort: str, limit: int, as_you_type: bool, view: str,
               today: datetime.date, highlighted: int, started: float,
               cancelled: Callable[[], bool] | None = None) -> SearchResult:
        """Run one search; a `cancelled()` that turns True stops it wherever it is."""
        budget = Budget(started + (TYPING_BUDGET if as_you_type else SUBMIT_BUDGET), cancelled)
        try:
            return self._search(text, sort, limit, as_you_type, view, today, highlighted, budget)
        except SearchCancelled:
            return SearchResult(text, (), 0, hint="search cancelled", partial=True)
        except Exception as exc:  # the language is forgiving, but Whoosh may still object
            return self._fallback(text, limit, highlighted, started, exc)

    def _search(self, text, sort, limit, as_you_type, view, today, highlighted, budget: Budget) -> SearchResult:
        compiled = Compiler(today, self.searcher.reader(), as_you_type, self.expansions, self.prepared).compile(
            parse(text, as_you_type), view)
        with_budget(compiled.query, budget)
        # Keyed by what will run, so "graph n" (one letter is not searched yet) and "graph "
        # share an entry, as do a query and its retyping after a backspace.
        marks = compiled.highlights
        key = (repr(compiled.query), tuple(compiled.hints), compiled.too_short, compiled.had_words, sort, limit,
               highlighted, tuple(sorted(marks.stems)), tuple(sorted(marks.prefixes)), tuple(sorted(marks.fuzzy)))
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return replace(cached, query=text)
        result = self._run(text, compiled, sort, max(limit, 0), as_you_type, view, today, highlighted, budget)
        if not result.partial and result.suggestion is None:
            self._cache[key] = result
            if len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return result

    def _run(self, text, compiled: Compiled, sort, limit, as_you_type, view, today, highlighted,
             budget: Budget) -> SearchResult:
        hint = "; ".join(compiled.hints)
        field_fix = field_hint = None
        if compiled.unknown_fields:
            field_fix, field_hint = field_suggestion(text, compiled.unknown_fields)
            hint = "; ".join(filter(None, (field_hint, hint)))
        if compiled.query is None and compiled.too_short:
            return SearchResult(text, (), 0, hint=hint or "keep typing…")
        if compiled.query is None and compiled.had_words:
            return SearchResult(text, (), 0, hint=hint or "nothing to search for: only very common words")
        if not compiled.scoring:  # an empty query or only filters: list them in the sort order
            items, total = self.listings.list(compiled.query, sort, limit)
            return SearchResult(text, self.rows.hits(items, compiled.highlights, highlighted), total, hint,
                                field_fix)
        weighting = TYPING_WEIGHTING if as_you_type else None
        items, total, partial, exact = collect(self.searcher, compiled.query, sort, max(limit, 1), budget.deadline,
                                               weighting, budget, 0 if as_you_type else COUNT_UP_TO)
        budget.check_cancelled()
        partial = partial or any("time limit" in note for note in budget.notes)
        hint = "; ".join(filter(None, (hint, *budget.notes)))
        suggestion = field_fix
        if total <= FEW_HITS and not partial and field_fix is None:
            suggestion, hint = self._did_you_mean(text, compiled, total, hint, view, as_you_type, today)
            if field_hint and field_hint not in hint:
                hint = f"{field_hint}; {hint}"
        hits = self.rows.hits(items[:limit], compiled.highlights, highlighted)
        return SearchResult(text, hits, total, hint, suggestion, partial, exact and not partial)

    def _did_you_mean(self, text, compiled: Compiled, total: int, hint: str, view: str, as_you_type: bool,
                      today: datetime.date) -> tuple[str | None, str]:
        """A corrected query that finds something, and the hint announcing it."""
        fallback = hint or ("no results" if total == 0 else "")
        corrected = suggest(self.searcher, self.rows, text, compiled)
        if not corrected or corrected == text:
            return None, fallback
        check = Compiler(today, self.searcher.reader(), expansions=self.expansions, prepared=self.prepared).compile(
            parse(corrected, as_you_type), view)
        if check.query is None or not matches_anything(self.searcher, check.query):
            return None, fallback
        lead = "no results" if total == 0 else "few results"
        return corrected, f"{lead} — did you mean “{corrected}”?"

    def _fallback(self, text: str, limit: int, highlighted: int, started: float, error: Exception) -> SearchResult:
        """Any of the plain words of the query, when the real query could not run."""
        hint = f"query not understood ({type(error).__name__}); searched its words instead"
        try:
            words = " OR ".join(WORD_RE.findall(text)[:32])
            compiled = Compiler(datetime.date.today(), self.searcher.reader()).compile(parse(words))
            if compiled.query is None:
                return SearchResult(text, (), 0, hint=hint)
            items, total, partial, exact = collect(self.searcher, compiled.query, "relevance", max(limit, 1),
                                                   started + SUBMIT_BUDGET)
            hits = self.rows.hits(items[:max(limit, 0)], compiled.highlights, highlighted)
            return SearchResult(text, hits, total, hint, None, partial, exact and not partial)
        except Exception:  # last resort: report, never raise
            return SearchResult(text, (), 0, hint=hint)

    def related(self, paper_id: str, limit: int) -> list[SearchHit]:
        """Papers sharing the most distinctive words of this paper's title and abstract."""
        searcher = self.searcher
        docnum = searcher.document_number(id=paper_id)
        if docnum is None:
            return []
        text = f"{self.rows.title(docnum)}\n{self.rows.abstract(docnum)}"
        terms = [t for t, _ in searcher.key_terms_from_text("abstract", text, numterms=RELATED_TERMS)]
        if not terms:
            return []
        options = [query.Term("abstract", t) for t in terms] + [query.Term("title", t, boost=TITLE_BOOST)
                                                                 for t in terms]
        existing = [q for q in options if searcher.reader().doc_frequency(q.fieldname, q.text)]
        q = query.AndNot(query.Or(existing), query.Term("id", paper_id))
        items = collect(searcher, q, "relevance", limit, time.perf_counter() + RELATED_BUDGET)[0]
        return list(self.rows.hits(items, Highlights(stems=set(terms)), limit))
