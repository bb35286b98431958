"""Saved searches counted and watches matched: where the library's lists meet the index.

A saved search's count is what opening it lists: a filter-only query is counted by the
library (as the views are), anything else by the index, exactly. Its "new" count is the
part of that seen in a digest imported since it was last opened. A watch marks a paper only
where the index says its query matches that paper, so the highlights, `is:watched` and
"watched first" in triage always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from tui.library import Library
from tui.records import Paper, SavedSearch, SearchHit, Watch, WatchMarks
from tui.search import SearchIndex
from tui.search.highlight import find_spans
from tui.search.watching import merged_marks, watched_authors

#: The filter that stands for "any watch".
WATCHED = "is:watched"
#: How much of the abstract a list row shows when it has no excerpt (see ui/widgets/render.row).
ROW_ABSTRACT_CHARS = 300


def sync_watches(library: Library, index: SearchIndex) -> list[Watch]:
    """Read the watches and tell the index what `is:watched` means now."""
    watches = library.watches()
    index.set_expansion(WATCHED, [watch.query for watch in watches])
    return watches


def counted(library: Library, index: SearchIndex, search: SavedSearch, listing: tuple[str, ...] | None) -> SavedSearch:
    """The saved search with its count and its number of matches new since it was opened."""
    fresh = library.new_since_ids(search.opened_seq, search.opened_at)
    if listing is not None:
        total = library.count_where(listing)
        new = len(set(fresh) & set(library.list_ids(listing))) if fresh else 0
    else:
        total = index.count(search.query)
        new = len(index.matching(fresh, {0: search.query})[0]) if fresh else 0
    return SavedSearch(search.name, search.query, search.sort, search.position, search.created_at,
                       search.opened_at, search.opened_seq, total, new)


def watch_marks(index: SearchIndex, watches: list[Watch], rows: Iterable[tuple[SearchHit | None, Paper]],
                full: bool = False) -> dict[str, WatchMarks]:
    """Each paper some watch matches, with where: title and excerpt spans, and authors.

    With `full`, also the spans in the whole abstract (a card; `complete` adds them later).
    """
    rows = list(rows)
    if not watches or not rows:
        return {}
    matched = index.matching([paper.id for _, paper in rows], {watch.id: watch.query for watch in watches})
    out: dict[str, WatchMarks] = {}
    for hit, paper in rows:
        mine = [watch for watch in watches if paper.id in matched.get(watch.id, ())]
        if mine:
            out[paper.id] = marks_for(paper, hit, mine, full)
    return out


def marks_for(paper: Paper, hit: SearchHit | None, watches: list[Watch], full: bool = False) -> WatchMarks:
    """Where these watches (which match the paper) are in its title, excerpt, authors (and abstract)."""
    excerpt = hit.excerpt if hit is not None and hit.excerpt else paper.abstract[:ROW_ABSTRACT_CHARS]
    return _marks(paper.title, excerpt, tuple(paper.authors), paper.abstract if full else None,
                  tuple(watch.query for watch in watches),
                  tuple(w.query for w in watches if w.kind == "author"),
                  tuple(watch.label for watch in watches))


@lru_cache(maxsize=4096)  # a page's rows come back keystroke after keystroke: mark each once
def _marks(title: str, excerpt: str, authors: tuple[str, ...], abstract: str | None, texts: tuple[str, ...],
           author_texts: tuple[str, ...], labels: tuple[str, ...]) -> WatchMarks:
    marks = merged_marks(texts)
    return WatchMarks(labels, watched_authors(authors, author_texts), find_spans(title, marks),
                      find_spans(abstract, marks) if abstract is not None else (), find_spans(excerpt, marks), texts)


def complete(paper: Paper, found: WatchMarks) -> WatchMarks:
    """The marks with the spans in the whole abstract added (for the detail pane)."""
    if found.abstract_spans or not found.queries:
        return found
    spans = find_spans(paper.abstract, merged_marks(found.queries))
    return WatchMarks(found.labels, found.authors, found.title_spans, spans, found.excerpt_spans, found.queries)


def watched_ids(index: SearchIndex, ids: Iterable[str]) -> set[str]:
    """The papers among `ids` that any watch matches (what `is:watched` finds among them)."""
    return index.matching(ids, {WATCHED: WATCHED}).get(WATCHED, set())
