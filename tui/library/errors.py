"""What can go wrong with the library file, as exceptions callers can show in one line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

# SQLite's primary result codes (https://www.sqlite.org/rescode.html).
SQLITE_READONLY = 8
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26
#: Only these mean the file itself is damaged; every other failure leaves it where it is.
DAMAGE_CODES = frozenset({SQLITE_CORRUPT, SQLITE_NOTADB})


class LibraryError(Exception):
    """The library file cannot be used or written; the message says why and what to do."""

    def __init__(self, message: str, damaged: bool = False) -> None:
        super().__init__(message)
        self.damaged = damaged


class LibraryBusy(LibraryError):
    """Another process holds the write lock for longer than this library waits; nothing was written.

    The app catches it, keeps the change queued and tries again; the CLI waits much longer.
    """


class LibraryFull(LibraryError):
    """The disk is full: the write was rolled back whole ("disk full: not saved")."""


class LibraryReadOnly(LibraryError):
    """The library sits on read-only media (or is opened read-only): reading works, writing does not."""


class ChangedElsewhere(LibraryError):
    """A note changed since the writer loaded it (another app saved it): nothing was written.

    `current` is the note as the library holds it now and `at` when it was saved (UTC ISO),
    so the writer can keep both versions instead of replacing the other one.
    """

    def __init__(self, current: str, at: str | None) -> None:
        super().__init__("the note was changed elsewhere since it was opened: not saved yet")
        self.current = current
        self.at = at


def primary_code(exc: sqlite3.Error) -> int | None:
    """SQLite's primary result code of an error (extended codes carry it in the low byte)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_damage(exc: sqlite3.Error) -> bool:
    """True only when SQLite says the file is corrupt or is not a database at all."""
    return primary_code(exc) in DAMAGE_CODES


def as_library_error(exc: sqlite3.Error, path: Path) -> Exception:
    """The library exception for a failed write, or `exc` itself when it is not about the file."""
    code = primary_code(exc)
    if code == SQLITE_FULL:
        return LibraryFull(f"disk full: not saved ({path.parent} has no space left)")
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return LibraryBusy("another paper-reader is writing to the library: not saved yet")
    if code == SQLITE_READONLY:
        return LibraryReadOnly(f"{path} is read-only: not saved")
    if code in (SQLITE_IOERR, SQLITE_CANTOPEN):
        return LibraryError(f"cannot write {path} ({exc}): not saved")
    return exc
