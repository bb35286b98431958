"""A Hugging Face page prints who submitted a paper where the authors would be: it is no author."""

from __future__ import annotations

from tui.library import Library, export_chunks
from tui.records import Paper, ParseResult


def test_a_submitter_is_shown_as_submitted_by_and_never_exported_as_an_author(tmp_path) -> None:
    paper = Paper(title="A submitted paper", abstract="x", submitter="BrainsBuild BrainsBuild")
    library = Library(tmp_path / "library.sqlite3")
    library.open()
    try:
        library.import_result(ParseResult("d.txt", "C", "2026-04-14", (paper,), content_hash="h"))
        stored = library.get(library.list_ids()[0])
        assert stored.submitter == "BrainsBuild BrainsBuild" and stored.authors == ()
        bibtex = "".join(export_chunks(library, "bibtex"))
        assert "BrainsBuild" not in bibtex
        assert "submitted by BrainsBuild" in "".join(export_chunks(library, "markdown"))
    finally:
        library.close()
