"""The service's digests, triage queue and one-step decisions, as the app and scripts use them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.library import Library
from tui.records import Paper, ParseResult, SearchRequest
from tui.service import open_service
from tui.vocabulary import View


def _digest(library: Library, name: str, day: str, titles: list[str]) -> None:
    entries = tuple(Paper(title=t, abstract=f"{t.lower()} graph study") for t in titles)
    library.import_result(ParseResult(name, "A", day, entries, content_hash=name))


@pytest.fixture
def service(tmp_path: Path):
    library = Library(tmp_path / "library.sqlite3")
    library.open()
    _digest(library, "new.txt", "2026-04-27", ["New A", "Shared paper", "New B"])
    _digest(library, "old.txt", "2026-04-20", ["Old A", "Old B", "Shared paper"])
    library.close()
    service = open_service(tmp_path, backup=False)
    service.upkeep.ensure()
    yield service
    service.close()


def _titles(service, ids) -> list[str]:
    papers = service.papers(ids)
    return [papers[i].title for i in ids]


def test_a_digest_lists_in_its_own_order_and_searches_only_inside_it(service) -> None:
    new = next(d for d in service.digests() if d.label == "new.txt")
    listed = service.page(SearchRequest("", View.ALL, digest=new.id, limit=10))
    assert [p.title for p in listed.papers] == ["New A", "Shared paper", "New B"] and listed.total == 3
    found = service.page(SearchRequest("graph", View.ALL, digest=new.id, limit=10))
    assert sorted(p.title for p in found.papers) == ["New A", "New B", "Shared paper"] and found.total == 3
    assert service.page(SearchRequest("graph", limit=10)).total == 5


def test_digests_are_newest_first_with_what_is_still_new(service) -> None:
    digests = service.digests()
    assert [d.label for d in digests] == ["new.txt", "old.txt"]
    service.decide([service.view_ids(View.INBOX)[0]], "dismissed")
    assert [d.new for d in service.digests()] == [3, 2]


def test_the_triage_queue_files_each_paper_under_the_digest_it_was_first_seen_in(service) -> None:
    queue = service.triage_queue()
    labels = {d.id: d.label for d in service.digests()}
    assert [(t, labels[d]) for t, d in zip(_titles(service, [i for i, _ in queue]), [d for _, d in queue])] == [
        ("Old A", "old.txt"), ("Old B", "old.txt"), ("Shared paper", "old.txt"), ("New A", "new.txt"),
        ("New B", "new.txt")]
    new = next(d for d in service.digests() if d.label == "new.txt")
    assert _titles(service, [i for i, _ in service.triage_queue(new.id)]) == ["New A", "Shared paper", "New B"]


def test_a_bulk_decision_moves_the_counts_and_undo_moves_them_back(service) -> None:
    ids = service.listing_ids(SearchRequest("", View.INBOX))
    assert len(ids) == 5 and service.counts()[View.INBOX] == 5
    service.decide(ids[:3], "kept")
    assert service.counts()[View.INBOX] == 2 and service.counts()[View.STARRED] == 3
    text, papers = service.undo()
    assert text == "Undid the star and decision on 3 papers" and len(papers) == 3
    assert service.counts()[View.INBOX] == 5 and service.counts()[View.STARRED] == 0
    assert service.changes_from_elsewhere() is None  # our own writes are not taken for another process's
    assert service.undo() is None


def test_is_later_lists_what_was_put_off(service) -> None:
    first = service.view_ids(View.INBOX)[0]
    service.decide([first], "later")
    page = service.page(SearchRequest("is:later", View.ALL, limit=10))
    assert [p.id for p in page.papers] == [first] and page.total == 1
    assert service.view_ids(View.INBOX)[-1] == first


def test_is_later_with_words_is_answered_by_the_index(service) -> None:
    first = service.view_ids(View.INBOX)[0]
    service.decide([first], "later")
    service.upkeep.catch_up()
    page = service.page(SearchRequest("graph is:later", View.ALL, limit=10))
    assert [p.id for p in page.papers] == [first]


def test_workers_asking_for_the_index_at_once_share_one(tmp_path: Path) -> None:
    import threading

    service = open_service(tmp_path / "fresh", backup=False)
    try:
        seen, start = [], threading.Barrier(8)

        def ask() -> None:
            start.wait()
            seen.append(service.upkeep.index)

        threads = [threading.Thread(target=ask) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len({id(index) for index in seen}) == 1
        assert "None" not in (service.upkeep.ensure() or "")
    finally:
        service.close()
