"""Saved searches counted and watches matched through the service, on the real sample digests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.records import SearchRequest
from tui.service import open_service

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))


@pytest.fixture
def service(hermetic_home):
    backend = open_service(hermetic_home)
    backend.import_files(SEEDS[:3])
    backend.upkeep.ensure()
    yield backend
    backend.close()


def _ids(service, query: str) -> set[str]:
    page = service.page(SearchRequest(query, limit=5000))
    return {hit.id for hit, _ in page.rows}


def test_a_saved_search_counts_what_it_finds_and_what_is_new_across_an_import(service):
    service.add_saved_search("gnn", "graph neural")
    service.add_saved_search("inbox", "is:new", "newest")
    gnn, inbox = service.saved_searches(counted=True)
    assert (gnn.count, gnn.new) == (len(_ids(service, "graph neural")), 0)
    assert (inbox.count, inbox.new) == (service.stats().new, 0)
    before = gnn.count
    added = sum(report.added for report in service.import_files(SEEDS[3:]))
    service.upkeep.catch_up()
    gnn, inbox = service.saved_searches(counted=True)
    assert gnn.count == len(_ids(service, "graph neural")) > before
    assert gnn.new == gnn.count - before
    assert inbox.count == service.stats().new and inbox.new >= added > 0
    service.open_saved_search("gnn")
    gnn = service.count_saved(service.saved_search("gnn"))
    assert gnn.new == 0 and gnn.count > before


def test_is_watched_agrees_between_the_index_marks_and_triage(service):
    service.import_files(SEEDS[3:])
    service.upkeep.catch_up()
    service.add_watch("author", "Stefanie Jegelka")
    service.add_watch("keyword", '"optimal transport"')
    watched = _ids(service, "is:watched")
    assert watched == _ids(service, 'author:"Stefanie Jegelka" OR "optimal transport"')
    assert len(watched) > 10
    every = service.page(SearchRequest("", limit=5000)).rows
    marks = service.watch_marks(every)
    assert set(marks) == watched
    assert service.watched_ids([hit.id for hit, _ in every]) == watched
    assert _ids(service, "-is:watched") == {hit.id for hit, _ in every} - watched
    jegelka = next(m for m in marks.values() if "Stefanie Jegelka" in m.labels)
    assert jegelka.authors


def test_watch_marks_say_where_a_keyword_is(service):
    service.add_watch("keyword", "graph")
    page = service.page(SearchRequest("graph neural networks", limit=5))
    marks = service.watch_marks(page.rows)
    hit, paper = page.rows[0]
    mark = marks[paper.id]
    assert mark.labels == ("graph",) and mark.authors == ()
    assert {paper.title[s.start:s.end].lower() for s in mark.title_spans} == {"graph"}
    assert mark.abstract_spans == ()  # a row needs its excerpt only; the detail pane adds the rest
    whole = service.complete_marks(paper, mark).abstract_spans
    assert whole and all(paper.abstract[s.start:s.end].lower().startswith("graph") for s in whole)
    assert all(hit.excerpt[s.start:s.end].lower().startswith("graph") for s in mark.excerpt_spans)


def test_nothing_watched_marks_nothing_and_is_watched_finds_nothing(service):
    rows = service.page(SearchRequest("", limit=50)).rows
    assert service.watch_marks(rows) == {}
    assert _ids(service, "is:watched") == set()
