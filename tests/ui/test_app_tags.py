"""Pilot tests: `T` opens the tag editor; a tag shows in the row and the detail pane at once, and undo takes it back."""

from __future__ import annotations

import re

from textual.widgets import Input

from test_app_support import (  # noqa: F401  (fixtures)
    SIZE, library_screen, screen_text, seeded_app, seeded_home, seeded_template, settle, type_query, wait_until,
)
from tui.ui.screens.library import LibraryScreen
from tui.ui.screens.tags import TagEditor, complete, tag_words
from tui.ui.widgets.render import field_lines


async def _open_tags(pilot):
    await settle(pilot)
    screen = library_screen(pilot.app)
    paper = screen.results.current
    await pilot.press("T")
    await pilot.pause()
    assert isinstance(pilot.app.screen, TagEditor)
    return screen, paper


async def _enter(pilot, text: str) -> None:
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_T_tags_the_paper_the_row_and_the_detail_pane_show_it_and_ctrl_z_undoes(seeded_app):
    async with seeded_app.run_test(size=SIZE, notifications=True) as pilot:
        screen, paper = await _open_tags(pilot)
        await _enter(pilot, "GNN to-read")
        assert screen.session.get(paper.id).tags == ("gnn", "to-read")
        assert "#gnn" in screen_text(pilot.app)  # the editor shows the paper's tags
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)
        shown = screen_text(pilot.app)
        assert "#gnn #to-read" in shown  # the row's second line
        assert re.search(r"Tags +#gnn  #to-read", shown)  # the detail pane
        assert ("Tags", "#gnn  #to-read") in field_lines(screen.abstract.paper)

        screen, _ = await _open_tags(pilot)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert screen.session.get(paper.id).tags == ()
        shown = screen_text(pilot.app)
        assert "No tags yet." in shown
        assert "Undid the tag “gnn” and tag “to-read” on “" in shown  # the toast says what was taken back
        await pilot.press("escape")
        await settle(pilot)
        assert "#gnn" not in screen_text(pilot.app)


async def test_removing_with_a_minus_and_a_bad_name_says_why_in_the_editor(seeded_app):
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen, paper = await _open_tags(pilot)
        await _enter(pilot, "keep, later")
        await _enter(pilot, "-keep")
        assert screen.session.get(paper.id).tags == ("later",)
        await _enter(pilot, "bad(name)")
        assert isinstance(pilot.app.screen, TagEditor)
        assert "a tag cannot hold" in screen_text(pilot.app)
        assert screen.session.get(paper.id).tags == ("later",)


async def test_tab_completes_from_the_librarys_tags_and_the_new_tag_is_searchable(seeded_app):
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(pilot.app)
        first = screen.results.current
        screen.session.change_tags([first.id], ["reinforcement"], [])
        await pilot.press("j")
        screen, paper = await _open_tags(pilot)
        assert paper.id != first.id
        field = pilot.app.screen.query_one(Input)
        field.value = "rei"
        await pilot.press("tab")
        assert field.value == "reinforcement "
        assert "reinforcement (1)" in screen_text(pilot.app)
        await pilot.press("enter")
        await pilot.press("escape")
        await settle(pilot)
        await type_query(pilot, "tag:reinforcement")
        await settle(pilot)
        assert await wait_until(pilot, lambda: set(screen.results.papers) == {first.id, paper.id})


def test_tag_words_and_completion():
    assert tag_words("gnn, to-read  -old -") == (["gnn", "to-read"], ["old"])
    known = ["graphs", "gnn", "rl"]
    assert complete("g", known, ()) == "graphs"
    assert complete("g", ["gnn", "rl"], ("graphs",)) == "gnn"
    assert complete("rl -gr", known, ("graphs",)) == "rl -graphs"  # after "-": the paper's own tags
    assert complete("zz", known, ()) is None and complete("", known, ()) is None


async def test_a_tag_that_looks_like_markup_is_shown_as_typed(seeded_app):
    async with seeded_app.run_test(size=SIZE, notifications=True) as pilot:
        screen, paper = await _open_tags(pilot)
        await _enter(pilot, "[bold]x[/] [@click=app.quit]y")
        assert "#[bold]x[/]" in screen_text(pilot.app)
        await pilot.press("escape")
        await settle(pilot)
        shown = screen_text(pilot.app)
        assert "#[@click=app.quit]y #[bold]x[/]" in shown and pilot.app.is_running


async def test_T_on_picked_papers_tags_them_all_in_one_step_and_u_undoes_it(seeded_app):
    async with seeded_app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = library_screen(pilot.app)
        ids = list(screen.results.papers)[:3]
        screen.session.change_tags([ids[2]], ["bulk"], [])
        await pilot.press("space", "space", "space")
        await pilot.pause()
        assert screen.results.selected == set(ids)
        await pilot.press("T")
        await pilot.pause()
        editor = pilot.app.screen
        assert isinstance(editor, TagEditor)
        assert "Tags on 3 picked papers" in screen_text(pilot.app) and "#bulk 1" in screen_text(pilot.app)
        editor.query_one(Input).value = "bu"
        await pilot.press("tab")
        assert editor.query_one(Input).value == "bulk "  # carried by only one: still offered
        await pilot.press("enter")
        await pilot.pause()
        assert "#bulk 3" in screen_text(pilot.app)
        await pilot.press("escape")
        await settle(pilot)
        assert all(screen.session.get(i).tags == ("bulk",) for i in ids)
        screen._typed_at = 0.0
        await pilot.press("u")
        await settle(pilot)
        assert [screen.session.get(i).tags for i in ids] == [(), (), ("bulk",)]
        assert "Undid the tag “bulk” on 2 papers" in screen_text(pilot.app)


async def test_T_in_triage_tags_the_card_and_ctrl_z_brings_back_the_previous_decision(hermetic_home):
    from test_app_support import fresh_backend, small_library
    from tui.records import Paper
    from tui.ui.app import PaperReaderApp
    from tui.ui.screens.triage import TriageScreen

    small_library(hermetic_home, [Paper(title=t, abstract="About it.", date="2026-04-20") for t in ("Alpha", "Beta")])
    backend = fresh_backend(hermetic_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        triage = pilot.app.screen
        assert isinstance(triage, TriageScreen)
        alpha, beta = triage.ids
        await pilot.press("T")
        await pilot.pause()
        await _enter(pilot, "survey")
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is triage and backend.get(alpha).tags == ("survey",)
        assert re.search(r"Tags +#survey", screen_text(pilot.app))  # on the triage card
        await pilot.press("x")  # dismiss Alpha: Beta comes up
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        await pilot.press("ctrl+z")  # the last step is Alpha's dismissal: Alpha comes back to decide
        await pilot.pause()
        assert backend.get(alpha).status == "new" and backend.get(alpha).tags == ("survey",)
        await pilot.press("escape")
        await pilot.pause()
        assert triage.current.id == alpha and "Alpha" in screen_text(pilot.app)
    backend.close()


async def test_the_palette_shows_a_tag_with_its_count(seeded_app):
    from test_app_help import _palette

    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(pilot.app)
        ids = list(screen.results.papers)[3:5]
        screen.session.change_tags(ids, ["diffusion-reading"], [])
        await _palette(pilot, "show tag diffusion")
        assert "Show tag #diffusion-reading" in screen_text(pilot.app) and "2 papers" in screen_text(pilot.app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert screen.search_text == "tag:diffusion-reading"
        assert await wait_until(pilot, lambda: set(screen.results.papers) == set(ids))
