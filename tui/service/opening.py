"""Opening a data directory: the library is checked, migrated and backed up; damage is set aside."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable

from tui import paths
from tui.library import Library, LibraryError, backup_due, rotate_backup
from tui.library.opening import damage_set_aside, set_aside
from tui.service.core import Service


def open_service(data_dir: str | os.PathLike | None = None, backup: bool = True,
                 wait_s: float | None = None, on_wait: Callable[[str], None] | None = None,
                 check_later: bool = False, reading: bool = False) -> Service:
    """Open (creating when needed) the library of a data directory. Raises LibraryError.

    A damaged library file is never overwritten: it is moved aside and the error says where,
    and which automatic backup to restore. A start-up backup that fails (full disk, read-only
    media) is a warning in `Service.warnings`, never an error. `wait_s`/`on_wait`: how long
    writes wait for another process's write lock (see `Library`).

    `check_later` (the app) leaves the integrity check and the backup to `finish_opening`,
    run in a thread once the first screen is painted; writes wait for the check meanwhile.

    `reading` (a command that only reads: search, stats) leaves the integrity check out
    (0.2-1.3 s at 100k papers) unless the start-up backup is due, since a backup is only
    ever taken of a checked library. A write still runs the check first, and damage SQLite
    reports while reading is set aside with the same message when the service closes
    (see `Service.__exit__`).
    """
    base = paths.data_dir(data_dir)
    library = Library(paths.library_path(base), on_wait=on_wait, **({"wait_s": wait_s} if wait_s else {}))
    with damage_set_aside(library):
        library.open(check=not (check_later or reading))
        service = Service(library, base)
        due = reading and backup and backup_due(paths.backup_dir(base))
        if due:
            library.check()
    if library.warning:
        service.warnings.append(library.warning)
    if backup and (due or not (check_later or reading)):
        _start_up_backup(library, service)
    service.backup_owed = backup and check_later and not reading
    return service


def finish_opening(service: Service) -> list[str]:
    """What `open_service(check_later=True)` left out: quick_check, then the start-up backup.

    Returns the notices to show (a backup that could not be made). Raises LibraryError
    (damaged=True) for a damaged file; every write is refused from then on, and the caller
    closes the service and moves the file aside with `set_damaged_aside`. The backup is
    taken only of a library that passed the check.
    """
    library = service._library
    library.check()
    before = len(service.warnings)
    if service.backup_owed:
        service.backup_owed = False
        _start_up_backup(library, service)
    return service.warnings[before:]


def set_damaged_aside(service: Service, reason: str) -> str:
    """Move a (closed) damaged library aside; returns the message, the way back first."""
    return set_aside(service._library.path, reason)


def _start_up_backup(library: Library, service: Service) -> None:
    """Refresh the automatic backup; a failure is only a warning (reading must still work)."""
    if not library.count() or library.read_only:
        return
    try:
        rotate_backup(library, paths.backup_dir(service.data_dir))
    except (OSError, sqlite3.Error) as exc:
        service.warnings.append(f"automatic backup not made ({exc}); the library itself is unchanged")
