"""BibTeX that real parsers accept whatever a title holds, with arXiv fields; TeX reads as on screen."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import bibtexparser
import pytest
from pybtex.database import parse_string

from tui.library.export import export_library, write_export, ExportError
from tui.library.store import Library
from tui.records import Paper, ParseResult

UNBALANCED = (Paper("Open { never closed", "x"), Paper("Closed } never opened", "y"),
              Paper("Both }{ wrong way", "z \\"), Paper("Plain title after them", "w"))
ARXIV = Paper("Galaxies at 3.4\\% of the Hubble time", "We gain 3.4\\% on $z$.", authors=("A. Author", "B. Other et al."),
              date="2023-03-01", arxiv_id="2303.00763", version=3, categories=("astro-ph.GA", "astro-ph.CO"),
              category="astro-ph.GA", doi="10.1000/xyz_1")


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "lib" / "library.sqlite3")
    lib.open()
    lib.import_result(ParseResult("d.txt", "A", "2025-04-22", (*UNBALANCED, ARXIV), (), "h1"))
    yield lib
    lib.close()


def test_unbalanced_braces_never_break_the_file_for_pybtex(library: Library) -> None:
    entries = parse_string(export_library(library, "bibtex"), "bibtex").entries
    assert len(entries) == 5
    titles = [str(e.fields["title"]) for e in entries.values()]
    assert any("textbraceleft" in t for t in titles) and any("Plain title after them" in t for t in titles)


def test_unbalanced_braces_never_drop_entries_in_bibtexparser(library: Library) -> None:
    parsed = bibtexparser.parse_string(export_library(library, "bibtex"))
    assert len(parsed.entries) == 5 and not parsed.failed_blocks


def test_arxiv_papers_carry_eprint_archive_class_and_doi(library: Library) -> None:
    entries = parse_string(export_library(library, "bibtex"), "bibtex").entries
    entry = next(e for e in entries.values() if "eprint" in e.fields)
    assert entry.fields["eprint"] == "2303.00763" and entry.fields["archivePrefix"] == "arXiv"
    assert entry.fields["primaryClass"] == "astro-ph.GA" and entry.fields["doi"] == r"10.1000/xyz\_1"


def test_a_list_ending_in_et_al_exports_as_and_others(library: Library) -> None:
    text = export_library(library, "bibtex")
    assert "author = {A. Author and B. Other and others}" in text
    entry = next(e for e in parse_string(text, "bibtex").entries.values() if "eprint" in e.fields)
    assert [str(p) for p in entry.persons["author"]][-1] == "others"


def test_tex_percent_reads_as_on_screen_in_every_export(library: Library) -> None:
    markdown = export_library(library, "markdown")
    assert "Galaxies at 3.4% of the Hubble time" in markdown and "3.4\\%" not in markdown
    rows = list(csv.DictReader(io.StringIO(export_library(library, "csv"))))
    row = next(r for r in rows if r["arxiv_id"] == "2303.00763")
    assert row["title"] == "Galaxies at 3.4% of the Hubble time"
    assert "3.4% on z" in markdown
    assert row["categories"] == "astro-ph.GA; astro-ph.CO" and row["version"] == "3"
    bib = export_library(library, "bibtex")
    assert "Galaxies at 3.4\\% of the Hubble time" in bib  # valid LaTeX, one backslash: reads 3.4%


def test_export_into_a_missing_folder_says_no_such_directory(library: Library, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="missing-dir: no such directory"):
        write_export(library, "csv", tmp_path / "missing-dir" / "x.csv")
    assert not (tmp_path / "missing-dir").exists()


@pytest.mark.parametrize("text", ["plain words  and\tspaces ", " lead", "ünï côdé — dash", "a\u2028b", "x\u00a0y",
                                  "{braces} and ^carets_", "", "100% & #1"])
def test_the_fast_path_for_plain_text_reads_exactly_as_the_tex_reader(text: str) -> None:
    from tui.library.export import _shown
    from tui.tex import readable_text
    from tui.textsafe import one_line

    assert _shown(text) == one_line(readable_text(text, single_line=True))
