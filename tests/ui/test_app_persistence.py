"""Pilot test: a star and a note made in one session are there in the next one."""

from __future__ import annotations

from textual.widgets import TextArea

from test_app_support import SIZE, fresh_backend, library_screen, screen_text, seeded_home, seeded_template, settle  # noqa: F401
from tui.records import SearchRequest
from tui.vocabulary import View
from tui.ui.app import PaperReaderApp
from tui.ui.widgets.render import MARK_NOTE, MARK_STAR


async def test_star_and_note_survive_a_restart(seeded_home):
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        paper = library_screen(app).results.current
        await pilot.press("s", "n")
        await pilot.pause()
        app.screen.query_one(TextArea).insert("compare with the 2021 baseline")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("q")
    backend.close()
    assert app.return_code == 0

    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = library_screen(app)
        assert list(screen.results.papers) == [paper.id]
        prompt = screen.results.get_option_at_index(0).prompt.plain
        assert MARK_STAR in prompt and MARK_NOTE in prompt
        text = screen_text(app)
        assert "compare with the 2021 baseline" in text
        # The index caught up too: searching the note's words finds the paper.
        page = backend.page(SearchRequest("baseline", view=View.STARRED))
        assert paper.id in [found.id for found in page.papers]
    backend.close()
