"""Pilot tests: the help screen and the command palette."""

from __future__ import annotations

from textual.command import CommandPalette

from test_app_support import wait_until
from test_app_support import (  # noqa: F401  (fixtures)
    SIZE, library_screen, screen_text, seeded_app, seeded_home, seeded_template, settle,
)
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.library import COMMAND_BINDINGS, LibraryScreen


async def test_help_lists_every_key_and_the_query_syntax(seeded_app):
    app = seeded_app
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.build().plain)
        for binding in COMMAND_BINDINGS:
            assert binding.tooltip in text
        for words in ("Keep: star it", "Undo the last decision", "ctrl+s", "j k", "Search syntax"):
            assert words in text
        assert "Search syntax" in screen_text(app) or "Library" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def _palette(pilot, query: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    # the palette searches its providers asynchronously: wait for its list, not a fixed time
    from textual.command import CommandList

    assert await wait_until(pilot, lambda: pilot.app.screen.query_one(CommandList).option_count > 0)
    await pilot.pause(0.2)


async def test_palette_runs_a_screen_command(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        paper = screen.results.current
        await _palette(pilot, "star or unstar")
        assert "Star or unstar" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert screen.session.service.get(paper.id).starred


async def test_palette_lists_views_and_switches(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        await _palette(pilot, "view: the reading")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.view == "starred"


async def test_palette_jumps_to_a_listed_paper(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        target = list(screen.results.papers.values())[25]
        await _palette(pilot, target.title[:30])
        assert "Go to: " in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert screen.results.current.id == target.id
