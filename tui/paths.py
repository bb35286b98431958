"""Where the library, index, backups and bundled seeds live (resolved when called, never at import)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

APP_NAME = "paper-reader"
#: Bumped whenever the Whoosh schema changes; an index of another version is rebuilt.
INDEX_VERSION = 1


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The user's data directory: `--data-dir`, else $PAPER_READER_HOME, else platformdirs.

    Created private to the user (0700) when missing, and tightened to 0700 when it exists
    (it holds notes, and the index holds their words).
    """
    return private_dir(data_dir_location(override), follow=True)


def data_dir_location(override: str | os.PathLike | None = None) -> Path:
    """Where the data directory is, without creating it (for commands that only read)."""
    if override:
        return Path(override).expanduser()
    if os.environ.get("PAPER_READER_HOME"):
        return Path(os.environ["PAPER_READER_HOME"]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def private_dir(path: Path, follow: bool = False) -> Path:
    """Make `path` an existing directory only its owner can enter (0700), and return it.

    With `follow=False` a symlink is refused (OSError): a `backups -> /elsewhere` link would
    otherwise make rotation delete files out there.
    """
    if path.is_symlink() and not follow:
        raise OSError(f"{path} is a symbolic link; refusing to write through it (remove it)")
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    info = path.stat()
    if stat.S_IMODE(info.st_mode) & 0o077 and info.st_uid == os.getuid():
        path.chmod(0o700)
    return path


def library_path(base: Path) -> Path:
    """The SQLite library file inside a data directory."""
    return base / "library.sqlite3"


def index_dir(base: Path) -> Path:
    """The versioned Whoosh index folder; derived data, kept beside the library it mirrors."""
    return base / f"index-v{INDEX_VERSION}"


def backup_dir(base: Path) -> Path:
    """Rotating automatic backups of the library."""
    return base / "backups"


def seeds_dir() -> Path | None:
    """The bundled sample digests, from a checkout or from an installed wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "seeds", here.parent / "seeds"):
        if candidate.is_dir() and any(candidate.glob("*.txt")):
            return candidate
    return None
