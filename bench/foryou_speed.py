"""Speed and memory of the "for you" order at 100,000 papers and 5,000 decisions.

Usage: .venv/bin/python bench/foryou_speed.py [--papers 100000] [--decisions 5000] [--repeat 200]

The library is `bench/corpus.py`'s synthetic one (`iter_library(n)`). Decisions are drawn from
it at random: a reader who keeps cs.LG and cs.CV papers and dismisses the rest. Rows:

- full train: `Ranker.train()` on every decision (features extracted from scratch);
- one decision: `learn()` of a paper never seen before (its features extracted inside the
  timing), each followed by its `unlearn()` untimed so the model stays the same size;
- rank a 500-paper digest, cold: papers the model has not seen (features extracted); the same
  extraction alone, as `prepare()` does it in a worker when a digest arrives; and warm: the
  same digest again after a decision, which is what a re-rank during triage costs;
- explain one paper; and the model's memory (tracemalloc, measured in a separate pass).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from corpus import iter_library  # noqa: E402
from tui.ranking import Ranker  # noqa: E402
from tui.ranking.model import FeatureCache  # noqa: E402
from tui.records import Paper  # noqa: E402

DIGEST = 500  # papers in the digest ranked, as in the target
LIKED = ("cs.LG", "cs.CV")  # the simulated reader's categories
COLD_RUNS = 9  # each extracts 500 papers' features again: enough for a median, not minutes
SEED = 14  # the number: any fixed seed makes runs comparable


def sample(papers: int, decisions: int, extra: int) -> tuple[list[Paper], list[Paper]]:
    """Decided papers and `extra` unseen ones, drawn at random from the first `papers` of the library."""
    rng = random.Random(SEED)
    chosen = rng.sample(range(papers), decisions + extra)
    decided, fresh = set(chosen[:decisions]), set(chosen[decisions:])
    picked_decided, picked_fresh = [], []
    for number, paper in enumerate(iter_library(papers)):
        if number in decided:
            picked_decided.append(paper)
        elif number in fresh:
            picked_fresh.append(paper)
    return picked_decided, picked_fresh


def timings(run: Callable[[int], None], times: int) -> list[float]:
    """Milliseconds of `run(i)` for i in range(times)."""
    out = []
    for i in range(times):
        start = time.perf_counter()
        run(i)
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(values: list[float]) -> float:
    """95th percentile by nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def row(name: str, values: list[float], target: str = "") -> str:
    """One table row: median, p95 and the target, in milliseconds."""
    return f"| {name} | {statistics.median(values):.2f} | {p95(values):.2f} | {len(values)} | {target} |"


def label(paper: Paper) -> bool:
    """The simulated reader's verdict."""
    return paper.category in LIKED


def measure(decided: list[Paper], fresh: list[Paper], repeat: int) -> list[str]:
    """Every timed row of the table."""
    ranker = Ranker()
    start = time.perf_counter()
    ranker.train((p, label(p)) for p in decided)
    train_ms = (time.perf_counter() - start) * 1000
    digest, newcomers = fresh[:DIGEST], fresh[DIGEST:]
    def cold_rank(i: int) -> None:
        ranker._cache = FeatureCache()  # forget every paper's features: a digest never seen
        ranker.rank(digest)

    def prepare(i: int) -> None:
        ranker._cache = FeatureCache()
        ranker.prepare(digest)

    cold = timings(cold_rank, COLD_RUNS)
    prepared = timings(prepare, COLD_RUNS)
    learn = []
    for paper in newcomers[:repeat]:
        learn += timings(lambda i: ranker.learn(paper, label(paper)), 1)
        ranker.unlearn(paper, label(paper))
    warm = timings(lambda i: (ranker.learn(newcomers[i], True), ranker.rank(digest)), min(repeat, 50))
    explain = timings(lambda i: ranker.explain(digest[i % DIGEST]), repeat)
    return [
        row(f"full train, {len(decided):,} decisions", [train_ms], "in a worker, at start-up"),
        row("one decision: learn() (incremental)", learn, "<= 200 ms"),
        row(f"rank a {DIGEST}-paper digest never seen (features extracted)", cold, "<= 100 ms"),
        row(f"prepare() that digest's features (in a worker, on import)", prepared, ""),
        row(f"re-rank the same digest after a decision (learn + rank)", warm, "<= 100 ms"),
        row("explain one paper", explain, ""),
    ]


def memory(decided: list[Paper]) -> str:
    """Bytes the trained model holds (counts, decisions and its cache of recent features)."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    ranker = Ranker()
    ranker.train((p, label(p)) for p in decided)
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    counts = ranker._counts  # the bench may look inside: it reports the vocabulary size
    return (f"model memory after training: {held / 2**20:.1f} MiB (tracemalloc; {len(counts.kept):,} "
            f"kept and {len(counts.dismissed):,} dismissed feature counts, plus the recent-features cache)")


def main() -> None:
    """Print the speed table with the load average."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--decisions", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=200, help="samples per timed row")
    args = parser.parse_args()
    start = time.perf_counter()
    decided, fresh = sample(args.papers, args.decisions, DIGEST + args.repeat)
    print(f"library of {args.papers:,} synthetic papers generated in {time.perf_counter() - start:.0f} s; "
          f"{args.decisions:,} decisions ({sum(map(label, decided)):,} kept)\n")
    print("| what | median ms | p95 ms | samples | target |\n|---|---|---|---|---|")
    print("\n".join(measure(decided, fresh, args.repeat)))
    print("\n" + memory(decided))
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
