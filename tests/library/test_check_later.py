"""The integrity check left for after the app's first paint: damage is still found before any write."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui.library import Library, LibraryError
from tui.records import Paper, ParseResult
from tui.service import finish_opening, open_service, set_damaged_aside


def _filled(path: Path, papers: int = 400) -> None:
    """A library large enough that its papers span many pages, closed."""
    library = Library(path)
    library.open()
    entries = tuple(Paper(f"Paper number {n} on subject {n * 7}", "An abstract. " * 40) for n in range(papers))
    library.import_result(ParseResult("a.txt", "A", "2025-04-22", entries, (), content_hash="hash-a"))
    library.close()


def _damage_a_table_page(path: Path) -> None:
    """Scribble over one page of the papers table, far from the schema and the metadata."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    middle = (len(data) // page_size // 2) * page_size
    data[middle:middle + page_size] = b"\xa5" * page_size
    path.write_bytes(bytes(data))


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    _filled(home / "library.sqlite3")
    _damage_a_table_page(home / "library.sqlite3")
    return home


def test_the_damage_is_there_for_an_immediate_check(damaged: Path) -> None:
    with pytest.raises(LibraryError) as info:
        open_service(damaged, backup=False)
    assert info.value.damaged


def test_no_write_reaches_a_library_whose_later_check_has_not_run(damaged: Path) -> None:
    service = open_service(damaged, check_later=True)  # this damage does not stop the open itself
    before = (damaged / "library.sqlite3").read_bytes()
    library = service._library
    with pytest.raises(LibraryError) as info:
        library.set_note("any-paper", "a note")  # the write runs the check first
    assert info.value.damaged
    with pytest.raises(LibraryError):  # and every later write is refused too
        library.set_starred("any-paper", True)
    service.close()
    assert (damaged / "library.sqlite3").read_bytes() == before
    assert not list(damaged.glob("backups/library-*"))


def test_finish_opening_finds_the_damage_and_takes_no_backup_of_it(damaged: Path) -> None:
    service = open_service(damaged, check_later=True)
    with pytest.raises(LibraryError) as info:
        finish_opening(service)
    assert info.value.damaged
    service.close()
    message = set_damaged_aside(service, str(info.value))
    assert "kept it as library.sqlite3.damaged-" in message
    assert not (damaged / "library.sqlite3").exists()
    assert not list(damaged.glob("backups/library-*"))


def test_a_sound_library_opened_for_a_later_check_is_checked_then_backed_up(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    _filled(home / "library.sqlite3", papers=5)
    service = open_service(home, check_later=True)
    assert not list(home.glob("backups/library-*"))  # nothing before the first paint
    assert finish_opening(service) == []
    assert len(list(home.glob("backups/library-*"))) == 1
    paper_id = service._library.list_ids(limit=1)[0]
    assert service.set_starred(paper_id, True).starred
    service.close()


async def test_the_app_closes_on_damage_found_after_its_first_paint(damaged: Path) -> None:
    from tui.ui.app import PaperReaderApp

    service = open_service(damaged, check_later=True)
    app = PaperReaderApp(service)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(200):
            if app.return_code is not None:
                break
            await pilot.pause(0.02)
    service.close()
    assert app.return_code == 1 and "library file is damaged" in (app.return_value or "")
    assert not list(damaged.glob("backups/library-*"))
