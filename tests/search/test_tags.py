"""`tag:NAME` and `is:tagged`: the index and the library's listing find the same papers, the index
follows every tag change (undo, rename, another process), and an index without tags is rebuilt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.records import SearchRequest
from tui.search.query import FIELD_HINTS, parse
from tui.search.schema import SCHEMA_VERSION
from tui.search.suggest import known_field
from tui.service import listing_flags, open_service

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))


@pytest.fixture
def service(tmp_path: Path):
    backend = open_service(tmp_path / "home", backup=False)
    backend.import_files(SEEDS[:2])
    backend.upkeep.ensure()
    yield backend
    backend.close()


def _tag_some(service) -> dict[str, list[str]]:
    ids = [hit.id for hit, _ in service.list_view("all", limit=30).rows]
    service.add_tag(ids[:12], "gnn")
    service.add_tag(ids[8:20], "to-read")
    service.mark(ids[:4], status="read")
    service.mark(ids[10:14], starred=True)
    service.upkeep.catch_up()
    return {"gnn": ids[:12], "to-read": ids[8:20]}


def _index_ids(service, query: str) -> set[str]:
    return {hit.id for hit in service.upkeep.index.search(query, limit=1000).hits}


def _listed_ids(service, query: str) -> set[str]:
    assert listing_flags(query) is not None, query  # the library lists it, no index involved
    return {hit.id for hit, _ in service.page(SearchRequest(query, limit=1000)).rows}


@pytest.mark.parametrize("query", ["tag:gnn", "tag:GNN", "is:tagged", "tag:gnn is:new", "tag:x is:new",
                                   "-tag:gnn is:tagged", "tag:gnn tag:to-read", "tag:to-read -is:starred",
                                   "tag:gnn -is:read has:note", "is:tagged -is:new"])
def test_the_index_and_the_listing_agree(service, query: str) -> None:
    tagged = _tag_some(service)
    assert _index_ids(service, query) == _listed_ids(service, query)
    if query == "tag:gnn":
        assert _listed_ids(service, query) == set(tagged["gnn"])
    if query == "is:tagged":
        assert len(_listed_ids(service, query)) == 20


def test_the_listing_counts_match_what_it_lists(service) -> None:
    _tag_some(service)
    page = service.page(SearchRequest("tag:gnn is:new", limit=3))
    assert page.total == 8 and len(page.rows) == 3 and page.exact


def test_a_tag_with_words_goes_through_the_index_and_follows_the_change(service) -> None:
    tagged = _tag_some(service)
    paper = service.get(tagged["gnn"][0])
    word = paper.title.split()[0]
    assert paper.id in {hit.id for hit, _ in service.page(SearchRequest(f"tag:gnn {word}", limit=1000)).rows}
    service.remove_tag([paper.id], "gnn")
    service.upkeep.catch_up()
    assert paper.id not in _index_ids(service, f"tag:gnn {word}")
    service.undo()
    service.upkeep.catch_up()
    assert paper.id in _index_ids(service, f"tag:gnn {word}")
    service.rename_tag("gnn", "graphs")
    service.upkeep.catch_up()
    assert _index_ids(service, "tag:gnn") == set() and paper.id in _index_ids(service, "tag:graphs")
    service.delete_tag("graphs")
    service.upkeep.catch_up()
    assert _index_ids(service, "tag:graphs") == set()


def test_another_process_tagging_reaches_this_index(service, tmp_path: Path) -> None:
    ids = [hit.id for hit, _ in service.list_view("all", limit=3).rows]
    other = open_service(tmp_path / "home", backup=False)
    try:
        other.add_tag(ids, "from-cron")
    finally:
        other.close()
    assert service.changes_from_elsewhere() == 0
    service.upkeep.catch_up()
    assert _index_ids(service, "tag:from-cron") == set(ids)


def test_a_tag_being_typed_is_a_prefix_and_a_star_asks_for_one(service) -> None:
    tagged = _tag_some(service)
    typing = service.page(SearchRequest("tag:to-r", limit=1000, as_you_type=True))
    assert {hit.id for hit, _ in typing.rows} == set(tagged["to-read"])
    assert _index_ids(service, "tag:to*") == set(tagged["to-read"])
    assert service.page(SearchRequest("tag:to-r", limit=1000)).rows == ()  # submitted: the exact tag


def test_the_query_language_knows_tags() -> None:
    word = parse("tag:gnn").root.children[0]
    assert (word.field, word.text) == ("tags", "gnn")
    assert parse("is:tagged").root.children[0].name == "is:tagged"
    assert listing_flags("tag:gnn -tag:old is:new") == ("tag:gnn", "-tag:old", "is:new")
    assert listing_flags("tag:gn*") is None and listing_flags("tag:gnn graph") is None
    assert known_field("tagz") == "tag" and known_field("labels") == "tag" and "tag" not in FIELD_HINTS
    assert not parse("tag:gnn").unknown_fields and not parse("tags:gnn").unknown_fields


def test_an_index_from_before_tags_is_rebuilt_with_the_usual_notice(tmp_path: Path) -> None:
    home = tmp_path / "home"
    backend = open_service(home, backup=False)
    try:
        backend.import_files(SEEDS[:1])
        backend.upkeep.ensure()
        some = [hit.id for hit, _ in backend.list_view("all", limit=2).rows]
        backend.add_tag(some, "gnn")
        backend.upkeep.catch_up()
    finally:
        backend.close()
    metas = list(home.rglob("index_meta.json"))
    assert len(metas) == 1
    meta = json.loads(metas[0].read_text())
    assert meta["schema_version"] == SCHEMA_VERSION == 4
    meta["schema_version"] = 3  # what the release before tags wrote
    metas[0].write_text(json.dumps(meta))
    again = open_service(home, backup=False)
    try:
        notice = again.upkeep.ensure()
        assert notice.startswith("index schema changed: rebuilt the search index")
        assert _index_ids(again, "tag:gnn") == set(some)
        assert again.upkeep.ensure() is None
    finally:
        again.close()
