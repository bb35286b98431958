"""Restoring a JSON backup: type-checked rows, all or nothing, any version it knows, streamed."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tui.library import jsonstream
from tui.library.backup import rotate_backup
from tui.library.export import RestoreError, export_library, restore_library
from tui.library.store import Library
from tui.records import Paper, ParseResult

PAPERS = tuple(Paper(f"Paper number {n}", f"Abstract {n}.", authors=("A B",), upvotes=n) for n in range(5))


@pytest.fixture
def source(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "src" / "library.sqlite3")
    lib.open()
    lib.import_result(ParseResult("d.txt", "A", "2025-04-22", PAPERS, (), "h1"))
    lib.set_note(PAPERS[1].id, "a note")
    lib.set_starred(PAPERS[2].id, True)
    yield lib
    lib.close()


@pytest.fixture
def empty(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "dst" / "library.sqlite3")
    lib.open()
    yield lib
    lib.close()


def _backup(source: Library, tmp_path: Path, change=None) -> Path:
    data = json.loads(export_library(source, "json"))
    if change:
        change(data)
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(("field", "value", "says"), [
    ("authors", 5, "field 'authors' must be a JSON list of strings (got 5)"),
    ("authors", "not json", "field 'authors' must be a JSON list of strings"),
    ("links", "[1,2]", "field 'links' must be a JSON list of strings"),
    ("upvotes", "lots", "field 'upvotes' must be a whole number (got \"lots\")"),
    ("author_count", "many", "field 'author_count' must be a whole number"),
    ("status", "maybe", "field 'status' must be one of"),
    ("title", None, "field 'title' must be text"),
    ("starred", 7, "field 'starred' must be 0 or 1"),
])
def test_a_type_confused_row_rejects_the_whole_file_naming_row_and_field(
        source: Library, empty: Library, tmp_path: Path, field: str, value: object, says: str) -> None:
    def poison(data: dict) -> None:
        data["papers"][3][field] = value
    with pytest.raises(RestoreError) as info:
        restore_library(empty, _backup(source, tmp_path, poison))
    message = str(info.value)
    assert "\n" not in message and says in message and "papers row 4" in message and "nothing restored" in message
    assert empty.count() == 0 and empty.stats().digests == 0 and empty.events() == []


def test_an_unknown_backup_version_is_refused(source: Library, empty: Library, tmp_path: Path) -> None:
    path = _backup(source, tmp_path, lambda data: data.update(version=99))
    with pytest.raises(RestoreError, match="backup version 99 is not one this paper-reader reads"):
        restore_library(empty, path)
    assert empty.count() == 0


def test_a_version_1_backup_with_keys_in_sorted_order_still_restores(source: Library, empty: Library,
                                                                      tmp_path: Path) -> None:
    data = json.loads(export_library(source, "json"))
    data["version"] = 1
    for row in data["papers"]:
        for column in ("arxiv_id", "version", "announce", "categories", "doi", "journal_ref", "comments"):
            row.pop(column)
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data, sort_keys=True, indent=1))  # the old exporter: events before papers
    assert "restored 5 papers" in restore_library(empty, path)
    assert empty.get(PAPERS[1].id).note == "a note"


def test_a_row_pointing_at_a_missing_paper_is_refused(source: Library, empty: Library, tmp_path: Path) -> None:
    path = _backup(source, tmp_path, lambda data: data["sightings"][0].update(paper_id="nope"))
    with pytest.raises(RestoreError, match="refers to a paper or digest the backup does not hold"):
        restore_library(empty, path)
    assert empty.count() == 0


def test_a_restored_library_gets_a_new_identity(source: Library, empty: Library, tmp_path: Path) -> None:
    before = empty.uuid
    restore_library(empty, _backup(source, tmp_path))
    assert empty.uuid not in (before, source.uuid) and empty.uuid


def test_a_sqlite_backup_given_to_restore_says_how_to_use_it(source: Library, empty: Library, tmp_path: Path) -> None:
    made = rotate_backup(source, tmp_path / "my backups", min_interval_s=0)
    with pytest.raises(RestoreError) as info:
        restore_library(empty, made)
    message = str(info.value)
    assert "is a SQLite library backup, not a JSON export" in message
    assert f"cp '{made}' {empty.path}" in message


def test_a_cut_off_backup_restores_nothing(source: Library, empty: Library, tmp_path: Path) -> None:
    path = _backup(source, tmp_path)
    path.write_text(path.read_text()[:-200])
    with pytest.raises(RestoreError, match="cannot read backup"):
        restore_library(empty, path)
    assert empty.count() == 0


def test_the_stream_reader_agrees_with_json_loads_at_any_chunk_size(monkeypatch: pytest.MonkeyPatch) -> None:
    data = {"format": "x", "version": 12345, "papers": [{"n": 1.5e10, "s": "é\\\"]}," * 3}, {}], "events": [],
            "digests": [{"a": [1, {"b": None}]}]}
    text = json.dumps(data, indent=2)
    for chunk in (1, 2, 3, 7, 64):
        monkeypatch.setattr(jsonstream, "CHUNK", chunk)
        seen: dict = {}
        for key, value in jsonstream.top_level(io.StringIO(text)):
            if value is jsonstream.START:
                seen[key] = []
            elif isinstance(seen.get(key), list) and key != "version":
                seen[key].append(value)
            else:
                seen[key] = value
        assert seen == data


def test_an_automatic_backup_is_another_library_with_its_own_uuid(source: Library, tmp_path: Path) -> None:
    made = rotate_backup(source, tmp_path / "backups", min_interval_s=0)
    copy = Library(made)
    copy.open()
    try:
        assert copy.uuid and copy.uuid != source.uuid and copy.count() == source.count()
    finally:
        copy.close()
