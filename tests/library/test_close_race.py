"""Closing the library while another thread still reads it (the app quitting during an index
catch-up) stops that thread's work with an error; it never crashes the process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import sqlite3, sys, threading, time
    from tui.library import Library, LibraryError
    from tui.records import Paper, ParseResult

    library = Library(sys.argv[1])
    library.open()
    papers = tuple(Paper(title=f"Paper {n}", abstract="word " * 200) for n in range(3000))
    library.import_result(ParseResult("d.txt", "A", "2026-04-22", papers, content_hash="h"))
    outcome = []
    started = threading.Event()

    def reader():
        try:
            while True:
                started.set()
                library.get_many(library.list_ids())
        except (LibraryError, sqlite3.Error) as exc:
            outcome.append(type(exc).__name__)

    for round in range(5):
        library.open() if round else None
        outcome.clear(); started.clear()
        thread = threading.Thread(target=reader)
        thread.start()
        started.wait()
        time.sleep(0.05)
        library.close()
        thread.join(10)
        assert not thread.is_alive() and outcome, outcome
    print("ok", outcome)
""")


def test_closing_under_a_reading_thread_never_crashes(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "library.sqlite3")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ok")
