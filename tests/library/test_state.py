"""Every user change is one undoable step that survives a restart; the Inbox walks digests by date."""

from __future__ import annotations

import json
import sqlite3
import tarfile
from pathlib import Path

import pytest

from tui.library import Library
from tui.library.backup_json import dump_chunks, restore_library
from tui.library.schema import SCHEMA_VERSION
from tui.library.state import Change, TagError
from tui.records import Paper, ParseResult
from tui.vocabulary import View

DATA = Path(__file__).resolve().parents[1] / "data"


def digest(name: str, titles: list[str], digest_date: str | None) -> ParseResult:
    entries = tuple(Paper(title=t, abstract=f"about {t}") for t in titles)
    return ParseResult(source=name, format="A", digest_date=digest_date, entries=entries, skipped=(),
                       content_hash=name)


def inbox(library: Library) -> list[str]:
    return [library.get(i).title for i in library.list_ids(View.INBOX.flags, View.INBOX)]


def test_inbox_walks_the_oldest_digest_first_whatever_the_import_order(library: Library) -> None:
    library.import_result(digest("today.txt", ["Today one", "Today two"], "2026-04-27"))
    library.import_result(digest("old.txt", ["Old one", "Old two", "Today two"], "2026-04-22"))
    assert inbox(library) == ["Old one", "Old two", "Today two", "Today one"]
    everything = [library.get(i).title for i in library.list_ids((), View.ALL)]
    assert everything == ["Today one", "Old one", "Old two", "Today two"]  # newest digest first


def test_later_sends_a_paper_to_the_end_until_it_is_decided(library: Library) -> None:
    library.import_result(digest("d.txt", ["A", "B", "C"], "2026-04-22"))
    first = library.list_ids(View.INBOX.flags, View.INBOX)[0]
    library.set_later(first)
    assert inbox(library) == ["B", "C", "A"]
    assert library.get(first).later
    library.set_status(first, "kept")
    assert not library.get(first).later
    library.undo()  # the keep is undone and "later" comes back with it
    assert inbox(library) == ["B", "C", "A"]


def test_a_bulk_decision_is_one_step_and_undo_takes_it_back_whole(library: Library) -> None:
    library.import_result(digest("d.txt", [f"Paper {n}" for n in range(5)], "2026-04-22"))
    ids = library.list_ids(View.INBOX.flags, View.INBOX)
    library.set_starred(ids[0], True)
    library.apply([Change(i, "status", "dismissed") for i in ids[1:]])
    assert len(inbox(library)) == 1
    undone = library.undo()
    assert undone.changes == 4 and undone.kinds == ("status",)
    assert len(inbox(library)) == 5 and library.get(ids[0]).starred
    assert library.undo().kinds == ("starred",)
    assert not library.get(ids[0]).starred
    assert library.undo() is None


def test_undo_history_survives_a_restart(library: Library, tmp_path: Path) -> None:
    library.import_result(digest("d.txt", ["A"], "2026-04-22"))
    paper_id = library.list_ids()[0]
    library.set_note(paper_id, "first")
    library.set_note(paper_id, "second")
    library.close()
    again = Library(library.path)
    again.open()
    try:
        again.undo()
        assert again.get(paper_id).note == "first"
    finally:
        again.close()


def test_tags_add_remove_rename_delete_each_one_undoable_step(library: Library) -> None:
    library.import_result(digest("d.txt", ["A", "B"], "2026-04-22"))
    a, b = library.list_ids()
    library.apply([Change(a, "tag+", "Graphs"), Change(b, "tag+", "graphs"), Change(a, "tag+", "to-read")])
    assert library.get(a).tags == ("graphs", "to-read")
    assert library.tags() == [("graphs", 2), ("to-read", 1)]
    assert library.list_ids(("is:tagged",)) and library.count_where(("is:tagged",)) == 2
    assert library.rename_tag("graphs", "gnn") == 2
    assert library.tags() == [("gnn", 2), ("to-read", 1)]
    library.undo()
    assert library.tags() == [("graphs", 2), ("to-read", 1)]
    assert library.delete_tag("graphs") == 2
    assert library.get(b).tags == ()
    library.undo()
    assert library.get(b).tags == ("graphs",)
    with pytest.raises(TagError):
        library.apply([Change(a, "tag+", 'bad "tag"')])


def test_a_change_that_changes_nothing_is_no_step(library: Library) -> None:
    library.import_result(digest("d.txt", ["A"], "2026-04-22"))
    paper_id = library.list_ids()[0]
    library.set_starred(paper_id, True)
    library.set_starred(paper_id, True)
    assert [e["kind"] for e in library.events()] == ["starred"]


def test_backup_carries_tags_later_and_steps_and_restores_the_inbox_order(library: Library, tmp_path: Path) -> None:
    library.import_result(digest("new.txt", ["New"], "2026-04-27"))
    library.import_result(digest("old.txt", ["Old", "Older"], "2026-04-22"))
    old = library.list_ids(View.INBOX.flags, View.INBOX)[0]
    library.apply([Change(old, "tag+", "x"), Change(old, "later", True)])
    backup = tmp_path / "backup.json"
    backup.write_text("".join(dump_chunks(library)), encoding="utf-8")
    fresh = Library(tmp_path / "other" / "library.sqlite3")
    fresh.open()
    try:
        restore_library(fresh, backup)
        assert inbox(fresh) == inbox(library) == ["Older", "New", "Old"]
        assert fresh.get(old).tags == ("x",)
        fresh.undo()
        assert fresh.get(old).tags == () and not fresh.get(old).later
    finally:
        fresh.close()


def test_the_previous_release_library_migrates_with_every_state_kept(tmp_path: Path) -> None:
    base = tmp_path / "data"
    base.mkdir()
    with tarfile.open(DATA / "library-v0.2.tar.gz") as archive:
        archive.extractall(base, filter="data")
    expected = json.loads((DATA / "library-v0.2.expected.json").read_text(encoding="utf-8"))
    path = base / "library.sqlite3"
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 2
    library = Library(path)
    library.open()
    try:
        assert library.count() == expected["papers"] and len(library.digests()) == expected["digests"]
        papers = library.get_many(expected["titles"])
        assert {i: p.title for i, p in papers.items()} == expected["titles"]
        assert {p.id for p in library.iter_papers() if p.starred} == set(expected["starred"])
        assert {p.id: p.note for p in library.iter_papers() if p.note} == expected["notes"]
        assert {i: papers[i].status for i in expected["status"]} == expected["status"]
        assert len(library.events()) == expected["events"]
        # every paper now knows where it was first seen, so the Inbox lists in digest order
        assert library.connection().execute("SELECT COUNT(*) FROM papers WHERE first_date IS NULL").fetchone()[0] == 0
        # the old history is undoable, newest first
        last = library.events()[-1]
        library.undo()
        assert library.get(last["paper_id"]).status == last["previous"]
    finally:
        library.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
