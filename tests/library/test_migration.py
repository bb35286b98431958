"""Upgrading a library made by the previous release: a backup first, then every star, note and decision kept."""

from __future__ import annotations

import json
import sqlite3
import tarfile
from pathlib import Path

import pytest

from tui.library.schema import SCHEMA_VERSION
from tui.library.store import Library
from tui.records import Paper, ParseResult

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def old_library(tmp_path: Path) -> Path:
    """The v0.1 library (and its index) unpacked into a fresh data directory."""
    base = tmp_path / "data"
    base.mkdir()
    with tarfile.open(DATA / "library-v0.1.tar.gz") as archive:
        archive.extractall(base, filter="data")
    return base / "library.sqlite3"


def _count(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0], conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def test_v0_1_library_keeps_every_star_note_and_decision(old_library: Path) -> None:
    expected = json.loads((DATA / "library-v0.1.expected.json").read_text(encoding="utf-8"))
    papers_before, version_before = _count(old_library)
    assert version_before == 1 < SCHEMA_VERSION
    library = Library(old_library)
    library.open()
    try:
        assert library.count() == papers_before
        stored = library.get_many(expected["titles"])
        for paper_id, title in expected["titles"].items():
            assert stored[paper_id].title == title
        assert {p.id for p in library.iter_papers() if p.starred} == set(expected["starred"])
        assert {p.id: p.note for p in library.iter_papers() if p.note} == expected["notes"]
        for paper_id, status in expected["status"].items():
            assert stored[paper_id].status == status
        assert len(library.events()) == 7  # the triage history the fixture holds
    finally:
        library.close()
    assert _count(old_library)[1] == SCHEMA_VERSION


def test_a_backup_is_taken_before_migrating_and_still_opens_as_the_old_schema(old_library: Path) -> None:
    papers_before, _ = _count(old_library)
    library = Library(old_library)
    library.open()
    library.close()
    copies = list((old_library.parent / "backups").glob("pre-migration-v1-*.sqlite3"))
    assert len(copies) == 1 and _count(copies[0]) == (papers_before, 1)
    assert copies[0].stat().st_mode & 0o077 == 0
    library.open()  # a second open has nothing to migrate and takes no second copy
    library.close()
    assert len(list((old_library.parent / "backups").glob("pre-migration-*"))) == 1


def test_migration_keeps_ids_so_new_sightings_merge_into_old_papers(old_library: Path) -> None:
    library = Library(old_library)
    library.open()
    try:
        title = "InfoOT: Information Maximizing Optimal Transport"
        report = library.import_result(ParseResult(
            "rss.xml", "arxiv-rss", "2026-04-27",
            (Paper(title, "x", arxiv_id="2210.03164", version=2, announce="replace"),), content_hash="h-rss"))
        assert (report.added, report.known) == (0, 1)
        paper = library.get("aead28e38985")
        assert paper.arxiv_id == "2210.03164" and paper.status == "dismissed" and paper.version == 2
    finally:
        library.close()


def test_the_library_gets_a_uuid_that_survives_reopening(old_library: Path) -> None:
    library = Library(old_library)
    library.open()
    first = library.uuid
    library.close()
    library.open()
    assert first and library.uuid == first and len(first) == 36
    library.close()


def test_a_schema_3_library_made_without_the_submitter_column_gets_it_and_imports_again(tmp_path: Path) -> None:
    """Schema 3 gained `submitter` after libraries had been made at 3 without it; their imports failed."""
    path = tmp_path / "library.sqlite3"
    library = Library(path)
    library.open()
    library.import_result(ParseResult("old.txt", "A", "2026-04-13", (Paper(title="Kept from before", abstract="x"),),
                                      content_hash="old"))
    kept = library.list_ids()[0]
    library.set_starred(kept, True)
    library.close()
    conn = sqlite3.connect(path)  # what such a build left: schema 3, no submitter, no step-4 indexes
    for index in ("papers_inbox_order", "papers_all_order", "papers_starred_order", "papers_newest_order",
                  "papers_upvotes_order"):
        conn.execute(f"DROP INDEX {index}")
    conn.execute("ALTER TABLE papers DROP COLUMN submitter")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()

    library = Library(path)
    library.open()
    try:
        assert library.get(kept).starred
        submitted = Paper(title="A submitted paper", abstract="y", submitter="BrainsBuild")
        report = library.import_result(ParseResult("hf.txt", "C", "2026-04-14", (submitted,), content_hash="new"))
        assert report.added == 1
        assert any(p.submitter == "BrainsBuild" for p in library.iter_papers())
    finally:
        library.close()
    assert _count(path)[1] == SCHEMA_VERSION
