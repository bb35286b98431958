"""Memory of a process tree, read from /proc: the pids under a process and each one's PSS."""

from __future__ import annotations

from pathlib import Path


def tree(pid: int) -> list[int]:
    """`pid` and every process below it (children, their children, ...)."""
    found = [pid]
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [p for child in children.read_text().split() for p in tree(int(child))]
        except OSError:
            pass
    return found


def pss_kb(pid: int) -> int:
    """The process's proportional set size in KiB (0 once it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
