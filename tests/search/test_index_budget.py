"""Fuzzy and prefix expansion stays within a budget of terms and time, and stops when cancelled."""

from __future__ import annotations

import itertools

import pytest

from tui.records import Paper
from tui.search import expand
from tui.search.expand import Budget, SearchCancelled, capped

try:
    from test_index_library import TODAY, build_library, ids
except ImportError:  # tests collected as a package
    from tests.test_index_library import TODAY, build_library, ids

SYLLABLES = ["ba", "ce", "di", "fo", "gu", "ha", "ki", "lo", "mu", "ne", "pa", "ri", "so", "tu"]
#: 2,744 distinct words starting with "gr", and some near "graph".
GR_WORDS = ["gr" + "".join(parts) for parts in itertools.product(SYLLABLES, repeat=3)]
NEAR_GRAPH = ["grap" + c for c in "bcdfgklmnstvz"] + ["graf" + c for c in "aeiou"] + ["grah" + c for c in "bcdfgkl"]


@pytest.fixture(scope="module")
def wide(tmp_path_factory):
    papers = [Paper(id=f"w{n}", title=f"Paper {n}", abstract=" ".join(GR_WORDS[n::40]) + " " + " ".join(NEAR_GRAPH))
              for n in range(40)]
    papers.append(Paper(id="common", title="Common words", abstract=" ".join(GR_WORDS[:5] * 3)))
    index = build_library(tmp_path_factory.mktemp("wide"), papers)
    yield index
    index.close()


def test_a_broad_prefix_searches_its_most_frequent_words_and_says_so(wide):
    result = wide.search("gr*", today=TODAY, limit=100)
    assert f"gr* stands for {len(set(GR_WORDS + NEAR_GRAPH))} words; searched the {expand.MAX_PREFIX_TERMS} most frequent" in result.hint
    assert result.hits and not result.partial


def test_a_broad_fuzzy_word_is_capped_and_says_so(wide, monkeypatch):
    monkeypatch.setattr(expand, "MAX_FUZZY_TERMS", 5)
    result = wide.search("graph~2", today=TODAY, limit=100)
    assert "graph~2 stands for" in result.hint and "searched the 5 most frequent" in result.hint
    assert len(ids(result)) == 40


def test_a_cancelled_search_stops_and_says_so(wide):
    result = wide.search("graph~2 gr*", today=TODAY, cancelled=lambda: True)
    assert result.hits == () and result.partial and result.hint == "search cancelled"


def test_cancelling_stops_an_expansion_midway(wide):
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) >= 2

    with pytest.raises(SearchCancelled):
        capped(wide._searcher.reader(), "abstract", iter(GR_WORDS), 128, Budget(None, cancelled), "cancel-test")
    assert len(calls) == 2  # the second look, after 2 x 256 of the 2,744 words


def test_expansion_stops_when_time_is_up_and_keeps_what_it_found(wide):
    budget = Budget(deadline=0.0)
    found = capped(wide._searcher.reader(), "abstract", iter(GR_WORDS), 10_000, budget, "time-test")
    assert len(found) == 256
    assert budget.notes == ["time-test: stopped expanding after 256 words (time limit)"]


def test_a_search_out_of_time_while_expanding_is_partial(wide, monkeypatch):
    monkeypatch.setattr("tui.search.run.SUBMIT_BUDGET", -1.0)  # already out of time
    result = wide.search("gr*", today=TODAY)
    assert result.partial
