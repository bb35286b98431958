"""Pilot tests: saved searches beside the views (counts, new matches, number keys) and watched authors."""

from __future__ import annotations

from test_app_support import (  # noqa: F401  (fixtures)
    SEEDS, SIZE, fresh_backend, library_screen, screen_text, seeded_app, seeded_home, seeded_template, settle,
    type_query, wait_until,
)
from tui.service import open_service
from tui.ui.app import PaperReaderApp
from tui.records import SearchRequest
from tui.ui.searcher import PAGE
from tui.vocabulary import View
from textual.widgets import Input, OptionList

from test_app_support import errors
from tui.ui.screens.saved import AuthorPicker, ListsScreen
from tui.ui.widgets.render import WATCHED
from tui.ui.widgets.view_bar import ViewBar


def _styled(content, style: str) -> list[str]:
    """The pieces of a Content drawn in `style`."""
    return [content.plain[span.start:span.end] for span in content.spans if str(span.style) == style]


def _view_bar(app) -> str:
    return library_screen(app).query_one(ViewBar).render().plain


async def test_save_a_search_open_it_on_4_and_see_new_matches_after_an_import(hermetic_home):
    backend = open_service(hermetic_home)
    backend.import_files(SEEDS[:3])
    backend.upkeep.ensure()
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        await type_query(pilot, "graph")
        await pilot.press("enter")  # the full search, back on the list
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*"graphs", "enter")
        await settle(pilot)
        # Past a page the list's total is an estimate; the saved search counts every match.
        before = len(backend.page(SearchRequest("graph", View.ALL, limit=10_000)).rows)
        assert await wait_until(pilot, lambda: f"4 graphs {before}" in _view_bar(app))
        await pilot.press("1")  # leave it: the All view is lit again, the saved search stays listed
        await settle(pilot)
        assert screen.search_text == "graph" and screen.saved_name == ""

        other = fresh_backend(hermetic_home)  # another paper-reader imports more digests
        other.import_files(SEEDS[3:])
        other.close()
        expected = fresh_backend(hermetic_home)
        expected.upkeep.ensure()
        counted = expected.saved_searches(counted=True)[0]
        expected.close()
        assert counted.new > 0 and counted.count == before + counted.new
        label = f"4 graphs {counted.count} (+{counted.new})"
        assert await wait_until(pilot, lambda: label in _view_bar(app)), _view_bar(app)

        await pilot.press("2")
        await settle(pilot)
        await pilot.press("4")  # opening it: its query and sort, and nothing is new any more
        await settle(pilot)
        assert screen.search_text == "graph" and screen.view == "all" and screen.saved_name == "graphs"
        assert screen.results.option_count == min(counted.count, PAGE)  # the total past a page is an estimate
        assert await wait_until(pilot, lambda: f"4 graphs {counted.count} " in _view_bar(app)
                                and "(+" not in _view_bar(app))
    backend.close()


async def test_number_key_without_a_saved_search_says_so(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await pilot.pause()
        assert any("No saved search on 5" in n.message for n in app._notifications)


async def test_w_in_the_detail_pane_watches_an_author_marked_in_rows_and_detail(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        await type_query(pilot, "InfoOT")
        await pilot.press("enter")
        await settle(pilot)
        paper = screen.results.current
        assert paper.authors == ("Ching-Yao Chuang", "Stefanie Jegelka", "David Alvarez-Melis")
        await pilot.press("enter")  # into the detail pane
        assert screen.abstract.has_focus
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, AuthorPicker)
        await pilot.press("down", "enter")  # the second author
        await settle(pilot)
        assert [w.label for w in screen.session.service.watches()] == ["Stefanie Jegelka"]
        assert await wait_until(pilot, lambda: paper.id in screen.results.marks)
        card = screen.query_one("#paper").render()
        assert "Stefanie Jegelka" in _styled(card, WATCHED)
        assert "Watching" in screen_text(app)

        screen.search_bar.set_query("")
        await type_query(pilot, "is:watched")  # every paper of the author, each marked in its row
        await pilot.press("enter")
        await settle(pilot)
        found = screen.results.papers
        assert found and all(any("Jegelka" in name for name in p.authors) for p in found.values())
        assert set(screen.results.marks) == set(found)
        prompt = screen.results.get_option(paper.id).prompt
        assert "Stefanie Jegelka" in _styled(prompt, WATCHED)


async def test_triage_can_put_watched_papers_first(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        screen.session.service.add_watch("author", "Stefanie Jegelka")
        await pilot.press("t")
        await settle(pilot)
        triage = app.screen
        first = triage.current
        assert not any("Jegelka" in name for name in first.authors)
        await pilot.press("w")
        await settle(pilot)
        assert screen.session.watched_first
        assert any("Jegelka" in name for name in triage.current.authors)
        assert "Stefanie Jegelka" in _styled(triage.query_one("#triage-card").render(), WATCHED)


async def test_the_lists_screen_renames_edits_and_deletes_and_hostile_names_stay_text(seeded_app):
    app = seeded_app
    hostile = "[bold]x[/] [@click=app.quit]q[/]"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        service = screen.session.service
        service.add_saved_search(hostile, "graph neural")
        service.add_watch("author", "[/]Evil $accent")
        screen.count_saved()
        assert await wait_until(pilot, lambda: "4 [bold]x" in _view_bar(app))  # shortened to fit, as typed
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, ListsScreen)
        assert "[/]Evil $accent" in screen_text(app)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"gnn", "enter")
        await settle(pilot)
        assert [s.name for s in service.saved_searches()] == ["gnn"]
        assert await wait_until(pilot, lambda: "4 gnn " in _view_bar(app))
        await pilot.press("L")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "graph neural"
        app.screen.query_one(Input).value = '"graph neural" -survey'
        await pilot.press("enter")
        await settle(pilot)
        assert service.saved_search("gnn").query == '"graph neural" -survey'
        await pilot.press("L")
        await pilot.pause()
        await pilot.press("down")  # past the separator: the watch
        assert app.screen.query_one(OptionList).highlighted_option.id.startswith("watch:")
        await pilot.press("d")
        await settle(pilot)
        assert service.watches() == []
        await pilot.press("L")
        await pilot.pause()
        await pilot.press("d")
        await settle(pilot)
        assert service.saved_searches() == []
        assert await wait_until(pilot, lambda: "4 gnn" not in _view_bar(app))
        assert not errors(app)


async def test_the_palette_opens_a_saved_search(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        screen.session.service.add_saved_search("optimal", '"optimal transport"', "newest")
        screen.count_saved()
        assert await wait_until(pilot, lambda: "4 optimal" in _view_bar(app))
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"open saved search optimal")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.saved_name == "optimal" and screen.search_text == '"optimal transport"'
        assert screen.sort == "newest"
        assert all("optimal transport" in (p.title + p.abstract).lower().replace("-", " ")
                   for p in screen.results.papers.values())
