"""Offline evaluation of the "for you" order on real digest text, with simulated readers.

Usage: .venv/bin/python bench/foryou_eval.py [--seeds 10] [--noise 0.1]

Papers come from `seeds/*.txt` (parsed) and the parsed `*.expected.json` beside the real
arXiv / Hugging Face samples in /work/shared/samples (or $PAPER_READER_SAMPLES). Each source is
spread evenly over one timeline, in its own order, as a reader subscribed to several feeds meets
them (so every feed appears in history and in the test digests), and the timeline is cut into
days of DAY papers. The first TRAIN papers are history, the rest become test digests. Each
simulated reader has a known interest; it decides on every history paper (with a share of random
flips), the model learns the most recent N decisions, and each test digest is ranked by the
model, in digest order, by upvotes, and at random. Relevance is the reader's true interest.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.parsing import parse_digest  # noqa: E402
from tui.ranking import Ranker  # noqa: E402
from tui.records import Paper  # noqa: E402

SAMPLES = Path(os.environ.get("PAPER_READER_SAMPLES", "/work/shared/samples"))
DAY = 40  # papers per simulated test digest: top 10 of 40 asks the order to choose
TRAIN = 250  # history papers, so 100 decisions fit with room; the ~160 left are 4 test digests
BUDGETS = (25, 50, 100)  # decisions learned, as in the target "after 100 decisions"
K = 10  # precision and nDCG at the first screenful of ten
TARGET_BUDGET, TARGET_RATIO = 100, 2.0  # the target: 2x digest order's P@10 after 100 decisions

Interest = Callable[[Paper], bool]


def _words(*patterns: str) -> Interest:
    """A reader who keeps papers whose title or abstract says any of these words."""
    rx = re.compile(r"\b(?:" + "|".join(patterns) + r")", re.IGNORECASE)
    return lambda p: bool(rx.search(f"{p.title} {p.abstract}"))


def _authors(*names: str) -> Interest:
    """A reader who keeps every paper by one of these authors."""
    wanted = set(names)
    return lambda p: bool(wanted.intersection(p.authors))


def _category(*codes: str) -> Interest:
    """A reader who keeps papers whose primary category is one of these (bare or `cs.` form)."""
    wanted = {c.removeprefix("cs.") for c in codes}
    return lambda p: (p.category or "").removeprefix("cs.") in wanted


USERS: dict[str, Interest] = {
    "category LG": _category("LG"),
    "authors (Jegelka group)": _authors("Stefanie Jegelka", "Yifei Wang", "Sharut Gupta",
                                        "Joshua Robinson", "Derek Lim", "Ching-Yao Chuang"),
    "topic: vision": _words("image", "video", "visual", "vision"),
    "topic: RL": _words("reinforcement", "reward", "polic"),
    "mixed: diffusion|reasoning|Jegelka": lambda p: (_words("diffusion", "reasoning")(p)
                                                  or _authors("Stefanie Jegelka")(p)),
}


def load_pool() -> list[Paper]:
    """Every distinct real paper; each source spread evenly over the timeline, in its own order."""
    sources = [list(parse_digest(path).entries) for path in sorted((ROOT / "seeds").glob("*.txt"))]
    for path in sorted(SAMPLES.glob("**/*.expected.json")):
        sources.append([_paper(item) for item in json.loads(path.read_text(encoding="utf-8"))])
    timeline = sorted(((i + 0.5) / len(source), n, paper)
                      for n, source in enumerate(sources) for i, paper in enumerate(source))
    pool, seen = [], set()
    for _, _, paper in timeline:
        if paper.id not in seen:
            seen.add(paper.id)
            pool.append(paper)
    return pool


def _paper(item: dict) -> Paper:
    """A Paper from the parse contract's JSON (lists become tuples, null text empty)."""
    fields = {k: tuple(v) if isinstance(v, list) else v for k, v in item.items()}
    return Paper(**{**fields, "abstract": fields.get("abstract") or "", "title": fields.get("title") or ""})


def precision(relevant: list[bool]) -> float:
    """Share of the first K that the reader wanted."""
    return sum(relevant[:K]) / K


def ndcg(relevant: list[bool]) -> float:
    """Binary nDCG@K; a digest with nothing relevant counts 0 for every order."""
    dcg = sum(r / math.log2(i + 2) for i, r in enumerate(relevant[:K]))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(K, sum(relevant))))
    return dcg / ideal if ideal else 0.0


@dataclass(frozen=True)
class Scores:
    """Mean precision@K and nDCG@K of one ordering over the test digests."""

    p: float
    n: float


