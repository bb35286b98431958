"""The digest archive: every fetched answer kept under digests/DAY/NAME, or aside under digests/rejected/."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

#: Downloads land here first (same filesystem as the archive, so the final rename is atomic).
INCOMING = ".incoming"
REJECTED = "rejected"


def digests_dir(data_dir: Path) -> Path:
    """The archive of fetched digests inside a data directory."""
    return data_dir / "digests"


def incoming_dir(data_dir: Path) -> Path:
    """Where bodies are streamed while they download; nothing in it is ever imported."""
    return digests_dir(data_dir) / INCOMING


def clear_incoming(data_dir: Path) -> int:
    """Delete downloads a killed run left behind (call while holding the fetch lock); returns how many."""
    folder = incoming_dir(data_dir)
    leftovers = list(folder.glob("*.part")) if folder.is_dir() else []
    for path in leftovers:
        path.unlink(missing_ok=True)
    return len(leftovers)


def keep(temp: Path, data_dir: Path, day: str, name: str) -> Path:
    """Move a complete, checked download to digests/DAY/NAME; the same bytes again reuse the file."""
    return _move(temp, digests_dir(data_dir) / day, name)


def reject(temp: Path, data_dir: Path, day: str, name: str) -> Path:
    """Keep an answer that is not what its source promised under digests/rejected/DAY/, for a look."""
    return _move(temp, digests_dir(data_dir) / REJECTED / day, name)


def drop_if_empty(folder: Path) -> None:
    """Remove a day's folder that a rejection left empty, so the archive lists only real digests."""
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty (or already gone): exactly what should stay


def _move(temp: Path, folder: Path, name: str) -> Path:
    """Rename `temp` into `folder` as `name`, or `name-2`, `-3`... when a different file holds the name."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, dot, suffix = name.rpartition(".")
    digest = _sha256(temp)
    for number in range(1, 1000):  # 1000: far more refetches of one source in one day than anyone makes
        target = folder / (name if number == 1 else f"{stem}-{number}{dot}{suffix}")
        if not target.exists():
            os.replace(temp, target)
            _sync_dir(folder)
            return target
        if _sha256(target) == digest:
            temp.unlink()
            return target
    raise OSError(f"too many versions of {name} in {folder}")


def _sha256(path: Path) -> str:
    """The file's SHA-256, read in pieces so a large digest is never held whole."""
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(2**20):  # 1 MiB reads
            hasher.update(chunk)
    return hasher.hexdigest()


def _sync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where directories cannot be opened."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
