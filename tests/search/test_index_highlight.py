"""Highlight spans (character offsets, no markup), excerpts, "did you mean", related papers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.search import highlight
from tui.search.highlight import LEAD_CHARS, excerpt, find_spans
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


def _window_by_rescanning(text, spans, width):
    """The former quadratic window search, the reference for the sliding one."""
    best_count, best_start = -1, spans[0].start
    for i, first in enumerate(spans):
        words = {text[s.start:s.end].lower() for s in spans[i:] if s.end <= first.start + width - LEAD_CHARS}
        if len(words) > best_count:
            best_count, best_start = len(words), first.start
    return best_start


@given(st.lists(st.sampled_from(["graph", "Graph", "neural", "net", "x", "of"]), min_size=1, max_size=80),
       st.integers(45, 120))
def test_sliding_excerpt_window_agrees_with_rescanning(words, width):
    text = " ".join(words)
    marks = Highlights(stems={"graph", "neural", "net"})
    spans = find_spans(text, marks)
    if spans:
        expected = _window_by_rescanning(text, spans, width)
        start = max(0, expected - LEAD_CHARS)
        if start:
            space = text.find(" ", start, expected)
            start = space + 1 if space != -1 else expected
        assert highlight._window_start(text, spans, width) == start


def test_an_excerpt_of_a_huge_abstract_matched_everywhere():
    # 96 KB of "graph graph ...": 16k matches; the quadratic window search took minutes.
    text, spans = excerpt("graph " * 16_000, Highlights(stems={"graph"}))
    assert text.startswith("graph graph") and len(text) <= 202 and spans[0] == Span(0, 5)
