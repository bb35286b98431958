"""Whatever the user types, search() answers: results or an empty list with a hint, never an error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.records import SearchResult

try:
    from test_index_library import TODAY, ids, library  # noqa: F401  (fixture)
except ImportError:  # tests collected as a package
    from tests.test_index_library import TODAY, ids, library  # noqa: F401

HOSTILE = [
    '"graph neural', "(graph OR neural", "graph)", "NOT AND x", "a NOT AND b", "AND", "OR", "NOT", "NOT NOT",
    "title:", "title: graph", "date:>=garbage", "date:2024-13", "date:..", "upvotes:>=many", "authors:<=",
    "is:", "is:everything", "has:wings", "-", "--graph", "*", "graph**", "~", "graph~9", "~~~", '""', '"',
    "()", ")(", "((((", "))))", "title:(", 'title:"', "author:", ":", "::::", "date:", "a:b:c", "\\", "%s%s",
    "[bold]x[/]", "\x00\x01", "🦜 graph", "ＧＲＡＰＨ", "graph" * 500, "x " * 5000, "é" * 3000,
    "date:2024..2023", "upvotes:<0", "OR graph OR", "graph OR", "(OR)", "-(graph)", "NOT (graph OR neural)",
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("as_you_type", [False, True])
def test_hostile_queries_never_raise(library, text, as_you_type):
    result = library.search(text, as_you_type=as_you_type, today=TODAY)
    assert isinstance(result, SearchResult)
    assert result.total >= len(result.hits) >= 0
    assert "\n" not in result.hint


def test_unbalanced_quote_still_searches_and_says_so(library):
    result = library.search('"graph neural', today=TODAY)
    assert ids(result) == ["gnn"]
    assert "unbalanced quote" in result.hint


def test_unbalanced_parenthesis_still_searches(library):
    result = library.search("(diffusion OR grafting", today=TODAY)
    assert set(ids(result)) == {"diff", "grafting"}
    assert "parenthesis" in result.hint


def test_lone_operators_are_ignored(library):
    assert set(ids(library.search("NOT AND diffusion", today=TODAY))) == {"diff"}
    assert set(ids(library.search("diffusion OR", today=TODAY))) == {"diff"}


def test_field_without_value_is_ignored_with_a_hint(library):
    result = library.search("title: graph", today=TODAY)
    assert set(ids(result)) == {"gnn", "gtsurvey", "noted"}
    assert "title:" in result.hint


def test_unreadable_range_is_ignored_with_a_hint(library):
    result = library.search("date:>=garbage graph", today=TODAY)
    assert set(ids(result)) == {"gnn", "gtsurvey", "noted"}
    assert result.hint == "date:>=garbage not understood, ignored"


def test_unknown_filter_is_ignored_with_a_hint(library):
    result = library.search("is:everything graph", today=TODAY)
    assert set(ids(result)) == {"gnn", "gtsurvey", "noted"}
    assert "is:everything" in result.hint


def test_only_stop_words_finds_nothing_and_says_why(library):
    result = library.search("the of and ", today=TODAY)
    assert result.hits == () and result.hint


def test_ten_kilobytes_of_junk(library):
    junk = ("graph (( \" -- OR title: date:>=x ~* ") * 300
    result = library.search(junk, today=TODAY)
    assert isinstance(result, SearchResult)


def test_brackets_in_queries_are_plain_punctuation(library):
    assert set(ids(library.search("[graph]", today=TODAY))) == {"gnn", "gtsurvey", "noted"}
    assert library.search("[bold]graph[/bold]", today=TODAY).hits == ()  # "bold" is a word too


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=80), as_you_type=st.booleans())
def test_search_never_raises_on_any_text(library, text, as_you_type):
    result = library.search(text, as_you_type=as_you_type, today=TODAY)
    assert result.total >= len(result.hits)


_ALPHABET = st.sampled_from(['"', "(", ")", "-", "*", "~", ":", " ", "OR", "AND", "NOT", "title", "date", "is",
                             "has", ">=", "<", "..", "2024", "graph", "neural", "x", "author", "starred", "1"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(_ALPHABET, max_size=14), as_you_type=st.booleans())
def test_search_never_raises_on_syntax_soup(library, parts, as_you_type):
    result = library.search("".join(parts), as_you_type=as_you_type, today=TODAY)
    assert result.total >= len(result.hits)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=60))
def test_spans_never_raise(library, text):
    library.spans("Graph Neural Networks for Molecules", text)
