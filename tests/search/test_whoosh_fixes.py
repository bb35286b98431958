"""The Whoosh speed fixes: applied explicitly and once, refused on another Whoosh, and equal to stock."""

from __future__ import annotations

import warnings

import pytest

from tui.search import whoosh_fixes
from tui.search.index import SearchIndex
from tui.service import open_service

QUERIES = ["graph", "graph neural", '"neural networks"', "graph -survey", "gnn OR transformer", "learn*",
           "graf~", "title:diffusion", "author:wang", "is:new graph", "date:2023..2024 models",
           "upvotes:>=1 learning", "attention models", "model* -language", "(graph OR image) learning",
           "optimal transport", "language models reasoning"]


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory):
    directory = tmp_path_factory.mktemp("seeds")
    backend = open_service(directory, backup=False)
    backend.import_seeds_if_empty()
    backend.upkeep.ensure()
    path = backend.upkeep.index.directory
    backend.close()
    yield path
    whoosh_fixes.apply()


def _results(path, text: str, sort: str) -> list[tuple[str, float]]:
    index = SearchIndex(path)
    assert index.open() is None
    try:
        result = index.search(text, sort=sort, limit=60)
        return [(hit.id, round(hit.score, 5)) for hit in result.hits]
    finally:
        index.close()


@pytest.mark.parametrize("sort", ["relevance", "newest"])
@pytest.mark.parametrize("text", QUERIES)
def test_patched_and_stock_whoosh_find_the_same_papers_with_the_same_scores(seed_index, text, sort):
    assert whoosh_fixes.apply()
    patched = _results(seed_index, text, sort)
    # The Require fix is a correctness fix (stock Whoosh trips an assertion on a filtered
    # search); kept in both runs so that the speed fixes are what is compared.
    with whoosh_fixes.stock(keep=("RequireMatcher.skip_to_quality",)):
        assert not whoosh_fixes.applied()
        stock = _results(seed_index, text, sort)
    assert whoosh_fixes.applied()
    assert patched == stock and patched


@pytest.mark.parametrize("text", ["is:new graph", "date:2023..2024 models"])
def test_stock_whoosh_trips_on_a_filtered_search_that_the_require_fix_runs(seed_index, text):
    with whoosh_fixes.stock():
        index = SearchIndex(seed_index)
        index.open()
        assert "AssertionError" in index.search(text, limit=60).hint
        index.close()
    index = SearchIndex(seed_index)
    index.open()
    assert index.search(text, limit=60).hint == ""
    index.close()


def test_apply_is_idempotent():
    assert whoosh_fixes.apply() and whoosh_fixes.apply()
    assert whoosh_fixes.applied()
    from whoosh.codec import whoosh3
    assert whoosh3.W3LeafMatcher.skip_to is whoosh_fixes._skip_to


def test_a_changed_whoosh_is_left_stock_with_a_warning(monkeypatch):
    whoosh_fixes.revert()
    monkeypatch.setitem(whoosh_fixes.EXPECTED_SOURCES, "W3LeafMatcher.skip_to", "0" * 16)
    try:
        with pytest.warns(RuntimeWarning, match="W3LeafMatcher.skip_to"):
            assert whoosh_fixes.apply() is False
        from whoosh.codec import whoosh3
        assert whoosh3.W3LeafMatcher.skip_to is whoosh_fixes._STOCK[(whoosh3.W3LeafMatcher, "skip_to")]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert whoosh_fixes.apply() is False  # warned once, not at every open
    finally:
        monkeypatch.undo()
        whoosh_fixes.revert()
        assert whoosh_fixes.apply()


def test_the_installed_whoosh_is_the_one_the_fixes_were_written_for():
    assert whoosh_fixes.changed_functions() == []


def test_importing_the_search_room_patches_nothing():
    import subprocess
    import sys

    code = ("import tui.search, tui.search.collect, tui.search.bulk; from whoosh.codec import whoosh3; "
            "from tui.search import whoosh_fixes as w; "
            "print(whoosh3.W3LeafMatcher.skip_to is w._skip_to, w.applied())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_variable_length_columns_give_the_same_values_patched_and_stock(seed_index):
    """Titles and abstracts read value by value (the first lookups add lengths up, later ones
    use the table of starts), in any order and from the end, are Whoosh's own."""
    import random

    def values(order):
        index = SearchIndex(seed_index)
        assert index.open() is None
        try:
            reader = index._searcher.reader()
            out = []
            for leaf, _ in reader.leaf_readers():
                for column in ("title", "abstract"):
                    if leaf.has_column(column):
                        read = leaf.column_reader(column)
                        out.append([read[docnum] for docnum in order(leaf.doc_count_all())])
            multi = reader.column_reader("title")
            out.append([multi[docnum] for docnum in order(reader.doc_count_all())])
            return out
        finally:
            index.close()

    orders = [lambda n: range(n), lambda n: random.Random(n).sample(range(n), n), lambda n: [n - 1, 0, -1, -n, n // 2]]
    assert whoosh_fixes.apply()
    patched = [values(order) for order in orders]
    with whoosh_fixes.stock():
        stock = [values(order) for order in orders]
    assert patched == stock and any(any(value for value in column) for column in patched[0])
