"""Benchmark paper-reader's Whoosh index against an SQLite FTS5 reference on synthetic libraries.

    python bench/bench.py [--sizes 1000,10000,100000] [--quick] [--index-module tui.search.index]
                          [--vocabulary seed,realistic]

Prints one Markdown table per library size and writes them to bench/results.md (a full run
with the default sizes) or bench/results-<sizes>[-quick].md (any other run; git ignores those).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import re
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from tui.records import Paper  # noqa: E402
from report import table  # noqa: E402

DEFAULT_SIZES = (1000, 10000, 100000)
QUICK_SIZES = (1000, 10000)
FIRST_QUERY = "graph neural"
ENGINES = ("fts5", "whoosh")
#: What counts as one word for the distinct-word figure (hyphenated compounds are one word).
_WORDS = re.compile(r"[a-z0-9][a-z0-9\-]*")

# Timed from the first line of a fresh interpreter: import the engine, open the index, first results.
COLD_START = r"""
import sys, time
t0 = time.perf_counter()
engine, module, directory, query, root = sys.argv[1:6]
sys.path[:0] = [root, root + "/bench"]
from pathlib import Path
if engine == "whoosh":
    SearchIndex = __import__(module, fromlist=["SearchIndex"]).SearchIndex
else:
    from fts5_ref import Fts5Index as SearchIndex
ix = SearchIndex(Path(directory))
reason = ix.open()
hits = ix.search(query, limit=50).hits
print((time.perf_counter() - t0) * 1000, len(hits), reason)
"""


def log(message: str) -> None:
    """Progress on stderr, so stdout stays the Markdown report."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_workload(engine: str, workdir: Path, args: argparse.Namespace) -> tuple[dict | None, str | None]:
    """One engine's build + queries in its own process (so its peak RSS is its own)."""
    result = workdir / f"{engine}.json"
    command = [sys.executable, str(BENCH / "workload.py"), engine, str(workdir / "library.sqlite"),
               str(workdir / engine), str(result), "--index-module", args.index_module]
    if args.quick:
        command.append("--quick")
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True)
    log(f"  {engine}: done in {time.perf_counter() - start:.1f} s (exit {proc.returncode})")
    if proc.returncode != 0:
        tail = [line for line in proc.stderr.strip().splitlines() if line.strip()][-1:] or ["no output"]
        log(proc.stderr[-3000:])
        return None, tail[0].strip()
    return json.loads(result.read_text()), None


def cold_start(engines: list[str], workdir: Path, args: argparse.Namespace) -> dict[str, float]:
    """Median, over fresh processes run round-robin, of import + open + first results and of wall time."""
    times: dict[str, list[float]] = {e: [] for e in engines}
    walls: dict[str, list[float]] = {e: [] for e in engines}
    for _ in range(3 if args.quick else 5):
        for engine in engines:
            command = [sys.executable, "-c", COLD_START, engine, args.index_module, str(workdir / engine),
                       FIRST_QUERY, str(ROOT)]
            start = time.perf_counter()
            proc = subprocess.run(command, capture_output=True, text=True)
            walls[engine].append((time.perf_counter() - start) * 1000)
            if proc.returncode != 0:
                log(f"  cold start of {engine} failed: {proc.stderr.strip()[-500:]}")
                break
            ms, _, reason = proc.stdout.split(maxsplit=2)
            if reason.strip() != "None":
                log(f"  cold start of {engine}: open() said {reason.strip()!r}")
            times[engine].append(float(ms))
    out = {}
    for engine in engines:
        if times[engine]:
            out[engine] = statistics.median(times[engine])
            out[f"{engine}_process"] = statistics.median(walls[engine])
    return out


def counting_words(papers: Iterator[Paper], seen: set[str]) -> Iterator[Paper]:
    """Pass papers through, collecting the distinct lower-case words of their titles and abstracts."""
    for paper in papers:
        seen.update(_WORDS.findall(f"{paper.title} {paper.abstract}".lower()))
        yield paper


def generate_library(path: Path, size: int, vocabulary: str) -> int:
    """Write the library file in a child process; returns its distinct-word count.

    In a child because the set of words is large (370k strings at 100k), and a workload forked
    from a big parent reports the parent's size as its own `ru_maxrss`.
    """
    code = ("import sys; sys.path[:0] = sys.argv[1:3]; import bench; from corpus import iter_library, write_library;"
            " words = set(); n = int(sys.argv[4]);"
            " write_library(bench.Path(sys.argv[3]), bench.counting_words(iter_library(n, vocabulary=sys.argv[5]), words));"
            " print(len(words))")
    done = subprocess.run([sys.executable, "-c", code, str(BENCH), str(ROOT), str(path), str(size), vocabulary],
                          capture_output=True, text=True, check=True)
    return int(done.stdout.split()[-1])


