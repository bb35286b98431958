"""Pilot tests: another process holding the library's write lock never freezes the app or loses a write.

The other writer is a real process that takes SQLite's write lock (BEGIN IMMEDIATE), as
`paper-reader import --no-index big.txt` does in another shell, and keeps it until told.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import TextArea

from test_app_support import (  # noqa: F401  (fixtures)
    SIZE, fresh_backend, library_screen, screen_text, seeded_home, seeded_template, settle, wait_until,
)
from tui import paths
from tui.ui.app import PaperReaderApp
from tui.ui.screens.library import LibraryScreen
from tui.ui.screens.note import NoteEditor

HOLD = textwrap.dedent("""
    import select, sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE meta SET value = value WHERE key = 'seq'")
    print("locked", flush=True)
    select.select([sys.stdin], [], [], float(sys.argv[2]))  # until told, or at most this long
    conn.execute("COMMIT")
""")
#: A key press must be handled well within this (seconds), however long the other writer takes
#: (Pilot itself waits up to 1 s for the process to go idle; before the queue, a press froze 20 s).
RESPONSIVE_S = 2.0


class Holder:
    """Another process holding the library's write lock until `release()` (or `seconds`)."""

    def __init__(self, home: Path, seconds: float = 20.0) -> None:
        path = paths.library_path(paths.data_dir(home))
        self.proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "locked"

    def release(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
        self.proc.wait(timeout=10)


@pytest.fixture
def holder_factory():
    made: list[Holder] = []

    def make(home: Path, seconds: float = 20.0) -> Holder:
        made.append(Holder(home, seconds))
        return made[-1]

    yield make
    for holder in made:
        holder.release()


async def _timed_press(pilot, *keys: str) -> float:
    started = time.monotonic()
    await pilot.press(*keys)
    await pilot.pause()
    return time.monotonic() - started


async def test_star_and_read_wait_for_the_other_writer_in_order_and_are_saved(seeded_home, holder_factory):
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        paper = screen.results.current
        holder = holder_factory(seeded_home)
        assert await _timed_press(pilot, "s") < RESPONSIVE_S  # never waits for the lock on the UI thread
        assert screen.results.current.starred  # the intended state is shown at once
        assert await _timed_press(pilot, "r") < RESPONSIVE_S
        assert await _timed_press(pilot, "j") < RESPONSIVE_S  # the list still moves
        assert screen.results.current_id != paper.id
        assert await wait_until(pilot, lambda: "2 changes not saved yet" in screen.status)
        assert "waiting for the import to finish: 2 changes not saved yet" in screen_text(app)
        stored = backend.get(paper.id)
        assert not stored.starred and stored.status == "new"  # nothing written while the lock is held
        holder.release()
        assert await wait_until(pilot, lambda: backend.get(paper.id).starred and backend.get(paper.id).status == "read")
        assert await wait_until(pilot, lambda: "not saved yet" not in screen.status)
        assert [e["kind"] for e in backend._library.events(paper.id)][-2:] == ["starred", "status"]
    backend.close()


async def test_a_note_saved_while_the_library_is_busy_closes_the_editor_and_lands_later(seeded_home, holder_factory):
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        paper = screen.results.current
        holder = holder_factory(seeded_home)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(TextArea).insert("written during a long import")
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen), timeout=5)
        assert await wait_until(pilot, lambda: screen.results.papers[paper.id].note == "written during a long import",
                                timeout=3)  # shown as saved while it waits
        assert backend.get(paper.id).note == ""
        holder.release()
        assert await wait_until(pilot, lambda: backend.get(paper.id).note == "written during a long import")
    backend.close()


async def test_quitting_while_the_lock_stays_taken_waits_a_bounded_time_and_says_what_was_not_saved(
        seeded_home, holder_factory, monkeypatch):
    monkeypatch.setattr("tui.ui.app.QUIT_WAIT_S", 1.0)
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = library_screen(app).results.current
        holder_factory(seeded_home, seconds=60)
        await pilot.press("s")
        await pilot.pause()
        started = time.monotonic()
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running, timeout=10)
    assert time.monotonic() - started < 6
    assert app.unsaved == [f"star on “{paper.title}”"]
    assert not backend.get(paper.id).starred
    backend.close()


async def test_the_app_opens_and_lists_while_another_process_holds_the_lock(seeded_home, holder_factory):
    holder_factory(seeded_home)
    started = time.monotonic()
    backend = fresh_backend(seeded_home)  # migrated, checked and backed up: reads only
    assert time.monotonic() - started < 3
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_until(pilot, lambda: bool(library_screen(app).results.papers), timeout=10)
        assert await _timed_press(pilot, "s") < RESPONSIVE_S
    backend.close()


async def test_the_editor_opens_on_the_note_as_the_library_holds_it_not_the_lists_copy(seeded_home):
    backend, other = fresh_backend(seeded_home), fresh_backend(seeded_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        paper = screen.results.current
        other.set_note(paper.id, "written in the other window")
        stale = replace(paper, note="")  # what the list showed before the other save
        app.push_screen(NoteEditor(stale, screen.session, screen.apply))
        await pilot.pause()
        assert app.screen.query_one(TextArea).text == "written in the other window"
    backend.close()
    other.close()


async def test_a_note_changed_elsewhere_while_editing_keeps_both_versions(seeded_home):
    backend, other = fresh_backend(seeded_home), fresh_backend(seeded_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        paper = library_screen(app).results.current
        await pilot.press("n")
        await pilot.pause()
        assert "both versions are kept" in screen_text(app)  # the editor says what a clash does
        app.screen.query_one(TextArea).insert("mine, typed here")
        other.set_note(paper.id, "theirs, saved first")  # the second instance saves meanwhile
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen), timeout=5)
        note = backend.get(paper.id).note
        assert re.fullmatch(r"theirs, saved first\n--- edited elsewhere at \d\d:\d\d ---\nmine, typed here", note), note
        assert await wait_until(pilot, lambda: any("both versions are kept" in n.message for n in app._notifications))
    assert other.get(paper.id).note == note
    backend.close()
    other.close()


