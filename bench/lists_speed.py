"""What watch highlights add to a keystroke, and what saved-search counts cost, on a big library.

Usage: .venv/bin/python bench/lists_speed.py [--papers 100000] [--from DATA_DIR] [--watches 10,50]

A working copy of a bench library (`bench/app_library.py`, or `--from` any data directory with
a built index) gets watches: half authors drawn from the library, half keywords and phrases
from its titles. Then, for every prefix of a few queries typed letter by letter, it times what
the app's search worker does per keystroke: the page (`Service.page`, as you type, 100 rows),
then the watch marks of those rows (`Service.watch_marks`) and drawing the rows with them
(`build_rows`). "added" is marks + the extra drawing, the number the <= 5 ms target is about.
It also times the triage card's marks (one paper, on the UI thread), `is:watched`, and
counting saved searches (in a worker). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from tui.records import SearchRequest  # noqa: E402
from tui.service import open_service  # noqa: E402
from tui.ui.widgets.results import build_rows  # noqa: E402

QUERIES = ("graph neural networks", "diffusion models for images", "large language model reasoning")
KEYWORDS = ("graph", '"language model"', "diffusion", "reinforcement", "transformer*", "contrastive",
            '"optimal transport"', "robot", "segmentation", "benchmark")
SEED = 14


def ms(run) -> float:
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def row(name: str, values: list[float], target: str = "") -> str:
    return f"| {name} | {statistics.median(values):.2f} | {p95(values):.2f} | {len(values)} | {target} |"


def add_watches(service, count: int, rng: random.Random) -> None:
    """`count` watches: half authors seen in the library, half keywords."""
    for watch in service.watches():
        service.delete_watch(None, str(watch.id))
    papers = [paper for _, paper in service.page(SearchRequest("", limit=3000)).rows if paper.authors]
    authors = sorted({name for paper in papers for name in paper.authors})
    for name in rng.sample(authors, count - count // 2):
        service.add_watch("author", name)
    keywords = list(KEYWORDS) + [f"{a} {b}" for a in ("graph", "deep", "neural") for b in ("learning", "network")]
    for text in (keywords * 10)[: count // 2]:
        service.add_watch("keyword", text if (keywords * 10).index(text) < len(keywords) else f"{text} {len(text)}")


def keystrokes(service) -> tuple[list[float], list[float], list[float], int]:
    """Per keystroke: the page, what the watches add, and the marks alone; and rows marked."""
    pages, added, marks_only, marked = [], [], [], 0
    for text in QUERIES:
        for end in range(2, len(text) + 1):
            request = SearchRequest(text[:end], limit=100, as_you_type=True)
            page = None

            def search():
                nonlocal page
                page = service.page(request)
            pages.append(ms(search))
            plain = ms(lambda: build_rows(page.rows))
            found = {}

            def mark():
                found.update(service.watch_marks(page.rows))
            marking = ms(mark)
            drawing = ms(lambda: build_rows(page.rows, marks=found))
            marks_only.append(marking)
            added.append(marking + max(drawing - plain, 0.0))
            marked += len(found)
    return pages, added, marks_only, marked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--from", dest="source", help="a data directory with a built index (copied first)")
    parser.add_argument("--watches", default="10,50", help="watch-list sizes to measure, comma separated")
    args = parser.parse_args()
    if args.source:
        source = Path(args.source)
    else:
        from app_library import ensure_library
        source = ensure_library(args.papers)
    work = Path(tempfile.mkdtemp(prefix="lists-bench-"))
    try:
        data = work / "data"
        shutil.copytree(source, data, ignore=shutil.ignore_patterns("backups", "bench-library.json"))
        run(data, [int(n) for n in args.watches.split(",")])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(data: Path, sizes: list[int]) -> None:
    service = open_service(data, backup=False)
    rng = random.Random(SEED)
    try:
        notice = service.upkeep.ensure()
        papers = service.stats().papers
        print(f"library: {papers:,} papers, index ready ({notice or 'as it was'})\n")
        print("| step | median ms | p95 ms | runs | target |")
        print("|---|---:|---:|---:|---|")
        pages, _, _, _ = keystrokes(service)  # warm: the searcher, the caches
        pages, added, _, _ = keystrokes(service)
        print(row("keystroke page, no watches (search + rows)", pages))
        print(row("added by watches, none watched", added, "<= 5"))
        for size in sizes:
            add_watches(service, size, rng)
            cold = keystrokes(service)[1]  # before the watches are prepared: each row checked on its own
            print(row(f"added by {size} watches per keystroke, not prepared yet", cold))
            prepare = ms(service.prepare_watches)
            print(row(f"prepare {size} watches (worker, once; then kept current by each write)", [prepare]))
            pages, added, marking, marked = keystrokes(service)
            print(row(f"added by {size} watches per keystroke ({marked / len(added):.1f} rows marked of 100)",
                      added, "<= 5"))
            print(row(f"  of which marks ({size} watches)", marking))
            ids = [hit.id for hit, _ in service.page(SearchRequest("", limit=5000)).rows]
            sample = rng.sample(ids, 200)
            card = [ms(lambda i=i: service.watch_marks([(None, service.get(i))])) for i in sample]
            print(row(f"triage card marks, one paper ({size} watches)", card))
            watched = [ms(lambda: service.page(SearchRequest("is:watched", limit=100))) for _ in range(5)]
            print(row(f"is:watched search, submitted ({size} watches)", watched))
        for name, query in (("gnn", "graph neural"), ("llm", '"language model" -survey'), ("new", "is:new"),
                            ("watched", "is:watched"), ("recent", "date:30d transformer*")):
            service.add_saved_search(name, query)
        counts = [ms(lambda s=s: service.count_saved(s)) for s in service.saved_searches() for _ in range(3)]
        print(row("count one saved search (worker)", counts))
    finally:
        service.close()


if __name__ == "__main__":
    main()
