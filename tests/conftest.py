"""Shared fixtures: every test gets its own data directory; nothing touches the user's real files."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True)
def hermetic_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point PAPER_READER_HOME and the XDG dirs at a temporary folder for every test."""
    home = tmp_path / "home"
    monkeypatch.setenv("PAPER_READER_HOME", str(home))
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    return home


@pytest.fixture(autouse=True)
def _one_app_per_process_heap():
    """The app sets aside what it built at start-up (`tui.ui.heap`), as one app per process may;
    a test process runs hundreds of apps, so each test gives the collector everything back."""
    yield
    gc.unfreeze()


@pytest.fixture
def seed_files() -> list[Path]:
    """The five bundled sample digests, in name order."""
    return sorted(SEEDS.glob("*.txt"))
