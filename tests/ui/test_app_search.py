"""Pilot tests: search as you type, highlights, stale results, typos, broken queries, index build."""

from __future__ import annotations

import threading

from test_app_support import wait_until
from test_app_support import (  # noqa: F401  (fixtures)
    SIZE, errors, fresh_backend, library_screen, screen_text, seeded_app, seeded_home, seeded_template,
    settle, small_library, type_query,
)
from textual.widgets import Static

from tui.ui.app import PaperReaderApp
from tui.records import Page, Paper, SearchRequest
from tui.ui.searcher import Searcher
from tui.ui.widgets.render import HIGHLIGHT


def _highlighted(content) -> list[str]:
    return [content.plain[s.start : s.end] for s in content.spans if s.style == HIGHLIGHT]


async def test_typing_lists_matches_with_highlights(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await type_query(pilot, "cascade")
        screen = library_screen(app)
        papers = list(screen.results.papers.values())
        assert papers and len(papers) < 50
        assert "cascade" in papers[0].title.lower()
        words = _highlighted(screen.results.get_option_at_index(0).prompt)
        assert words and all(w.lower().startswith("cascad") for w in words)
        body = screen.abstract.query_one("#paper", Static)
        assert any(w.lower().startswith("cascad") for w in _highlighted(body.content))
        assert f"{len(papers)} results" in screen_text(app)
        assert not errors(app)


async def test_results_follow_each_keystroke(seeded_app, monkeypatch):
    app = seeded_app
    calls: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        backend = library_screen(app).session.service
        original = backend.page
        monkeypatch.setattr(backend, "page", lambda request, cancelled=None: calls.append(request.query) or original(request, cancelled))
        await type_query(pilot, "diffusion model")
        assert calls[-1] == "diffusion model"
        # No debounce: a keystroke searches at once, unless a search is still running, when
        # the keystrokes typed meanwhile share one search. Never more than one per keystroke.
        assert len(calls) <= len("diffusion model")
        first = list(library_screen(app).results.papers.values())[0]
        assert "diffusion" in (first.title + first.abstract).lower()
        await pilot.press(*["backspace"] * 6)
        await pilot.pause(0.3)
        await settle(pilot)
        assert calls[-1] == "diffusion"


async def test_a_stale_result_never_replaces_a_newer_one(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await type_query(pilot, "graph")
        screen = library_screen(app)
        shown = list(screen.results.papers)
        stale = Page(SearchRequest("old"), (), 0)
        screen.post_message(Searcher.ResultsReady(screen.searcher.generation - 1, stale, [], {}))
        await pilot.pause()
        assert list(screen.results.papers) == shown


async def test_a_typo_gets_a_did_you_mean(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await type_query(pilot, "difusion")
        await pilot.press("enter")  # a full search: a loaded machine may cut the as-you-type one short
        screen = library_screen(app)
        assert await wait_until(pilot, lambda: not screen.shown.request.as_you_type)
        assert screen.shown.suggestion == "diffusion"
        assert await wait_until(pilot, lambda: "did you mean “diffusion”" in screen_text(app).lower())
        assert not errors(app)


async def test_tab_accepts_the_did_you_mean(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await type_query(pilot, "atention transfromers")
        screen = library_screen(app)
        await pilot.press("enter")  # a full search, which always offers its correction
        assert await wait_until(pilot, lambda: screen.shown is not None and bool(screen.shown.suggestion)
                                and not screen.shown.request.as_you_type)
        await pilot.press("slash")
        suggestion = screen.shown.suggestion
        assert suggestion.startswith("attention transformer")
        await pilot.press("tab")
        await pilot.pause(0.3)
        await settle(pilot)
        assert screen.search_bar.query == suggestion and screen.shown.rows
        assert "did you mean" not in screen_text(app).lower()
        await pilot.press("tab")  # nothing to accept: tab moves on as anywhere else
        assert screen.search_bar.query == suggestion


async def test_nothing_matches_says_so_without_an_error(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await type_query(pilot, "zzqxv")
        await pilot.press("enter")  # a full search: a loaded machine may cut the as-you-type one short
        assert await wait_until(pilot, lambda: "no results" in screen_text(app).lower())
        assert "0 results" in screen_text(app)
        assert not errors(app)


async def test_broken_queries_never_show_an_error(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        for query in ('NOT AND (', '"abc', "title:", "a NOT AND b", "upvotes:>", "*x~~2/", "[/]"):
            screen.search_bar.set_query(query)
            screen.start_search()
            await settle(pilot)
            assert app.is_running
        assert not errors(app)


async def test_until_the_index_is_ready_the_list_comes_from_the_library(seeded_home, monkeypatch):
    backend = fresh_backend(seeded_home)
    release = threading.Event()
    real = backend.upkeep.ensure

    def slow_ensure_index(progress=None, cancelled=None):
        progress(120, 341)
        release.wait(10)
        return real(progress=progress, cancelled=cancelled)

    monkeypatch.setattr(backend.upkeep, "ensure", slow_ensure_index)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        screen = library_screen(app)
        assert await wait_until(pilot, lambda: screen.results.total == backend.stats().papers)
        assert await wait_until(pilot, lambda: "indexing 120/341" in screen_text(app))
        await pilot.press("slash", *"graph")
        assert await wait_until(pilot, lambda: "index is being built" in screen_text(app))
        release.set()
        await settle(pilot)
        assert screen.session.index_ready
        assert screen.shown.request.query == "graph" and 0 < len(screen.results.papers) <= screen.results.total
        assert not screen.shown.exact or screen.results.total < backend.stats().papers
    backend.close()


async def test_a_long_list_loads_page_by_page_as_the_cursor_moves_down(hermetic_home):
    papers = [Paper(title=f"Paper number {i} on topic {i % 7}", abstract=f"Abstract {i} about things.",
                    date=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", upvotes=i % 97) for i in range(3000)]
    small_library(hermetic_home, papers)
    backend = fresh_backend(hermetic_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        first_page = len(screen.results.papers)
        assert screen.results.total == 3000 and 0 < first_page < 3000
        assert f"{first_page} of 3,000 results" in screen_text(app)
        for _ in range(3):
            await pilot.press("end")
            await settle(pilot)
        assert len(screen.results.papers) >= 3 * first_page
        assert len(set(screen.results.papers)) == len(screen.results.papers)  # no paper twice
        await pilot.press("S")
        await settle(pilot)
        assert len(screen.results.papers) == first_page and screen.results.total == 3000
    backend.close()


async def test_an_index_that_cannot_open_leaves_the_lists_working(seeded_home, monkeypatch):
    backend = fresh_backend(seeded_home)

    def busy(progress=None, cancelled=None):
        raise RuntimeError("another paper-reader is indexing")

    monkeypatch.setattr(backend.upkeep, "ensure", busy)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        assert screen.results.total == backend.stats().papers
        assert any("another paper-reader is indexing" in message for message in errors(app))
        await type_query(pilot, "graph")
        assert "search is unavailable" in screen_text(app)
        await pilot.press("down", "3")
        await settle(pilot)
        assert screen.view == "starred" and app.is_running
    backend.close()


async def test_while_typing_the_detail_pane_waits_for_a_pause_and_enter_shows_it_at_once(seeded_app, monkeypatch):
    monkeypatch.setattr("tui.ui.screens.library.DETAIL_WHILE_TYPING_S", 30.0)  # a reader who never pauses
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        before = screen.abstract.paper
        await type_query(pilot, "cascade")
        assert screen.results.current is not None and screen.results.current.id != before.id
        assert screen.abstract.paper is before  # the list changed; the card waits for the typing to pause
        await pilot.press("enter")  # done typing: back on the list
        await pilot.pause()
        assert screen.abstract.paper.id == screen.results.current.id
        assert "cascade" in _highlighted(screen.query_one("#paper", Static).render())[0].lower()


async def test_the_detail_pane_follows_the_list_once_typing_pauses(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        await type_query(pilot, "cascade")
        assert screen.focused is not None and screen.focused.id == "query"  # still typing
        assert await wait_until(pilot, lambda: screen.abstract.paper is not None
                                and screen.abstract.paper.id == screen.results.current_id)
