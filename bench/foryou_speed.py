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

With `--service` (the default) a second table times the same work through the path the app
uses: a real library of that many papers (`bench/app_library.py`'s cached one, copied; its
random user state cleared), the decisions written as events with `Service.decide`, then
`Service.foryou.train()` (start-up, in a worker), one decision and one undo through
`Service.decide` / `Service.undo` (library write plus the model following it), and pages of
the Inbox in the "for you" order via `Service.page`: one 500-paper digest, and the whole Inbox
(which ranks its first RANKED_LISTING papers, see tui/service/foryou.py).
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
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from corpus import iter_library  # noqa: E402
from tui.records import SearchRequest  # noqa: E402
from tui.service.foryou import RANKED_LISTING  # noqa: E402
from tui.vocabulary import Sort, View  # noqa: E402
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


def service_rows(papers: int, decisions: int, repeat: int) -> list[str]:
    """The same work through the Service, on a real library with `decisions` decision events."""
    import shutil
    import sqlite3
    import tempfile

    from app_library import ensure_library
    from tui import paths
    from tui.service import open_service

    source = ensure_library(papers)
    with tempfile.TemporaryDirectory(prefix="foryou-speed-") as tmp:
        home = Path(tmp)
        target = paths.library_path(paths.data_dir(home))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(next(source.glob("library.sqlite3")), target)
        with sqlite3.connect(target) as conn:  # the corpus's random states are no one's decisions
            conn.execute("UPDATE papers SET starred = 0, status = 'new'")
        service = open_service(home, backup=False)
        try:
            return _through_service(service, decisions, repeat)
        finally:
            service.close()


def _through_service(service, decisions: int, repeat: int) -> list[str]:
    """Write the decisions, then time training, single decisions, undo and for-you pages."""
    digest = service.digests()[0].id  # the newest digest (as the app names it): 500 papers nobody decided on
    rng = random.Random(SEED)
    pool = _ids_outside(service, digest)
    chosen = rng.sample(pool, decisions + repeat)
    decided, spare = chosen[:decisions], chosen[decisions:]
    papers = service.papers(decided)
    kept = [i for i in decided if label(papers[i])]
    service.decide(kept, "kept")
    service.decide([i for i in decided if not label(papers[i])], "dismissed")
    start = time.perf_counter()
    status = service.foryou.train()
    train_ms = (time.perf_counter() - start) * 1000
    listing = SearchRequest("", View.INBOX, Sort.FOR_YOU, limit=100, digest=digest)
    whole = SearchRequest("", View.INBOX, Sort.FOR_YOU, limit=100)
    plain = SearchRequest("", View.INBOX, Sort.RELEVANCE, limit=100, digest=digest)
    cold = timings(lambda i: service.page(listing), 1)
    service.foryou._papers, service.foryou.ranker._cache = {}, FeatureCache()  # forget them again
    service.foryou.trained = False  # start() at app start-up trains too
    warm_up = timings(lambda i: service.foryou.start(), 1)
    first = timings(lambda i: service.page(listing), 1)
    own = timings(lambda i: service.page(plain), min(repeat, 20))
    decide = timings(lambda i: service.decide([spare[i]], "kept" if i % 2 else "dismissed"), min(repeat, 100))
    undo = timings(lambda i: service.undo(), min(repeat, 100))
    warm = timings(lambda i: (service.decide([spare[i]], "kept"), service.page(listing)), min(repeat, 30))
    inbox_cold = timings(lambda i: service.page(whole), 1)
    inbox_own = timings(lambda i: service.page(replace(whole, sort=Sort.RELEVANCE)), min(repeat, 10))
    inbox = timings(lambda i: (service.decide([spare[-1 - i]], "dismissed"), service.page(whole)), min(repeat, 10))
    return [
        f"through the Service: {service.stats().papers:,} papers, "
        f"{status.kept:,} kept and {status.dismissed:,} dismissed decisions as events\n",
        "| what | median ms | p95 ms | samples | target |\n|---|---|---|---|---|",
        row(f"Service.foryou.train(): every decision from the library's events", [train_ms], "in a worker, at start-up"),
        row("Service.decide() of one paper: write + model follows", decide, "<= 200 ms, no visible pause"),
        row("Service.undo() of that decision: write + unlearn", undo, "<= 200 ms"),
        row("Service.page(): a 500-paper digest, digest order (reference)", own, ""),
        row("Service.page(): that digest in for-you order, never seen (features extracted)", cold,
            f"<= 100 ms; {_ratio(cold, own)}"),
        row("Service.foryou.start(): train + read and extract the Inbox's first papers and the newest digest",
            warm_up, "in a worker, at start-up"),
        row("Service.page(): that digest in for-you order, first time after start()", first,
            f"<= 100 ms; {_ratio(first, own)}"),
        row("Service.page(): decide one paper, then that digest in for-you order again", warm,
            f"<= 100 ms; {_ratio(warm, own)}"),
        row("Service.page(): whole Inbox, digest order (reference)", inbox_own, ""),
        row("Service.page(): whole Inbox in for-you order, first time", inbox_cold, _ratio(inbox_cold, inbox_own)),
        row(f"Service.page(): decide one, then the whole Inbox in for-you order (first {RANKED_LISTING:,} ranked)",
            inbox, _ratio(inbox, inbox_own)),
    ]


def _ratio(values: list[float], reference: list[float]) -> str:
    """How many times the same listing in digest order, measured in the same run, this costs (medians)."""
    return f"{statistics.median(values) / statistics.median(reference):.1f}x digest order"


def _ids_outside(service, digest: int) -> list[str]:
    """Ids of every paper not in `digest` (the decisions are drawn from the older digests)."""
    inside = set(service.listing_ids(SearchRequest("", View.ALL, digest=digest)))
    return [i for i in service.view_ids(View.ALL) if i not in inside]


def main() -> None:
    """Print the speed table with the load average."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--decisions", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=200, help="samples per timed row")
    parser.add_argument("--no-service", action="store_true", help="only the Ranker table")
    args = parser.parse_args()
    start = time.perf_counter()
    decided, fresh = sample(args.papers, args.decisions, DIGEST + args.repeat)
    print(f"library of {args.papers:,} synthetic papers generated in {time.perf_counter() - start:.0f} s; "
          f"{args.decisions:,} decisions ({sum(map(label, decided)):,} kept)\n")
    print("| what | median ms | p95 ms | samples | target |\n|---|---|---|---|---|")
    print("\n".join(measure(decided, fresh, args.repeat)))
    print("\n" + memory(decided))
    if not args.no_service:
        print()
        print("\n".join(service_rows(args.papers, args.decisions, args.repeat)))
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
