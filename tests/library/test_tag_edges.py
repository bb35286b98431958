"""Tags at the edges: listing filters bound as parameters, undo that names what it took back, exports
that real parsers read, and a backup that brings every tag back."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import bibtexparser
import pytest
from pybtex.database import parse_string

from tui.describe import describe_undo
from tui.library import Library
from tui.library.backup_json import dump_chunks, restore_library
from tui.library.export import export_library
from tui.library.reading import where
from tui.library.state import Change, TagError, clean_tag
from tui.records import Paper, ParseResult
from tui.vocabulary import View

TITLES = ("Graph pooling", "Message passing", "Diffusion models", "Reward shaping")


@pytest.fixture
def filled(library: Library) -> tuple[Library, list[str]]:
    papers = tuple(Paper(title=t, abstract=f"about {t}", authors=("Ann Author",), date="2024-05-01") for t in TITLES)
    library.import_result(ParseResult("d.txt", "A", "2026-04-22", papers, (), "h"))
    return library, library.list_ids((), View.INBOX)


def test_tag_filters_list_count_and_negate_with_the_name_as_a_parameter(filled) -> None:
    library, (a, b, c, d) = filled
    library.apply([Change(a, "tag+", "gnn"), Change(b, "tag+", "gnn"), Change(b, "tag+", "o'neil")])
    library.set_status(a, "read")
    assert set(library.list_ids(("tag:gnn",))) == {a, b}
    assert library.list_ids(("tag:gnn", "is:new")) == [b]
    assert library.count_where(("tag:gnn", "-is:read")) == 1
    assert set(library.list_ids(("-tag:gnn",))) == {c, d}
    assert library.list_ids(("tag:o'neil",)) == [b]  # a quote in a name is data, never SQL
    assert library.count_where(("tag:x') OR 1=1 --",)) == 0
    assert library.any_where(("is:tagged", "-tag:gnn")) is False
    sql, args = where(("tag:gnn", "-tag:o'neil"))
    assert args == ("gnn", "o'neil") and "gnn" not in sql and "neil" not in sql and sql.count("?") == 2


@pytest.mark.parametrize("name", ["", "   ", "two words", 'a"b', "a:b", "a,b", "(x)", "tab\there", "esc\x1b", "x" * 61])
def test_names_that_would_break_a_query_are_refused_in_one_line(name: str) -> None:
    with pytest.raises(TagError) as caught:
        clean_tag(name)
    assert "\n" not in str(caught.value)


def test_names_are_trimmed_and_folded_to_lower_case(filled) -> None:
    library, (a, *_rest) = filled
    library.apply([Change(a, "tag+", "  To-Read "), Change(a, "tag+", "to-read")])
    assert library.get(a).tags == ("to-read",)
    assert library.tags() == [("to-read", 1)]
    assert library.tagged("TO-READ") == [a]


def test_renaming_onto_an_existing_tag_merges_and_one_undo_splits_them_again(filled) -> None:
    library, (a, b, c, _) = filled
    library.apply([Change(a, "tag+", "graphs"), Change(b, "tag+", "gnn"), Change(c, "tag+", "graphs"),
                   Change(c, "tag+", "gnn")])
    assert library.rename_tag("graphs", "gnn") == 2
    assert library.tags() == [("gnn", 3)]
    undone = library.undo()
    assert library.tags() == [("gnn", 2), ("graphs", 2)]
    assert set(undone.paper_ids) == {a, c}
    assert ("tag-", "graphs") in undone.values and ("tag+", "gnn") in undone.values
    assert library.rename_tag("graphs", "graphs") == 0 and library.rename_tag("nothing", "x") == 0


def test_an_undo_knows_which_tag_and_how_many_papers(filled) -> None:
    library, ids = filled
    library.apply([Change(i, "tag+", "gnn") for i in ids[:3]])
    undone = library.undo()
    assert undone.values == (("tag+", "gnn"),) and len(undone.paper_ids) == 3
    papers = list(library.get_many(undone.paper_ids).values())
    assert describe_undo(undone.kinds, papers, undone.values) == "Undid the tag “gnn” on 3 papers"


@pytest.mark.parametrize(("values", "count", "title", "line"), [
    ((("starred", "1"),), 1, "A rather long title about graph neural networks, pooling and message passing",
     "Undid the star on “A rather long title about graph neural networks, pooling and…”"),
    ((("status", "dismissed"), ("later", None)), 12, "", "Undid the decision on 12 papers"),
    ((("tag-", "gnn"),), 4, "", "Undid the removal of tag “gnn” on 4 papers"),
    ((("tag-", "a"), ("tag+", "b")), 2, "", "Undid the rename of tag “a” to “b” on 2 papers"),
    ((("starred", "1"), ("tag+", "x"), ("tag+", "y")), 3, "", "Undid the star and tag “x” and tag “y” on 3 papers"),
    ((("note", "hello"),), 1, "T\x1b[31m", "Undid the note on “T␛[31m”"),
    ((("later", "2026-01-01"),), 1, "A", "Undid the later on “A”"),
])
def test_undo_lines_read_as_a_person_would_say_them(values, count, title, line) -> None:
    papers = [Paper(title=title or f"Paper {n}", abstract="") for n in range(count)]
    kinds = tuple(dict.fromkeys(kind for kind, _ in values))
    assert describe_undo(kinds, papers, values) == line


def test_without_values_an_undo_still_names_its_kinds() -> None:
    assert describe_undo(("tag+",), [Paper(title="A", abstract="")]) == "Undid the tag on “A”"


def test_undo_takes_a_tag_back_and_bumps_the_change_so_the_index_follows(filled) -> None:
    library, (a, *_rest) = filled
    library.apply([Change(a, "tag+", "gnn")])
    seq = library.current_seq()
    library.undo()
    assert library.get(a).tags == ()
    assert [p.id for p in library.changed_since(seq)] == [a]


def test_tags_survive_a_backup_and_restore_round_trip(filled, tmp_path: Path) -> None:
    library, (a, b, *_rest) = filled
    library.apply([Change(a, "tag+", "gnn"), Change(a, "tag+", "to-read"), Change(b, "tag+", "gnn")])
    backup = tmp_path / "backup.json"
    backup.write_text("".join(dump_chunks(library)), encoding="utf-8")
    fresh = Library(tmp_path / "restored" / "library.sqlite3")
    fresh.open()
    try:
        restore_library(fresh, backup)
        assert fresh.tags() == library.tags() == [("gnn", 2), ("to-read", 1)]
        assert set(fresh.list_ids(("tag:gnn",))) == {a, b}
        assert export_library(fresh, "csv") == export_library(library, "csv")
    finally:
        fresh.close()


# -- exports --------------------------------------------------------------------------------------
HOSTILE_TAGS = ("gnn", "{open", "50%", "=cmd", "a&b", "back\\slash", "[bold]x[/]")


@pytest.fixture
def tagged(filled) -> Library:
    library, (a, b, *_rest) = filled
    library.apply([Change(a, "tag+", tag) for tag in HOSTILE_TAGS] + [Change(b, "tag+", "gnn")])
    return library


def test_bibtex_keywords_are_read_back_by_pybtex_and_bibtexparser(tagged: Library) -> None:
    text = export_library(tagged, "bibtex")
    entries = parse_string(text, "bibtex").entries
    assert len(entries) == 4
    keywords = [str(e.fields["keywords"]) for e in entries.values() if "keywords" in e.fields]
    assert sorted(keywords, key=len) == ["gnn", r"50\%, =cmd, [bold]x[/], a\&b, back\textbackslash{}slash, gnn, "
                                                r"\textbraceleft{}open"]
    parsed = bibtexparser.parse_string(text)
    assert len(parsed.entries) == 4 and not parsed.failed_blocks
    assert sum("keywords" in entry.fields_dict for entry in parsed.entries) == 2


def test_csv_has_a_tags_column_guarded_against_formulas(tagged: Library) -> None:
    rows = list(csv.DictReader(io.StringIO(export_library(tagged, "csv"))))
    by_title = {row["title"]: row for row in rows}
    assert by_title["Message passing"]["tags"] == "gnn" and by_title["Reward shaping"]["tags"] == ""
    first = by_title["Graph pooling"]["tags"]
    assert first.split("; ") == sorted(HOSTILE_TAGS)  # no tag holds a space, so "; " splits them exactly


def test_a_cell_that_would_start_a_formula_is_quoted(filled) -> None:
    library, (a, *_rest) = filled
    library.apply([Change(a, "tag+", "=1+1")])
    rows = list(csv.DictReader(io.StringIO(export_library(library, "csv"))))
    assert {row["tags"] for row in rows} == {"'=1+1", ""}


def test_markdown_has_a_tags_line_that_stays_inert(tagged: Library) -> None:
    text = export_library(tagged, "markdown")
    assert "Tags: `gnn`\n" in text
    line = next(line for line in text.splitlines() if line.startswith("Tags: `50%`"))
    assert "`[bold]x[/]`" in line and "`{open`" in line


def test_a_reading_list_export_carries_only_its_papers_tags(tagged: Library) -> None:
    a = tagged.list_ids(("tag:=cmd",))[0]
    tagged.set_starred(a, True)
    text = export_library(tagged, "bibtex", starred_only=True)
    assert text.count("@misc") == 1 and "keywords = {50\\%" in text
