"""The query language, case by case, against the small library (expected ids, not "some hits")."""

from __future__ import annotations

import pytest

try:
    from test_index_library import TODAY, ids, library  # noqa: F401  (fixture)
except ImportError:  # tests collected as a package
    from tests.test_index_library import TODAY, ids, library  # noqa: F401


def found(index, text, **options) -> set[str]:
    options.setdefault("today", TODAY)
    result = index.search(text, **options)
    assert "not understood (" not in result.hint, result.hint  # no fallback after an internal error
    return set(ids(result))


@pytest.mark.parametrize("text, expected", [
    ("graph neural", {"gnn"}),
    ("graph", {"gnn", "gtsurvey", "noted"}),
    ('"neural networks"', {"gnn", "nodate"}),
    ("neural networks", {"gnn", "nodate", "apart"}),
    ("graph -survey", {"gnn", "noted"}),
    ("graph NOT survey", {"gnn", "noted"}),
    ("diffusion OR grafting", {"diff", "grafting"}),
    ("(diffusion OR protein) networks", {"diff", "protein"}),
    ("attention -(graph OR protein)", {"attn"}),
])
def test_words_phrases_exclusion_or_and_groups(library, text, expected):
    assert found(library, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("title:survey", {"gtsurvey", "efftr"}),
    ("abstract:survey", {"gtsurvey", "efftr"}),
    ("title:attention", {"attn"}),
    ("abstract:attention", {"attn", "gtsurvey", "protein"}),
    ('abstract:"message passing"', {"gnn"}),
    ("author:jegelka", {"gnn", "noted"}),
    ('author:"stefanie jegelka"', {"gnn", "noted"}),
    ("author:burgin", {"burgin"}),
    ("author:Bürgin", {"burgin"}),
    ("org:openai", {"diff", "scaling"}),
    ('org:"eth zurich"', {"burgin"}),
    ("cat:cv", {"diff", "contrast", "selfsup"}),
    ("note:ablation", {"noted"}),
    ("note:reread", {"attn"}),
    ("digest:2025-03-01", {"burgin"}),
    ("digest:2024-03-06.txt", {"gnn"}),
    ("title:(graph OR protein)", {"gnn", "gtsurvey", "noted", "protein"}),
])
def test_fields(library, text, expected):
    assert found(library, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("is:starred", {"attn", "noted"}),
    ("is:new", {"gnn", "scaling", "contrast", "selfsup", "burgin", "nodate", "efftr", "apart", "protein",
                "grafting"}),
    ("is:read", {"attn"}),
    ("is:dismissed", {"gtsurvey"}),
    ("is:kept", {"diff", "noted"}),
    ("has:note", {"attn", "noted"}),
    ("has:code", {"gnn", "diff", "protein"}),
    ("is:starred -is:read", {"noted"}),
    ("graph is:starred", {"noted"}),
    ("networks has:code", {"gnn", "diff", "protein"}),
])
def test_filters(library, text, expected):
    assert found(library, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("date:2024", {"gnn", "protein", "grafting"}),
    ("date:2024-03", {"gnn"}),
    ("date:2024-03-05", {"gnn"}),
    ("date:2023-01..2024-06", {"gtsurvey", "gnn"}),
    ("date:>=2025-01-01", {"burgin", "nodate"}),
    ("date:>2024-12", {"burgin", "nodate"}),
    ("date:<2020", {"attn", "apart"}),
    ("date:<=2019-11-30", {"attn", "apart"}),
    ("date:2020-01..", {"scaling", "contrast", "efftr", "diff", "selfsup", "noted", "gtsurvey", "gnn",
                        "grafting", "protein", "nodate", "burgin"}),
    ("date:60d", {"nodate"}),
    ("upvotes:>=50", {"attn", "scaling", "protein"}),
    ("upvotes:5..12", {"diff", "selfsup", "grafting"}),
    ("upvotes:<3", {"nodate", "apart"}),
    ("upvotes:42", {"gnn"}),
    ("authors:<=2", {"gnn", "diff", "noted", "nodate", "apart"}),
    ("authors:>=12", {"gtsurvey", "protein"}),
    ("graph date:2022", {"noted"}),
])
def test_ranges(library, text, expected):
    assert found(library, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("graph*", {"gnn", "gtsurvey", "noted"}),
    ("graf*", {"grafting"}),
    ("transform*", {"attn", "gtsurvey", "scaling", "efftr"}),
    ("grafh~", {"gnn", "gtsurvey", "noted", "grafting"}),
    ("atention~", {"attn", "gtsurvey", "protein"}),
    ("mlecules~2", {"gnn"}),
])
def test_prefix_and_fuzzy(library, text, expected):
    assert found(library, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("gra", {"gnn", "gtsurvey", "noted", "grafting"}),
    ("graph neu", {"gnn"}),
    ("diffusion mod", {"diff"}),
    ("jeg", {"gnn", "noted"}),
    ("surv", {"gtsurvey", "efftr"}),
    ("survey ", {"gtsurvey", "efftr"}),
    ("title:pro", {"protein"}),
])
def test_as_you_type_last_word_is_a_prefix(library, text, expected):
    assert found(library, text, as_you_type=True) == expected


