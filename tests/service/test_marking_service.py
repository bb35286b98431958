"""The service's marks on many papers: one undoable step each, view counts that stay true, and the
app's "another process wrote" check never fooled by its own writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.describe import short_title
from tui.library.state import TagError
from tui.service import open_service
from tui.vocabulary import View

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))


@pytest.fixture
def service(tmp_path: Path):
    backend = open_service(tmp_path / "home", backup=False)
    backend.import_files(SEEDS[:1])
    yield backend
    backend.close()


def _true_counts(service) -> dict:
    stats = service.stats()
    return {View.ALL: stats.papers, View.INBOX: stats.new, View.STARRED: stats.starred}


def test_counts_stay_true_through_bulk_marks_single_writes_and_undo(service) -> None:
    ids = service.view_ids(View.INBOX)
    service.counts()  # counted once, then kept up to date
    service.mark(ids[:10], status="dismissed", starred=True)
    assert service.counts() == _true_counts(service)
    service.set_starred(ids[20], True)
    assert service.counts() == _true_counts(service)
    assert service.undo()[0] == f"Undid the star on “{short_title(service.get(ids[20]).title)}”"
    assert service.counts() == _true_counts(service)
    said, papers = service.undo()
    assert said == "Undid the star and decision on 10 papers" and set(papers) == set(ids[:10])
    assert service.counts() == _true_counts(service) and service.counts()[View.INBOX] == len(ids)
    assert service.undo() is None


def test_own_marks_and_undos_are_not_taken_for_another_process(service) -> None:
    ids = service.view_ids(View.INBOX)
    service.add_tag(ids[:3], "gnn")
    service.rename_tag("gnn", "graphs")
    service.undo()
    service.delete_tag("gnn")
    service.mark(ids[:2], note="n")
    assert service.changes_from_elsewhere() is None


def test_a_bad_tag_or_an_unknown_paper_writes_nothing(service) -> None:
    ids = service.view_ids(View.INBOX)
    with pytest.raises(TagError):
        service.mark(ids[:3], starred=True, tag=["fine", "not fine"])
    with pytest.raises(KeyError):
        service.mark([ids[0], "no-such-paper"], starred=True)
    with pytest.raises(ValueError):
        service.mark(ids[:1], status="maybe")
    assert service.counts()[View.STARRED] == 0 and service.tags() == []
    assert service.undo() is None


def test_add_and_remove_return_the_papers_and_report_how_many_changed(service) -> None:
    ids = service.view_ids(View.INBOX)[:4]
    service.add_tag(ids[:2], "gnn")
    papers, changed = service.mark(ids, tag=["gnn"])
    assert changed == 2 and all(p.tags == ("gnn",) for p in papers)
    assert [p.tags for p in service.remove_tag(ids[:1], "GNN")] == [()]
    assert service.tags() == [("gnn", 3)]


def test_query_ids_finds_every_match_and_says_when_the_number_is_exact(service) -> None:
    every, total, exact = service.query_ids("is:new")
    assert len(every) == total == len(service.view_ids(View.INBOX)) and exact
    some, total, exact = service.query_ids("is:new", limit=5)
    assert len(some) == 5 and total >= 5
