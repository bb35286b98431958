"""Real paper-reader data directories (library + built index) from the bench corpus, cached under /tmp."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import DEFAULT_SEED, iter_library, make_digest  # noqa: E402

from tui.records import Paper  # noqa: E402

#: Where built libraries are kept between runs (derived data: safe to delete).
CACHE_ROOT = Path(os.environ.get("PAPER_READER_BENCH_CACHE", "/tmp/paper-reader-bench"))
#: Papers per synthetic daily digest: two arXiv categories give a few hundred papers a day.
DIGEST_SIZE = 500
#: Written last, so a half-built directory is never taken for a finished one.
DONE = "bench-library.json"
#: Bumped when the way libraries are built changes, so old caches are not reused.
LAYOUT = 3


def cache_dir(n: int, seed: int = DEFAULT_SEED, vocabulary: str = "seed") -> Path:
    """The cache folder of one library, keyed by size, seed and vocabulary."""
    return CACHE_ROOT / f"lib-v{LAYOUT}-{vocabulary}-{n}-{seed}"


def ensure_library(n: int, seed: int = DEFAULT_SEED, vocabulary: str = "seed") -> Path:
    """A data directory holding `n` papers and their index; built once, then reused."""
    target = cache_dir(n, seed, vocabulary)
    if (target / DONE).exists():
        return target
    building = target.with_name(target.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    info = build_library(building, n, seed, vocabulary)
    (building / DONE).write_text(json.dumps(info, indent=1))
    shutil.rmtree(target, ignore_errors=True)
    building.rename(target)
    return target


def build_library(data_dir: Path, n: int, seed: int, vocabulary: str) -> dict:
    """Import the corpus as daily digests through the app's own library, set user state, index it."""
    from tui.service import open_service

    backend = open_service(data_dir, backup=False)
    started = time.perf_counter()
    try:
        papers = iter_library(n, seed, vocabulary=vocabulary)
        for number, chunk in enumerate(_chunks(papers, DIGEST_SIZE)):
            _import_chunk(backend._library, chunk, number, n, seed)
            _log(f"library {n}: {(number + 1) * DIGEST_SIZE:,} papers stored")
        _set_user_state(backend._library, iter_library(n, seed, vocabulary=vocabulary))
        stored = time.perf_counter()
        backend.upkeep.rebuild(progress=_index_progress(n))
        indexed = time.perf_counter()
    finally:
        backend.close()
    return {"papers": n, "seed": seed, "vocabulary": vocabulary,
            "store_s": round(stored - started, 1), "index_s": round(indexed - stored, 1)}


def _chunks(papers: Iterator[Paper], size: int) -> Iterator[list[Paper]]:
    while chunk := list(islice(papers, size)):
        yield chunk


def _import_chunk(library, chunk: list[Paper], number: int, n: int, seed: int) -> None:
    """One digest per chunk, as the app stores a daily digest (sightings, one transaction)."""
    day = min(p.date for p in chunk)
    library.import_entries(f"bench-{number:04d}.txt", "C", day, f"bench-{n}-{seed}-{number}", chunk, lambda: ())


def _set_user_state(library, papers: Iterator[Paper]) -> None:
    """Stars, notes and triage states of the corpus (a digest import does not carry them)."""
    rows = ((int(p.starred), p.note, p.status, p.id) for p in papers
            if p.starred or p.note or p.status != "new")
    with library.transaction() as conn:
        conn.executemany("UPDATE papers SET starred = ?, note = ?, status = ? WHERE id = ?", rows)


def _index_progress(n: int):
    last = [0.0]

    def progress(done: int, total: int | None) -> None:
        if time.monotonic() - last[0] > 10:  # one line every 10 s is enough for a log
            last[0] = time.monotonic()
            _log(f"index {n}: {done:,}/{total or n:,}")
    return progress


def working_copy(source: Path, parent: Path) -> Path:
    """A throw-away copy of a cached data directory, for runs that write to it (stars, imports)."""
    target = parent / source.name
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(DONE, "backups"))
    return target


def write_digest_file(path: Path, n: int = 50, seed: int = DEFAULT_SEED) -> Path:
    """A 50-paper digest in format C (trending page text) that no bench library contains."""
    lines = ["Get trending papers in your email inbox once a day!", "Get trending papers in your email inbox!"]
    for i, paper in enumerate(make_digest(n, seed)):
        lines += [("Subscribe" if i == 0 else "") + paper.title, paper.abstract]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    # python bench/app_library.py 1000 10000 [--vocabulary realistic]: build the caches ahead of a run.
    vocab = sys.argv[sys.argv.index("--vocabulary") + 1] if "--vocabulary" in sys.argv else "seed"
    for size in (int(a) for a in sys.argv[1:] if a.isdigit()):
        print(ensure_library(size, vocabulary=vocab))
