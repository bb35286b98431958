"""The library: the durable SQLite store of papers, digests, sightings and the user's state.

Also what takes the library elsewhere and back: rotating backups, exports and restore.
It never imports the search room; the two meet in `tui.service`.
"""

from tui.library.backup import backup_due, backups, rotate_backup
from tui.library.export import (ExportError, RestoreError, export_chunks, export_library, restore_library,
                                write_atomically, write_export)
from tui.library.schema import SCHEMA_VERSION, SchemaTooNew
from tui.library.errors import ChangedElsewhere, LibraryBusy, LibraryError, LibraryFull, LibraryReadOnly
from tui.library.state import Change, TagError, Undone
from tui.library.store import DigestInfo, Library

__all__ = [
    "SCHEMA_VERSION",
    "ChangedElsewhere",
    "Change",
    "TagError",
    "Undone",
    "DigestInfo",
    "ExportError",
    "Library",
    "LibraryBusy",
    "LibraryError",
    "LibraryFull",
    "LibraryReadOnly",
    "RestoreError",
    "SchemaTooNew",
    "backup_due",
    "backups",
    "export_chunks",
    "export_library",
    "restore_library",
    "rotate_backup",
    "write_atomically",
    "write_export",
]
