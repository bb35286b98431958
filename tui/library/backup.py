"""Rotating automatic backups of the library, made with SQLite's backup API (never a file copy)."""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from tui.library.store import Library

KEEP = 5
MIN_INTERVAL_S = 12 * 3600


def backups(folder: Path) -> list[Path]:
    """Existing backups, oldest first."""
    return sorted(folder.glob("library-*.sqlite3"))


def rotate_backup(library: Library, folder: Path, keep: int = KEEP, min_interval_s: float = MIN_INTERVAL_S) -> Path | None:
    """Back the library up when the newest backup is older than `min_interval_s`; keep `keep`.

    Returns the new backup's path, or None when a recent one already exists.
    """
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    existing = backups(folder)
    if existing and time.time() - existing[-1].stat().st_mtime < min_interval_s:
        return None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"library-{stamp}.sqlite3"
    partial = target.with_suffix(".partial")
    dest = sqlite3.connect(partial)
    try:
        library.connection().backup(dest)
    finally:
        dest.close()
    partial.chmod(0o600)
    partial.replace(target)
    for old in backups(folder)[:-keep]:
        old.unlink(missing_ok=True)
    return target
