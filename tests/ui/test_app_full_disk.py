"""Pilot tests on a real 2 MB tmpfs: a note saved on a full disk (or read-only media) stays in the editor."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from small_disk import fill, mounted_small_disk
from textual.widgets import TextArea

from test_app_support import SIZE, library_screen, screen_text, settle, small_library, wait_until
from tui.records import Paper
from tui.service import open_service
from tui.ui.app import PaperReaderApp
from tui.ui.screens.library import LibraryScreen
from tui.ui.screens.note import NoteEditor

#: Far more than the write-ahead log's free room once the disk is full (about 600 KB).
BIG_NOTE = ("y" * 99 + "\n") * 6000


@pytest.fixture
def small_disk(tmp_path: Path):
    yield from mounted_small_disk(tmp_path)


def _home(disk: Path) -> Path:
    home = disk / "data"
    small_library(home, [Paper(f"Paper {n} on graphs", "an abstract " * 20) for n in range(30)])
    return home


async def _open_editor(pilot) -> tuple[LibraryScreen, Paper]:
    await settle(pilot)
    screen = library_screen(pilot.app)
    paper = screen.results.current
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, NoteEditor)
    return screen, paper


async def test_a_note_saved_on_a_full_disk_stays_in_the_editor_and_saves_once_space_is_back(small_disk: Path):
    home = _home(small_disk)
    backend = open_service(home, backup=False)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        _screen, paper = await _open_editor(pilot)
        app.screen.query_one(TextArea).load_text(BIG_NOTE)
        filler = fill(small_disk)
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: "disk full: not saved" in screen_text(app), timeout=10)
        assert isinstance(app.screen, NoteEditor) and app.screen.query_one(TextArea).text == BIG_NOTE
        assert backend.get(paper.id).note == ""
        assert not app.session.writes.pending()  # the editor holds the text, nothing retries behind it
        filler.unlink()
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen), timeout=10)
        assert backend.get(paper.id).note == BIG_NOTE
    backend.close()


async def test_a_note_on_read_only_media_stays_in_the_editor(small_disk: Path):
    home = _home(small_disk)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        backend = open_service(home)
        app = PaperReaderApp(backend)
        async with app.run_test(size=SIZE) as pilot:
            _screen, paper = await _open_editor(pilot)
            app.screen.query_one(TextArea).insert("cannot be written here")
            await pilot.press("ctrl+s")
            assert await wait_until(pilot, lambda: "read-only: not saved" in screen_text(app), timeout=10)
            assert isinstance(app.screen, NoteEditor)
            assert app.screen.query_one(TextArea).text == "cannot be written here"
            await pilot.press("ctrl+q")
        assert app.unsaved == [f"note on “{paper.title}”: cannot be written here"]
        backend.close()
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=False)
