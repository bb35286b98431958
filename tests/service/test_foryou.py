"""The "for you" order through the service: trained from the library, moved by each decision and undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.service.foryou_support import NEW_DATE, reader_library
from tui.library import Change
from tui.records import SearchRequest
from tui.service import open_service
from tui.vocabulary import Sort, View


def _new_digest(service) -> int:
    return next(info.id for info in service.digests() if info.digest_date == NEW_DATE)


def _titles(page) -> list[str]:
    return [paper.title for _, paper in page.rows]


def _decide_history(service, history, kept: int, dismissed: int) -> None:
    """Keep the first `kept` liked papers and dismiss the first `dismissed` others, one key each."""
    liked = [p for p in history if p.title.startswith("Graph")]
    others = [p for p in history if p.title.startswith("Protein")]
    for paper in liked[:kept]:
        service.decide([paper.id], "kept")
    for paper in others[:dismissed]:
        service.decide([paper.id], "dismissed")


@pytest.fixture
def reader(hermetic_home: Path):
    history, new = reader_library(hermetic_home)
    service = open_service(hermetic_home)
    service.foryou.train()
    yield service, history, new
    service.close()


def test_after_enough_decisions_the_readers_papers_come_first(reader) -> None:
    service, history, new = reader
    _decide_history(service, history, kept=6, dismissed=6)
    digest = _new_digest(service)
    plain = service.page(SearchRequest("", View.INBOX, Sort.RELEVANCE, limit=10, digest=digest))
    ranked = service.page(SearchRequest("", View.INBOX, Sort.FOR_YOU, limit=10, digest=digest))
    assert _titles(plain)[0].startswith("Membrane")  # digest order puts them last
    assert all(t.startswith("Sparse graph") for t in _titles(ranked)[:4])
    assert set(_titles(ranked)) == set(_titles(plain)) and ranked.total == plain.total
    assert "decisions" not in ranked.hint


def test_too_few_decisions_say_so_and_keep_digest_order(reader) -> None:
    service, history, _ = reader
    _decide_history(service, history, kept=3, dismissed=1)
    digest = _new_digest(service)
    plain = service.page(SearchRequest("", View.INBOX, Sort.RELEVANCE, limit=10, digest=digest))
    ranked = service.page(SearchRequest("", View.INBOX, Sort.FOR_YOU, limit=10, digest=digest))
    assert _titles(ranked) == _titles(plain)
    assert "4 of the 10 decisions" in ranked.hint and "digest order" in ranked.hint
    assert ranked.request.sort == Sort.FOR_YOU  # the next page is asked in the same order
    found = service.page(SearchRequest("folding", View.INBOX, Sort.FOR_YOU, limit=10))
    assert "4 of the 10 decisions" in found.hint and "relevance order" in found.hint


def test_an_undone_keep_is_unlearned_at_once(reader) -> None:
    service, history, _ = reader
    _decide_history(service, history, kept=5, dismissed=5)
    assert service.foryou.status.ready
    service.decide([history[-2].id], "kept")  # a sixth keep, then taken back
    assert service.foryou.status.kept == 6
    service.undo()
    assert service.foryou.status.kept == 5
    service.undo()  # the fifth dismissal goes too: below the threshold again
    assert not service.foryou.status.ready
    assert "9 of the 10" in service.foryou.status.message


def test_training_at_start_reads_the_history_without_undone_steps(hermetic_home: Path) -> None:
    history, _ = reader_library(hermetic_home)
    with open_service(hermetic_home) as service:
        _decide_history(service, history, kept=6, dismissed=5)
        service.decide([history[-1].id], "dismissed")
        service.undo()  # taken back: never learned
        service.set_starred(history[-2].id, True)  # a star is a keep too
    with open_service(hermetic_home) as service:
        status = service.foryou.train()
        assert (status.kept, status.dismissed) == (7, 5)


def test_a_tag_counts_as_wanting_the_paper(hermetic_home: Path) -> None:
    history, _ = reader_library(hermetic_home)
    with open_service(hermetic_home) as service:
        _decide_history(service, history, kept=5, dismissed=5)
        service._library.apply([Change(history[-2].id, "tag+", "molecules")])
    with open_service(hermetic_home) as service:
        assert service.foryou.train().kept == 6


def test_search_hits_are_ranked_by_the_model_in_for_you_order(reader) -> None:
    service, history, _ = reader
    service.upkeep.ensure()
    _decide_history(service, history, kept=6, dismissed=6)
    request = SearchRequest("study OR part", View.INBOX, Sort.FOR_YOU, limit=20)
    titles = _titles(service.page(request))
    liked = [t for t in titles if "transformers" in t]
    assert liked and titles[: len(liked)] == liked


def test_the_triage_queue_in_for_you_order_keeps_digests_in_turn(reader) -> None:
    service, history, new = reader
    _decide_history(service, history, kept=6, dismissed=6)
    queue = service.triage_queue(sort=Sort.FOR_YOU)
    plain = service.triage_queue()
    assert [d for _, d in queue] == [d for _, d in plain]  # each digest's papers stay together
    newest = [service.get(i).title for i, d in queue if d == _new_digest(service)]
    assert all(t.startswith("Sparse graph") for t in newest[:4])


def test_the_explanation_names_what_the_reader_kept(reader) -> None:
    service, history, new = reader
    _decide_history(service, history, kept=6, dismissed=6)
    paper = next(p for p in service.papers(service.view_ids(View.INBOX)).values() if p.title.startswith("Sparse"))
    line = service.foryou.explain(paper)
    assert line.startswith("for you: matches") and "Jegelka" in line and "you kept" in line


def test_pages_past_the_ranked_window_follow_in_digest_order_without_repeats(reader, monkeypatch) -> None:
    import tui.service.foryou as foryou

    service, history, _ = reader
    _decide_history(service, history, kept=6, dismissed=6)
    monkeypatch.setattr(foryou, "RANKED_LISTING", 5)
    every = service.view_ids(View.INBOX)
    seen = []
    for offset in range(0, len(every) + 3, 3):
        page = service.page(SearchRequest("", View.INBOX, Sort.FOR_YOU, limit=3, offset=offset))
        assert page.total == len(every)
        seen += [paper.id for _, paper in page.rows]
    assert sorted(seen) == sorted(every) and len(seen) == len(every)
    assert seen[5:] == [i for i in every if i not in seen[:5]]  # after the window: digest order


def test_while_the_start_up_training_runs_a_page_does_not_wait(reader) -> None:
    service, history, _ = reader
    _decide_history(service, history, kept=6, dismissed=6)
    service.foryou.trained = False
    with service.foryou._train_lock:  # the start-up worker is training
        page = service.page(SearchRequest("", View.INBOX, Sort.FOR_YOU, limit=5))
    assert "still learning" in page.hint
    assert [p.id for _, p in page.rows] == service.view_ids(View.INBOX)[:5]


def test_start_up_training_gives_way_to_a_search_that_asks_for_a_for_you_page(reader) -> None:
    """The worker's training pauses while a search runs; that search must not wait for it in turn."""
    import threading

    service, history, _ = reader
    _decide_history(service, history, kept=6, dismissed=6)
    service.foryou.trained = False
    service.foryou.snapshot.unlink()  # no saved model: start-up learns every decision again
    service.foreground.max_pause_s = 30.0  # a training that waits for the search would show as a hang
    searching, paused = threading.Event(), threading.Event()
    pause = service.foryou.pause

    def noticing_pause() -> float:
        if service.foreground.waiting:
            paused.set()
        return pause()

    service.foryou.pause = noticing_pause
    with service.foreground.busy():  # the search thread, as the app's searcher marks it
        trainer = threading.Thread(target=service.foryou.start, daemon=True)
        trainer.start()
        assert paused.wait(10)  # the training reached its first batch and stepped aside
        page = service.page(SearchRequest("", View.INBOX, Sort.FOR_YOU, limit=5))
        # It answered while the training still waits for it, instead of waiting on that training.
        assert "still learning" in page.hint and trainer.is_alive()
    trainer.join(30)
    assert not trainer.is_alive() and service.foryou.trained
    ranked = service.page(SearchRequest("", View.INBOX, Sort.FOR_YOU, limit=5))
    assert "still learning" not in ranked.hint


