"""Pilot tests: the note editor saves on ctrl+s, asks before losing changes, never loses a note."""

from __future__ import annotations

from textual.widgets import TextArea

from test_app_support import (  # noqa: F401  (fixtures)
    SIZE, fresh_backend, library_screen, screen_text, seeded_app, seeded_home, seeded_template, settle,
)
from tui.ui.screens.library import LibraryScreen
from tui.ui.screens.note import ConfirmClose, NoteEditor


async def _open_editor(pilot):
    await settle(pilot)
    screen = library_screen(pilot.app)
    paper = screen.results.current
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, NoteEditor)
    return screen, paper


async def _type(pilot, text: str) -> None:
    pilot.app.screen.query_one(TextArea).insert(text)
    await pilot.pause()


async def test_ctrl_s_saves_the_note_and_shows_it(seeded_app):
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen, paper = await _open_editor(pilot)
        await pilot.press("h", "i", "space")
        await _type(pilot, "[bold]keep[/] this")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert screen.session.service.get(paper.id).note == "hi [bold]keep[/] this"
        await settle(pilot)
        assert "hi [bold]keep[/] this" in screen_text(pilot.app)


async def test_escape_without_changes_just_closes(seeded_app):
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen, paper = await _open_editor(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert screen.session.service.get(paper.id).note == ""


async def test_escape_with_changes_asks_and_keep_editing_keeps_the_text(seeded_app):
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen, paper = await _open_editor(pilot)
        await _type(pilot, "draft")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmClose)
        assert "unsaved changes" in screen_text(pilot.app)
        await pilot.press("escape")  # keep editing
        await pilot.pause()
        assert isinstance(pilot.app.screen, NoteEditor)
        assert pilot.app.screen.query_one(TextArea).text == "draft"


async def test_escape_then_save_writes_the_note(seeded_app):
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen, paper = await _open_editor(pilot)
        await _type(pilot, "worth a read")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert screen.session.service.get(paper.id).note == "worth a read"


async def test_escape_then_discard_cancels_the_edit(seeded_app):
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen, paper = await _open_editor(pilot)
        screen.session.set_note(paper.id, "old note")
        await pilot.press("escape")
        await pilot.press("n")
        await pilot.pause()
        area = pilot.app.screen.query_one(TextArea)
        assert area.text == "old note"
        area.clear()
        await _type(pilot, "new text")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert screen.session.service.get(paper.id).note == "old note"


async def test_the_note_survives_quitting_with_the_editor_open(seeded_home):
    backend = fresh_backend(seeded_home)
    from tui.ui.app import PaperReaderApp

    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        screen, paper = await _open_editor(pilot)
        await _type(pilot, "typed, never saved by hand")
        await pilot.press("ctrl+q")
        await pilot.pause()
    backend.close()
    again = fresh_backend(seeded_home)
    assert again.get(paper.id).note == "typed, never saved by hand"
    again.close()
