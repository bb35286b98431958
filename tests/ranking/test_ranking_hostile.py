"""Hostile and odd text never makes the "for you" order raise, hang or emit control characters."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.ranking import Ranker, extract
from tui.records import Paper

from conftest import make_paper

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
HOSTILE = [
    Paper(title=""),
    Paper(title=" ", abstract=" \n\t "),
    Paper(title="\x1b[31mred\x1b[0m \x07 bell", abstract="\x9b2J \x1b]0;title\x07 graph transformer"),
    Paper(title="Huge", abstract="graph transformer " * 200_000),
    Paper(title="TeX", abstract=r"$$ \frac{ $O(n^2)$ \unicode{x110000} \` \'{ \c{ {{{{ $", authors=("\\", "Ad\\`")),
    Paper(title="Names", authors=("", " ", "\x1b[2J", "A" * 10_000) + tuple(f"N{i}" for i in range(5_000))),
    Paper(title="Categories", category=" ", categories=("", "cs.", "\x00")),
    Paper(title="日本語のタイトル", abstract="グラフ変換器 ﬁne ligature Ｆｕｌｌｗｉｄｔｈ"),
    Paper(title="Surrogates", abstract="\ud800 lone surrogate \udfff"),
]


@pytest.fixture
def ready() -> Ranker:
    """A ranker with enough decisions to rank and explain."""
    ranker = Ranker()
    ranker.train([(make_paper(f"Graph {i}", "graph transformer", ["Red \x1b[31mAuthor"]), True) for i in range(5)]
                 + [(make_paper(f"Speech {i}", "speech recognition"), False) for i in range(5)])
    return ranker


@pytest.mark.parametrize("paper", HOSTILE, ids=lambda p: p.title[:12] or "empty")
def test_hostile_papers_score_rank_explain_and_learn(ready: Ranker, paper: Paper) -> None:
    assert isinstance(ready.score(paper), float)
    assert len(ready.rank([paper, paper])) == 2
    line = ready.explain(paper)
    assert line.startswith("for you: ") and not CONTROL.search(line) and "\n" not in line
    before = ready.score(make_paper("Probe", "graph speech"))
    ready.learn(paper, True)
    ready.unlearn(paper, True)
    assert ready.score(make_paper("Probe", "graph speech")) == before


def test_a_huge_abstract_is_read_only_up_to_its_cap() -> None:
    tail = "zebra " * 10_000
    features = extract(Paper(title="Long", abstract="graph " * 5_000 + tail))
    assert "graph" in features.text and "zebra" not in features.text


def test_control_characters_in_author_names_never_reach_the_explanation(ready: Ranker) -> None:
    line = ready.explain(make_paper("Graph", "graph transformer", ["Red \x1b[31mAuthor"]))
    assert "\x1b" not in line


def test_records_built_by_hand_with_missing_text_do_not_raise(ready: Ranker) -> None:
    odd = Paper(title="Odd", abstract=None, authors=None, categories=None)  # type: ignore[arg-type]
    assert isinstance(ready.score(odd), float)
    assert ready.explain(odd).startswith("for you: ")


@settings(max_examples=200, deadline=None)
@given(title=st.text(max_size=80), abstract=st.text(max_size=400),
       authors=st.lists(st.text(max_size=30), max_size=4), category=st.none() | st.text(max_size=8))
def test_any_text_at_all_is_accepted(title: str, abstract: str, authors: list[str], category: str | None) -> None:
    ranker = Ranker()
    ranker.train([(make_paper(f"K{i}", "graph"), True) for i in range(5)]
                 + [(make_paper(f"D{i}", "speech"), False) for i in range(5)])
    paper = Paper(title=title, abstract=abstract, authors=tuple(authors), category=category)
    ranker.learn(paper, True)
    assert not CONTROL.search(ranker.explain(paper))
    ranker.unlearn(paper, True)
    assert ranker.status.kept == 5
