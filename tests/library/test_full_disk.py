"""A full disk is not damage: the library opens to read, writes fail whole with "disk full: not saved"."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from small_disk import fill, mounted_small_disk

from tui.library.errors import LibraryError, LibraryFull, LibraryReadOnly
from tui.records import Paper, ParseResult
from tui.service import open_service



@pytest.fixture
def small_disk(tmp_path: Path):
    yield from mounted_small_disk(tmp_path)


def _library_with_a_note(data: Path) -> str:
    backend = open_service(data, backup=False)
    papers = tuple(Paper(f"Paper {n}", "an abstract " * 20) for n in range(200))
    backend._library.import_result(ParseResult("d.txt", "A", None, papers, (), "h"))
    paper_id = backend._library.list_ids()[0]
    backend._library.set_note(paper_id, "the note")
    backend.close()
    return paper_id


def test_a_full_disk_is_never_called_damage_and_reading_still_works(small_disk: Path) -> None:
    data = small_disk / "data"
    paper_id = _library_with_a_note(data)
    filler = fill(small_disk)
    backend = open_service(data)  # the start-up backup cannot be written: a warning only
    try:
        assert backend._library.stats().papers == 200 and backend._library.get(paper_id).note == "the note"
        assert backend.warnings and all("damaged" not in w for w in backend.warnings)
        with pytest.raises(LibraryError, match="not saved"):
            backend._library.set_note(paper_id, "lost?")
    finally:
        backend.close()
    assert not list(data.glob("*.damaged-*"))
    filler.unlink()
    again = open_service(data)
    try:
        assert again._library.read_only is False and again._library.get(paper_id).note == "the note"
        again._library.set_note(paper_id, "saved now")
        assert again._library.get(paper_id).note == "saved now"
    finally:
        again.close()


def test_a_write_that_fills_the_disk_raises_library_full_and_keeps_the_old_state(small_disk: Path) -> None:
    data = small_disk / "data"
    paper_id = _library_with_a_note(data)
    backend = open_service(data, backup=False)
    try:
        filler = fill(small_disk)
        with pytest.raises(LibraryFull, match="disk full: not saved"):
            backend._library.set_note(paper_id, "y" * 600_000)  # far more than the WAL's free room
        assert backend._library.get(paper_id).note == "the note"
        filler.unlink()
        backend._library.set_note(paper_id, "after space came back")
        assert backend._library.get(paper_id).note == "after space came back"
    finally:
        backend.close()


def test_read_only_media_open_for_reading(small_disk: Path) -> None:
    data = small_disk / "data"
    paper_id = _library_with_a_note(data)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    backend = open_service(data)
    try:
        assert backend._library.read_only and backend._library.get(paper_id).note == "the note"
        with pytest.raises(LibraryReadOnly):
            backend._library.set_starred(paper_id, True)
    finally:
        backend.close()
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=False)


def test_cli_reading_commands_work_on_a_full_disk_with_a_warning(small_disk: Path) -> None:
    import sys

    data = small_disk / "data"
    _library_with_a_note(data)
    filler = fill(small_disk)
    try:
        env = {**os.environ, "PAPER_READER_HOME": str(data)}
        root = Path(__file__).resolve().parents[2]
        stats = subprocess.run([sys.executable, "-m", "tui.cli", "stats"], cwd=root, env=env,
                               capture_output=True, text=True, timeout=120)
        assert stats.returncode == 0 and stats.stdout.startswith("200 papers"), stats.stderr
        assert "warning:" in stats.stderr and "damaged" not in stats.stderr
        export = subprocess.run([sys.executable, "-m", "tui.cli", "export", "--format", "csv"], cwd=root, env=env,
                                capture_output=True, text=True, timeout=120)
        assert export.returncode == 0 and export.stdout.count("\n") == 201
    finally:
        filler.unlink()
    assert not list(data.glob("*.damaged-*"))
