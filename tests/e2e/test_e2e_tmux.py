"""End to end: the real `paper-reader` command in a tmux pane, driven by keys, read by capture-pane."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tui.ui.screens.library import TYPING_GRACE

ROOT = Path(__file__).resolve().parents[2]
SEED = sorted((ROOT / "seeds").glob("*.txt"))[0]

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]


def _command() -> list[str]:
    script = Path(sys.executable).parent / "paper-reader"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui.cli"]


class Tmux:
    """One private tmux server (its own socket, no config) holding one pane."""

    def __init__(self, home: Path) -> None:
        self.socket = f"pr-e2e-{uuid.uuid4().hex[:8]}"
        self.home = home

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args],
                              capture_output=True, text=True, timeout=10)
        return done.stdout

    def start(self, *args: str) -> None:
        env = {"PAPER_READER_HOME": str(self.home), "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}
        # -u: the test runner may export COLUMNS/LINES, which would override the pane's real size.
        line = "env -u COLUMNS -u LINES " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        line += " " + " ".join(shlex.quote(part) for part in [*_command(), *args])
        if not self.tmux("list-sessions"):
            self.tmux("new-session", "-d", "-x", "120", "-y", "36", "-c", str(ROOT), line)
            self.tmux("set", "-s", "escape-time", "0")
            self.tmux("set", "-g", "remain-on-exit", "on")
        else:
            self.tmux("respawn-pane", "-k", "-c", str(ROOT), line)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p")

    def wait_for(self, *texts: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"never saw {texts!r}; the pane shows:\n{self.screen()}")

    def wait_gone(self, text: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text not in self.screen():
                return
            time.sleep(0.1)
        raise AssertionError(f"{text!r} stayed on screen:\n{self.screen()}")

    def wait_exit(self, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            dead = self.tmux("display", "-p", "#{pane_dead} #{pane_dead_status}").split()
            if dead and dead[0] == "1":
                return int(dead[1]) if len(dead) > 1 else 0
            time.sleep(0.1)
        raise AssertionError(f"the app did not exit:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", key)
            time.sleep(0.15)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-l", text)

    def kill(self) -> None:
        socket = self.tmux("display", "-p", "#{socket_path}").strip()
        self.tmux("kill-server")
        if socket:
            Path(socket).unlink(missing_ok=True)


@pytest.fixture
def tmux(hermetic_home: Path):
    session = Tmux(hermetic_home)
    yield session
    session.kill()


def _stats(home: Path) -> dict:
    env = {**os.environ, "PAPER_READER_HOME": str(home)}
    done = subprocess.run([*_command(), "stats", "--json"], capture_output=True, text=True,
                          timeout=30, cwd=ROOT, env=env)
    return json.loads(done.stdout)


def test_import_search_star_note_quit_and_find_them_again(tmux: Tmux, hermetic_home: Path):
    tmux.start(str(SEED))
    tmux.wait_for("Inbox", f"{SEED.name}: format A, 43 added")
    tmux.wait_gone("indexing")
    tmux.keys("/")
    tmux.type('title:"local augmentation"')
    tmux.keys("Enter")  # enter: a full search, and the list takes the keys
    # exactly one paper matches, so the cursor is on it whatever order results arrived in
    tmux.wait_for("Local Augmentation for Graph Neural Networks", "1 result ")
    time.sleep(TYPING_GRACE)  # a person reads the result before acting on it
    tmux.keys("s")
    tmux.wait_for("Reading list 1")
    tmux.keys("n")
    tmux.wait_for("Note on")
    tmux.type("tried it on ogbn-arxiv")
    tmux.keys("C-s")
    tmux.wait_for("✎ Note", "tried it on ogbn-arxiv")
    tmux.keys("q")
    assert tmux.wait_exit() == 0

    stats = _stats(hermetic_home)
    assert (stats["starred"], stats["notes"], stats["papers"]) == (1, 1, 43)

    tmux.start()
    tmux.wait_for("All papers 43", "Reading list 1")
    tmux.keys("3")
    tmux.wait_for("Local Augmentation for Graph Neural Networks", "✎ tried it on ogbn-arxiv")
    tmux.keys("q")
    assert tmux.wait_exit() == 0


def test_a_digest_imported_from_a_second_shell_arrives_and_is_triaged_by_digest(tmux: Tmux, hermetic_home: Path):
    tmux.start(str(SEED))
    tmux.wait_for("Inbox 43 new", f"{SEED.name}: format A, 43 added")
    tmux.wait_gone("indexing")
    # today's arXiv listing arrives from cron or another shell while the app stays open
    rss = next((ROOT.parent / "shared" / "samples" / "arxiv-rss").glob("*.xml"), None)
    newer = rss if rss is not None else sorted((ROOT / "seeds").glob("*.txt"))[2]
    env = {**os.environ, "PAPER_READER_HOME": str(hermetic_home)}
    done = subprocess.run([*_command(), "import", str(newer)], capture_output=True, text=True, timeout=60,
                          cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    added = int(done.stdout.split(" added")[0].rsplit(" ", 1)[-1])
    assert added > 0
    tmux.wait_for(f"{added} new paper{'s' if added != 1 else ''} arrived", f"Inbox {43 + added} new", timeout=10)
    tmux.keys("d")  # the Digests view: the new digest is listed by its own name, with what is new
    screen = tmux.wait_for("Digests · newest first", "enter: list it")
    assert f"{added} new" in screen
    tmux.keys("t")  # triage the highlighted (newest) digest
    screen = tmux.wait_for("Triage ·", f": 1 / {added} · this digest {added} left")
    tmux.keys("s")  # keep
    if added > 1:
        tmux.wait_for(f": 2 / {added} · this digest {added - 1} left")
    tmux.keys("Escape")
    tmux.wait_for("1 decided: 1 kept, 0 dismissed, 0 later")
    tmux.keys("q")
    assert tmux.wait_exit() == 0
    stats = _stats(hermetic_home)
    assert (stats["starred"], stats["kept"], stats["papers"]) == (1, 1, 43 + added)
