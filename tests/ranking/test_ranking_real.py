"""The "for you" order on real digest text: the bundled seeds and the real arXiv/HF samples."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tui.parsing import parse_digest
from tui.ranking import Ranker
from tui.records import Paper

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = Path(os.environ.get("PAPER_READER_SAMPLES", "/work/shared/samples"))
GRAPHS = re.compile(r"\bgraph", re.IGNORECASE)


def _likes_graphs(paper: Paper) -> bool:
    """The simulated reader: keeps papers about graphs."""
    return bool(GRAPHS.search(f"{paper.title} {paper.abstract}"))


@pytest.fixture(scope="module")
def format_b() -> list[Paper]:
    """The seed digest with authors and categories (format B), in digest order."""
    return list(parse_digest(ROOT / "seeds" / "003_8aceefb3bb95496f.txt").entries)


def likes_images(paper: Paper) -> bool:
    """Another simulated reader: keeps papers about images."""
    return "image" in f"{paper.title} {paper.abstract}".lower()


def _sample_papers(pattern: str) -> list[Paper]:
    """Papers from the parsed samples' expected JSON (lists as tuples, null text as empty)."""
    papers = []
    for path in sorted(SAMPLES.glob(pattern)):
        for item in json.loads(path.read_text(encoding="utf-8")):
            fields = {k: tuple(v) if isinstance(v, list) else v for k, v in item.items()}
            papers.append(Paper(**{**fields, "abstract": fields["abstract"] or ""}))
    if not papers:
        pytest.skip(f"no samples at {SAMPLES}")
    return papers


def test_a_graph_reader_sees_graph_papers_first_in_a_later_digest(format_b: list[Paper]) -> None:
    history, later = format_b[:30], format_b[30:]
    ranker = Ranker()
    ranker.train((p, _likes_graphs(p)) for p in history)
    assert ranker.status.ready
    top = [p for p, _ in ranker.rank(later)[:5]]
    base_rate = sum(map(_likes_graphs, later)) / len(later)
    assert sum(map(_likes_graphs, top)) / 5 > base_rate


def test_explain_quotes_words_the_real_paper_has(format_b: list[Paper]) -> None:
    ranker = Ranker()
    ranker.train((p, _likes_graphs(p)) for p in format_b[:30])
    best = ranker.rank(format_b[30:])[0][0]
    line = ranker.explain(best)
    quoted = re.findall(r'"([^"]+)"', line)
    assert quoted, line
    text = f"{best.title} {best.abstract}".casefold()
    assert all(word in text for phrase in quoted for word in phrase.split())


def test_a_kept_author_from_real_papers_ranks_their_new_paper_up(format_b: list[Paper]) -> None:
    by_jegelka = [p for p in format_b if "Stefanie Jegelka" in p.authors]
    others = [p for p in format_b if "Stefanie Jegelka" not in p.authors]
    ranker = Ranker()
    ranker.train([(p, True) for p in by_jegelka[:-1]] + [(p, False) for p in others[:-10]])
    ranked = [p for p, _ in ranker.rank(others[-10:] + by_jegelka[-1:])]
    assert ranked[0] is by_jegelka[-1]
    assert "author Jegelka" in ranker.explain(by_jegelka[-1])


def test_every_seed_paper_scores_and_explains(seed_files: list[Path]) -> None:
    papers = [p for path in seed_files for p in parse_digest(path).entries]
    ranker = Ranker()
    ranker.train((p, _likes_graphs(p)) for p in papers[::3])
    ranked = ranker.rank(papers)
    assert len(ranked) == len(papers)
    assert all(ranker.explain(p).startswith("for you: ") for p in papers[:40])


def test_a_finance_reader_keeps_finance_over_computing_in_the_arxiv_samples() -> None:
    papers = list({p.id: p for p in _sample_papers("arxiv-*/*.expected.json")}.values())
    finance = [p for p in papers if (p.category or "").startswith(("q-fin", "econ"))]
    computing = [p for p in papers if not (p.category or "").startswith(("q-fin", "econ"))]
    ranker = Ranker()
    ranker.train([(p, True) for p in finance[:-3]] + [(p, False) for p in computing[:-3]])
    ranked = [p for p, _ in ranker.rank(computing[-3:] + finance[-3:])]
    assert set(ranked[:3]) == set(finance[-3:])


def test_hugging_face_papers_without_categories_rank_by_their_words() -> None:
    papers = _sample_papers("hf-daily-json/*.expected.json")
    ranker = Ranker()
    ranker.train((p, likes_images(p)) for p in papers[:20])
    assert ranker.status.ready
    later = papers[20:]
    top = [p for p, _ in ranker.rank(later)[:3]]
    assert sum(map(likes_images, top)) / 3 > sum(map(likes_images, later)) / len(later)
