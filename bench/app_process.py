"""Whole-process rows: the cold start in a real terminal (tmux) and the CLI commands, with peak RSS."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from procmem import pss_kb, tree

from app_library import write_digest_file

ROOT = Path(__file__).resolve().parent.parent
#: A result row on screen: a synthetic title starts with its unique name and a colon ("Karelimna: ...").
_TITLE_ROW = re.compile(r"\b[A-Z][a-z]{4,}: [A-Z]")
#: How many such rows mean "the first screen of results is painted".
ROWS_SHOWN = 3
#: Give up on one cold start after this long.
LAUNCH_DEADLINE = 120.0
#: How often the pane is read while waiting for rows (tmux capture costs about 2-5 ms).
PANE_POLL = 0.02


class Tmux:
    """A private tmux server (its own socket, no user config), killed on exit."""

    def __init__(self) -> None:
        self.socket = f"paper-reader-bench-{os.getpid()}"

    def __call__(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args],
                              capture_output=True, text=True)
        if check and done.returncode:
            raise RuntimeError(f"tmux {args[0]} failed: {done.stderr.strip()}")
        return done.stdout

    def __enter__(self) -> "Tmux":
        return self

    def __exit__(self, *exc) -> None:
        self("kill-server", check=False)
        # kill-server leaves the socket file behind; remove ours so runs leave no trace.
        folder = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (folder / self.socket).unlink(missing_ok=True)


def launch_command(data_dir: Path) -> str:
    """The pane's command: the real CLI in a clean, fixed terminal environment."""
    env = (f"env TERM=xterm-256color COLORTERM=truecolor TEXTUAL_ANIMATIONS=none ESCDELAY=10 "
           f"PYTHONPATH={ROOT}")
    return f"cd {ROOT} && {env} {sys.executable} -m tui.cli --data-dir {data_dir}"


def cold_start(data_dir: Path, runs: int) -> list[float]:
    """Seconds from `new-session` to result rows visible in the pane, one fresh process per run."""
    if shutil.which("tmux") is None:
        return []
    times = []
    for _ in range(runs):
        with Tmux() as tmux:
            started = time.perf_counter()
            _new_session(tmux, launch_command(data_dir))
            tmux("set", "-s", "escape-time", "0", check=False)
            times.append(_wait_for_rows(tmux, started))
            tmux("send-keys", "q", check=False)
            time.sleep(0.3)  # let the app quit and release the index before the next run
    return times


def _new_session(tmux: Tmux, command: str, tries: int = 3) -> None:
    """Start the pane; a server still exiting from the previous run can refuse once, so retry."""
    for attempt in range(tries):
        try:
            tmux("new-session", "-d", "-x", "120", "-y", "36", command)
            return
        except RuntimeError:
            if attempt == tries - 1:
                raise
            tmux("kill-server", check=False)
            time.sleep(0.2)


def _wait_for_rows(tmux: Tmux, started: float) -> float:
    while time.perf_counter() - started < LAUNCH_DEADLINE:
        pane = tmux("capture-pane", "-p", check=False)
        if len(_TITLE_ROW.findall(pane)) >= ROWS_SHOWN:
            return time.perf_counter() - started
        time.sleep(PANE_POLL)
    return float("inf")


#: The child runs the CLI, then reports its own peak resident memory (VmHWM, reset by exec, unlike
#: ru_maxrss, which keeps the forked bench's size) on its last stderr line.
_CHILD = ("import sys\nfrom pathlib import Path\nfrom tui.cli.main import main\ncode = main(sys.argv[1:])\n"
          "hwm = [l for l in Path('/proc/self/status').read_text().splitlines() if l.startswith('VmHWM')]\n"
          "print(hwm[0].split()[1] if hwm else 0, file=sys.stderr)\nsys.exit(code)")


class TreeMemory(threading.Thread):
    """Samples the PSS of a process and all its descendants every 0.1 s (indexing workers included)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_mb, self.running = pid, 0.0, True

    def run(self) -> None:
        while self.running:
            self.peak_mb = max(self.peak_mb, sum(map(pss_kb, tree(self.pid))) / 1024)
            time.sleep(0.1)


def run_cli(data_dir: Path, *args: str) -> tuple[float, float, float]:
    """Run `paper-reader --data-dir DIR ARGS` to the end: wall seconds, its peak RSS, its tree's peak PSS (MB)."""
    command = [sys.executable, "-c", _CHILD, "--data-dir", str(data_dir), *args]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(child.pid)
    memory.start()
    _out, err = child.communicate()
    wall = time.perf_counter() - started
    memory.running = False
    lines = err.strip().splitlines()
    if child.returncode or not lines or not lines[-1].isdigit():
        raise RuntimeError(f"{' '.join(args)} exited {child.returncode}: {err[-500:]}")
    return wall, int(lines[-1]) / 1024, memory.peak_mb




def cli_rows(data_dir: Path, runs: int, reindex_runs: int) -> dict[str, list[tuple[float, float, float]]]:
    """Every CLI row on a working copy of a library: (seconds, peak RSS MB, tree peak PSS MB) per run."""
    rows: dict[str, list[tuple[float, float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="paper-reader-cli-") as tmp:
        for run in range(runs):
            out = Path(tmp) / "export.md"
            rows.setdefault("`search learning` (whole process)", []).append(run_cli(data_dir, "search", "learning"))
            rows.setdefault("`export` Markdown, whole library", []).append(
                run_cli(data_dir, "export", "--format", "markdown", "-o", str(out)))
            digest = write_digest_file(Path(tmp) / f"digest-{run}.txt", seed=run + 7)
            rows.setdefault("`import` a 50-paper digest (whole process)", []).append(
                run_cli(data_dir, "import", str(digest)))
        for _ in range(reindex_runs):
            rows.setdefault("`reindex`", []).append(run_cli(data_dir, "reindex"))
    return rows
