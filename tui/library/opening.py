"""Opening a library file safely: connections, checks, and the backup taken before a migration."""

from __future__ import annotations

import shlex
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from tui import paths
from tui.library.errors import LibraryError, is_damage
from tui.library.schema import SCHEMA_VERSION, schema_version

#: quick_check stops after this many problems; the message shows only the first anyway.
QUICK_CHECK_LIMIT = 5


def connect(path: Path, busy_s: float, read_only: str | None = None) -> sqlite3.Connection:
    """A connection in autocommit mode with WAL, full sync and foreign keys.

    `read_only` is None, "ro" (SQLite's read-only mode, which still needs a `-shm` file) or
    "immutable" (no locks and no `-shm`: for a full disk or read-only media).
    """
    if read_only:
        query = "mode=ro" if read_only == "ro" else "immutable=1"
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True, timeout=busy_s,
                               isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, timeout=busy_s, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def read_only_modes(path: Path) -> list[str]:
    """The read-only ways to try, safest first; "immutable" only when no WAL holds commits."""
    wal = Path(f"{path}-wal")
    return ["ro", "immutable"] if not wal.exists() or wal.stat().st_size == 0 else ["ro"]


def quick_check(conn: sqlite3.Connection) -> None:
    """Raise a damage error when SQLite's quick_check finds the file broken."""
    rows = conn.execute(f"PRAGMA quick_check({QUICK_CHECK_LIMIT})").fetchall()
    if rows and rows[0][0] != "ok":
        error = sqlite3.DatabaseError(f"quick_check: {rows[0][0]}")
        error.sqlite_errorcode = 11  # SQLITE_CORRUPT: the check failed, so this is real damage
        raise error


def refuse_unsafe_path(path: Path) -> None:
    """Refuse a library file that is a dangling symlink or a symlink out of its data directory."""
    if not path.is_symlink():
        return
    target = path.resolve()
    if not target.exists():
        raise LibraryError(f"{path} is a symbolic link to {target}, which does not exist; "
                           "remove the link or point --data-dir at the real library")
    if not target.is_relative_to(path.parent.resolve()):
        raise LibraryError(f"{path} is a symbolic link out of the data directory (to {target}); "
                           "refusing to use it: pass --data-dir pointing at the library's real folder")


def refuse_empty_with_backups(path: Path) -> None:
    """A zero-length library while backups hold papers is a lost file, not a new library: say so."""
    from tui.library.backup import backups

    for backup in reversed(backups(paths.backup_dir(path.parent))):
        if _paper_count(backup):
            raise LibraryError(
                f"restore the newest backup with: cp {shlex.quote(str(backup))} {shlex.quote(str(path))} -- "
                f"{path.name} is empty (0 bytes) but {backup.name} holds {_paper_count(backup)} papers")


def _paper_count(path: Path) -> int:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _rekey(copy: Path) -> None:
    from tui.library.backup import give_new_identity

    conn = sqlite3.connect(copy)
    try:
        give_new_identity(conn)
    finally:
        conn.close()


def needs_migration(conn: sqlite3.Connection) -> bool:
    """True for a library made by an older paper-reader (not a brand-new file)."""
    return 0 < schema_version(conn) < SCHEMA_VERSION


def back_up_before_migrating(conn: sqlite3.Connection, path: Path) -> Path:
    """Copy the library with VACUUM INTO before changing its schema; returns the copy's path.

    The copy is named `pre-migration-v<N>-<stamp>.sqlite3`, so backup rotation never deletes it,
    and it gets its own library identity (it is another library from now on).
    """
    folder = paths.backup_dir(path.parent)
    paths.private_dir(folder)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"pre-migration-v{schema_version(conn)}-{stamp}.sqlite3"
    partial = target.with_name(target.name + ".partial")
    try:
        conn.execute("VACUUM INTO ?", (str(partial),))
        partial.chmod(0o600)
        _rekey(partial)
        partial.replace(target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise LibraryError(f"{path}: cannot back up before upgrading the library ({exc}); nothing changed") from None
    return target


def set_aside(path: Path, reason: str) -> str:
    """Move a damaged library (and its WAL files) aside; return the message, way back first."""
    from tui.library.backup import backups

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    kept = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.replace(Path(f"{kept}{suffix}"))
    saved = backups(paths.backup_dir(path.parent))
    how = (f"restore the newest automatic backup with: cp {shlex.quote(str(saved[-1]))} {shlex.quote(str(path))}"
           if saved else "restore a JSON export with: paper-reader restore FILE")
    return f"{how} -- {_first_line(reason)}; kept it as {kept.name}"


class damage_set_aside:  # noqa: N801 - a `with` statement, named like contextlib's helpers
    """A context: damage found inside it (by quick_check, or by SQLite in any statement) is
    set aside (see `set_aside_if_damaged`); anything else passes through unchanged."""

    def __init__(self, library) -> None:
        self.library = library

    def __enter__(self):
        return self.library

    def __exit__(self, exc_type, exc, tb) -> bool:
        set_aside_if_damaged(self.library, exc)
        return False


def set_aside_if_damaged(library, exc: BaseException | None) -> None:
    """When `exc` says the library file is damaged: close the library, move the file aside and
    raise LibraryError(damaged=True) with the way back. Otherwise do nothing.

    The same message whenever the damage shows: at the open's check, at a write's check, or
    when a command that skipped the check reads a damaged page.
    """
    reason = damage_reason(exc, library.path)
    if reason is None or not library.path.exists():  # not damage, or already set aside
        return
    library.close()
    raise LibraryError(set_aside(library.path, reason), damaged=True) from None


def damage_reason(exc: BaseException | None, path: Path) -> str | None:
    """Why `exc` means the library file is damaged (the open's words), or None when it does not."""
    if isinstance(exc, LibraryError):
        return str(exc) if exc.damaged else None
    if isinstance(exc, sqlite3.DatabaseError) and is_damage(exc):
        return f"{path}: library file is damaged ({exc})"
    return None


def _first_line(text: str) -> str:
    # A damaged file can make SQLite report pages of problems; the first line says enough.
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= 200 else line[:199] + "…"
