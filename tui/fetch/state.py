"""What earlier fetches remember: each source's ETag / Last-Modified, and the last Hugging Face day fetched."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

FILE_NAME = "fetch-state.json"
#: Bumped if the file's shape changes; a file of another version is ignored (the next fetch is unconditional).
VERSION = 1


class FetchState:
    """A small JSON file in the data directory, rewritten atomically after each source that succeeded."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = _read(path)

    @classmethod
    def of(cls, data_dir: Path) -> FetchState:
        """The state file of a data directory."""
        return cls(data_dir / FILE_NAME)

    def conditional_headers(self, key: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since for a source fetched before."""
        seen = self.data["sources"].get(key, {})
        headers = {"If-None-Match": seen.get("etag"), "If-Modified-Since": seen.get("last_modified")}
        return {name: value for name, value in headers.items() if isinstance(value, str) and value}

    def remember(self, key: str, etag: str | None, last_modified: str | None, when: str) -> None:
        """Keep a source's validators (only once its answer is safely imported).

        A 304 often repeats neither header; the ones remembered before then stay valid.
        """
        seen = self.data["sources"].get(key, {})
        self.data["sources"][key] = {"etag": etag or seen.get("etag"),
                                     "last_modified": last_modified or seen.get("last_modified"), "fetched_at": when}

    @property
    def hf_last_day(self) -> str | None:
        """The latest Hugging Face day that was fetched and imported."""
        value = self.data.get("hf_last_day")
        return value if isinstance(value, str) else None

    def hf_fetched(self, day: str) -> None:
        """Move the catch-up mark forward to `day` (never back)."""
        if self.hf_last_day is None or day > self.hf_last_day:
            self.data["hf_last_day"] = day

    def save(self) -> None:
        """Write the file atomically: a temp file beside it, fsync, then rename over it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(self.data, out, indent=1, sort_keys=True)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


def _read(path: Path) -> dict:
    """The stored state, or a fresh one when the file is missing, damaged or of another version."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("sources"), dict):
        return {"version": VERSION, "sources": {}}
    return data
