"""The arXiv query words (id:, cat:, doi:, is:cross, is:replaced), code links, TeX accents, fields."""

from __future__ import annotations

import dataclasses

import pytest

from tui.records import Paper
from tui.search.schema import category_terms, has_code

try:
    from test_index_library import PAPERS, TODAY, build_library, ids
except ImportError:  # tests collected as a package
    from tests.test_index_library import PAPERS, TODAY, build_library, ids

ARXIV = (
    Paper(id="galaxy", title="Galaxy Mergers Seen by Ad\\`ele", abstract="Mergers of galaxies; code at "
          "https://github.com/stars/mergers.", authors=("Ad\\`ele Maréchal", "Pawe{\\l} D\\k{a}browski"),
          arxiv_id="2303.00763", version=3, announce="replace-cross", category="astro-ph.GA",
          categories=("astro-ph.GA", "astro-ph.CO"), doi="10.1103/PhysRevD.1.2", date="2023-03-02"),
    Paper(id="strings", title="Old Strings", abstract="Dualities of strings.", arxiv_id="hep-th/9901001",
          version=1, announce="cross", category="hep-th", categories=("hep-th", "gr-qc"),
          comments="12 pages; code: gitlab.com/strings/dual", date="1999-01-04"),
    Paper(id="lgpaper", title="Learning to Learn", abstract="Meta learning, see huggingface.co/papers/2303.1.",
          arxiv_id="2401.01234", version=1, announce="new", category="cs.LG", categories=("cs.LG", "stat.ML"),
          date="2024-01-02"),
)


@pytest.fixture(scope="module")
def arxiv_library(tmp_path_factory):
    index = build_library(tmp_path_factory.mktemp("arxiv"), PAPERS + ARXIV)
    yield index
    index.close()


def found(index, text, **options):
    result = index.search(text, today=TODAY, **options)
    assert "not understood (" not in result.hint, result.hint
    return set(ids(result))


@pytest.mark.parametrize(("text", "expected"), [
    ("id:2303.00763", {"galaxy"}),
    ("id:2303.00763v3", {"galaxy"}),
    ("id:arXiv:2303.00763v1", {"galaxy"}),
    ("id:hep-th/9901001", {"strings"}),
    ("id:hep-th/9901001v1", {"strings"}),
    ("id:2401.01234 OR id:2303.00763", {"lgpaper", "galaxy"}),
    ("cat:astro-ph.GA", {"galaxy"}),
    ("cat:astro-ph.co", {"galaxy"}),
    ("cat:astro-ph", {"galaxy"}),
    ("cat:gr-qc", {"strings"}),
    ("cat:ML", {"lgpaper"}),
    ("cat:stat.ML", {"lgpaper"}),
    ("is:cross", {"galaxy", "strings"}),
    ("is:replaced", {"galaxy"}),
    ("-is:cross cat:hep-th", set()),
    ("doi:10.1103/physrevd.1.2", {"galaxy"}),
    ("doi:https://doi.org/10.1103/PhysRevD.1.2", {"galaxy"}),
])
def test_arxiv_query_words(arxiv_library, text, expected):
    assert found(arxiv_library, text) == expected


def test_cat_lg_finds_cs_lg_and_the_digest_category_lg(arxiv_library):
    assert found(arxiv_library, "cat:LG") == {p.id for p in PAPERS if p.category == "LG"} | {"lgpaper"}


def test_has_code_finds_code_links_in_the_text_and_comments(arxiv_library):
    assert found(arxiv_library, "has:code") == {"gnn", "diff", "protein", "galaxy", "strings"}


@pytest.mark.parametrize("paper, expected", [
    (Paper(title="a", links=("https://github.com/owner/repo",)), True),
    (Paper(title="b", abstract="Code: https://gitlab.com/o/r and more"), True),
    (Paper(title="c", abstract="see https://codeberg.org/o/r."), True),
    (Paper(title="d", abstract="the page huggingface.co/papers/2303.1 only"), False),
    (Paper(title="e", abstract="project page https://owner.github.io/site"), False),
    (Paper(title="f", comments="models at huggingface.co/org/model"), True),
])
def test_code_links_anywhere(paper, expected):
    assert has_code(paper) is expected


@pytest.mark.parametrize("text", ["Adele", "Adèle", "adele", "author:adele", "author:Adèle", "Pawel", "Paweł",
                                  "author:dabrowski", "Dąbrowski", "marechal", "title:adele"])
def test_tex_accents_fold_for_search(arxiv_library, text):
    assert found(arxiv_library, text) == {"galaxy"}


def test_typing_an_exact_field_matches_its_prefix(arxiv_library):
    assert found(arxiv_library, "cat:astro", as_you_type=True) == {"galaxy"}
    assert found(arxiv_library, "id:2303.007", as_you_type=True) == {"galaxy"}


def test_category_terms_split_archive_and_subject():
    paper = Paper(title="x", category="astro-ph.GA", categories=("astro-ph.GA", "cs.LG"))
    assert set(category_terms(paper)) == {"astro-ph.ga", "astro-ph", "ga", "cs.lg", "cs", "lg"}


def test_authors_with_a_name_searches_authors_and_never_suggests_another_field(arxiv_library):
    result = arxiv_library.search("authors:jegelka", today=TODAY)
    assert set(ids(result)) == {"gnn", "noted"}
    result = arxiv_library.search("authors:jegelkaa", today=TODAY)
    assert result.suggestion is None or result.suggestion.startswith("authors:")


@pytest.mark.parametrize(("text", "suggestion"), [("year:2024", "date:2024"), ("titel:graph", "title:graph"),
                                                   ("published:2023", "date:2023")])
def test_an_unknown_field_says_so_and_suggests_the_real_one(arxiv_library, text, suggestion):
    result = arxiv_library.search(text, today=TODAY)
    assert "unknown field" in result.hint and result.suggestion == suggestion


def test_an_unknown_field_without_a_likely_one_lists_the_fields(arxiv_library):
    result = arxiv_library.search("foo:graph", today=TODAY)
    assert "unknown field “foo:”" in result.hint and "title" in result.hint
    assert found(arxiv_library, "foo:graph") == found(arxiv_library, "graph")


def test_a_pasted_address_is_searched_as_words(arxiv_library):
    result = arxiv_library.search("https://github.com/stars/mergers", today=TODAY)
    assert "unknown field" not in result.hint


def test_suggestions_prefer_frequent_words(tmp_path):
    common = [dataclasses.replace(PAPERS[0], id=f"t{i}", title=f"Transformer study {i}",
                                  abstract="a transformer model") for i in range(30)]
    typo = dataclasses.replace(PAPERS[0], id="typo", title="A typo", abstract="one transfomer here")
    index = build_library(tmp_path, (*common, typo))
    result = index.search("transfromers", today=TODAY)
    assert result.suggestion == "transformer"
    index.close()


def test_a_pasted_arxiv_id_finds_its_paper_without_a_field(arxiv_library):
    assert found(arxiv_library, "2303.00763v2") == {"galaxy"}
    assert ids(arxiv_library.search("2303.00763", today=TODAY, as_you_type=True))[:1] == ["galaxy"]
