"""`paper-reader saved ...`, `search --saved` and `watch ...`: what they print and their exit codes."""

from __future__ import annotations

import json

import pytest

from tui.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def imported(capsys, seed_files):
    assert run(capsys, "import", *map(str, seed_files[:3]))[0] == 0
    return seed_files


def test_saved_add_lists_counts_and_new_matches_after_an_import(capsys, imported):
    assert run(capsys, "saved", "add", "gnn", "graph", "neural") == (0, "saved 'gnn': graph neural\n", "")
    assert run(capsys, "saved", "add", "fresh", "is:new", "--sort", "newest")[0] == 0
    code, out, _ = run(capsys, "saved", "--json")
    listed = json.loads(out)
    assert [(s["name"], s["query"], s["sort"], s["new"]) for s in listed] == [
        ("gnn", "graph neural", "relevance", 0), ("fresh", "is:new", "newest", 0)]
    before = listed[0]["count"]
    assert before > 10
    run(capsys, "import", *map(str, imported[3:]))
    gnn = json.loads(run(capsys, "saved", "--json")[1])[0]
    assert gnn["count"] > before and gnn["new"] == gnn["count"] - before
    code, out, _ = run(capsys, "saved")
    assert out.splitlines()[0].split()[:4] == ["4", "gnn", str(gnn["count"]), f"(+{gnn['new']})"]


def test_search_saved_runs_its_query_and_a_missing_name_is_one_line(capsys, imported):
    run(capsys, "saved", "add", "gnn", "graph neural")
    code, out, _ = run(capsys, "search", "--saved", "gnn", "--json", "--limit", "5")
    direct = json.loads(run(capsys, "search", "graph neural", "--json", "--limit", "5")[1])
    assert code == 0 and [hit["id"] for hit in json.loads(out)] == [hit["id"] for hit in direct]
    code, out, err = run(capsys, "search", "--saved", "nope")
    assert code == 1 and out == "" and err.strip().count("\n") == 0 and "no saved search called 'nope'" in err
    assert run(capsys, "search")[0] == 2


def test_saved_rename_edit_delete_and_errors(capsys, imported):
    run(capsys, "saved", "add", "gnn", "graph neural")
    assert run(capsys, "saved", "add", "GNN", "x")[:2] == (1, "")
    assert run(capsys, "saved", "rename", "gnn", "graphs")[0] == 0
    assert run(capsys, "saved", "edit", "graphs", '"graph neural"', "--sort", "newest")[0] == 0
    listed = json.loads(run(capsys, "saved", "--json")[1])
    assert [(s["name"], s["query"], s["sort"]) for s in listed] == [("graphs", '"graph neural"', "newest")]
    assert run(capsys, "saved", "delete", "graphs") == (0, "deleted 'graphs'\n", "")
    code, _, err = run(capsys, "saved", "delete", "graphs")
    assert code == 1 and err == "saved: no saved search called 'graphs'\n"


def test_watch_add_list_delete(capsys, imported):
    assert run(capsys, "watch", "add", "author", "Jane", "Doe")[1] == "watching author 'Jane Doe'\n"
    assert run(capsys, "watch", "add", "author", "jane doe")[1] == "already watching author 'Jane Doe'\n"
    assert run(capsys, "watch", "add", "keyword", "graph", "neural")[0] == 0
    listed = json.loads(run(capsys, "watch", "--json")[1])
    assert [(w["kind"], w["name"], w["query"]) for w in listed] == [
        ("author", "Jane Doe", 'author:"Jane Doe"'), ("keyword", "graph neural", "graph neural")]
    code, out, _ = run(capsys, "search", "is:watched", "--json", "--limit", "500")
    assert code == 0 and len(json.loads(out)) == len(json.loads(run(capsys, "search", "graph neural", "--json",
                                                                    "--limit", "500")[1]))
    assert run(capsys, "watch", "delete", "author", "Jane", "Doe")[0] == 0
    assert run(capsys, "watch", "delete", str(listed[1]["id"]))[0] == 0
    code, _, err = run(capsys, "watch", "delete", "keyword", "graph neural")
    assert code == 1 and err == "watch: not watching 'graph neural'\n"
    assert run(capsys, "watch", "add", "venue", "x")[0] == 1
    assert json.loads(run(capsys, "watch", "--json")[1]) == []


def test_names_with_control_characters_print_inert(capsys, imported):
    run(capsys, "saved", "add", "evil\x1b[31mred", "graph")
    run(capsys, "watch", "add", "author", "Bad\x1b]52;c;x\x07 Name")
    for command in (("saved",), ("watch",), ("saved", "--json"), ("watch", "--json")):
        out = run(capsys, *command)[1]
        assert "\x1b" not in out and "\x07" not in out
