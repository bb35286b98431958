"""A killed rebuild: its workers die with it, its lock is not held forever, its leftovers go."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tui.search import locking
from tui.search.index import IndexBusy, SearchIndex

try:
    from test_index_library import PAPERS
except ImportError:  # tests collected as a package
    from tests.test_index_library import PAPERS

ROOT = Path(__file__).resolve().parents[2]

# Rebuilds an index in worker processes, then stalls mid-way having written the workers' pids.
STALLED_REBUILD = textwrap.dedent("""
    import json, multiprocessing, sys, time
    from pathlib import Path
    from tui.records import Paper
    from tui.search.index import SearchIndex

    directory, ready = Path(sys.argv[1]), Path(sys.argv[2])

    def papers():
        for n in range(6000):
            if n == 3600:
                pids = [p.pid for p in multiprocessing.active_children()]
                ready.write_text(json.dumps(pids))
                time.sleep(600)
            yield Paper(id=f"p{n}", title=f"Paper {n} on graphs", abstract="Words and more words.")

    index = SearchIndex(directory)
    index.open()
    index.rebuild(papers(), total=6000)
""")


def _dead(pid: int) -> bool:
    return not locking.is_alive(pid, None)


def _wait(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and SIGKILL of a process group")
def test_a_sigkilled_rebuild_leaves_no_workers_no_lock_and_no_leftovers(tmp_path):
    directory, ready = tmp_path / "index-v1", tmp_path / "ready.json"
    workers: list[int] = []
    child = subprocess.Popen([sys.executable, "-c", STALLED_REBUILD, str(directory), str(ready)], cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert _wait(ready.exists, 120), "the rebuild never started its workers"
        workers = json.loads(ready.read_text())
        assert len(workers) >= 1
        assert list(tmp_path.glob(".index-v1.building-*"))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert _wait(lambda: all(_dead(pid) for pid in workers)), "build workers outlived their parent"
    finally:
        if child.poll() is None:
            child.kill()
        for pid in workers:  # never leave orphans behind a failed run
            if not _dead(pid):
                os.kill(pid, signal.SIGKILL)
    index = SearchIndex(directory)
    assert index.open() == "index missing"
    assert not list(tmp_path.glob(".index-v1.building-*")), "the half-built index was not swept"
    assert index.rebuild(PAPERS, seq=1) == len(PAPERS)
    index.close()


# Holds the index lock like an orphan of an older release would, until killed.
HOLD_LOCK = textwrap.dedent("""
    import sys, time
    from whoosh.util.filelock import FileLock
    lock = FileLock(sys.argv[1] + "/MAIN_WRITELOCK")
    assert lock.acquire(blocking=False)
    print("held", flush=True)
    time.sleep(600)
""")


def _holder(directory: Path) -> subprocess.Popen:
    directory.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(directory)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def _record_owner(directory: Path, pid: int, start: str | None) -> None:
    (directory / locking.OWNER).write_text(json.dumps({"pid": pid, "start": start}))


def test_a_lock_whose_recorded_holder_is_dead_is_broken(tmp_path):
    directory = tmp_path / "index-v1"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    holder = _holder(directory)
    try:
        _record_owner(directory, int(gone.stdout), None)
        index = SearchIndex(directory)
        index.open()
        assert index.rebuild(PAPERS, seq=3) == len(PAPERS)
        index.update([PAPERS[0]], seq=4)  # incremental writes work too
        assert index.applied_seq == 4
        index.close()
    finally:
        holder.kill()
        holder.wait()


def test_a_lock_whose_holder_lives_is_respected(tmp_path):
    directory = tmp_path / "index-v1"
    holder = _holder(directory)
    try:
        _record_owner(directory, holder.pid, locking.process_start(holder.pid))
        index = SearchIndex(directory)
        index.open()
        with pytest.raises(IndexBusy):
            index.rebuild(PAPERS, seq=3)
    finally:
        holder.kill()
        holder.wait()


def test_a_reused_pid_does_not_keep_a_lock(tmp_path):
    directory = tmp_path / "index-v1"
    holder = _holder(directory)
    try:
        _record_owner(directory, os.getppid(), "1")  # a live pid, but not the process that started then
        index = SearchIndex(directory)
        index.open()
        assert index.rebuild(PAPERS, seq=3) == len(PAPERS)
        index.close()
    finally:
        holder.kill()
        holder.wait()


def test_the_lock_records_its_holder_only_while_held(tmp_path):
    lock = locking.IndexLock(tmp_path / "index-v1")
    assert lock.acquire()
    owner = json.loads((tmp_path / "index-v1" / locking.OWNER).read_text())
    assert owner["pid"] == os.getpid()
    assert not locking.IndexLock(tmp_path / "index-v1").acquire()  # this process holds it: not stale
    lock.release()
    assert not (tmp_path / "index-v1" / locking.OWNER).exists()
