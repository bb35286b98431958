"""Pilot tests: triage one paper at a time with keep / dismiss / later, undo, and the summary."""

from __future__ import annotations

from textual.widgets import TextArea

from test_app_support import SIZE, fresh_backend, library_screen, screen_text, settle, small_library
from tui.ui.app import PaperReaderApp
from tui.records import Paper
from tui.ui.screens.library import LibraryScreen
from tui.ui.screens.note import NoteEditor
from tui.ui.screens.triage import TriageScreen

TITLES = ["Alpha attention", "Beta banditry", "Gamma graphs", "Delta diffusion", "Epsilon ensembles"]


def _papers() -> list[Paper]:
    return [Paper(title=t, abstract=f"About {t.split()[1]}.", date="2026-04-20", upvotes=i)
            for i, t in enumerate(TITLES)]


async def _start_triage(pilot) -> TriageScreen:
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)  # the queue loads in a worker
    assert isinstance(pilot.app.screen, TriageScreen)
    return pilot.app.screen


async def test_triage_decides_undoes_and_summarises(hermetic_home):
    small_library(hermetic_home, _papers())
    backend = fresh_backend(hermetic_home)
    app = PaperReaderApp(backend)
    library = backend
    async with app.run_test(size=SIZE) as pilot:
        triage = await _start_triage(pilot)
        ids = triage.ids
        assert [library.get(i).title for i in ids] == TITLES
        assert ": 1 / 5 · Inbox 5 left" in screen_text(app)
        assert "Alpha attention" in screen_text(app)
        await pilot.press("s")          # keep: star + kept
        await pilot.press("x")          # dismiss
        await pilot.press("space")      # later: to the end of the queue
        assert ": 3 / 5 · Inbox 3 left" in screen_text(app)
        assert triage.ids[-1] == ids[2] and triage.current.id == ids[3]
        assert (library.get(ids[0]).starred, library.get(ids[0]).status) == (True, "kept")
        assert library.get(ids[1]).status == "dismissed"
        assert library.get(ids[2]).status == "new"
        await pilot.press("u")          # undo "later": back on paper 3
        assert "3 / 5" in screen_text(app) and triage.current.id == ids[2]
        await pilot.press("u")          # undo dismiss
        assert library.get(ids[1]).status == "new"
        await pilot.press("u")          # undo keep
        assert (library.get(ids[0]).starred, library.get(ids[0]).status) == (False, "new")
        assert "1 / 5" in screen_text(app)
        await pilot.press("u")
        assert "1 / 5" in screen_text(app)   # nothing more to undo
        for key in ("s", "x", "x", "space", "s"):
            await pilot.press(key)
        assert triage.current.id == ids[3] and "5 / 5" in screen_text(app)  # the later one comes round
        await pilot.press("x")
        assert "6 decided: 2 kept, 3 dismissed, 1 later" in screen_text(app)
        await pilot.press("u")
        assert (library.get(ids[3]).starred, library.get(ids[3]).status) == (False, "new")
        assert "5 / 5" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert "Reading list 2" in screen_text(app)
    backend.close()


async def test_triage_restores_an_earlier_star_on_undo(hermetic_home):
    small_library(hermetic_home, _papers())
    backend = fresh_backend(hermetic_home)
    backend.set_starred(backend.view_ids("inbox")[0], True)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        triage = await _start_triage(pilot)
        first = triage.ids[0]
        await pilot.press("x")
        await pilot.press("u")
        paper = backend.get(first)
        assert (paper.starred, paper.status) == (True, "new")
    backend.close()


async def test_triage_note_is_saved_and_shown(hermetic_home):
    small_library(hermetic_home, _papers())
    backend = fresh_backend(hermetic_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        triage = await _start_triage(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        app.screen.query_one(TextArea).insert("check the appendix")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is triage
        assert backend.get(triage.ids[0]).note == "check the appendix"
        assert "check the appendix" in screen_text(app)
    backend.close()


async def test_triage_of_an_empty_inbox_says_so(hermetic_home):
    small_library(hermetic_home, _papers()[:1])
    backend = fresh_backend(hermetic_home)
    backend.set_status(backend.view_ids("all")[0], "read")
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await _start_triage(pilot)
        assert "The inbox is empty" in screen_text(app)
    backend.close()



async def test_undo_reaches_back_into_an_earlier_triage_visit(hermetic_home):
    small_library(hermetic_home, _papers())
    backend = fresh_backend(hermetic_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        triage = await _start_triage(pilot)
        first, second = triage.ids[:2]
        await pilot.press("s", "x", "escape")
        await settle(pilot)
        triage = await _start_triage(pilot)
        assert "1 / 3" in screen_text(app) and first not in triage.ids
        await pilot.press("u")
        assert backend.get(second).status == "new"
        assert "Beta banditry" in screen_text(app) and "1 / 4" in screen_text(app)
        await pilot.press("u")
        assert (backend.get(first).starred, backend.get(first).status) == (False, "new")
        assert "Alpha attention" in screen_text(app) and "1 / 5" in screen_text(app)
        await pilot.press("space", "space")  # two laters: both to the end, in the order skipped
        assert "1 / 5" in screen_text(app) and triage.ids[-2:] == [first, second]
    backend.close()


async def test_leaving_triage_early_says_what_was_decided_and_the_list_shows_it(hermetic_home):
    small_library(hermetic_home, _papers())
    backend = fresh_backend(hermetic_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        triage = await _start_triage(pilot)
        kept = triage.current.id
        await pilot.press("s", "x", "space", "escape")
        await settle(pilot)
        assert "3 decided: 1 kept, 1 dismissed, 1 later" in screen_text(app)
        assert backend.get(kept).status == "kept" and library_screen(app).view == "inbox"
        assert "Inbox 3 new" in screen_text(app) and "Reading list 1" in screen_text(app)
    backend.close()