def _order(service) -> list[str]:
    return [p.id for _, p in service.page(SearchRequest("", View.INBOX, Sort.FOR_YOU, limit=20)).rows]


def test_the_next_start_loads_the_learned_model_and_learns_only_what_changed(reader, hermetic_home) -> None:
    service, history, _ = reader
    _decide_history(service, history, kept=6, dismissed=6)
    service.foryou.save()
    liked = [p for p in history if p.title.startswith("Graph")]
    service.decide([liked[6].id], "kept")  # after the save: the next start must learn it too
    expected = _order(service)
    service.close()

    later = open_service(hermetic_home)
    try:
        trained = []
        later.foryou.decisions = lambda: trained.append(1) or []  # learning every decision is not needed
        status = later.foryou.start()
        assert not trained and status.ready and status.kept == 7 and status.dismissed == 6
        assert _order(later) == expected
        fresh = open_service(hermetic_home)
        fresh.foryou.train()  # from scratch: the very same counts
        assert fresh.foryou.ranker._counts.kept == later.foryou.ranker._counts.kept
        assert fresh.foryou.ranker._counts.dismissed == later.foryou.ranker._counts.dismissed
        fresh.close()
    finally:
        later.close()


@pytest.mark.parametrize("damage", ["cut", "garbage", "other library", "other version", "bad counts"])
def test_a_saved_model_that_cannot_be_trusted_is_learned_again(reader, hermetic_home, damage) -> None:
    import json

    service, history, _ = reader
    _decide_history(service, history, kept=6, dismissed=6)
    service.foryou.save()
    expected = _order(service)
    path = service.foryou.snapshot
    service.close()
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    head = json.loads(lines[0])
    if damage == "cut":
        text = "".join(lines[:-1])
    elif damage == "garbage":
        text = lines[0] + "{not json\n"
    elif damage == "other library":
        text = json.dumps({**head, "library": "someone else"}) + "\n" + "".join(lines[1:])
    elif damage == "other version":
        text = json.dumps({**head, "version": -1}) + "\n" + "".join(lines[1:])
    else:
        text = json.dumps({**head, "n_kept": head["n_kept"] + 1}) + "\n" + "".join(lines[1:])
    path.write_text(text, encoding="utf-8")

    later = open_service(hermetic_home)
    try:
        status = later.foryou.start()
        assert status.kept == 6 and status.dismissed == 6
        assert _order(later) == expected
        assert json.loads(path.read_text(encoding="utf-8").splitlines()[0])["n_kept"] == 6  # saved afresh
    finally:
        later.close()


