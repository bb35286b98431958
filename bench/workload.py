"""One engine at one library size, in its own process: build, add a digest, time queries, report JSON.

Run by bench.py as `python bench/workload.py ENGINE LIBRARY INDEX_DIR RESULT_JSON [--quick]`.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import random
import re
import resource
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus import LAST_NAMES, Library, load_vocabulary, make_digest  # noqa: E402
from fts5_ref import Fts5Index  # noqa: E402
from procmem import pss_kb, tree  # noqa: E402

VISIBLE = 20  # rows on screen: the ones whose highlights a keystroke pays for
LIMIT = 50  # hits asked for per query, by both engines
RANGES = ("date:2024", "upvotes:>=10", "date:2023-01..2024-06")
_STOP = frozenset("the and for with that this from are our which these their than into has have been can not "
                  "its also such more while using based over show when where other each they both".split())


def query_sets(quick: bool, seed: int = 7) -> dict[str, list[str]]:
    """The queries of each class, drawn from the seed vocabulary (the same for both engines)."""
    vocab = load_vocabulary()
    rng = random.Random(seed)
    count = 10 if quick else 30
    sentences = [[w for w in re.findall(r"[a-z]+", s.lower()) if len(w) > 3 and w not in _STOP]
                 for s in vocab.sentences]
    sentences = [s for s in sentences if len(s) >= 3]
    words = [" ".join(rng.sample(rng.choice(sentences), k)) for k in (1, 2, 3) for _ in range(count // 3)]
    phrases = []
    while len(phrases) < count * 2 // 3:
        run = re.findall(r"[A-Za-z]+(?: [A-Za-z]+){1,2}", rng.choice(vocab.sentences))
        run = [r.lower() for r in run if all(len(w) > 3 for w in r.split())]
        if run:
            phrases.append(f'"{rng.choice(run)}"')
    titles = [w.lower() for w in vocab.title_words if w.isalpha() and len(w) > 4]
    fields = [f"title:{w}" for w in rng.sample(titles, count // 3)]
    fields += [f"author:{n.lower()}" for n in rng.sample(LAST_NAMES, count // 3)]
    common = [w for w, _ in Counter(w for s in sentences for w in s).most_common(40)]
    ranges = list(RANGES) + [f"{rng.choice(common)} {r}" for r in RANGES * (1 if quick else 2)]
    return {"words": words, "phrases": phrases, "fields": fields, "ranges": ranges,
            "typing": typed_strings(8 if quick else 20)}


def typed_strings(count: int) -> list[str]:
    """Frequent two-word title phrases like "graph neural", no first word twice, at most two
    starting with the same letter (so the 2-letter prefixes vary)."""
    vocab = load_vocabulary()
    words = [w.lower() for w in vocab.title_words]
    pairs = Counter((a, b) for a, b in zip(words, words[1:])
                    if a.isalpha() and b.isalpha() and len(a) > 3 and len(b) > 3 and _STOP.isdisjoint((a, b)))
    chosen: list[str] = []
    for (a, b), _ in pairs.most_common():
        if len(chosen) < count and sum(c[0] == a[0] for c in chosen) < 2 and a not in " ".join(chosen).split():
            chosen.append(f"{a} {b}")
    return chosen


def keystrokes(text: str) -> list[str]:
    """What the search box holds after each key, from the second character on."""
    return [text[:i] for i in range(2, len(text) + 1)]


class WhooshEngine:
    """The app's SearchIndex, timed the way the result list uses it."""

    def __init__(self, directory: Path, module: str, library: Library) -> None:
        self.directory, self.library = directory, library
        self.cls = importlib.import_module(module).SearchIndex
        self.ix = None
        # Like-for-like with FTS5: highlights for the visible rows only, where the adapter lets us say so.
        accepted = inspect.signature(self.cls.search).parameters
        self.options = {"highlighted": VISIBLE} if "highlighted" in accepted else {}

    def open(self) -> str | None:
        """A new index object on the directory, opened: None if healthy, else the reason."""
        self.ix = self.cls(self.directory)
        return self.ix.open()

    def rebuild(self, papers, total: int) -> int:
        """Full build from the papers; returns how many were indexed."""
        return self.ix.rebuild(papers, total=total)

    def update(self, papers) -> None:
        """Incremental add/replace (one digest)."""
        self.ix.update(papers, seq=1)

    def search(self, query: str, as_you_type: bool) -> tuple[float, list[str], bool]:
        """Seconds for top 50 plus highlights of the visible rows (asked for when hits lack them),
        the ids found, and whether the engine cut the search short (a partial result)."""
        start = time.perf_counter()
        result = self.ix.search(query, limit=LIMIT, as_you_type=as_you_type, **self.options)
        elapsed = time.perf_counter() - start
        lazy = [h for h in result.hits[:VISIBLE] if not (h.excerpt or h.excerpt_spans)]
        if lazy:
            texts = self.library.texts(h.id for h in lazy)
            start = time.perf_counter()
            for hit in lazy:
                title, abstract = texts.get(hit.id, ("", ""))
                if not hit.title_spans:
                    self.ix.spans(title, query)
                self.ix.spans(abstract, query)
            elapsed += time.perf_counter() - start
        return elapsed, [h.id for h in result.hits], result.partial

    def highlight(self, ids: list[str], query: str) -> float:
        """Seconds to compute title and abstract spans for these papers (texts fetched untimed)."""
        texts = self.library.texts(ids)
        start = time.perf_counter()
        for title, abstract in texts.values():
            self.ix.spans(title, query)
            self.ix.spans(abstract, query)
        return time.perf_counter() - start

    def related(self, paper_id: str) -> list[str]:
        """Ids of the 20 papers most like this one."""
        return [h.id for h in self.ix.related(paper_id, limit=20)]

    def size_bytes(self) -> int:
        """Bytes of every file under the index directory."""
        return sum(p.stat().st_size for p in self.directory.rglob("*") if p.is_file())

    def close(self) -> None:
        """Release the index (searchers, files)."""
        self.ix.close()


