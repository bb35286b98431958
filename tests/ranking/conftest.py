"""Builders for the ranking tests: papers by hand, and a ranker taught a few decisions."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from tui.ranking import Ranker
from tui.records import Paper

FILLER = "We study this problem carefully and report experiments on standard benchmarks."


def make_paper(title: str, abstract: str = "", authors: Iterable[str] = ("Ana Silva",), **fields) -> Paper:
    """A paper with a short abstract padded by neutral words every paper shares."""
    return Paper(title=title, abstract=f"{abstract} {FILLER}".strip(), authors=tuple(authors), **fields)


@pytest.fixture
def paper() -> Callable[..., Paper]:
    """The `make_paper` builder, for tests that build their own papers."""
    return make_paper


@pytest.fixture
def graph_reader() -> Ranker:
    """A reader who kept six graph-transformer papers and dismissed six on speech and proteins."""
    ranker = Ranker()
    for i in range(6):
        ranker.learn(make_paper(f"Graph transformer study {i}",
                                f"A graph transformer for molecules, variant {i}, with message passing."), True)
        topic = ("speech recognition with acoustic models", "protein folding with structure priors")[i % 2]
        ranker.learn(make_paper(f"Dismissed study {i}", f"We address {topic}, variant {i}."), False)
    return ranker
