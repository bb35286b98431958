"""End to end: closing the terminal (SIGHUP, `tmux kill-pane`) or SIGTERM saves the open note like a quit.

Also: a crash of the app exits non-zero, and quitting while another process keeps the library
busy says on the terminal what was not saved.
"""

from __future__ import annotations

import fcntl
import os
import pty
import shlex
import signal
import subprocess
import struct
import sys
import termios
import textwrap
import threading
import time
from pathlib import Path

import pytest

from test_e2e_tmux import ROOT, SEED, Tmux, tmux  # noqa: F401  (fixture)
from tui import paths
from tui.library import Library

TYPED = "typed, then the terminal went away"


def _pane_pid(session: Tmux) -> int:
    return int(session.tmux("display", "-p", "#{pane_pid}").strip())


def _gone(pid: int, timeout: float = 20.0) -> bool:
    """The process ended (tmux may leave it a zombie for a while: that counts as ended)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.1)
    return False


def _notes(home: Path) -> list[str]:
    library = Library(paths.library_path(paths.data_dir(home)))
    library.open()
    try:
        return [p.note for p in library.iter_papers() if p.note]
    finally:
        library.close()


def _open_note_and_type(session: Tmux) -> None:
    session.start(str(SEED))
    session.wait_for("Inbox", f"{SEED.name}: format A, 43 added")
    session.wait_gone("indexing")
    for attempt in range(3):  # a key sent while the app finishes its start-up may be taken by the search bar
        session.keys("n")
        try:
            session.wait_for("Note on", timeout=5)
            break
        except AssertionError:
            if attempt == 2:
                raise
            session.keys("Escape")
    session.type(TYPED)
    session.wait_for(TYPED)


class Pty:
    """The app in a pseudo-terminal of our own: we send keys, read its screen output, get its exit status."""

    def __init__(self, home: Path, *args: str, command: list[str] | None = None) -> None:
        env = {**os.environ, "PAPER_READER_HOME": str(home), "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}
        env.pop("COLUMNS", None)
        env.pop("LINES", None)
        pid, self.master = pty.fork()  # the child leads a new session with this pty as its terminal
        if pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
            os.chdir(ROOT)
            argv = [*(command or _command()), *args]
            os.execvpe(argv[0], argv, env)
        self.pid = pid
        self.output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while text.encode() not in self.output:
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {text!r}")
            time.sleep(0.1)

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def hang_up(self) -> None:
        """Close our end, as a terminal window that is closed does: the kernel sends SIGHUP."""
        os.close(self.master)

    def status(self, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.1)
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError("the app did not exit")


def _command() -> list[str]:
    script = Path(sys.executable).parent / "paper-reader"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui.cli"]


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP", "closed terminal"])
def test_a_signal_with_the_note_editor_open_saves_the_typed_note(hermetic_home: Path, how: str):
    app = Pty(hermetic_home, str(SEED))
    app.wait_for("43 added")
    time.sleep(1.0)  # the start-up import is done; the index builds meanwhile
    app.send("n")
    app.wait_for("Note on")
    app.send(TYPED)
    app.wait_for(TYPED[-10:])
    if how == "closed terminal":
        app.hang_up()
        assert app.status() == 128 + signal.SIGHUP
    else:
        os.kill(app.pid, getattr(signal, how))
        assert app.status() == 128 + getattr(signal, how)
    assert _notes(hermetic_home) == [TYPED]


def test_tmux_kill_pane_with_the_note_editor_open_saves_the_typed_note(tmux: Tmux, hermetic_home: Path):
    _open_note_and_type(tmux)
    pid = _pane_pid(tmux)
    tmux.tmux("kill-pane")  # tmux hangs up on the pane's processes
    deadline = time.monotonic() + 30
    while _notes(hermetic_home) != [TYPED] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _notes(hermetic_home) == [TYPED]
    assert _gone(pid, timeout=30)


CRASH = textwrap.dedent("""
    import sys
    from tui.ui.screens import library
    def broken(self):
        raise RuntimeError("an unexpected failure")
    library.LibraryScreen.on_mount = broken
    from tui.ui.app import run_app
    sys.exit(run_app())
""")


def test_a_crash_in_the_app_exits_non_zero(hermetic_home: Path):
    app = Pty(hermetic_home, command=[sys.executable, "-c", CRASH])
    assert app.status() == 1
    assert b"an unexpected failure" in app.output


HOLD = textwrap.dedent("""
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE meta SET value = value WHERE key = 'seq'")
    print("locked", flush=True)
    time.sleep(60)
""")


def test_quitting_while_another_process_holds_the_lock_says_what_was_not_saved(hermetic_home: Path):
    app = Pty(hermetic_home, str(SEED))
    app.wait_for("43 added")
    time.sleep(1.0)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(paths.library_path(hermetic_home))],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        app.send("n")
        app.wait_for("Note on")
        app.send(TYPED)
        app.wait_for(TYPED[-10:])
        app.send("\x13")  # ctrl+s: queued behind the other writer, the editor closes
        app.wait_for("1 change not saved yet")
        app.send("q")
        assert app.status() == 1
    finally:
        holder.kill()
        holder.wait()
    said = app.output.decode(errors="replace")
    assert "paper-reader: 1 change not saved" in said and TYPED in said
    kept = list(hermetic_home.glob("unsaved-*.txt"))
    assert len(kept) == 1 and TYPED in kept[0].read_text(encoding="utf-8")
    assert _notes(hermetic_home) == []
