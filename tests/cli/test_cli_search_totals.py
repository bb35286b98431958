"""`paper-reader search`: the first N results of a big search, and what it says about the rest.

The first N are the first N of the whole result list, in every sort order. The total on
standard error is exact ("20 of 57 results") when counting it is cheap and an estimate
("20 of about 60 results") otherwise; JSON output is the hits alone, as before.
"""

from __future__ import annotations

import json
import re

import pytest

from tui.cli.main import main
from tui.search import run as search_run


@pytest.fixture
def seeded(capsys, seed_files) -> None:
    assert main(["import", *map(str, seed_files)]) == 0
    capsys.readouterr()


def _search(capsys, *argv: str) -> tuple[list[dict], str]:
    assert main(["search", "--json", *argv]) == 0
    out, err = capsys.readouterr()
    return json.loads(out), err


def _said(capsys, *argv: str) -> tuple[int, str, int]:
    """(rows printed, "" or "about ", total) from the line on standard error."""
    assert main(["search", *argv]) == 0
    out, err = capsys.readouterr()
    shown, about, total = re.search(r"^(\d+) of (about )?(\d+) results$", err, re.M).groups()
    assert int(shown) == len(out.splitlines())
    return int(shown), about or "", int(total)


@pytest.mark.parametrize("sort, key", [("newest", "date"), ("upvotes", "upvotes")])  # the whole sort vs Whoosh's: tests/search
@pytest.mark.parametrize("words", [["model"], ["learning"], ["graph", "OR", "language"], ["model", "-language"]])
def test_a_sorted_search_shows_the_first_of_the_full_sort(capsys, seeded, sort, key, words) -> None:
    everything, _ = _search(capsys, "--sort", sort, "--limit", "100000", *words)
    assert len(everything) > 20, "the query must find more than a page"
    if key == "upvotes":  # (a paper without a date sorts by its digest's, which JSON does not show)
        values = [hit["upvotes"] or 0 for hit in everything]
        assert values == sorted(values, reverse=True)  # the full list is in the sort's order
    for limit in ("1", "7", "20"):
        page, _ = _search(capsys, "--sort", sort, "--limit", limit, *words)
        assert [hit["id"] for hit in page] == [hit["id"] for hit in everything[:int(limit)]]
        assert page == everything[:int(limit)]  # every field of every hit, not only the order


def test_a_relevance_page_is_the_head_of_the_whole_ranking(capsys, seeded) -> None:
    everything, _ = _search(capsys, "--limit", "100000", "model")
    page, _ = _search(capsys, "--limit", "20", "model")
    assert [hit["id"] for hit in page] == [hit["id"] for hit in everything[:20]]
    assert [hit["score"] for hit in page] == [hit["score"] for hit in everything[:20]]


@pytest.mark.parametrize("sort", ["relevance", "newest", "upvotes"])
def test_a_small_library_says_the_exact_total(capsys, seeded, sort) -> None:
    everything, _ = _search(capsys, "--sort", sort, "--limit", "100000", "model")
    shown, about, total = _said(capsys, "--sort", sort, "--limit", "5", "model")
    assert (shown, about, total) == (5, "", len(everything))


def test_a_total_too_costly_to_count_is_said_to_be_an_estimate(capsys, seeded, monkeypatch) -> None:
    everything, _ = _search(capsys, "--limit", "100000", "model")
    monkeypatch.setattr(search_run, "COUNT_UP_TO", 0)  # as with a word in most of 100,000 papers
    shown, about, total = _said(capsys, "--limit", "5", "model")
    assert shown == 5 and about == "about "
    assert len(everything) <= total <= 341  # an OR of fields counts its overlap, so it stays near
    page, _ = _search(capsys, "--limit", "5", "model")  # the JSON is the hits alone, as before
    assert [hit["id"] for hit in page] == [hit["id"] for hit in everything[:5]]


def test_a_search_that_fits_on_the_page_says_its_exact_total(capsys, seeded, monkeypatch) -> None:
    monkeypatch.setattr(search_run, "COUNT_UP_TO", 0)
    everything, _ = _search(capsys, "--limit", "100000", "protein")
    assert 0 < len(everything) < 20
    assert _said(capsys, "protein") == (len(everything), "", len(everything))
