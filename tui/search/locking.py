"""The index's write lock, with its holder recorded so a lock left by a dead process is broken.

Whoosh's lock is an OS file lock on `MAIN_WRITELOCK`; the OS releases it when its holder
dies, except that processes forked while it was held share it. Build workers orphaned by a
killed `paper-reader reindex` kept it forever. Workers now die with their parent (see
`tui.search.rebuild`), and as a second line of defence every holder records its pid and
start time beside the lock: a busy lock whose recorded holder is gone is stale, and is
broken by replacing the lock file (the orphans keep a lock on a file nobody uses).
A short guard lock makes "take the lock and record the holder" and "check the holder and
break the lock" atomic with respect to each other.
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path

from whoosh.util.filelock import FileLock

#: The lock file `ix.writer()` takes (index name "MAIN"), and the two files beside it.
WRITE_LOCK = "MAIN_WRITELOCK"
OWNER = WRITE_LOCK + ".owner"
GUARD = WRITE_LOCK + ".guard"


def process_start(pid: int) -> str | None:
    """When process `pid` started, in clock ticks since boot (Linux), else None.

    With the pid it names one process: a pid reused by a later process has another start.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 and fields[0] != "Z" else None  # field 22 of stat(5)


def is_alive(pid: int, start: str | None) -> bool:
    """Whether the process recorded as (pid, start) still runs (a zombie counts as dead)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    now = process_start(pid)
    if now is None:
        return not Path("/proc/self/stat").exists()  # no /proc: trust kill(0); else a zombie
    return start is None or now == start


@contextmanager
def _guard(directory: Path):
    guard = FileLock(str(directory / GUARD))
    guard.acquire(blocking=True)
    try:
        yield
    finally:
        guard.release()


def _record_holder(directory: Path) -> None:
    pid = os.getpid()
    temp = directory / f".{OWNER}.{pid}"
    temp.write_text(json.dumps({"pid": pid, "start": process_start(pid)}), encoding="utf-8")
    os.replace(temp, directory / OWNER)


def _stale_holder(directory: Path) -> bool:
    """Whether the recorded holder of the lock is gone (False when nobody is recorded)."""
    try:
        owner = json.loads((directory / OWNER).read_text(encoding="utf-8"))
        pid, start = int(owner["pid"]), owner.get("start")
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return pid != os.getpid() and not is_alive(pid, start)


def _break(directory: Path) -> None:
    """Replace the lock file by a new one, so the lock held on the old one no longer counts."""
    fresh = directory / f".{WRITE_LOCK}.{os.getpid()}"
    fresh.touch()
    os.replace(fresh, directory / WRITE_LOCK)
    (directory / OWNER).unlink(missing_ok=True)


class IndexLock:
    """The write lock of the index in `directory`, taken without waiting; breaks stale locks.

    `fd` is the lock's file descriptor while held (forked build workers close their copy).
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._lock: FileLock | None = None

    @property
    def fd(self) -> int | None:
        return self._lock.fd if self._lock is not None else None

    def acquire(self) -> bool:
        """Take the lock if it is free or its recorded holder is dead; False if it is busy."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with _guard(self.directory):
            lock = FileLock(str(self.directory / WRITE_LOCK))
            if not lock.acquire(blocking=False):
                if not _stale_holder(self.directory):
                    return False
                _break(self.directory)
                lock = FileLock(str(self.directory / WRITE_LOCK))
                if not lock.acquire(blocking=False):
                    return False
            _record_holder(self.directory)
            self._lock = lock
            return True

    def release(self) -> None:
        """Let go of the lock and forget the holder (the directory may be gone by now)."""
        if self._lock is None:
            return
        try:
            (self.directory / OWNER).unlink(missing_ok=True)
        except OSError:
            pass
        self._lock.release()
        self._lock = None


def open_writer(ix, directory: Path):
    """`ix.writer()` without waiting, recording this process as the holder (None if busy).

    A lock whose recorded holder died is broken first, so an orphan cannot block writes.
    """
    from whoosh.index import LockError

    with _guard(directory):
        try:
            writer = ix.writer(timeout=0)
        except LockError:
            if not _stale_holder(directory):
                return None
            _break(directory)
            try:
                writer = ix.writer(timeout=0)
            except LockError:
                return None
        _record_holder(directory)
        return writer


def forget_holder(directory: Path) -> None:
    """After a writer's commit or cancel: nobody holds the lock now."""
    try:
        (directory / OWNER).unlink(missing_ok=True)
    except OSError:
        pass
