"""Search: the Whoosh index derived from the library, and the query language that reads it.

The only room that imports Whoosh. Its modules, in the order a search travels:

    query.py, ranges.py   the query language: text -> a small syntax tree (no Whoosh)
    compile.py            syntax tree -> Whoosh query objects plus highlight terms
    run.py                one searcher's work: compile, cache, collect, rows, hints
    expand.py             fuzzy/prefix expansion within a budget of terms, time and cancellation
    collect.py            collection under a time cap, sorting, listings, result rows
    suggest.py            "did you mean" and the real field for an unknown one
    highlight.py          highlight spans and excerpts as character offsets
    schema.py, analysis.py, matchers.py   what the index holds and how text becomes terms
    index.py              `SearchIndex`: open/check, rebuild, update, search, related
    disk.py               the index directory: metadata, health check, swap
    locking.py            the write lock, its recorded holder, breaking a dead holder's lock
    bulk.py, rebuild.py   fast full builds in worker processes
    whoosh_fixes.py       speed fixes to Whoosh's reader, applied by an explicit `apply()`
    lean_whoosh.py        Whoosh imported without urllib.request and asyncio (unused by it)
"""

from tui.search import lean_whoosh

lean_whoosh.load()  # before any Whoosh import (see lean_whoosh.py)

from tui.search.disk import IndexBusy  # noqa: E402
from tui.search.index import SearchIndex  # noqa: E402
from tui.search.query import QUERY_HELP  # noqa: E402

__all__ = ["QUERY_HELP", "IndexBusy", "SearchIndex"]
