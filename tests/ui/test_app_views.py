"""Pilot tests: start-up, the three views, sorting, narrow and wide terminals."""

from __future__ import annotations

import asyncio
import time

from test_app_support import (  # noqa: F401  (fixtures)
    SEEDS, SIZE, library_screen, screen_text, seeded_app, seeded_home, seeded_template, settle,
)
from tui.ui.app import PaperReaderApp
from tui.service import open_service
from tui.ui.widgets.abstract import AbstractPane
from tui.ui.widgets.results import ResultsList


async def test_empty_library_imports_the_seeds_and_says_so(hermetic_home):
    backend = open_service()
    app = PaperReaderApp(backend)
    started = time.monotonic()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        while "All papers" not in screen_text(app) and time.monotonic() - started < 5:
            await asyncio.sleep(0.01)  # not pilot.pause(): that would also wait for the import
        first_paint = time.monotonic() - started
        await settle(pilot)
        screen = library_screen(app)
        assert screen.results.total == backend.stats().papers > 300
        messages = [n.message for n in app._notifications]
        assert any("imported the 5 bundled sample digests" in m for m in messages)
        assert screen.session.index_ready
    backend.close()
    assert first_paint < 1.0


async def test_files_on_the_command_line_are_imported_then_the_inbox_opens(hermetic_home):
    backend = open_service()
    app = PaperReaderApp(backend, import_files=[SEEDS[0], hermetic_home / "missing.txt"])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        assert screen.view == "inbox"
        messages = [n.message for n in app._notifications]
        assert any(SEEDS[0].name in m and "added" in m for m in messages)
        assert any("missing.txt" in m for m in messages)
        assert screen.results.total == backend.stats().new
    backend.close()


async def test_views_switch_with_1_2_3_and_show_counts(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        backend = screen.session.service
        total = backend.stats().papers
        await pilot.press("1")  # it opens on the Inbox (there are new papers); start from All
        await settle(pilot)
        first = screen.results.current
        screen.session.set_starred(first.id, True)
        screen.session.set_status(first.id, "read")
        await pilot.press("2")
        await settle(pilot)
        assert screen.view == "inbox"
        assert screen.results.total == total - 1
        assert first.id not in screen.results.papers
        await pilot.press("3")
        await settle(pilot)
        assert list(screen.results.papers) == [first.id]
        await pilot.press("1")
        await settle(pilot)
        assert screen.results.total == total
        bar = screen_text(app).splitlines()[0]
        assert f"All papers {total}" in bar and f"Inbox {total - 1} new" in bar and "Reading list 1" in bar


async def test_inbox_is_oldest_digest_first(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = library_screen(app)
        first = screen.results.current
        # the oldest digest by its date (not the first imported), position 1; named by its content
        earliest = min(first.seen, key=lambda seen: (seen.digest_date or "9999", seen.position))
        assert earliest.digest == "HF Daily · 2026-01-06" and earliest.position == 1


async def test_reading_list_shows_notes(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        paper = screen.results.current
        screen.session.set_starred(paper.id, True)
        screen.session.set_note(paper.id, "read section 3 first")
        await pilot.press("3")
        await settle(pilot)
        assert "✎ read section 3 first" in screen_text(app)


async def test_sort_cycles_relevance_newest_upvotes_for_you(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        seen = []
        for _ in range(4):
            await pilot.press("S")
            await settle(pilot)
            seen.append(screen.sort)
            if screen.sort == "upvotes":
                votes = [p.upvotes if p.upvotes is not None else -1 for p in screen.results.papers.values()]
                assert votes == sorted(votes, reverse=True)
            if screen.sort == "newest":
                assert "sort: newest" in screen_text(app)
            if screen.sort == "foryou":  # the seeds carry no decisions: it says so, digest order kept
                assert "for you (0/10 decisions: digest order)" in screen_text(app)
        assert seen == ["newest", "upvotes", "foryou", "relevance"]


async def test_narrow_terminal_folds_the_abstract_away(seeded_app):
    app = seeded_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        abstract = screen.query_one(AbstractPane)
        results = screen.query_one(ResultsList)
        assert not abstract.display or abstract.size.width == 0
        title = screen.results.current.title
        await pilot.press("enter")
        await pilot.pause()
        assert abstract.display and abstract.size.width >= 70 and abstract.has_focus
        assert results.size.width == 0 or not results.display
        assert title[:40] in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert results.has_focus and results.size.width >= 70


async def test_wide_terminal_shows_list_and_abstract_side_by_side(seeded_app):
    app = seeded_app
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        abstract, results = screen.query_one(AbstractPane), screen.query_one(ResultsList)
        assert results.size.width >= 70 and abstract.size.width >= 100
        assert results.size.height >= 45
        assert screen.results.current.title[:50] in screen_text(app)
