"""The app-level benchmark: the real paper-reader, driven by Pilot, tmux and its CLI, at 1k-100k papers.

Usage: python bench/app_bench.py [--sizes 1000,10000,100000] [--quick] [--out FILE] [--vocabulary seed]
Libraries are built once into /tmp/paper-reader-bench (keyed by size, seed and vocabulary) and
each run works on a throw-away copy, because stars, states and imports write to it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from app_library import ensure_library, working_copy  # noqa: E402
from app_pilot import run_pilot  # noqa: E402
from app_process import cli_rows, cold_start  # noqa: E402
from app_report import table  # noqa: E402

DEFAULT_SIZES = (1000, 10_000, 100_000)
#: Iterations of the calibration loop: about 0.1 s on an idle core of this machine.
SPIN = 2_000_000


def calibrate() -> float:
    """Seconds for a fixed pure-Python loop: a same-run yardstick of how slow the machine is now."""
    started = time.perf_counter()
    total = 0
    for i in range(SPIN):
        total += i & 7
    return time.perf_counter() - started


def upgrade(data_dir: Path) -> None:
    """Open the copy once as this version: migrate the schema (backup first) and catch the index up."""
    from tui.service import open_service

    service = open_service(data_dir, backup=False)
    try:
        service.upkeep.ensure()
    finally:
        service.close()


def run_size(size: int, args: argparse.Namespace) -> str:
    """Every row at one size, on a working copy of the cached library; returns the table."""
    source = ensure_library(size, vocabulary=args.vocabulary)
    before = calibrate()
    rows: dict[str, list[float]] = {}
    peaks: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix=f"paper-reader-app-{size}-") as tmp:
        data_dir = working_copy(source, Path(tmp))
        _log(f"{size:,}: upgrading the copy to this version's schema (once, untimed, as a user's first start after an update)")
        upgrade(data_dir)
        _log(f"{size:,}: cold start in tmux")
        rows["launch to first results painted (tmux, fresh process)"] = cold_start(data_dir, args.launch_runs)
        _log(f"{size:,}: Pilot rows")
        samples = asyncio.run(run_pilot(data_dir, args.quick))
        rows.update(samples.rows)
        _log(f"{size:,}: CLI rows")
        reindex_runs = 1 if args.quick or size >= 100_000 else 2  # one 100k reindex takes minutes
        for name, runs in cli_rows(data_dir, 1 if args.quick else 3, reindex_runs).items():
            rows[name] = [wall for wall, _, _ in runs]
            peaks[name] = (max(run[1] for run in runs), max(run[2] for run in runs))
    notes = list(samples.notes)
    if not rows["launch to first results painted (tmux, fresh process)"]:
        notes.append("tmux is not installed: no cold-start row")
        del rows["launch to first results painted (tmux, fresh process)"]
    return table(size, rows, peaks, (before, calibrate()), notes)


def header(args: argparse.Namespace, sizes: list[int]) -> str:
    """Where, when and on what code the numbers were taken."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BENCH, capture_output=True,
                            text=True).stdout.strip()
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"# App benchmark: paper-reader at {', '.join(f'{s:,}' for s in sizes)} papers\n\n"
            f"{stamp}, commit {commit or '?'}, Python {platform.python_version()}, {os.cpu_count()} cores, "
            f"vocabulary `{args.vocabulary}`{', --quick' if args.quick else ''}. Times are seconds of wall "
            "clock (ms below 1 s); p95 is by nearest rank, so with a few runs it is the maximum. "
            "\"previous main\" is issue 10's table (100k papers), so its gain column means most at 100k.\n")


def output_path(args: argparse.Namespace, sizes: list[int]) -> Path:
    if args.out:
        return Path(args.out)
    if tuple(sizes) == DEFAULT_SIZES and not args.quick and args.vocabulary == "seed":
        return BENCH / "app_results.md"
    # results-*.md is git-ignored: only the full run's table is checked in.
    suffix = f"{'-'.join(map(str, sizes))}{'-quick' if args.quick else ''}-{args.vocabulary}"
    return BENCH / f"results-app-{suffix}.md"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated library sizes (default 1000,10000,100000)")
    parser.add_argument("--quick", action="store_true", help="size 1000, few repetitions: a smoke run (< 2 min)")
    parser.add_argument("--out", help="where to write the Markdown (default under bench/)")
    parser.add_argument("--vocabulary", choices=("seed", "realistic"), default="seed",
                        help="corpus vocabulary (see corpus.py)")
    parser.add_argument("--launch-runs", type=int, default=3, help="cold starts in tmux per size")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")] if args.sizes else \
        ([1000] if args.quick else list(DEFAULT_SIZES))
    parts = [header(args, sizes)]
    print(parts[0], flush=True)
    for size in sizes:
        parts.append(run_size(size, args))
        print(parts[-1], flush=True)
    out = output_path(args, sizes)
    out.write_text("\n".join(parts), encoding="utf-8")
    _log(f"written to {out}")


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