async def test_a_note_saved_twice_in_one_editor_session_is_no_clash(seeded_home):
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = library_screen(app).results.current
        for text in ("first", " and second"):
            await pilot.press("n")
            await pilot.pause()
            app.screen.query_one(TextArea).insert(text)
            await pilot.press("ctrl+s")
            assert await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen), timeout=5)
            await settle(pilot)
        assert backend.get(paper.id).note == "first and second"
    backend.close()


def _trending_digest(path: Path, count: int) -> Path:
    """A format-C digest of `count` distinct papers (long enough to keep the import writing a while)."""
    lines = ["Get trending papers in your email inbox once a day!", "Get trending papers in your email inbox!"]
    for i in range(count):
        lines.append(("Subscribe" if i == 0 else "") + f"Synthetic Study {i} of Sparse Graph Transformers")
        lines.append(f"We study sparse graph transformers in setting {i}. " * 6)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
async def test_a_star_during_the_apps_own_start_up_import_waits_for_it_and_is_saved(seeded_home, tmp_path):
    big = _trending_digest(tmp_path / "big.txt", 30000)
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend, import_files=[big])
    async with app.run_test(size=SIZE) as pilot:
        screen = library_screen(app)
        assert await wait_until(pilot, lambda: bool(screen.results.papers) and any(
            w.name == "import" and w.is_running for w in app.workers), timeout=10)
        await pilot.pause(0.3)  # the import has taken the write lock
        paper = screen.results.current
        # (Pilot waits for the process to go idle after each key, which a running import never
        # does, so the time of a press is not measured here; the first test measures it.)
        await pilot.press("s")
        assert screen.results.current.starred
        # Either the import held the lock (the star waits, and the status line says so while the
        # import runs), or the star landed in a gap between the import's transactions.
        assert await wait_until(pilot, lambda: "not saved yet" in screen.status or backend.get(paper.id).starred,
                                timeout=5)
        assert await wait_until(pilot, lambda: backend.get(paper.id).starred, timeout=120)
        assert await wait_until(pilot, lambda: "not saved yet" not in screen.status)
        await wait_until(pilot, lambda: not any(w.is_running for w in app.workers), timeout=300)  # the index
    backend.close()


async def test_undo_while_the_library_is_busy_takes_back_the_waiting_change(seeded_home, holder_factory):
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        ids = list(screen.results.papers)[:3]
        holder = holder_factory(seeded_home)
        screen.session.set_starred(ids[0], True)
        screen.session.decide(ids, "kept")
        assert await wait_until(pilot, lambda: "2 changes not saved yet" in screen.status)
        text, papers = screen.session.undo()
        assert text == "Undid the “kept” decision on 3 papers (it was not saved yet)"
        assert papers[ids[0]].starred and not papers[ids[1]].starred
        assert all(p.status == "new" for p in papers.values())
        assert await wait_until(pilot, lambda: "1 change not saved yet" in screen.status)
        assert not screen.results.papers[ids[1]].starred  # the list shows it taken back
        holder.release()
        assert await wait_until(pilot, lambda: backend.get(ids[0]).starred)
        await settle(pilot)
        assert all(backend.get(i).status == "new" for i in ids)  # the decision was never written
        assert not backend.get(ids[1]).starred
        assert "not saved" not in screen.status
    backend.close()


async def test_a_decision_waits_in_the_queue_and_lands_as_one_undoable_step(seeded_home, holder_factory):
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        ids = list(screen.results.papers)[:3]
        holder = holder_factory(seeded_home)
        shown = screen.session.decide(ids, "kept")
        assert all(p.starred and p.status == "kept" for p in shown.values())
        assert await wait_until(pilot, lambda: "1 change not saved yet" in screen.status)
        holder.release()
        assert await wait_until(pilot, lambda: all(backend.get(i).status == "kept" for i in ids))
        assert len({e["step"] for e in backend._library.events() if e["paper_id"] in ids}) == 1  # one step
        await settle(pilot)
        text, papers = screen.session.undo()
        assert set(papers) == set(ids) and all(not p.starred and p.status == "new" for p in papers.values())
    backend.close()


async def test_tags_wait_in_the_queue_and_a_bad_tag_is_refused_at_once(seeded_home, holder_factory):
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        paper = screen.results.current
        holder = holder_factory(seeded_home)
        with pytest.raises(ValueError):
            screen.session.change_tags([paper.id], ["no spaces allowed"], [])
        [shown] = screen.session.change_tags([paper.id], ["Reread"], [])
        assert shown.tags == ("reread",)
        assert await wait_until(pilot, lambda: "1 change not saved yet" in screen.status)
        holder.release()
        assert await wait_until(pilot, lambda: backend.get(paper.id).tags == ("reread",))
    backend.close()
