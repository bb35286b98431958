"""Whole-process timings of one `paper-reader` command, two source trees interleaved (A, B).

    python bench/cli_ab.py --library DIR --a /path/to/main --b . -n 21 search learning
    python bench/cli_ab.py --library DIR --a ../main --b . -n 11 import {digest}

Each run is a fresh `paper-reader` process (the installed entry point, its tree chosen by
PYTHONPATH, so both share one interpreter and one virtualenv); A and B alternate, and
which goes first alternates too, so load from elsewhere falls on both. `{digest}` stands
for a fresh 50-paper digest per run (the bundled seed's, every title marked), so each
import really stores 50 papers. `--bytecode` gives each tree its own bytecode cache
(PYTHONPYCACHEPREFIX), as an installed package has; without it the environment is used as
it is (with PYTHONDONTWRITEBYTECODE set, every run compiles the project's sources).
Prints median, p95, min and max per tree, the A/B ratio and the load average.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "seeds" / "003_8aceefb3bb95496f.txt"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    k = 0.95 * (len(ordered) - 1)
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", required=True, help="the data directory (PAPER_READER_HOME)")
    parser.add_argument("--a", required=True, help="source tree A (the reference)")
    parser.add_argument("--b", required=True, help="source tree B")
    parser.add_argument("-n", "--runs", type=int, default=21)
    parser.add_argument("--bytecode", action="store_true", help="a bytecode cache per tree")
    parser.add_argument("--exe", default=shutil.which("paper-reader") or "paper-reader")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    trees = {"A": str(Path(args.a).resolve()), "B": str(Path(args.b).resolve())}
    scratch = Path(tempfile.mkdtemp(prefix="cli-ab-"))

    def env_for(name: str) -> dict[str, str]:
        env = dict(os.environ, PYTHONPATH=trees[name], PAPER_READER_HOME=args.library)
        if args.bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(scratch / f"pycache-{name}")
        return env

    def command(tag: str) -> list[str]:
        return [args.exe, *(_digest(scratch, tag) if word == "{digest}" else word for word in args.command)]

    for name in trees:  # warm the page cache (and the bytecode caches)
        subprocess.run(command(f"warm-{name}"), env=env_for(name), capture_output=True)
    times: dict[str, list[float]] = {name: [] for name in trees}
    last: dict[str, subprocess.CompletedProcess] = {}
    load_before = os.getloadavg()
    for run in range(args.runs):
        for name in (("A", "B") if run % 2 == 0 else ("B", "A")):
            argv = command(f"run{run}-{name}")
            started = time.perf_counter()
            last[name] = subprocess.run(argv, env=env_for(name), capture_output=True, text=True)
            times[name].append(time.perf_counter() - started)
    load_after = os.getloadavg()
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"paper-reader {' '.join(args.command)}: {args.runs} runs each, interleaved"
          f"{', bytecode cached' if args.bytecode else ''}")
    for name, values in times.items():
        said = (last[name].stderr.strip().splitlines() or [""])[-1]
        print(f"  {name} ({trees[name]}): median {statistics.median(values):.3f} s  p95 {p95(values):.3f} s"
              f"  min {min(values):.3f}  max {max(values):.3f}  exit {last[name].returncode}  {said!r}")
    print(f"  A/B: median {statistics.median(times['A']) / statistics.median(times['B']):.2f}x"
          f"  p95 {p95(times['A']) / p95(times['B']):.2f}x")
    print("  load average before: {:.2f} / {:.2f} / {:.2f}, after: {:.2f} / {:.2f} / {:.2f}".format(
        *load_before, *load_after))
    return 0


def _digest(folder: Path, tag: str) -> str:
    """A 50-paper digest never imported before: the seed's, every title marked with `tag`."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    marked = [f"{tag} {line}" if i and lines[i - 1].startswith("LG") else line for i, line in enumerate(lines)]
    path = folder / f"{tag}.txt"
    path.write_text("\n".join(marked), encoding="utf-8")
    return str(path)


if __name__ == "__main__":
    sys.exit(main())