def test_while_typing_a_finished_word_also_matches_abstracts_and_titles_rank_first(library):
    result = library.search("contrastive", as_you_type=True, today=TODAY)
    assert ids(result) == ["contrast", "selfsup"]
    assert result.hits[0].score > result.hits[1].score


def test_while_typing_each_paper_scores_its_own_best_field(library):
    result = library.search("networks ", as_you_type=True, today=TODAY)
    assert set(ids(result)[:2]) == {"gnn", "nodate"}  # "networks" in the title
    assert set(ids(result)[2:]) == {"attn", "diff", "apart", "protein"}  # only in the abstract
    assert min(h.score for h in result.hits[:2]) > max(h.score for h in result.hits[2:])


def test_while_typing_title_and_author_matches_rank_above_abstract_matches(library):
    assert ids(library.search("jegelka ", as_you_type=True, today=TODAY))[-1] == "apart"
    assert ids(library.search("attention ", as_you_type=True, today=TODAY))[0] == "attn"


def test_without_as_you_type_a_partial_word_is_a_word(library):
    assert found(library, "gra") == set()
    assert found(library, "graph neu") == set()


def test_one_letter_while_typing_asks_to_keep_typing(library):
    result = library.search("g", as_you_type=True, today=TODAY)
    assert result.hits == () and "keep typing" in result.hint
    assert set(ids(library.search("graph n", as_you_type=True, today=TODAY))) == found(library, "graph")


def test_stemming_matches_other_forms(library):
    assert found(library, "transformers") == {"attn", "gtsurvey", "scaling", "efftr"}
    assert found(library, "transformer") == found(library, "transformers")
    assert found(library, "molecule") == {"gnn"}


def test_title_match_ranks_above_abstract_only_match(library):
    assert ids(library.search("contrastive", today=TODAY)) == ["contrast", "selfsup"]
    assert ids(library.search("attention", today=TODAY))[0] == "attn"


def test_author_match_ranks_above_abstract_only_match(library):
    assert ids(library.search("jegelka", today=TODAY))[-1] == "apart"
    assert set(ids(library.search("jegelka", today=TODAY))) == {"gnn", "noted", "apart"}


@pytest.mark.parametrize("sort, expected", [
    ("newest", ["gnn", "gtsurvey", "noted"]),
    ("upvotes", ["gnn", "noted", "gtsurvey"]),
])
def test_sort_orders(library, sort, expected):
    assert ids(library.search("graph", sort=sort, today=TODAY)) == expected


def test_sort_orders_of_listings(library):
    assert ids(library.search("is:starred", sort="upvotes", today=TODAY)) == ["attn", "noted"]
    assert ids(library.search("is:starred", sort="newest", today=TODAY)) == ["noted", "attn"]


@pytest.mark.parametrize("view, expected", [
    ("all", {"gnn", "gtsurvey", "noted"}),
    ("inbox", {"gnn"}),
    ("starred", {"noted"}),
])
def test_views_filter_results(library, view, expected):
    assert found(library, "graph", view=view) == expected


def test_views_with_an_empty_query_list_the_view(library):
    assert found(library, "", view="starred") == {"attn", "noted"}
    assert len(found(library, "", view="inbox")) == 10


def test_limit_and_total(library):
    assert library.search("networks", today=TODAY).total == 6  # all collected: exact
    result = library.search("networks", limit=2, today=TODAY)
    assert len(result.hits) == 2 and result.total >= 6  # cut short: an estimate
