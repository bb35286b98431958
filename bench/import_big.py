"""Time and peak memory of importing one very large digest with the real `paper-reader import`.

Usage: python bench/import_big.py [--entries 100000]
Prints a Markdown table: wall time and peak RSS of the import (streaming parse and one SQLite
transaction) and of the full index build that follows.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_digest(path: Path, entries: int) -> None:
    """A format-C (trending page) digest of `entries` distinct papers with ~1 KB abstracts."""
    with open(path, "w", encoding="utf-8") as out:
        out.write("Get trending papers in your email inbox once a day!\nGet trending papers in your email inbox!\n")
        for i in range(entries):
            out.write(("Subscribe" if i == 0 else "") + f"Synthetic Study {i} of Sparse Graph Transformers\n")
            out.write(f"We study sparse graph transformers in setting {i} with message passing. " * 14 + "\n")


_CHILD = ("import resource, sys\nfrom tui.cli.main import main\ncode = main(sys.argv[1:])\n"
          "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\nsys.exit(code)")


def run(argv: list[str], home: Path) -> tuple[float, float, int]:
    """Run the CLI in a child; wall seconds, that process's own peak RSS in MB, exit code."""
    env = {**os.environ, "PAPER_READER_HOME": str(home)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD, *argv], cwd=ROOT, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    lines = done.stderr.strip().splitlines()
    peak_kb = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    if done.returncode:
        print(done.stderr, file=sys.stderr)
    return wall, peak_kb / 1024, done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="paper-reader-import-") as tmp:
        digest = Path(tmp) / "big.txt"
        write_digest(digest, args.entries)
        home = Path(tmp) / "home"
        size_mb = digest.stat().st_size / 2**20
        imported = run(["import", "--no-index", str(digest)], home)
        indexed = run(["reindex"], home)
    print(f"Importing one digest of {args.entries:,} entries ({size_mb:.0f} MB, format C) with the real CLI:\n")
    print("| step | wall time (s) | peak RSS of the process (MB) | exit |\n|---|---:|---:|---:|")
    for name, (wall, peak, code) in (("import (streamed parse + one SQLite transaction)", imported),
                                     ("reindex (full Whoosh build; its 2 workers not counted)", indexed)):
        print(f"| {name} | {wall:.1f} | {peak:.0f} | {code} |")
    return imported[2] or indexed[2]


if __name__ == "__main__":
    raise SystemExit(main())
