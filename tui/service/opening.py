"""Opening a data directory: the library is checked, migrated and backed up; damage is set aside."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from tui import paths
from tui.library import Library, LibraryError, backups, rotate_backup
from tui.service.core import Service


def open_service(data_dir: str | os.PathLike | None = None, backup: bool = True) -> Service:
    """Open (creating when needed) the library of a data directory. Raises LibraryError.

    A damaged library file is never overwritten: it is moved aside and the error says where,
    and which automatic backup to restore.
    """
    base = paths.data_dir(data_dir)
    library = Library(paths.library_path(base))
    try:
        library.open()
    except LibraryError as exc:
        if exc.damaged:
            raise LibraryError(_set_aside(library.path, paths.backup_dir(base), str(exc)), damaged=True) from None
        raise
    if backup and library.count():
        rotate_backup(library, paths.backup_dir(base))
    return Service(library, base)


def _set_aside(path: Path, backups_folder: Path, reason: str) -> str:
    """Move a damaged library (and its WAL files) aside; return the message for the user."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
    kept = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.replace(Path(f"{kept}{suffix}"))
    saved = backups(backups_folder)
    how = (f"restore the newest automatic backup with: cp '{saved[-1]}' '{path}'" if saved
           else "restore a JSON export with: paper-reader restore FILE")
    return f"{reason}; kept it as {kept.name}; {how}"
