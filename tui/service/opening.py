"""Opening a data directory: the library is checked, migrated and backed up; damage is set aside."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable

from tui import paths
from tui.library import Library, LibraryError, rotate_backup
from tui.library.opening import set_aside
from tui.service.core import Service


def open_service(data_dir: str | os.PathLike | None = None, backup: bool = True,
                 wait_s: float | None = None, on_wait: Callable[[str], None] | None = None) -> Service:
    """Open (creating when needed) the library of a data directory. Raises LibraryError.

    A damaged library file is never overwritten: it is moved aside and the error says where,
    and which automatic backup to restore. A start-up backup that fails (full disk, read-only
    media) is a warning in `Service.warnings`, never an error. `wait_s`/`on_wait`: how long
    writes wait for another process's write lock (see `Library`).
    """
    base = paths.data_dir(data_dir)
    library = Library(paths.library_path(base), on_wait=on_wait, **({"wait_s": wait_s} if wait_s else {}))
    try:
        library.open()
    except LibraryError as exc:
        if exc.damaged:
            raise LibraryError(set_aside(library.path, str(exc)), damaged=True) from None
        raise
    service = Service(library, base)
    if library.warning:
        service.warnings.append(library.warning)
    if backup and library.count() and not library.read_only:
        _start_up_backup(library, service)
    return service


def _start_up_backup(library: Library, service: Service) -> None:
    """Refresh the automatic backup; a failure is only a warning (reading must still work)."""
    try:
        rotate_backup(library, paths.backup_dir(service.data_dir))
    except (OSError, sqlite3.Error) as exc:
        service.warnings.append(f"automatic backup not made ({exc}); the library itself is unchanged")
