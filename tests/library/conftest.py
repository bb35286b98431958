"""Fixtures the library tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.library import Library


@pytest.fixture
def library(tmp_path: Path) -> Library:
    """An empty library in this test's folder (a test file may define its own, filled one)."""
    lib = Library(tmp_path / "data" / "library.sqlite3")
    lib.open()
    yield lib
    lib.close()
