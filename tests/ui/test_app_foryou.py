"""Pilot tests of the "for you" order: the sort in the Inbox, its explanation line, triage in that order."""

from __future__ import annotations

from pathlib import Path

from tests.service.foryou_support import reader_library
from tests.ui.test_app_support import SIZE, library_screen, screen_text, settle, wait_until
from tui.service import open_service
from tui.ui.app import PaperReaderApp
from tui.vocabulary import Sort


def _decided_home(home: Path, kept: int, dismissed: int) -> None:
    """The simulated reader's library with some history papers decided."""
    history, _ = reader_library(home)
    with open_service(home) as service:
        for paper in [p for p in history if p.title.startswith("Graph")][:kept]:
            service.decide([paper.id], "kept")
        for paper in [p for p in history if p.title.startswith("Protein")][:dismissed]:
            service.decide([paper.id], "dismissed")


def _listed(app) -> list[str]:
    return [paper.title for paper in library_screen(app).results.papers.values()]


async def _sort_for_you(pilot) -> None:
    screen = library_screen(pilot.app)
    while screen.sort != Sort.FOR_YOU:
        await pilot.press("S")
        await settle(pilot)


async def test_the_for_you_sort_reorders_the_inbox_and_explains_the_paper(hermetic_home: Path) -> None:
    _decided_home(hermetic_home, kept=6, dismissed=6)
    backend = open_service(hermetic_home)
    app = PaperReaderApp(backend)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            before = _listed(app)
            assert "Protein" in before[1]  # digest order: undecided papers alternate
            assert "for you:" not in screen_text(app)
            await _sort_for_you(pilot)
            assert await wait_until(pilot, lambda: _listed(app) != before)
            after = _listed(app)
            assert all("transformers" in title for title in after[:6]), after
            text = screen_text(app)
            assert "sort: for you" in text
            assert 'for you: matches' in text and "Jegelka" in text and "you kept" in text
    finally:
        backend.close()


async def test_too_few_decisions_keep_digest_order_and_say_how_many_are_needed(hermetic_home: Path) -> None:
    _decided_home(hermetic_home, kept=3, dismissed=1)
    backend = open_service(hermetic_home)
    app = PaperReaderApp(backend)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            before = _listed(app)
            await _sort_for_you(pilot)
            assert _listed(app) == before
            text = screen_text(app)
            assert "4 of the 10 decisions" in text and "for you (4/10 decisions: digest order)" in text
    finally:
        backend.close()


async def test_triage_in_the_for_you_order_shows_the_best_first_with_its_reason(hermetic_home: Path) -> None:
    _decided_home(hermetic_home, kept=6, dismissed=6)
    backend = open_service(hermetic_home)
    app = PaperReaderApp(backend)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await _sort_for_you(pilot)
            await pilot.press("t")
            await settle(pilot)
            seen = []
            for _ in range(2):
                seen.append(app.screen.current.title)
                assert "for you: matches" in screen_text(app)
                await pilot.press("x")  # dismissing a liked paper: the model moves, no pause
                await settle(pilot)
            assert all("transformers" in title for title in seen), seen
            assert backend.foryou.status.dismissed == 8
    finally:
        backend.close()