class Fts5Engine(WhooshEngine):
    """The FTS5 reference behind the same calls."""

    def __init__(self, directory: Path, module: str, library: Library) -> None:
        self.directory, self.library, self.ix = directory, library, None
        self.cls = Fts5Index

    def search(self, query: str, as_you_type: bool) -> tuple[float, list[str], bool]:
        start = time.perf_counter()
        result = self.ix.search(query, limit=LIMIT, as_you_type=as_you_type, highlight=VISIBLE)
        return time.perf_counter() - start, [h.id for h in result.hits], result.partial

    def highlight(self, ids: list[str], query: str) -> float:
        start = time.perf_counter()
        self.ix.highlight_ids(ids, query)
        return time.perf_counter() - start

    def size_bytes(self) -> int:
        return self.ix.size_bytes()


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set so far of this process (or its largest finished child); ru_maxrss is in KiB."""
    return resource.getrusage(who).ru_maxrss / 1024


class TreeMemory(threading.Thread):
    """Samples this process and its descendants (indexing workers) every 0.1 s; keeps the largest
    sum of their PSS (shared pages split between the processes, so forked workers are not counted
    twice). Linux only: elsewhere `peak_mb` stays 0."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_mb = 0.0

    def run(self) -> None:
        while True:
            self.peak_mb = max(self.peak_mb, sum(map(pss_kb, tree(os.getpid()))) / 1024)
            time.sleep(0.1)




def run(engine: WhooshEngine, library: Library, quick: bool) -> dict:
    """Build, add a digest, then time every query class on a freshly opened index."""
    out: dict = {"papers": len(library)}
    memory = TreeMemory()
    memory.start()
    engine.open()
    start = time.perf_counter()
    out["indexed"] = engine.rebuild(library.papers(), total=out["papers"])
    out["build_s"] = time.perf_counter() - start
    out["size_mb"] = engine.size_bytes() / 1e6
    out["rss_build_mb"] = peak_rss_mb()
    out["rss_children_mb"] = peak_rss_mb(resource.RUSAGE_CHILDREN)
    out["tree_build_mb"] = memory.peak_mb
    digest = make_digest(50)
    start = time.perf_counter()
    engine.update(digest)
    out["digest_s"] = time.perf_counter() - start
    engine.close()
    out.update(time_queries(engine, library, quick))
    out["rss_total_mb"] = peak_rss_mb()
    out["tree_total_mb"] = memory.peak_mb
    return out


def time_queries(engine: WhooshEngine, library: Library, quick: bool) -> dict:
    """ms per query (median over passes; each pass reopens the index and runs one warm-up query)."""
    sets = query_sets(quick)
    plan = {name: [(q, False) for q in qs] for name, qs in sets.items() if name != "typing"}
    plan["typing"] = [(k, True) for text in sets["typing"] for k in keystrokes(text)]
    samples: dict[str, dict[str, list[float]]] = {name: {} for name in plan}
    top10: dict[str, list[str]] = {}
    partial: set[str] = set()
    budget = 20 if quick else 90
    for done in range(1 if quick else 3):
        reason = engine.open()
        if reason is not None:
            raise RuntimeError(f"index did not open after the build: {reason}")
        engine.search("learning representations", False)
        for name, queries in plan.items():
            if done and sum(sum(v) for v in samples[name].values()) / done > budget * 1000:
                continue  # one pass of a very slow class is enough
            for query, typing in queries:
                elapsed, ids, cut_short = engine.search(query, typing)
                samples[name].setdefault(query, []).append(elapsed * 1000)
                top10.setdefault(query, ids[:10])
                if cut_short:
                    partial.add(query)
        if done == 0:
            samples["highlight"] = time_highlights(engine, sets["words"] + sets["phrases"])
            samples["related"] = time_related(engine, library.sample_ids(10 if quick else 30))
        engine.close()
    return {"ms": {name: [sorted(v)[len(v) // 2] for v in per.values()] for name, per in samples.items()},
            "typing_2": [sorted(v)[len(v) // 2] for q, v in samples["typing"].items() if len(q) == 2],
            "top10": top10, "partial": sorted(partial), "queries": {name: list(per) for name, per in samples.items()}}


def time_highlights(engine: WhooshEngine, queries: list[str]) -> dict[str, list[float]]:
    """ms to highlight the visible rows of each query's results, the search itself untimed."""
    out = {}
    for query in queries:
        _, ids, _ = engine.search(query, False)
        out[query] = [engine.highlight(ids[:VISIBLE], query) * 1000]
    return out


def time_related(engine: WhooshEngine, ids: list[str]) -> dict[str, list[float]]:
    """ms for the 20 papers most like each of a sample of papers."""
    out = {}
    for paper_id in ids:
        start = time.perf_counter()
        engine.related(paper_id)
        out[paper_id] = [(time.perf_counter() - start) * 1000]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("engine", choices=("whoosh", "fts5"))
    parser.add_argument("library", type=Path)
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--index-module", default="tui.search.index")
    args = parser.parse_args(argv)
    library = Library(args.library)
    kind = WhooshEngine if args.engine == "whoosh" else Fts5Engine
    engine = kind(args.index_dir, args.index_module, library)
    args.result.write_text(json.dumps(run(engine, library, args.quick)))


if __name__ == "__main__":
    main()
