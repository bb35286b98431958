"""The ranking room imports only the shared records and text modules, and no UI, store or index."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("textual", "rich", "whoosh", "sqlite3", "numpy", "tui.parsing", "tui.library",
             "tui.search", "tui.service", "tui.ui", "tui.cli")


def test_importing_the_ranking_room_loads_nothing_it_must_not() -> None:
    code = "import sys, tui.ranking; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    leaks = {m for m in loaded for bad in FORBIDDEN if m == bad or m.startswith(bad + ".")}
    assert not leaks


def test_the_front_door_lists_what_the_service_needs() -> None:
    import tui.ranking as ranking

    assert {"Ranker", "RankStatus", "MIN_KEPT", "MIN_DISMISSED"} <= set(ranking.__all__)
