"""The SQLite library: storing digests, merging sightings, user state, and refusing damage."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from tui.vocabulary import View
from tui.library.store import Library, LibraryError
from tui.library.schema import SCHEMA_VERSION
from tui.records import Paper, ParseResult, Skipped


def digest(name: str, *papers: Paper, digest_date: str | None = "2025-04-22", fmt: str = "A") -> ParseResult:
    return ParseResult(name, fmt, digest_date, tuple(papers), (), content_hash=f"hash-{name}")


GNN = Paper("Forward Learning of Graph Neural Networks", "We study forward learning.", author_count=5,
            date="2024-03-01", upvotes=2)
GNN_B = Paper("Forward learning of graph neural networks", "", authors=("Namyong Park", "Xing Wang"),
              orgs=("cmu",), date="2024-02-28", upvotes=7, category="LG", has_code=True,
              links=("https://github.com/x/y",))
OT = Paper("InfoOT: Information Maximizing Optimal Transport", "Optimal transport aligns samples.")


def test_round_trip_keeps_every_field(library: Library) -> None:
    report = library.import_result(digest("a.txt", GNN_B))
    assert (report.added, report.known) == (1, 0)
    stored = library.get(GNN_B.id)
    assert stored.title == GNN_B.title
    assert stored.authors == ("Namyong Park", "Xing Wang")
    assert stored.orgs == ("cmu",) and stored.category == "LG" and stored.has_code is True
    assert stored.links == ("https://github.com/x/y",) and stored.upvotes == 7
    assert stored.seen[0].digest == "a.txt" and stored.seen[0].position == 1
    assert stored.status == "new" and not stored.starred and stored.note == ""


def test_same_bytes_again_is_a_no_op_that_says_so(library: Library) -> None:
    library.import_result(digest("a.txt", GNN, OT))
    again = library.import_result(digest("a.txt", GNN, OT))
    assert again.already_imported and "already imported" in again.line()
    assert library.stats().papers == 2 and library.stats().digests == 1


def test_same_paper_in_two_digests_is_one_paper_that_remembers_both(library: Library) -> None:
    library.import_result(digest("a.txt", OT, GNN))
    report = library.import_result(digest("b.txt", GNN_B, fmt="B", digest_date=None))
    assert (report.added, report.known) == (0, 1)
    paper = library.get(GNN.id)
    assert [(s.digest, s.position) for s in paper.seen] == [("a.txt", 2), ("b.txt", 1)]
    # merged: A gave the abstract, date and count; B gave names, orgs, category and code flag
    assert paper.abstract == GNN.abstract and paper.author_count == 5 and paper.date == "2024-03-01"
    assert paper.authors == GNN_B.authors and paper.orgs == ("cmu",) and paper.category == "LG"
    assert paper.has_code is True and paper.upvotes == 7 and paper.title == GNN.title


def test_user_state_persists_across_reopen_with_history(library: Library, tmp_path: Path) -> None:
    library.import_result(digest("a.txt", GNN, OT))
    library.set_starred(GNN.id, True)
    library.set_note(GNN.id, "read section 3 🚀\nthen compare")
    library.set_status(OT.id, "dismissed")
    library.close()
    again = Library(library.path)
    again.open()
    paper = again.get(GNN.id)
    assert paper.starred and paper.note == "read section 3 🚀\nthen compare"
    assert again.get(OT.id).status == "dismissed"
    kinds = [(e["kind"], e["value"], e["previous"]) for e in again.events()]
    assert kinds == [("starred", "1", "0"), ("note", paper.note, ""), ("status", "dismissed", "new")]
    stats = again.stats()
    assert (stats.starred, stats.notes, stats.new, stats.dismissed) == (1, 1, 1, 1)
    again.close()


def test_unknown_status_and_unknown_paper_are_refused(library: Library) -> None:
    library.import_result(digest("a.txt", GNN))
    with pytest.raises(ValueError):
        library.set_status(GNN.id, "maybe")
    with pytest.raises(KeyError):
        library.set_starred("nope", True)


def test_views_and_orders(library: Library) -> None:
    older = Paper("Old paper", "x", date="2020-01-01", upvotes=50)
    newer = Paper("New paper", "y", date="2025-01-01", upvotes=1)
    library.import_result(digest("first.txt", older))
    library.import_result(digest("second.txt", newer, GNN))
    assert library.list_ids(View.INBOX.flags, View.INBOX) == [older.id, newer.id, GNN.id]  # oldest digest first
    assert library.list_ids((), View.ALL, "newest")[0] == newer.id
    assert library.list_ids((), View.ALL, "upvotes")[0] == older.id
    library.set_starred(GNN.id, True)
    library.set_status(older.id, "read")
    assert library.list_ids(View.STARRED.flags, View.STARRED) == [GNN.id]
    assert older.id not in library.list_ids(View.INBOX.flags, View.INBOX)


def test_change_sequence_lets_the_index_catch_up(library: Library) -> None:
    library.import_result(digest("a.txt", GNN, OT))
    seq = library.current_seq()
    assert library.changed_since(seq) == []
    library.set_note(OT.id, "hello")
    assert [p.id for p in library.changed_since(seq)] == [OT.id]


def test_a_failing_import_leaves_nothing_half_written(library: Library) -> None:
    bad = Paper("Broken", "x", status="new")
    object.__setattr__(bad, "upvotes", object())  # not storable: the insert fails mid-digest
    with pytest.raises(Exception):
        library.import_result(digest("a.txt", GNN, bad))
    assert library.stats().papers == 0 and library.stats().digests == 0


def test_files_are_private_and_schema_is_versioned(library: Library) -> None:
    assert stat.S_IMODE(library.path.stat().st_mode) == 0o600
    conn = sqlite3.connect(library.path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_damaged_file_raises_library_error(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    with pytest.raises(LibraryError) as info:
        Library(path).open()
    assert info.value.damaged and "damaged" in str(info.value)
    assert path.read_bytes().startswith(b"SQLite format 3")  # never overwritten


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(LibraryError, match="newer"):
        Library(path).open()


def test_skipped_entries_are_reported(library: Library) -> None:
    result = ParseResult("cut.txt", "B", None, (OT,), (Skipped(7, "entry cut off"),), "h")
    report = library.import_result(result)
    assert "line 7: entry cut off" in report.line() and report.added == 1


from hypothesis import HealthCheck, given, settings, strategies as st


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_any_unicode_note_round_trips_exactly(library: Library, note: str) -> None:
    if not library.count():
        library.import_result(digest("a.txt", GNN))
    library.set_note(GNN.id, note)
    assert library.get(GNN.id).note == note


@pytest.mark.parametrize("note", [
    "emoji 🧪🚀👩🏽‍🔬", "RTL עברית ومرحبا", "combining e\u0301\u0302 a\u20dd", "nul\x00byte and \x1b[31m esc",
    "x" * 100_000 + "🚀" * 1000,
])
def test_hard_notes_round_trip_exactly_across_reopen(library: Library, note: str) -> None:
    library.import_result(digest("a.txt", GNN))
    library.set_note(GNN.id, note)
    library.close()
    again = Library(library.path)
    again.open()
    assert again.get(GNN.id).note == note
    again.close()
