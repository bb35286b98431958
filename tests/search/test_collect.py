"""Collection without stepping every match: the same documents, order and totals as Whoosh's own.

A sort by date or upvotes reads each segment's matches as a set and sorts only those that
can reach the page; relevance keeps Whoosh's top-N collector and says its total exactly
when counting is cheap, else an estimate. Each is compared here with stock Whoosh on an
index of several segments with deleted documents (papers changed after the build).
"""

from __future__ import annotations

import datetime
import time

import pytest
from whoosh import collectors, sorting

from tui.records import SearchRequest
from tui.search.collect import collect, estimate, matched
from tui.search.compile import Compiler
from tui.search.query import parse
from tui.service import open_service

QUERIES = ["graph", "graph neural", '"neural networks"', "graph -survey", "gnn OR transformer", "learn*",
           "graf~", "title:diffusion", "author:wang", "is:new graph", "date:2023..2024 models",
           "upvotes:>=1 learning", "model* -language", "(graph OR image) learning", "is:starred",
           "nothingmatchesthis", "language models reasoning", "is:starred OR has:note", "-graph model"]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    """The seed library's index, then a quarter of its papers starred and noted: new segments, deletions."""
    service = open_service(tmp_path_factory.mktemp("seeds"), backup=False)
    service.import_seeds_if_empty()
    service.upkeep.ensure()
    ids = service.view_ids("all")
    for start in range(0, len(ids), 40):  # several writes, several segments
        service.mark(ids[start:start + 10], starred=True, note="changed after the build")
        service.upkeep.catch_up()
    index = service.upkeep.index
    whoosh_searcher = index._searcher
    assert len(list(whoosh_searcher.leaf_searchers())) > 1 and whoosh_searcher.reader().has_deletions()
    yield whoosh_searcher
    service.close()


def _compiled(searcher, text: str, view: str = "all"):
    return Compiler(datetime.date(2026, 6, 1), searcher.reader()).compile(parse(text), view).query


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("view", ["all", "inbox"])
def test_the_documents_read_as_sets_are_those_whoosh_matches(searcher, text, view) -> None:
    q = _compiled(searcher, text, view)
    if q is None:
        pytest.skip("asks nothing")
    found = set()
    for subsearcher, offset in searcher.leaf_searchers():
        found |= {offset + docnum for docnum in matched(q.matcher(subsearcher, searcher.context()))}
    assert found == set(searcher.docs_for_query(q))


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("sort, column", [("newest", "date"), ("upvotes", "upvotes")])
@pytest.mark.parametrize("limit", [1, 5, 60])
def test_a_sorted_page_is_the_head_of_whooshs_full_sort(searcher, text, sort, column, limit) -> None:
    q = _compiled(searcher, text)
    if q is None:
        pytest.skip("asks nothing")
    items, total, partial, exact = collect(searcher, q, sort, limit, time.perf_counter() + 60)
    stock = collectors.SortingCollector(sorting.FieldFacet(column, reverse=True), limit=None)
    searcher.search_with_collector(q, stock)
    everything = [docnum for _, docnum in stock.results().top_n]
    assert [docnum for _, docnum in items] == everything[:limit]
    assert (total, partial, exact) == (len(everything), False, True)


@pytest.mark.parametrize("text", QUERIES)
def test_relevance_keeps_whooshs_ranking_and_says_whether_its_total_is_exact(searcher, text) -> None:
    q = _compiled(searcher, text)
    if q is None:
        pytest.skip("asks nothing")
    truth = len(set(searcher.docs_for_query(q)))
    stock = searcher.search(q, limit=5)
    expected = [(round(hit.score, 6), hit.docnum) for hit in stock]
    for count_up_to in (0, 10**9):
        items, total, partial, exact = collect(searcher, q, "relevance", 5, time.perf_counter() + 60,
                                               count_up_to=count_up_to)
        assert [(round(score, 6), docnum) for score, docnum in items] == expected
        assert not partial
        if exact:
            assert total == truth
        else:
            assert len(items) == 5 and total >= len(items)
    assert exact  # with counting allowed, every total is exact


def test_an_or_of_fields_is_estimated_near_its_union_not_its_sum(searcher) -> None:
    q = _compiled(searcher, "model")  # the word in the title, the abstract and the notes
    truth = len(set(searcher.docs_for_query(q)))
    parts = sum(sub.estimate_size(searcher.reader()) for sub in q.subqueries)
    assert truth <= estimate(q, searcher) < parts


def test_an_inbox_search_is_not_estimated_at_the_inbox_size(tmp_path, monkeypatch) -> None:
    from tui.search import run

    service = open_service(tmp_path / "data", backup=False)
    service.import_seeds_if_empty()
    service.upkeep.ensure()
    truth = len(service.query_ids("protein")[0])
    page = service.page(SearchRequest("protein", "inbox", "relevance", 1))
    assert (page.total, page.exact) == (truth, True)  # counted: it reads a few postings
    monkeypatch.setattr(run, "COUNT_UP_TO", 0)
    page = service.page(SearchRequest("protein", "inbox", "relevance", 2))  # (another limit: not the cached one)
    assert not page.exact and truth <= page.total < 10  # was "about 341": the size of the Inbox filter
    service.close()


@pytest.mark.parametrize("text", QUERIES + ["model", "learning", "networks", "graph OR language", "title:graph learning"])
@pytest.mark.parametrize("typing", [False, True])
def test_the_lazy_optional_part_changes_no_page_and_no_score(searcher, monkeypatch, text, typing) -> None:
    from tui.search import collect as collecting

    compiled = Compiler(datetime.date(2026, 6, 1), searcher.reader(), typing).compile(parse(text, typing), "all")
    if compiled.query is None:
        pytest.skip("asks nothing")
    weighting = collecting.TYPING_WEIGHTING if typing else None
    for limit in (1, 3, 10, 40):
        lazy = collect(searcher, compiled.query, "relevance", limit, time.perf_counter() + 60, weighting)
        with monkeypatch.context() as plain:
            plain.setattr(collecting._TopCollector, "_lazy", lambda self, matcher: matcher)
            stock = collect(searcher, compiled.query, "relevance", limit, time.perf_counter() + 60, weighting)
        assert lazy == stock  # the same documents, in the same order, with bit-identical scores
