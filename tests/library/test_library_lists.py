"""Saved searches and watches in the library: names, queries, opening, new-since, and a backup round trip."""

from __future__ import annotations

import pytest

from tui.library import Library
from tui.library.export import export_library, restore_library
from tui.library.lists import ListError
from tui.records import Paper, ParseResult


def _digest(library: Library, name: str, titles: list[str]) -> None:
    papers = tuple(Paper(title=t, abstract=f"About {t}.") for t in titles)
    library.import_result(ParseResult(name, "A", "2026-04-22", papers, content_hash=f"hash-{name}"))


def test_saved_searches_keep_their_order_and_refuse_a_taken_name(library):
    library.add_saved_search("gnn", "graph neural", "newest")
    library.add_saved_search("Transport", '"optimal transport"')
    assert [(s.name, s.query, s.sort) for s in library.saved_searches()] == [
        ("gnn", "graph neural", "newest"), ("Transport", '"optimal transport"', "relevance")]
    with pytest.raises(ListError, match="exists already"):
        library.add_saved_search("GNN", "anything")
    with pytest.raises(ListError, match="needs a name"):
        library.add_saved_search("  ", "x")
    with pytest.raises(ListError, match="query is empty"):
        library.add_saved_search("empty", "   ")
    with pytest.raises(ListError, match="unknown sort"):
        library.add_saved_search("odd", "x", "alphabetical")


def test_a_saved_search_is_renamed_edited_and_deleted(library):
    library.add_saved_search("gnn", "graph neural")
    library.add_saved_search("other", "x")
    renamed = library.update_saved_search("GNN", new_name="graphs", query="graph* -survey", sort="upvotes")
    assert (renamed.name, renamed.query, renamed.sort, renamed.position) == ("graphs", "graph* -survey", "upvotes", 1)
    with pytest.raises(ListError, match="exists already"):
        library.update_saved_search("graphs", new_name="Other")
    assert library.delete_saved_search("graphs").name == "graphs"
    assert [s.name for s in library.saved_searches()] == ["other"]
    with pytest.raises(ListError, match="no saved search called 'graphs'"):
        library.delete_saved_search("graphs")


def test_new_since_opened_counts_later_digests_but_not_later_stars(library):
    _digest(library, "first.txt", ["Old one", "Old two"])
    library.add_saved_search("all", "is:new")
    saved = library.saved_search("all")
    assert library.new_since_ids(saved.opened_seq, saved.opened_at) == []
    starred = next(p for p in library.get_many(library.list_ids()).values() if p.title == "Old two")
    library.set_starred(starred.id, True)  # a write: its seq moves, but it is no newer paper
    assert library.new_since_ids(saved.opened_seq, saved.opened_at) == []
    _digest(library, "second.txt", ["New one", "Old two"])
    fresh = library.new_since_ids(saved.opened_seq, saved.opened_at)
    assert {p.title for p in library.get_many(fresh).values()} == {"New one"}
    opened = library.open_saved_search("all")
    assert opened.opened_seq == library.current_seq()
    assert library.new_since_ids(opened.opened_seq, opened.opened_at) == []


def test_watches_are_unique_per_kind_and_deleted_by_name_or_number(library):
    watch, new = library.add_watch("author", '  Stefanie  "Jegelka" ')
    assert new and watch.query == 'author:"Stefanie Jegelka"' and watch.label == "Stefanie Jegelka"
    assert library.add_watch("author", "stefanie jegelka")[1] is False
    keyword, _ = library.add_watch("keyword", "graph   transformer")
    assert keyword.query == "graph transformer"
    assert [w.kind for w in library.watches()] == ["author", "keyword"]
    with pytest.raises(ListError, match="an author or a keyword"):
        library.add_watch("venue", "NeurIPS")
    assert library.delete_watch("author", "Stefanie Jegelka").id == watch.id
    assert library.delete_watch(None, str(keyword.id)).query == "graph transformer"
    with pytest.raises(ListError, match="not watching"):
        library.delete_watch("keyword", "nothing")
    assert library.watches() == []


def test_saved_searches_and_watches_survive_a_json_backup(library, tmp_path):
    _digest(library, "first.txt", ["A paper"])
    library.add_saved_search("gnn", "graph neural", "newest")
    library.add_watch("author", "Ada Lovelace")
    backup = tmp_path / "backup.json"
    backup.write_text(export_library(library, "json"), encoding="utf-8")
    other = Library(tmp_path / "other" / "library.sqlite3")
    other.open()
    try:
        restore_library(other, backup)
        assert [(s.name, s.query, s.sort) for s in other.saved_searches()] == [("gnn", "graph neural", "newest")]
        assert [w.label for w in other.watches()] == ["Ada Lovelace"]
    finally:
        other.close()
