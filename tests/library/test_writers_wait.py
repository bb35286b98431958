"""Writers wait their turn: another process holding the write lock never crashes a write or loses it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tui.library.errors import LibraryBusy
from tui.library.store import Library
from tui.records import Paper, ParseResult

ROOT = Path(__file__).resolve().parents[2]
GNN = Paper("Forward Learning of Graph Neural Networks", "We study forward learning.")

HOLD = textwrap.dedent("""
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE meta SET value = value WHERE key = 'seq'")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    conn.execute("COMMIT")
""")

IMPORT = textwrap.dedent("""
    import sys
    from tui.library.store import Library
    from tui.records import Paper, ParseResult
    lib = Library(sys.argv[1])
    lib.open()
    n = int(sys.argv[2])
    papers = tuple(Paper(f"Paper {n} number {i}", "x " * 50) for i in range(3000))
    report = lib.import_result(ParseResult(f"d{n}.txt", "A", None, papers, (), f"hash-{n}"))
    print(report.added, flush=True)
""")


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "data" / "library.sqlite3")
    lib.open()
    lib.import_result(ParseResult("a.txt", "A", None, (GNN,), (), "h"))
    yield lib
    lib.close()


def _hold_lock(path: Path, seconds: float) -> subprocess.Popen:
    """Another process that takes the library's write lock and keeps it for `seconds`."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_short_wait_raises_library_busy_and_writes_nothing(library: Library) -> None:
    holder = _hold_lock(library.path, 3)
    try:
        library.wait_s = 0.3
        started = time.monotonic()
        with pytest.raises(LibraryBusy, match="not saved yet"):
            library.set_starred(GNN.id, True)
        assert time.monotonic() - started < 2.5
        assert not library.get(GNN.id).starred
    finally:
        holder.wait()
    library.set_starred(GNN.id, True)  # the app's retry, once the other writer is done
    assert library.get(GNN.id).starred


def test_a_blocking_writer_waits_for_the_lock_and_says_so(library: Library) -> None:
    told: list[str] = []
    library.on_wait = told.append
    holder = _hold_lock(library.path, 3)
    try:
        library.set_note(GNN.id, "written after the wait")
    finally:
        holder.wait()
    assert library.get(GNN.id).note == "written after the wait"
    assert told and "waiting for another paper-reader" in told[0]


def test_parallel_imports_all_wait_their_turn(library: Library) -> None:
    runs = [subprocess.Popen([sys.executable, "-c", IMPORT, str(library.path), str(n)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(6)]
    results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0] * 6, [err for _out, err in results]
    assert [out.strip() for out, _err in results] == ["3000"] * 6
    assert library.count() == 1 + 6 * 3000


def test_a_thread_can_wait_briefly_while_the_library_waits_long_elsewhere(library: Library) -> None:
    holder = _hold_lock(library.path, 2)
    try:
        with library.waiting_at_most(0.2), pytest.raises(LibraryBusy):
            library.set_starred(GNN.id, True)
        assert library.wait_s > 60  # the default stays the long, blocking one
        library.set_starred(GNN.id, True)  # no limit here: waits for the holder, then writes
    finally:
        holder.wait()
    assert library.get(GNN.id).starred
