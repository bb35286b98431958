"""`is:watched`, exact counts and which papers a kept query matches, in the index alone."""

from __future__ import annotations

import dataclasses

import pytest

try:
    from test_index_library import PAPERS, build_library
except ImportError:  # tests collected as a package
    from tests.test_index_library import PAPERS, build_library

from tui.search.watching import watched_authors

WATCHES = ('author:"Stefanie Jegelka"', '"diffusion models"')


@pytest.fixture
def index(tmp_path):
    built = build_library(tmp_path)
    built.set_expansion("is:watched", WATCHES)
    yield built
    built.close()


def _found(index, text: str) -> set[str]:
    return {hit.id for hit in index.search(text, limit=100).hits}


def test_is_watched_is_any_watch_and_can_be_negated_or_combined(index):
    watched = _found(index, 'author:"Stefanie Jegelka" OR "diffusion models"')
    assert watched and _found(index, "is:watched") == watched
    assert _found(index, "-is:watched") == {p.id for p in PAPERS} - watched
    assert _found(index, "is:watched molecules") == {"gnn"}
    index.set_expansion("is:watched", ())
    assert _found(index, "is:watched") == set()


def test_matching_and_counts_agree_with_search_before_and_after_preparing(index):
    every = [p.id for p in PAPERS]
    queries = {n: text for n, text in enumerate((*WATCHES, "is:watched", "graph -survey"))}
    walked = index.matching(every, queries)
    assert walked == {n: _found(index, text) for n, text in queries.items()}
    assert {n: index.count(text) for n, text in queries.items()} == {n: len(ids) for n, ids in walked.items()}
    index.prepare(queries.values())
    assert index.matching(every, queries) == walked


def test_prepared_sets_follow_updates_and_deletes(index):
    index.prepare(WATCHES)
    attn = next(p for p in PAPERS if p.id == "attn")
    index.update([dataclasses.replace(attn, authors=("Stefanie Jegelka",))], seq=8)
    assert "attn" in index.matching(["attn"], {0: WATCHES[0]})[0]
    index.delete(["gnn"], seq=9)
    assert index.matching(["gnn", "attn"], {0: WATCHES[0]})[0] == {"attn"}


def test_watched_authors_are_named_by_their_position():
    authors = ("Ching-Yao Chuang", "Stefanie Jegelka", "David Alvarez-Melis")
    assert watched_authors(authors, ['author:"stefanie jegelka"']) == (1,)
    assert watched_authors(authors, ['author:"Jegelka Stefanie"', "graph"]) == ()
    assert watched_authors(("Adèle Doe",), ['author:"Adele Doe"']) == (0,)


def test_is_watched_searches_the_prepared_set_and_follows_writes(index):
    before = {text: _found(index, text) for text in ("is:watched", "-is:watched", "is:watched molecules")}
    index.prepare([*WATCHES, "is:watched"])
    runner_queries = []
    original = index._runner._run

    def spy(text, compiled, *args):
        runner_queries.append(repr(compiled.query))
        return original(text, compiled, *args)

    index._runner._run = spy
    assert {text: _found(index, text) for text in before} == before
    assert all("IdSet" in q and "Jegelka" not in q for q in runner_queries)  # the set, not the 2-way union
    attn = next(p for p in PAPERS if p.id == "attn")
    index.update([dataclasses.replace(attn, authors=("Stefanie Jegelka",))], seq=8)
    assert "attn" in _found(index, "is:watched")  # newly matching after a write
    index.delete(["gnn"], seq=9)
    assert "gnn" not in _found(index, "is:watched")
    assert _found(index, "is:watched molecules") == set()
