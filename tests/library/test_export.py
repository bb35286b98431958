"""Export formats, the JSON backup round trip, and rotating backups."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from tui.library.backup import backups, rotate_backup
from tui.library.export import RestoreError, bib_escape, export_library, restore_library, write_atomically
from tui.library.store import Library
from tui.records import Paper, ParseResult
from tui.tex import readable_text
from pybtex.database import parse_string

NASTY = Paper("Costs of 100% {braces} & $money$ #1 in C_2 ~ x^2 \\ back", "Abstract with \x1b]0;pwned\x07 OSC.",
              authors=("José Müller", "Anne-Marie O'Brien"), date="2024-05-01", links=("https://x.org/a_b",))
PLAIN = Paper("Graph Neural Networks at Scale", "GNNs.", author_count=9, date="2023-01-02")
FORMULA = Paper("=HYPERLINK(\"http://evil\")", "cell injection", date="2022-01-01")


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "lib" / "library.sqlite3")
    lib.open()
    lib.import_result(ParseResult("d.txt", "A", "2025-04-22", (NASTY, PLAIN, FORMULA), (), "h1"))
    lib.set_starred(NASTY.id, True)
    lib.set_note(NASTY.id, "compare with [bold]x[/] 🚀\nsecond line")
    lib.set_starred(PLAIN.id, True)
    lib.set_status(FORMULA.id, "dismissed")
    yield lib
    lib.close()


def test_markdown_has_a_section_per_paper_with_notes(library: Library) -> None:
    text = export_library(library, "markdown", starred_only=True)
    assert text.startswith("# Reading list (2 papers)")
    assert text.count("\n## ") == 2
    assert "> compare with \\[bold\\]x\\[/\\] 🚀" not in text  # notes are quoted verbatim, not escaped
    assert "> compare with [bold]x[/] 🚀\n> second line" in text
    assert "9 authors" in text and "\x1b" not in text


def test_bibtex_entries_are_valid_and_escaped(library: Library) -> None:
    text = export_library(library, "bibtex", starred_only=True)
    assert text.count("@misc{") == 2
    assert (r"100\% \textbraceleft{}braces\textbraceright{} \& money \#1 in C\_2 \textasciitilde{} "
            r"x\textasciicircum{}2 \textbackslash{} back") in text
    assert "author = {José Müller and Anne-Marie O'Brien}" in text
    assert "note = {9 authors}" in text and "year = {2023}" in text
    assert "@misc{mller2024costs," in text or "@misc{muller2024costs," in text
    entries = parse_string(text, "bibtex").entries
    assert len(entries) == 2 and entries["anon2023graph"].fields["year"] == "2023"


def test_bib_escape_neutralises_control_characters() -> None:
    assert "\x1b" not in bib_escape("a\x1b[31mred")


def test_csv_round_trips_through_a_csv_reader_and_defuses_formulas(library: Library) -> None:
    rows = list(csv.DictReader(io.StringIO(export_library(library, "csv"))))
    assert len(rows) == 3
    by_title = {r["title"]: r for r in rows}
    assert by_title["'=HYPERLINK(\"http://evil\")"]["status"] == "dismissed"
    shown = readable_text(NASTY.title)  # titles read as on screen
    assert by_title[shown]["note"] == "compare with [bold]x[/] 🚀\nsecond line"
    assert by_title[shown]["authors"] == "José Müller; Anne-Marie O'Brien"


def test_json_backup_restores_to_identical_export(library: Library, tmp_path: Path) -> None:
    first = export_library(library, "json")
    backup = tmp_path / "backup.json"
    write_atomically(backup, first)
    fresh = Library(tmp_path / "other" / "library.sqlite3")
    fresh.open()
    summary = restore_library(fresh, backup)
    assert "restored 3 papers" in summary
    assert export_library(fresh, "json") == first
    assert fresh.get(NASTY.id).note == "compare with [bold]x[/] 🚀\nsecond line"
    assert len(fresh.events()) == len(library.events())
    fresh.close()


def test_restore_refuses_a_non_empty_library_and_bad_files(library: Library, tmp_path: Path) -> None:
    backup = tmp_path / "b.json"
    backup.write_text(export_library(library, "json"))
    with pytest.raises(RestoreError, match="not empty"):
        restore_library(library, backup)
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    fresh = Library(tmp_path / "f" / "library.sqlite3")
    fresh.open()
    with pytest.raises(RestoreError, match="junk.json: cannot read backup"):
        restore_library(fresh, junk)
    evil = tmp_path / "evil.json"
    evil.write_text(json.dumps({"format": "paper-reader-backup", "papers": [{"id); DROP TABLE papers; --": 1}]}))
    with pytest.raises(RestoreError, match="nothing restored"):
        restore_library(fresh, evil)
    assert fresh.count() == 0
    fresh.close()


def test_rotating_backups_use_the_backup_api_and_keep_a_few(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    made = [rotate_backup(library, folder, keep=3, min_interval_s=0) for _ in range(5)]
    assert all(made) and len(backups(folder)) == 3
    conn = sqlite3.connect(backups(folder)[-1])
    assert conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0] == 3
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()
    assert rotate_backup(library, folder) is None  # a recent one exists


def test_write_atomically_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old")
    write_atomically(target, "new content")
    assert target.read_text() == "new content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]
