"""The data directory stays private and never leads writes out of itself; its messages say what to do."""

from __future__ import annotations

import shlex
import stat
from pathlib import Path

import pytest

from tui import paths
from tui.cli.main import main
from tui.library.backup import rotate_backup
from tui.library.errors import LibraryError
from tui.library.store import Library
from tui.records import Paper, ParseResult
from tui.service import open_service

PAPERS = (Paper("One paper", "a"), Paper("Two paper", "b"))


def _filled(base: Path) -> Library:
    backend = open_service(base, backup=False)
    backend._library.import_result(ParseResult("d.txt", "A", None, PAPERS, (), "h"))
    return backend._library


def test_an_existing_loose_data_directory_is_tightened_to_0700(tmp_path: Path) -> None:
    base = tmp_path / "data"
    base.mkdir(mode=0o777)
    base.chmod(0o777)
    paths.data_dir(base)
    assert stat.S_IMODE(base.stat().st_mode) == 0o700


def test_a_dangling_library_symlink_is_refused_and_creates_nothing(tmp_path: Path) -> None:
    base = tmp_path / "data"
    base.mkdir()
    elsewhere = tmp_path / "elsewhere" / "library.sqlite3"
    (base / "library.sqlite3").symlink_to(elsewhere)
    with pytest.raises(LibraryError, match="does not exist"):
        open_service(base)
    assert not elsewhere.exists() and not elsewhere.parent.exists()


def test_a_library_symlink_out_of_the_data_directory_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.sqlite3"
    Library(outside).open()
    base = tmp_path / "data"
    base.mkdir()
    (base / "library.sqlite3").symlink_to(outside)
    with pytest.raises(LibraryError, match="out of the data directory"):
        open_service(base)


def test_a_backups_symlink_never_lets_rotation_delete_files_elsewhere(tmp_path: Path) -> None:
    base = tmp_path / "data"
    library = _filled(base)
    library.close()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    precious = [elsewhere / f"library-2020010{n}T000000.sqlite3" for n in range(1, 8)]
    for path in precious:
        path.write_text("not yours")
    (base / "backups").symlink_to(elsewhere)
    backend = open_service(base)
    try:
        assert any("symbolic link" in w for w in backend.warnings)
    finally:
        backend.close()
    assert all(path.exists() for path in precious) and len(list(elsewhere.iterdir())) == 7


def test_partial_backups_are_private_and_swept(tmp_path: Path) -> None:
    library = _filled(tmp_path / "data")
    folder = tmp_path / "data" / "backups"
    folder.mkdir()
    leftover = folder / "library-20200101T000000.sqlite3.partial"
    leftover.write_text("half a backup")
    journal = folder / "library-20200101T000000.sqlite3.partial-journal"  # a quit in mid-copy leaves it
    journal.write_text("its journal")
    made = rotate_backup(library, folder, min_interval_s=0)
    library.close()
    assert not leftover.exists() and not journal.exists() and stat.S_IMODE(made.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and [p.name for p in folder.iterdir()] == [made.name]


def test_a_zero_length_library_with_backups_says_so_instead_of_starting_empty(tmp_path: Path) -> None:
    base = tmp_path / "my data"
    library = _filled(base)
    made = rotate_backup(library, paths.backup_dir(base), min_interval_s=0)
    library.close()
    (base / "library.sqlite3").write_bytes(b"")
    with pytest.raises(LibraryError) as info:
        open_service(base)
    message = str(info.value)
    assert message.startswith(f"restore the newest backup with: cp {shlex.quote(str(made))} ")
    assert "is empty (0 bytes)" in message and "holds 2 papers" in message
    assert (base / "library.sqlite3").stat().st_size == 0  # left as it was


def test_a_damaged_library_message_leads_with_a_quoted_cp_command(tmp_path: Path) -> None:
    base = tmp_path / "it's data"
    library = _filled(base)
    made = rotate_backup(library, paths.backup_dir(base), min_interval_s=0)
    library.close()
    (base / "library.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    with pytest.raises(LibraryError) as info:
        open_service(base)
    message = str(info.value)
    target = shlex.quote(str(base / "library.sqlite3"))
    assert message.startswith(f"restore the newest automatic backup with: cp {shlex.quote(str(made))} {target} -- ")
    assert "\n" not in message and "kept it as library.sqlite3.damaged-" in message
    assert shlex.split(message.split(": ", 1)[1].split(" -- ")[0]) == ["cp", str(made), str(base / "library.sqlite3")]


def test_cli_export_into_a_missing_folder_says_no_such_directory(tmp_path: Path, capsys) -> None:
    _filled(tmp_path / "data").close()
    code = main(["--data-dir", str(tmp_path / "data"), "export", "--format", "csv", "-o",
                 str(tmp_path / "missing-dir" / "x.csv")])
    err = capsys.readouterr().err
    assert code == 1 and "missing-dir: no such directory" in err and "tmp" not in err.split("missing-dir")[-1]


def test_cli_restore_of_a_sqlite_backup_explains_what_to_do(tmp_path: Path, capsys) -> None:
    library = _filled(tmp_path / "data")
    made = rotate_backup(library, tmp_path / "saved", min_interval_s=0)
    library.close()
    code = main(["--data-dir", str(tmp_path / "fresh"), "restore", str(made)])
    err = capsys.readouterr().err
    assert code == 1 and "SQLite library backup, not a JSON export" in err and f"cp {made}" in err


def test_the_library_room_loads_no_ui_and_no_search_code() -> None:
    import subprocess
    import sys

    code = ("import sys, tui.library, tui.library.export, tui.library.backup, tui.library.opening; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'whoosh')"
            " or m.startswith('tui.search')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
