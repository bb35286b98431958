"""The walls between rooms, checked module by module in fresh interpreters.

Each module outside `tui/ui` is imported alone in a new Python process, so a leak of
Textual or Rich (or of Whoosh outside the search room) is traced to the module that
caused it. import-linter (run by `make test`) checks the same walls statically.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tui"


def _modules() -> list[str]:
    """Every module of the package, by dotted name."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


CORE = [name for name in _modules() if not name.startswith("tui.ui")]
#: Rooms that may load Whoosh: the search room, and the service that opens it.
WHOOSH_ROOMS = ("tui.search", "tui.service", "tui.cli")


def _loaded(module: str) -> set[str]:
    """Top-level packages loaded by importing `module` alone in a fresh interpreter."""
    code = f"import sys, {module}; print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


@pytest.mark.parametrize("module", CORE)
def test_core_modules_load_without_textual_rich_or_stray_whoosh(module: str) -> None:
    loaded = _loaded(module)
    assert not loaded & {"textual", "rich"}, f"{module} loads the UI toolkit"
    if not module.startswith(WHOOSH_ROOMS):
        assert "whoosh" not in loaded, f"{module} loads Whoosh outside the search room"


def test_every_room_has_a_front_door_that_names_its_api() -> None:
    for room in ("parsing", "library", "search", "service", "cli", "ui"):
        init = PACKAGE / room / "__init__.py"
        assert init.exists(), room
        assert "__all__" in init.read_text(encoding="utf-8"), room