def run_size(size: int, args: argparse.Namespace, vocabulary: str = "seed") -> dict:
    """Everything for one library size and vocabulary, in a temporary directory removed afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix=f"paper-reader-bench-{size}-"))
    try:
        start = time.perf_counter()
        words = generate_library(workdir / "library.sqlite", size, vocabulary)
        log(f"{size:,} papers ({vocabulary} vocabulary, {words:,} distinct words): "
            f"library generated in {time.perf_counter() - start:.1f} s")
        data: dict = {"errors": {}, "distinct_words": words}
        for engine in ENGINES:
            data[engine], error = run_workload(engine, workdir, args)
            if error:
                data["errors"][engine] = error
        data["cold"] = cold_start([e for e in ENGINES if data[e]], workdir, args)
        data["load"] = os.getloadavg()
        return data
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def header(args: argparse.Namespace, sizes: list[int]) -> str:
    """Where and how the numbers were taken."""
    try:
        whoosh = metadata.version("whoosh-reloaded")
    except metadata.PackageNotFoundError:
        whoosh = "not installed"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return "\n".join([
        "# paper-reader search benchmark: Whoosh vs SQLite FTS5", "",
        f"- run: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, "
        f"`python bench/bench.py --sizes {','.join(map(str, sizes))}{' --quick' if args.quick else ''}"
        f" --vocabulary {args.vocabulary}`"
        f" (index module `{args.index_module}`)",
        f"- machine: {os.cpu_count()} cores, load average at start {load}; Python {platform.python_version()}, "
        f"whoosh-reloaded {whoosh}, SQLite {sqlite3.sqlite_version}",
        f"- latencies: median per query over {1 if args.quick else 3} pass(es), each on a freshly opened index "
        "after one warm-up query; p50 / p95 / max are over queries (see bench/README.md)",
        "- targets are set for 100,000 papers; at smaller sizes the mark shows whether the number would "
        "already miss them", "",
    ])


def with_vocabulary(section: str, vocabulary: str, words: int) -> str:
    """Name the corpus under the size heading, so tables of both corpora can stand side by side."""
    heading, _, rest = section.partition("\n")
    corpus = f"Corpus: `{vocabulary}` vocabulary, {words:,} distinct words."
    return f"{heading} ({vocabulary} vocabulary)\n\n{corpus}\n\n{rest.lstrip()}"


def output_path(args: argparse.Namespace, sizes: list[int]) -> Path:
    if args.out:
        return Path(args.out)
    if tuple(sizes) == DEFAULT_SIZES and not args.quick and args.vocabulary == "seed":
        return BENCH / "results.md"
    vocabulary = "" if args.vocabulary == "seed" else "-" + args.vocabulary.replace(",", "-")
    return BENCH / f"results-{'-'.join(map(str, sizes))}{'-quick' if args.quick else ''}{vocabulary}.md"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Whoosh vs FTS5 on synthetic libraries; prints Markdown.")
    parser.add_argument("--sizes", help="comma-separated library sizes (default 1000,10000,100000; "
                                        "with --quick 1000,10000)")
    parser.add_argument("--quick", action="store_true", help="one timed pass and fewer queries: a smoke run")
    parser.add_argument("--index-module", default="tui.search.index", help="module providing SearchIndex")
    parser.add_argument("--out", help="where to write the Markdown (default under bench/)")
    parser.add_argument("--vocabulary", default="seed",
                        help="comma-separated corpora: seed (resampled seed sentences), realistic "
                             "(a Zipf-like long tail of word forms, bench/realistic.py), or both")
    args = parser.parse_args(argv)
    vocabularies = [v.strip() for v in args.vocabulary.split(",")]
    if not set(vocabularies) <= {"seed", "realistic"}:
        parser.error("--vocabulary takes seed, realistic or seed,realistic")
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")] if args.sizes else \
        list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    path = output_path(args, sizes)
    text = header(args, sizes)
    failed = False
    for size, vocabulary in ((s, v) for s in sizes for v in vocabularies):
        data = run_size(size, args, vocabulary)
        failed = failed or bool(data["errors"])
        section = with_vocabulary(table(size, data), vocabulary, data["distinct_words"])
        print(section, flush=True)
        text += "\n" + section
        path.write_text(text, encoding="utf-8")
    log(f"written to {path}")
    if failed:
        sys.exit(1)  # a smoke run in CI must not pass when an engine failed


if __name__ == "__main__":
    main()
