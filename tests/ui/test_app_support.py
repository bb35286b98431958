"""Shared helpers for the Pilot tests of the app (imported by the test_app_* modules; no tests here)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from textual.worker import WorkerCancelled, WorkerFailed

from tui import paths
from tui.library import Library
from tui.ui.app import PaperReaderApp
from tui.records import ParseResult, Paper
from tui.service import open_service

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SIZE = (120, 36)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the seeds and a built index, made once per test session."""
    home = tmp_path_factory.mktemp("seeded-template")
    backend = open_service(home)
    try:
        backend.import_files(SEEDS)
        backend.upkeep.ensure()
    finally:
        backend.close()
    return home


@pytest.fixture
def seeded_home(seeded_template: Path, hermetic_home: Path) -> Path:
    """This test's data directory, a copy of the seeded template."""
    shutil.copytree(seeded_template, hermetic_home, dirs_exist_ok=True)
    return hermetic_home


@pytest.fixture
def seeded_app(seeded_home: Path):
    """An app over a copy of the seeded library; the backend is closed afterwards."""
    backend = open_service(seeded_home)
    app = PaperReaderApp(backend)
    yield app
    backend.close()


def small_library(home: Path, papers: list[Paper], source: str = "crafted.txt",
                  digest_date: str = "2026-04-22") -> None:
    """Write `papers` into the library at `home` as one digest (no index yet)."""
    library = Library(paths.library_path(paths.data_dir(home)))
    library.open()
    try:
        library.import_result(ParseResult(source, "A", digest_date, tuple(papers), content_hash=f"hash-{source}"))
    finally:
        library.close()


async def settle(pilot, rounds: int = 20) -> None:
    """Wait until no worker runs and the messages they posted have been handled."""
    app = pilot.app
    for _ in range(rounds):
        try:
            await app.workers.wait_for_complete()
        except (WorkerFailed, WorkerCancelled):
            pass  # the app turns it into an error notification; tests check those
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            await pilot.pause()
            if not any(worker.is_running for worker in app.workers):
                return


def screen_text(app) -> str:
    """What the terminal shows right now, as plain text (every layer, toasts included)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


async def type_query(pilot, text: str) -> None:
    """Focus the search bar, type `text`, and wait for the search to land."""
    await pilot.press("slash")
    await pilot.press(*text)
    await pilot.pause(0.2)
    await settle(pilot)
    screen = library_screen(pilot.app)
    # the last keystroke's own results are shown (a busy machine may deliver them a little later)
    await wait_until(pilot, lambda: screen.shown is not None and screen.related_to is None
                     and screen.shown.request.query == screen.search_bar.query, timeout=10)
    await settle(pilot)
    screen._typed_at = 0.0  # and paused: the next letter is a command again


def library_screen(app):
    """The library screen (the bottom of the stack, whatever is shown on top)."""
    from tui.ui.screens.library import LibraryScreen

    return next(screen for screen in app.screen_stack if isinstance(screen, LibraryScreen))


def fresh_backend(home: Path | str | None = None):
    """A backend over `home` (default: $PAPER_READER_HOME)."""
    return open_service(home or os.environ["PAPER_READER_HOME"])


def errors(app) -> list[str]:
    """Error notifications raised so far."""
    return [n.message for n in app._notifications if n.severity == "error"]


async def wait_until(pilot, condition, timeout: float = 15.0) -> bool:
    """Let the app run until `condition()` holds (workers finish on their own time on a busy machine)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        await pilot.pause(0.05)
    return condition()
