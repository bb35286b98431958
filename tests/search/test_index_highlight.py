"""Highlight spans (character offsets, no markup), excerpts, "did you mean", related papers."""

from __future__ import annotations

from tui.search.highlight import excerpt
from tui.records import Span
from tui.search.compile import Highlights

try:
    from test_index_library import TODAY, ids, library  # noqa: F401  (fixture)
except ImportError:  # tests collected as a package
    from tests.test_index_library import TODAY, ids, library  # noqa: F401


def marked(text: str, spans) -> list[str]:
    return [text[s.start:s.end] for s in spans]


def test_hits_carry_title_spans_and_an_excerpt_with_spans(library):
    hit = library.search("graph neural", today=TODAY).hits[0]
    assert hit.id == "gnn"
    assert hit.title_spans == (Span(0, 5), Span(6, 12))
    assert hit.excerpt.startswith("We study message passing on molecular graphs.")
    assert hit.excerpt_spans == (Span(38, 44), Span(46, 51), Span(52, 58))
    assert marked(hit.excerpt, hit.excerpt_spans) == ["graphs", "Graph", "neural"]


def test_spans_are_stemming_aware(library):
    text = "Transformers are attention machines; transformer"
    spans = library.spans(text, "transformer attention")
    assert spans == (Span(0, 12), Span(17, 26), Span(37, 48))


def test_spans_ignore_excluded_words_and_filters(library):
    assert marked("graph survey", library.spans("graph survey", "graph -survey is:starred date:2024")) == ["graph"]


def test_typed_prefix_marks_only_the_typed_letters(library):
    hit = library.search("gra", as_you_type=True, today=TODAY).hits[0]
    assert hit.id == "gnn" and hit.title_spans == (Span(0, 3),)


def test_fuzzy_words_are_marked(library):
    hit = next(h for h in library.search("grafh~", today=TODAY).hits if h.id == "gnn")
    assert hit.title_spans == (Span(0, 5),)


def test_only_the_first_rows_are_highlighted(library):
    result = library.search("networks", highlighted=2, today=TODAY)
    assert all(h.excerpt for h in result.hits[:2])
    assert all(not h.excerpt and not h.title_spans for h in result.hits[2:])


def test_excerpt_is_a_window_around_the_matches():
    text = "Lorem ipsum dolor sit amet. " * 12 + "Here the graph neural method shines. " + "Elit. " * 40
    shown, spans = excerpt(text, Highlights(stems={"graph", "neural"}))
    assert shown.startswith("…") and shown.endswith("…") and len(shown) <= 202
    assert marked(shown, spans) == ["graph", "neural"]


def test_excerpt_without_matches_is_the_beginning():
    shown, spans = excerpt("word " * 100, Highlights(stems={"absent"}))
    assert shown.startswith("word word") and shown.endswith("…") and spans == ()


def test_did_you_mean_corrects_misspelled_words(library):
    result = library.search("atention transfromers", today=TODAY)
    assert result.hits == ()
    assert result.suggestion == "attention transformers"
    assert "did you mean" in result.hint
    assert ids(library.search(result.suggestion, today=TODAY))


def test_did_you_mean_keeps_the_query_syntax(library):
    assert library.search("title:atention", today=TODAY).suggestion == "title:attention"
    assert library.search("molecuels -survey", today=TODAY).suggestion == "molecules -survey"


def test_did_you_mean_knows_author_names(library):
    assert library.search("vaswnai", today=TODAY).suggestion == "vaswani"


def test_no_suggestion_when_the_words_exist(library):
    result = library.search("graph diffusion", today=TODAY)
    assert result.hits == () and result.suggestion is None and result.hint == "no results"


def test_related_papers_share_distinctive_words(library):
    related = [hit.id for hit in library.related("efftr")]
    assert related[0] == "gtsurvey" and "efftr" not in related
    assert library.related("no-such-paper") == []
