"""Rotating automatic backups of the library, made with SQLite's backup API (never a file copy)."""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

from tui import paths
from tui.library.store import Library

#: How many automatic backups are kept.
KEEP = 5
#: A new automatic backup at most every 12 hours (seconds), as Zotero does.
MIN_INTERVAL_S = 12 * 3600


def backups(folder: Path) -> list[Path]:
    """Existing backups (regular files, never symlinks), oldest first."""
    if folder.is_symlink() or not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("library-*.sqlite3") if p.is_file() and not p.is_symlink())


def backup_due(folder: Path, min_interval_s: float = MIN_INTERVAL_S) -> bool:
    """Whether `rotate_backup` would make a backup now (none yet, or the newest is older than the interval)."""
    existing = backups(folder)
    return not existing or time.time() - existing[-1].stat().st_mtime >= min_interval_s


def rotate_backup(library: Library, folder: Path, keep: int = KEEP, min_interval_s: float = MIN_INTERVAL_S) -> Path | None:
    """Back the library up when the newest backup is older than `min_interval_s`; keep `keep`.

    Returns the new backup's path, or None when a recent one already exists. Raises OSError or
    sqlite3.Error when it cannot (full disk, read-only media): callers treat that as a warning.
    """
    paths.private_dir(folder)
    _sweep_partials(folder)
    if not backup_due(folder, min_interval_s):
        return None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"library-{stamp}.sqlite3"
    partial = target.with_name(target.name + ".partial")
    try:
        _copy(library, partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    for old in backups(folder)[:-keep]:
        old.unlink(missing_ok=True)
    return target


def _copy(library: Library, partial: Path) -> None:
    """Copy the live library into `partial` (private from its first byte) under a new identity."""
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    dest = sqlite3.connect(partial)
    try:
        library.connection().backup(dest)
        give_new_identity(dest)
    finally:
        dest.close()


def give_new_identity(conn: sqlite3.Connection) -> None:
    """Give a copied library its own uuid: once restored, it is another library than the live one."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
        with conn:
            conn.execute("UPDATE meta SET value = ? WHERE key = 'uuid'", (str(uuid.uuid4()),))


def _sweep_partials(folder: Path) -> None:
    """Remove what a backup killed half-way left behind (the copy and its rollback journal)."""
    for leftover in [*folder.glob("*.partial"), *folder.glob("*.partial-journal")]:
        if leftover.is_file() and not leftover.is_symlink():
            leftover.unlink(missing_ok=True)
