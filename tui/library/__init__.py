"""The library: the durable SQLite store of papers, digests, sightings and the user's state.

Also what takes the library elsewhere and back: rotating backups, exports and restore.
It never imports the search room; the two meet in `tui.service`.
"""

from tui.library.backup import backup_due, backups, rotate_backup
from tui.library.schema import SCHEMA_VERSION, SchemaTooNew
from tui.library.errors import ChangedElsewhere, LibraryBusy, LibraryError, LibraryFull, LibraryReadOnly
from tui.library.state import Change, TagError, Undone
from tui.library.store import DigestInfo, Library

#: Taking the library elsewhere and back (`tui.library.export`, with csv, tempfile and the TeX
#: tables) is imported on first use: a search or a listing never needs it.
_EXPORTS = ("ExportError", "RestoreError", "export_chunks", "export_library", "restore_library",
            "write_atomically", "write_export")


def __getattr__(name: str):
    if name in _EXPORTS:
        from tui.library import export

        return getattr(export, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
