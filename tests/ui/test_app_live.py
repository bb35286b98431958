"""A live library: writes by another process show up in the open app within seconds."""

from __future__ import annotations

import subprocess
import sys

from test_app_support import SEEDS, SIZE, fresh_backend, library_screen, screen_text, settle, wait_until
from test_app_support import small_library
from tui.records import Paper
from tui.ui.app import PaperReaderApp

ROOT = SEEDS[0].parents[1]


async def test_an_import_from_another_shell_appears_with_a_notice(hermetic_home):
    small_library(hermetic_home, [Paper(title="Already here", abstract="An old paper.")])
    backend = fresh_backend(hermetic_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        assert "Inbox 1 new" in screen_text(app)
        done = subprocess.run([sys.executable, "-m", "tui.cli", "--data-dir", str(hermetic_home), "import",
                               "--no-index", str(SEEDS[0])], capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert done.returncode == 0, done.stderr
        assert await wait_until(pilot, lambda: "43 new papers arrived" in screen_text(app), timeout=10)
        assert await wait_until(pilot, lambda: "Inbox 44 new" in screen_text(app))
        assert screen.results.total == 44
    backend.close()


async def test_the_apps_own_writes_are_no_news(hermetic_home):
    small_library(hermetic_home, [Paper(title="Mine", abstract="A paper.")])
    backend = fresh_backend(hermetic_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause(1.5)
        await settle(pilot)
        assert "arrived" not in screen_text(app)
        assert backend.changes_from_elsewhere() is None
    backend.close()
