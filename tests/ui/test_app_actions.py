"""Pilot tests: star, read, dismiss, open, copy and related papers on the highlighted paper."""

from __future__ import annotations

from tui.ui.browser import Opened

from test_app_support import (  # noqa: F401  (fixtures)
    SIZE, library_screen, screen_text, seeded_app, seeded_home, seeded_template, settle, type_query,
)
from tui.records import SearchRequest
from tui.vocabulary import View
from tui.ui.widgets.render import MARK_STAR


async def test_star_toggles_in_the_library_at_once(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        library = screen.session.service
        await pilot.press("j")
        paper = screen.results.current
        await pilot.press("s")
        assert library.get(paper.id).starred
        assert screen.results.current.starred
        prompt = screen.results.get_option_at_index(screen.results.highlighted).prompt
        assert MARK_STAR in prompt.plain
        assert "Reading list 1" in screen_text(app)
        await pilot.press("s")
        assert not library.get(paper.id).starred


async def test_star_reaches_the_index_without_a_rebuild(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        paper = screen.results.current
        await pilot.press("s")
        await settle(pilot)
        page = screen.session.service.page(SearchRequest(paper.title.split()[0], view=View.STARRED))
        assert [paper.id for paper in page.papers] == [paper.id]


async def test_read_and_dismiss_toggle_the_state(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        library = screen.session.service
        paper = screen.results.current
        await pilot.press("r")
        assert library.get(paper.id).status == "read"
        await pilot.press("r")
        assert library.get(paper.id).status == "new"
        await pilot.press("x")
        assert library.get(paper.id).status == "dismissed"
        assert "dismissed" in screen_text(app)
        await pilot.press("x")
        assert library.get(paper.id).status == "new"


async def test_letter_keys_type_into_the_search_bar(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        library = screen.session.service
        await pilot.press("slash", "s", "x", "q")
        await settle(pilot)
        assert screen.search_bar.query == "sxq"
        assert library.stats().starred == 0 and app.is_running
        await pilot.press("escape")  # the first escape clears the query ...
        assert screen.search_bar.query == "" and not screen.results.has_focus
        await pilot.press("escape")  # ... the second leaves the search bar
        assert screen.results.has_focus


async def test_keys_typed_on_the_list_after_enter_go_on_the_query(seeded_app, monkeypatch):
    app = seeded_app
    # Pilot waits for the app between keys; a loaded machine must not make this a human pause.
    monkeypatch.setattr("tui.ui.screens.library.TYPING_GRACE", 60.0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        await pilot.press("slash", *"graph", "enter")
        await pilot.press(*"sparse")  # typed on: s, r and x are commands on the list
        await settle(pilot)
        assert screen.search_bar.query == "graphsparse"
        assert screen.session.service.stats().starred == 0
        assert screen.session.service.stats().read == 0


async def test_a_letter_the_list_does_not_bind_goes_back_to_the_search_bar(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        screen._typed_at = 0.0  # long after any typing
        await pilot.press("a")
        await settle(pilot)
        assert screen.search_bar.query == "a" and not screen.results.has_focus


async def test_open_uses_the_code_link_else_a_title_search(seeded_app, monkeypatch):
    app = seeded_app
    opened = []
    monkeypatch.setattr("tui.ui.links.open_link", lambda url, command="": opened.append(url) or Opened(url, True))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        with_code = next(p for p in screen.results.papers.values() if any("github.com" in l for l in p.links))
        without = next(p for p in screen.results.papers.values() if not p.links)
        screen.select_paper(with_code.id)
        await pilot.press("o")
        screen.select_paper(without.id)
        await pilot.press("o")
        await settle(pilot)
        assert opened[0] in with_code.links and "github.com" in opened[0]
        assert opened[1].startswith("https://scholar.google.com/scholar?q=")


async def test_copy_puts_title_and_citation_on_the_clipboard(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        paper = screen.results.current
        await pilot.press("y")
        title, cite = app.clipboard.split("\n")
        assert title == paper.title
        assert paper.title in cite and "\n" not in cite
        if paper.date:
            assert f"({paper.date[:4]})" in cite


async def test_related_lists_similar_papers_and_escape_returns(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await type_query(pilot, "graph neural")
        screen = library_screen(app)
        await pilot.press("down")
        before = list(screen.results.papers)
        source = screen.results.current
        await pilot.press("R")
        await settle(pilot)
        assert screen.related_to == source.id
        assert source.id not in screen.results.papers and screen.results.papers
        assert "related to" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert screen.related_to is None
        assert list(screen.results.papers) == before


async def test_back_from_related_restores_the_exact_list_and_cursor_deep_in_it(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        await pilot.press("1")
        await settle(pilot)
        for step in range(130):  # past the first pages: more rows were loaded on the way
            screen.results.action_cursor_down()
            if step % 10 == 9:  # a person holding the key lets the app run between presses
                await settle(pilot)
        await settle(pilot)
        loaded, source = list(screen.results.papers), screen.results.current
        assert len(loaded) > 130
        await pilot.press("R")
        await settle(pilot)
        assert screen.related_to == source.id
        await pilot.press("escape")
        await settle(pilot)
        assert screen.results.current_id == source.id
        assert list(screen.results.papers)[: len(loaded)] == loaded
