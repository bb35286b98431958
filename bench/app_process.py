"""Whole-process rows: the cold start in a real terminal (tmux) and the CLI commands, with peak RSS."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
                              capture_output=True, text=True, check=check)
        return done.stdout

    def __enter__(self) -> "Tmux":
        return self

    def __exit__(self, *exc) -> None:
        self("kill-server", check=False)


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
            tmux("new-session", "-d", "-x", "120", "-y", "36", launch_command(data_dir))
            tmux("set", "-s", "escape-time", "0", check=False)
            times.append(_wait_for_rows(tmux, started))
            tmux("send-keys", "q", check=False)
            time.sleep(0.3)  # let the app quit and release the index before the next run
    return times


def _wait_for_rows(tmux: Tmux, started: float) -> float:
    while time.perf_counter() - started < LAUNCH_DEADLINE:
        pane = tmux("capture-pane", "-p", check=False)
        if len(_TITLE_ROW.findall(pane)) >= ROWS_SHOWN:
            return time.perf_counter() - started
        time.sleep(PANE_POLL)
    return float("inf")


def run_cli(data_dir: Path, *args: str, stdout=subprocess.DEVNULL) -> tuple[float, float]:
    """Run `python -m tui.cli --data-dir DIR ARGS` to the end; (wall seconds, peak RSS in MB).

    `os.wait4` gives this one child's own resource use (RUSAGE_CHILDREN would be the maximum
    over every child this bench ever waited for).
    """
    command = [sys.executable, "-m", "tui.cli", "--data-dir", str(data_dir), *args]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(f"{' '.join(args)} exited {child.returncode}: {child.stderr.read().decode()[-500:]}")
    child.stderr.close()
    return wall, usage.ru_maxrss / 1024  # ru_maxrss is in KB on Linux


def cli_rows(data_dir: Path, runs: int, reindex_runs: int) -> dict[str, list[tuple[float, float]]]:
    """Every CLI row on a working copy of a library: (seconds, peak MB) per run."""
    rows: dict[str, list[tuple[float, float]]] = {}
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
