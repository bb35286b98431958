"""Choices the app remembers for the user (the theme picked in the palette), kept apart from the settings file.

The settings file is the user's own text, so the app never rewrites it; what the user picks
in the app goes to `ui-state.json` in the data directory instead. A value the settings file
sets wins over a remembered one.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

FILE_NAME = "ui-state.json"


def remembered_path(data_dir: Path) -> Path:
    """The remembered choices of a data directory."""
    return Path(data_dir) / FILE_NAME


def load_remembered(data_dir: Path) -> dict[str, str]:
    """The remembered string values; a missing or damaged file remembers nothing."""
    try:
        data = json.loads(remembered_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: value for key, value in data.items() if isinstance(key, str) and isinstance(value, str)}


def remember(data_dir: Path, **values: str) -> None:
    """Merge `values` into the file, written atomically (a temp file beside it, then a rename)."""
    path = remembered_path(data_dir)
    data = {**load_remembered(data_dir), **values}
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1, sort_keys=True)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
