"""Index life cycle: incremental updates, damage detection, rebuild swap, locking."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import threading

import pytest
from whoosh import index as whoosh_index

from tui.search import rebuild as index_rebuild
from tui.search.index import IndexBusy, SearchIndex

try:
    from test_index_library import PAPERS, TODAY, build_library, ids
except ImportError:  # tests collected as a package
    from tests.test_index_library import PAPERS, TODAY, build_library, ids

BY_ID = {p.id: p for p in PAPERS}


@pytest.fixture()
def index(tmp_path):
    built = build_library(tmp_path)
    yield built
    built.close()


def found(index, text, **options):
    result = index.search(text, today=TODAY, **options)
    assert "not understood (" not in result.hint, result.hint  # no fallback after an internal error
    return set(ids(result))


def test_update_with_a_new_note_is_found_by_note(index):
    paper = dataclasses.replace(BY_ID["diff"], note="compare with consistency models")
    index.update([paper], seq=8)
    assert found(index, "note:consistency") == {"diff"}
    assert found(index, "has:note") == {"attn", "noted", "diff"}
    assert index.applied_seq == 8 and index.doc_count() == len(PAPERS)
    assert json.loads((index.directory / "index_meta.json").read_text())["applied_seq"] == 8


def test_starring_is_found_by_is_starred_and_the_starred_view(index):
    index.update([dataclasses.replace(BY_ID["gnn"], starred=True)], seq=9)
    assert found(index, "is:starred") == {"attn", "noted", "gnn"}
    assert found(index, "graph", view="starred") == {"gnn", "noted"}


def test_update_adds_new_papers_and_replaces_by_id(index):
    new = dataclasses.replace(BY_ID["diff"], id="fresh", title="Consistency Models", abstract="One step.")
    index.update([new, dataclasses.replace(BY_ID["gnn"], title="Graph Networks for Crystals")], seq=10)
    assert found(index, "consistency") == {"fresh"}
    assert found(index, "crystals") == {"gnn"} and found(index, "molecules") == {"gnn"}
    assert index.doc_count() == len(PAPERS) + 1


def test_delete_removes_papers(index):
    index.delete(["gnn", "noted"], seq=11)
    assert found(index, "graph") == {"gtsurvey"}
    assert index.doc_count() == len(PAPERS) - 2 and index.applied_seq == 11
    assert SearchIndex(index.directory).open() is None  # the metadata was rewritten


def test_a_missing_index_needs_a_rebuild(tmp_path):
    index = SearchIndex(tmp_path / "index-v1")
    assert index.open() == "index missing"
    assert index.needs_rebuild
    assert index.search("graph").hits == () and index.doc_count() == 0
    index.update([PAPERS[0]], seq=1)  # ignored until rebuilt
    assert index.rebuild(PAPERS, seq=2) == len(PAPERS)
    assert not index.needs_rebuild and found(index, "graph") == {"gnn", "gtsurvey", "noted"}


def test_a_deleted_index_directory_is_reported(index, tmp_path):
    index.close()
    for path in sorted(index.directory.iterdir(), reverse=True):
        path.unlink()
    index.directory.rmdir()
    assert SearchIndex(index.directory).open() == "index missing"


def test_a_truncated_index_is_detected_and_rebuilt(index):
    index.close()
    postings = max(index.directory.glob("*.pst"), key=lambda p: p.stat().st_size)
    postings.write_bytes(postings.read_bytes()[: postings.stat().st_size // 2])
    reopened = SearchIndex(index.directory)
    reason = reopened.open()
    assert reason.startswith("index damaged") and reopened.needs_rebuild
    assert reopened.search("graph").hits == ()
    assert reopened.rebuild(PAPERS, seq=3) == len(PAPERS)
    assert reopened.open() is None and found(reopened, "graph") == {"gnn", "gtsurvey", "noted"}


def test_a_corrupted_table_of_contents_is_detected(index):
    index.close()
    toc = next(index.directory.glob("*.toc"))
    toc.write_bytes(b"\x00garbage" * (toc.stat().st_size // 8) + b"\x00" * (toc.stat().st_size % 8))
    reason = SearchIndex(index.directory).open()
    assert reason.startswith("index damaged: ")


def test_a_changed_schema_version_is_detected(index):
    meta_path = index.directory / "index_meta.json"
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps({**meta, "schema_version": 0}))
    assert SearchIndex(index.directory).open() == "index schema changed"


def test_rebuild_swaps_in_place_and_leaves_no_temporary_directories(index):
    def segment_files():
        return {p.name for p in index.directory.glob("MAIN_*") if "LOCK" not in p.name}

    old_files = segment_files()
    assert index.rebuild(PAPERS[:5], seq=20) == 5
    assert index.doc_count() == 5 and index.applied_seq == 20
    assert segment_files() and not old_files & segment_files()
    assert [p.name for p in index.directory.parent.iterdir() if p.is_dir()] == ["index-v1"]


def test_a_cancelled_rebuild_keeps_the_old_index(index):
    assert index.rebuild(PAPERS[:3], seq=30, cancelled=lambda: True) == 0
    assert index.doc_count() == len(PAPERS) and index.applied_seq == 7
    assert [p.name for p in index.directory.parent.iterdir() if p.is_dir()] == ["index-v1"]


def test_an_empty_library_gives_an_empty_index(index):
    assert index.rebuild([], seq=12) == 0
    assert index.doc_count() == 0 and index.search("graph").hits == () and SearchIndex(index.directory).open() is None


def test_a_serial_rebuild_also_bounds_its_segments(index, monkeypatch):
    monkeypatch.setattr(index_rebuild, "MAX_SEGMENT_POSTINGS", 100)
    assert index.rebuild(PAPERS, seq=13) == len(PAPERS)
    assert len(whoosh_index.open_dir(str(index.directory)).reader().leaf_readers()) > 2
    assert found(index, "graph") == {"gnn", "gtsurvey", "noted"}


def test_rebuild_reports_progress(index):
    seen = []
    index.rebuild(PAPERS, total=len(PAPERS), progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(PAPERS), len(PAPERS))


def test_parallel_rebuild_matches_serial(index, monkeypatch):
    queries = ["graph", "networks", "is:new", "date:2024", "gra", "author:jegelka", '"neural networks"']
    expected = {q: found(index, q, as_you_type=True) for q in queries}
    monkeypatch.setattr(index_rebuild, "SERIAL_LIMIT", 4)
    monkeypatch.setattr(index_rebuild, "BATCH_SIZE", 3)
    monkeypatch.setattr(index_rebuild, "MAX_SEGMENT_POSTINGS", 100)  # workers roll over segments
    assert index.rebuild(PAPERS, seq=40) == len(PAPERS)
    assert len(whoosh_index.open_dir(str(index.directory)).reader().leaf_readers()) > 2
    assert {q: found(index, q, as_you_type=True) for q in queries} == expected
    assert sorted(p.name for p in index.directory.parent.iterdir()) == ["index-v1"]
    assert not [p for p in index.directory.iterdir() if p.is_dir()]


def test_a_failing_worker_fails_the_rebuild_and_keeps_the_old_index(index, monkeypatch):
    monkeypatch.setattr(index_rebuild, "SERIAL_LIMIT", 4)
    monkeypatch.setattr(index_rebuild, "BATCH_SIZE", 3)
    broken = [*PAPERS[:6], dataclasses.replace(PAPERS[6], abstract=12345), *PAPERS[7:]]
    with pytest.raises(RuntimeError, match="index build failed"):
        index.rebuild(broken, seq=41)
    assert index.doc_count() == len(PAPERS) and found(index, "graph") == {"gnn", "gtsurvey", "noted"}
    assert sorted(p.name for p in index.directory.parent.iterdir()) == ["index-v1"]


def test_index_busy_when_another_writer_holds_the_lock(index):
    other = whoosh_index.open_dir(str(index.directory)).writer()
    try:
        index.write_timeout = 0.2
        with pytest.raises(IndexBusy, match="another paper-reader is indexing; try again"):
            index.update([PAPERS[0]], seq=50)
    finally:
        other.cancel()
    index.update([PAPERS[0]], seq=51)
    assert index.applied_seq == 51


def test_rebuild_is_refused_while_another_writer_holds_the_lock(index):
    other = whoosh_index.open_dir(str(index.directory)).writer()
    try:
        with pytest.raises(IndexBusy):
            index.rebuild(PAPERS, seq=60)
    finally:
        other.cancel()
    assert index.doc_count() == len(PAPERS) and index.applied_seq == 7


def test_a_rebuild_holds_the_write_lock(index):
    inside = []

    def progress(done, total):
        try:
            index.write_timeout = 0.05
            index.update([PAPERS[0]], seq=70)
        except IndexBusy:
            inside.append("busy")

    index.rebuild(PAPERS, seq=71, progress=progress)
    assert inside and set(inside) == {"busy"}


def test_searches_and_updates_from_two_threads(index):
    errors = []

    def searching():
        try:
            for _ in range(30):
                index.search("graph neu", as_you_type=True)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=searching)
    thread.start()
    for seq in range(5):
        index.update([dataclasses.replace(BY_ID["gnn"], note=f"pass {seq}")], seq=100 + seq)
    thread.join()
    assert not errors and found(index, "note:pass") == {"gnn"}


def test_an_index_of_another_library_is_rebuilt(tmp_path):
    index = SearchIndex(tmp_path / "index-v1", library_uuid="library-a")
    index.open()
    index.rebuild(PAPERS, seq=5)
    index.update([dataclasses.replace(BY_ID["gnn"], starred=True)], seq=6)  # keeps the identity
    assert json.loads((index.directory / "index_meta.json").read_text())["library_uuid"] == "library-a"
    index.close()
    assert SearchIndex(index.directory, library_uuid="library-a").open() is None
    assert SearchIndex(index.directory).open() is None  # a caller that does not know the library
    restored = SearchIndex(index.directory)
    assert restored.open(library_uuid="library-b") == "index belongs to another library"
    assert restored.needs_rebuild
    restored.rebuild(PAPERS, seq=1)
    assert restored.applied_seq == 1 and SearchIndex(index.directory).open(library_uuid="library-b") is None
    restored.close()


def test_an_index_without_an_identity_is_rebuilt_once_the_library_has_one(index):
    index.close()
    assert SearchIndex(index.directory, library_uuid="new").open() == "index belongs to another library"


def test_a_first_segment_without_upvotes_is_not_damage(tmp_path):
    # A daily-papers digest (no upvotes) indexed first, then a trending one (upvotes) in
    # another command: the probe read the upvotes column through the multi-segment reader.
    index = SearchIndex(tmp_path / "index-v1")
    index.open()
    index.rebuild([dataclasses.replace(p, upvotes=None) for p in PAPERS], seq=1)
    index.update([dataclasses.replace(BY_ID["gnn"], id="trend", title="Trending Graphs", upvotes=50)], seq=2)
    index.close()
    again = SearchIndex(index.directory)
    assert again.open() is None
    assert found(again, "upvotes:>=10") == {"trend"}
    assert ids(again.search("graphs", sort="upvotes", today=TODAY))[0] == "trend"
    again.close()