def test_papers_put_off_stay_at_the_end_of_a_for_you_queue(reader) -> None:
    service, history, _ = reader
    _decide_history(service, history, kept=6, dismissed=6)
    liked = [p.id for p in history if p.title.startswith("Graph")][6:]  # the two undecided ones
    service.decide(liked, "later")
    queue = [paper_id for paper_id, _ in service.triage_queue(sort=Sort.FOR_YOU)]
    assert sorted(queue[-2:]) == sorted(liked)  # liked, but put off: still last
    assert len(queue) == len(set(queue)) == len(service.triage_queue())


def test_decisions_and_undos_of_another_process_are_learned_without_retraining(reader, hermetic_home) -> None:
    service, history, _ = reader
    _decide_history(service, history, kept=5, dismissed=5)
    with open_service(hermetic_home) as other:  # a second app, or the CLI
        other.decide([history[-2].id], "kept")
        other.decide([history[-1].id], "dismissed")
        other.undo()
    assert service.changes_from_elsewhere() is not None
    assert (service.foryou.status.kept, service.foryou.status.dismissed) == (6, 5)
    assert service.foryou.trained  # caught up, not thrown away


def test_tags_through_the_service_move_the_order_and_deleting_the_tag_takes_them_back(reader) -> None:
    service, history, _ = reader
    _decide_history(service, history, kept=5, dismissed=5)
    service.add_tag([history[-2].id, history[-4].id], "molecules")
    assert service.foryou.status.kept == 7
    service.delete_tag("molecules")
    assert service.foryou.status.kept == 5