def evaluate(orders: list[list[Paper]], interest: Interest) -> Scores:
    """Average the two metrics over the test digests, each already in the order being judged."""
    rel = [[interest(p) for p in order] for order in orders]
    return Scores(sum(map(precision, rel)) / len(rel), sum(map(ndcg, rel)) / len(rel))


def decisions(history: list[Paper], interest: Interest, noise: float, rng: random.Random) -> list[tuple[Paper, bool]]:
    """The reader's verdict on each history paper; a `noise` share are flipped at random."""
    return [(p, interest(p) != (rng.random() < noise)) for p in history]


def orderings(tests: list[list[Paper]], ranker: Ranker, interest: Interest,
              rng: random.Random) -> dict[str, list[list[Paper]]]:
    """Each test digest in the orders compared, and in the best order (the ceiling)."""
    def by_upvotes(day: list[Paper]) -> list[Paper]:
        return sorted(day, key=lambda p: -(p.upvotes if p.upvotes is not None else -1))

    return {
        "best possible": [sorted(day, key=lambda p: not interest(p)) for day in tests],
        "for you": [[p for p, _ in ranker.rank(day)] for day in tests],
        "digest": tests,
        "upvotes": [by_upvotes(day) for day in tests],
        "random": [rng.sample(day, len(day)) for day in tests],
    }


def run_user(pool: list[Paper], interest: Interest, budget: int, seeds: int, noise: float) -> dict[str, Scores]:
    """Mean scores of each ordering for one reader and decision budget, over `seeds` runs."""
    history, rest = pool[:TRAIN], pool[TRAIN:]
    tests = [rest[i:i + DAY] for i in range(0, len(rest) - DAY + 1, DAY)]
    totals: dict[str, list[Scores]] = {}
    for seed in range(seeds):
        rng = random.Random(seed)
        ranker = Ranker()
        ranker.train(decisions(history, interest, noise, rng)[-budget:])
        for name, orders in orderings(tests, ranker, interest, rng).items():
            totals.setdefault(name, []).append(evaluate(orders, interest))
    return {name: Scores(sum(s.p for s in runs) / seeds, sum(s.n for s in runs) / seeds)
            for name, runs in totals.items()}


def table(pool: list[Paper], seeds: int, noise: float) -> list[str]:
    """The evaluation table: one row per reader and budget, then the averages per budget."""
    names = ("for you", "digest", "upvotes", "random", "best possible")
    head = "| reader | decisions | base rate | " + " | ".join(f"{n} P@10 | {n} nDCG@10" for n in names)
    lines = [head + " | for you / digest P@10 |", "|" + "---|" * (4 + 2 * len(names))]
    means: dict[int, list[dict[str, Scores]]] = {}
    target: list[str] = []
    for user, interest in USERS.items():
        base = sum(map(interest, pool[TRAIN:])) / len(pool[TRAIN:])
        for budget in BUDGETS:
            result = run_user(pool, interest, budget, seeds, noise)
            means.setdefault(budget, []).append(result)
            lines.append(_row(user, budget, f"{base:.0%}", result, names))
    for budget, results in means.items():
        mean = {n: Scores(sum(r[n].p for r in results) / len(results), sum(r[n].n for r in results) / len(results))
                for n in names}
        lines.append(_row("**average**", budget, "", mean, names))
        if budget == TARGET_BUDGET:
            ratio = mean["for you"].p / mean["digest"].p
            verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
            target.append(f"\ntarget: for you P@10 >= {TARGET_RATIO:g}x digest order's after {budget} decisions, "
                          f"averaged over the readers: {ratio:.2f}x, {verdict}")
    return lines + target


def _row(user: str, budget: int, base: str, result: dict[str, Scores], names: tuple[str, ...]) -> str:
    """One Markdown table row."""
    cells = " | ".join(f"{result[n].p:.2f} | {result[n].n:.2f}" for n in names)
    ratio = result["for you"].p / result["digest"].p if result["digest"].p else float("inf")
    return f"| {user} | {budget} | {base} | {cells} | {ratio:.1f}x |"


def main() -> None:
    """Print the evaluation table for the simulated readers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="runs per reader (noise and random order)")
    parser.add_argument("--noise", type=float, default=0.1, help="share of decisions flipped at random")
    args = parser.parse_args()
    pool = load_pool()
    tests = (len(pool) - TRAIN) // DAY
    print(f"{len(pool)} real papers: {TRAIN} history, {tests} test digests of {DAY}; "
          f"{args.seeds} seeds, {args.noise:.0%} of decisions flipped; upvotes known for "
          f"{sum(p.upvotes is not None for p in pool[TRAIN:])} test papers\n")
    print("\n".join(table(pool, args.seeds, args.noise)))


if __name__ == "__main__":
    main()
