"""Commands that only read (search, stats, digests...) open without the integrity check; damage is still caught.

A command that writes checks the file before its first write, as it always did. A command
that only reads leaves the check out while the automatic backup is fresh (a backup is only
ever taken of a checked library); a damaged page SQLite meets while reading gives the same
one-line message as the check would, and the file is set aside the same way.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui import paths
from tui.cli.main import main
from tui.library import Library, rotate_backup
from tui.library import opening
from tui.records import Paper, ParseResult


def _filled(home: Path, papers: int = 400, backed_up: bool = True) -> Path:
    """A closed library whose papers span many pages; with a fresh automatic backup when `backed_up`."""
    home.mkdir(mode=0o700, exist_ok=True)
    library = Library(home / "library.sqlite3")
    library.open()
    entries = tuple(Paper(f"Paper number {n} on subject {n * 7}", "An abstract. " * 40) for n in range(papers))
    library.import_result(ParseResult("a.txt", "A", "2025-04-22", entries, (), content_hash="hash-a"))
    if backed_up:
        rotate_backup(library, paths.backup_dir(home))
    library.close()
    return home / "library.sqlite3"


def _damage_the_papers_table(path: Path) -> bytes:
    """Scribble over the root page of the papers table, which every read of a paper's row passes."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'papers'").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start:start + page_size] = b"\xa5" * page_size
    path.write_bytes(bytes(data))
    return bytes(data)


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the quick_checks run."""
    ran: list[int] = []
    real = opening.quick_check

    def counted(conn) -> None:
        ran.append(1)
        real(conn)

    monkeypatch.setattr(opening, "quick_check", counted)
    return ran


def test_reading_commands_skip_the_check_while_the_backup_is_fresh(tmp_path: Path, capsys, checks) -> None:
    home = tmp_path / "data"
    _filled(home)
    for argv in (["stats"], ["search", "subject"], ["digests"], ["tags"], ["saved"], ["watch"]):
        assert main(["--data-dir", str(home), *argv]) == 0, argv
    assert checks == []
    out = capsys.readouterr().out
    assert "400 papers from 1 digests" in out


def test_a_writing_command_still_checks_first(tmp_path: Path, capsys, checks) -> None:
    home = tmp_path / "data"
    _filled(home)
    library = Library(home / "library.sqlite3")
    library.open(check=False)
    first = library.list_ids(limit=1)[0]
    library.close()
    assert main(["--data-dir", str(home), "mark", first, "--star"]) == 0
    assert checks == [1]


def test_a_reading_command_checks_when_the_backup_is_due_and_backs_up_only_a_sound_file(
        tmp_path: Path, capsys, checks) -> None:
    home = tmp_path / "data"
    _filled(home, backed_up=False)
    assert main(["--data-dir", str(home), "stats"]) == 0
    assert checks == [1]
    assert len(list((home / "backups").glob("library-*.sqlite3"))) == 1


@pytest.mark.parametrize("argv", [["stats"], ["search", "subject"], ["search", "--sort", "newest", "subject"],
                                  ["digests"]])
@pytest.mark.parametrize("ran_before", [False, True], ids=["first-run", "index-built"])
def test_a_reading_command_on_a_damaged_library_says_so_in_one_line(tmp_path: Path, capsys, argv,
                                                                   ran_before) -> None:
    home = tmp_path / "data"
    library_file = _filled(home)
    if ran_before:  # the search index exists: the damage shows when the hits' rows are read
        assert main(["--data-dir", str(home), *argv]) == 0
    damaged = _damage_the_papers_table(library_file)
    capsys.readouterr()
    code = main(["--data-dir", str(home), *argv])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "library file is damaged" in err and "kept it as library.sqlite3.damaged-" in err
    assert err.startswith("paper-reader: restore the newest automatic backup with: cp ")
    kept = [p for p in home.glob("library.sqlite3.damaged-*") if p.name[-1].isdigit()]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged  # moved aside, never written
    assert len(list((home / "backups").glob("library-*.sqlite3"))) == 1  # no backup of the damage


def test_a_reading_command_due_a_backup_finds_the_damage_and_backs_nothing_up(tmp_path: Path, capsys) -> None:
    home = tmp_path / "data"
    _damage_the_papers_table(_filled(home, backed_up=False))
    code = main(["--data-dir", str(home), "search", "subject"])
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1 and "library file is damaged" in err
    assert not list((home / "backups").glob("library-*.sqlite3"))


def test_a_writing_command_on_a_damaged_library_is_refused_and_writes_nothing(tmp_path: Path, capsys) -> None:
    home = tmp_path / "data"
    library_file = _filled(home)
    conn = sqlite3.connect(library_file)
    first = conn.execute("SELECT id FROM papers ORDER BY id LIMIT 1").fetchone()[0]
    conn.close()
    damaged = _damage_the_papers_table(library_file)
    code = main(["--data-dir", str(home), "mark", first, "--star"])
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1 and "library file is damaged" in err
    kept = [p for p in home.glob("library.sqlite3.damaged-*") if p.name[-1].isdigit()]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged


def test_search_and_stats_load_only_what_they_use(tmp_path: Path) -> None:
    """No UI toolkit, no digest parsers, no export formats, no index-build workers: start-up time."""
    import subprocess
    import sys

    home = tmp_path / "data"
    _filled(home, papers=20)
    assert main(["--data-dir", str(home), "search", "subject"]) == 0  # the index exists from now on
    root = Path(__file__).resolve().parents[2]
    unwanted = ("textual", "rich", "tui.ui", "tui.parsing", "tui.library.export", "tui.search.rebuild",
                "multiprocessing", "csv", "tui.ranking", "tui.tex")
    for argv in (["search", "subject"], ["stats"]):
        code = ("import sys; from tui.cli.main import main; code = main(sys.argv[1:]); "
                f"print(sorted(m for m in sys.modules if m.split('.')[0] in {unwanted!r} or m in {unwanted!r}"
                f" or m.startswith(tuple(u + '.' for u in {unwanted!r})))); sys.exit(code)")
        done = subprocess.run([sys.executable, "-c", code, "--data-dir", str(home), *argv], capture_output=True,
                              text=True, cwd=root, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().splitlines()[-1] == "[]", argv
