"""`paper-reader mark`, `tags` and `digests`: every flag, one undoable step per command, JSON shapes,
query words that start with '-', one-line errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hostile_text import dangerous, write_hostile_library
from tui.cli.main import main
from tui.records import SearchRequest
from tui.service import open_service

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def papers(*ids: str) -> dict:
    with open_service(None) as service:
        return service.papers(ids)


def listed(query: str) -> list[str]:
    with open_service(None) as service:
        return [hit.id for hit, _ in service.page(SearchRequest(query, limit=1000)).rows]


@pytest.fixture
def library(capsys) -> list[str]:
    """The first two seed digests imported (the index built); the ids in Inbox order."""
    code, _, err = run(capsys, "import", *map(str, SEEDS[:2]))
    assert code == 0, err
    with open_service(None) as service:
        return service.view_ids("inbox")


@pytest.mark.parametrize(("flags", "check"), [
    (["--star"], lambda p: p.starred),
    (["--read"], lambda p: p.status == "read"),
    (["--dismiss"], lambda p: p.status == "dismissed"),
    (["--keep"], lambda p: p.status == "kept"),
    (["--note", "reread section 3"], lambda p: p.note == "reread section 3"),
    (["--note", "-- a note that starts with dashes"], lambda p: p.note == "-- a note that starts with dashes"),
    (["--tag", "GNN", "--tag", "to-read"], lambda p: p.tags == ("gnn", "to-read")),
])
def test_each_flag_marks_one_paper_by_id_and_one_undo_takes_it_back(capsys, library, flags, check) -> None:
    paper_id = library[0]
    before = papers(paper_id)[paper_id]
    code, out, err = run(capsys, "mark", paper_id, *flags)
    assert code == 0, err
    assert out.startswith(f'marked "{before.title[:20]}')
    assert check(papers(paper_id)[paper_id])
    code, out, _ = run(capsys, "mark", "--undo")
    assert code == 0 and out.startswith("Undid the ") and out.count("\n") == 1
    assert papers(paper_id)[paper_id] == before


def test_unstar_new_and_untag_reverse_the_others(capsys, library) -> None:
    paper_id = library[0]
    run(capsys, "mark", paper_id, "--star", "--read", "--tag", "gnn", "--tag", "x")
    code, out, err = run(capsys, "mark", paper_id, "--unstar", "--new", "--untag", "gnn")
    assert code == 0, err
    paper = papers(paper_id)[paper_id]
    assert (paper.starred, paper.status, paper.tags) == (False, "new", ("x",))
    assert 'unstar, new, untag "gnn"' in out


def test_several_marks_in_one_command_are_one_step(capsys, library) -> None:
    paper_id = library[0]
    run(capsys, "mark", paper_id, "--star", "--keep", "--tag", "gnn", "--note", "n")
    code, out, _ = run(capsys, "mark", "--undo")
    assert out.strip().startswith("Undid the star and decision and note and tag “gnn” on “")
    paper = papers(paper_id)[paper_id]
    assert (paper.starred, paper.status, paper.tags, paper.note) == (False, "new", (), "")


def test_several_ids_at_once(capsys, library) -> None:
    code, out, _ = run(capsys, "mark", library[0], library[1], "--tag", "pair")
    assert code == 0 and out.startswith("marked 2 papers: tag \"pair\" (2 changed)")
    assert set(listed("tag:pair")) == {library[0], library[1]}


def test_a_query_marks_every_match_as_one_step_and_undo_takes_all_back(capsys, library) -> None:
    expected = set(listed("is:new"))
    run(capsys, "mark", library[0], "--star")
    code, out, err = run(capsys, "mark", "is:new", "--tag", "backlog", "--all", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"matched", "changed", "papers"}
    assert data["matched"] == data["changed"] == len(expected) == len(library) > 50
    assert set(data["papers"][0]) == {"id", "title", "starred", "status", "note", "tags"}
    assert all(p["tags"] == ["backlog"] for p in data["papers"])
    code, out, _ = run(capsys, "mark", "--undo", "--json")
    undone = json.loads(out)
    assert undone["undone"] == f"Undid the tag “backlog” on {len(library)} papers"
    assert {p["id"] for p in undone["papers"]} == expected and all(p["tags"] == [] for p in undone["papers"])
    assert listed("is:tagged") == []
    assert papers(library[0])[library[0]].starred  # the step before is still there


def test_a_big_query_is_refused_without_all_and_says_how_many(capsys, library) -> None:
    code, out, err = run(capsys, "mark", "is:new", "--dismiss")
    assert code == 1 and out == ""
    assert err.strip() == f'mark: "is:new" matches {len(library)} papers; add --all to mark every one (nothing changed)'
    assert len(listed("is:new")) == len(library)
    code, _, _ = run(capsys, "mark", "is:new", "--dismiss", "--yes")
    assert code == 0 and listed("is:new") == []


def test_a_text_query_uses_the_index(capsys, library) -> None:
    code, out, err = run(capsys, "mark", "title:diffusion", "--tag", "diffusion", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["matched"] >= 1 and all("diffusion" in p["title"].lower() for p in data["papers"])


@pytest.mark.parametrize("argv", [
    ["mark", "tag:x", "-is:read", "--star"],
    ["mark", "-is:read", "tag:x", "--star"],
    ["mark", "--star", "tag:x", "-is:read"],
    ["mark", "tag:x", "-has:note", "--star"],  # `-h...` is not the help option
    ["mark", "tag:x", "NOT", "is:read", "--star"],
    ["mark", "--star", "--", "tag:x", "-is:read"],
])
def test_negated_query_words_work_without_quoting(capsys, library, argv) -> None:
    run(capsys, "mark", *library[:3], "--tag", "x")
    run(capsys, "mark", library[0], "--read", "--note", "seen")
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    marked = {i for i, p in papers(*library[:3]).items() if p.starred}
    assert marked == set(library[1:3])


def test_search_takes_negated_words_too(capsys, library) -> None:
    run(capsys, "mark", library[0], "--read")
    code, out, err = run(capsys, "search", "-is:read", "--limit", "1000", "--json")
    assert code == 0, err
    found = {hit["id"] for hit in json.loads(out)}
    assert library[0] not in found and len(found) == len(library) - 1
    run(capsys, "mark", library[1], "--tag", "gnn")
    hits = json.loads(run(capsys, "search", "tag:gnn", "--json")[1])
    assert [(hit["id"], hit["tags"]) for hit in hits] == [(library[1], ["gnn"])]


@pytest.mark.parametrize(("argv", "code", "message"), [
    (["mark", "zzzunmatchedword", "--star"], 1, 'mark: no paper matches "zzzunmatchedword"'),
    (["mark", "is:new"], 2, "mark: nothing to do: give --star"),
    (["mark", "--star"], 2, "mark: give a paper id or a query (or --undo)"),
    (["mark", "is:new", "--undo"], 2, "mark: --undo takes no paper and no other mark"),
    (["mark", "is:new", "--all", "--tag", "two words"], 1, "mark: a tag cannot hold ' '"),
    (["mark", "is:new", "--all", "--tag", ""], 1, "mark: a tag needs a name"),
    (["mark", "--undo"], 1, "mark: nothing to undo"),
    (["tags", "rename", "nope", "other"], 1, 'tags: no paper is tagged "nope" (nothing changed)'),
    (["tags", "delete", "nope"], 1, 'tags: no paper is tagged "nope" (nothing changed)'),
    (["tags", "rename", "nope", "bad:name"], 1, "tags: a tag cannot hold ':'"),
])
def test_failures_are_one_line_and_non_zero(capsys, library, argv, code, message) -> None:
    got, out, err = run(capsys, *argv)
    assert got == code and out == ""
    assert err.strip().startswith(message) and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_unknown_double_dash_options_are_still_refused(capsys, library) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["mark", "is:new", "--stra"])
    assert caught.value.code == 2 and "unrecognized arguments: --stra" in capsys.readouterr().err


def test_tags_lists_counts_and_renames_and_deletes_as_one_step_each(capsys, library) -> None:
    code, out, err = run(capsys, "tags")
    assert code == 0 and out == "" and "no tags yet" in err
    run(capsys, "mark", *library[:3], "--tag", "gnn")
    run(capsys, "mark", library[0], "--tag", "rl")
    code, out, _ = run(capsys, "tags")
    assert out.splitlines() == ["3  gnn", "1  rl"]
    code, out, _ = run(capsys, "tags", "--json")
    assert json.loads(out) == [{"tag": "gnn", "papers": 3}, {"tag": "rl", "papers": 1}]
    code, out, _ = run(capsys, "tags", "rename", "gnn", "graphs")
    assert code == 0 and out.strip() == 'renamed tag "gnn" to "graphs" on 3 papers'
    code, out, _ = run(capsys, "tags", "rename", "rl", "graphs")  # a merge
    assert json.loads(run(capsys, "tags", "--json")[1]) == [{"tag": "graphs", "papers": 3}]
    run(capsys, "mark", "--undo")
    code, out, _ = run(capsys, "tags", "delete", "graphs")
    assert out.strip() == 'deleted tag "graphs" on 3 papers'
    code, out, _ = run(capsys, "mark", "--undo")
    assert out.strip() == "Undid the removal of tag “graphs” on 3 papers"
    assert json.loads(run(capsys, "tags", "--json")[1]) == [{"tag": "graphs", "papers": 3}, {"tag": "rl", "papers": 1}]


def test_digests_lists_newest_first_with_what_is_still_new(capsys, library) -> None:
    before = json.loads(run(capsys, "digests", "--json")[1])
    assert [d["new"] for d in before] == [d["papers"] for d in before]
    run(capsys, "mark", library[0], "--read")
    code, out, _ = run(capsys, "digests", "--json")
    data = json.loads(out)
    assert [d["label"] for d in data] == ["HF Daily · 2026-04-22", "HF Daily · 2026-01-06"]
    assert set(data[0]) == {"label", "date", "papers", "new", "format", "file", "imported_at"}
    assert [d["papers"] for d in data] == [43, 32]
    assert [b["new"] - d["new"] for b, d in zip(before, data)] in ([1, 0], [0, 1], [1, 1])
    code, out, _ = run(capsys, "digests")
    assert out.splitlines()[0].startswith("2026-04-22  HF Daily · 2026-04-22  ·  ")


def test_hostile_titles_and_tags_are_printed_inert(capsys, hermetic_home) -> None:
    paper = write_hostile_library(hermetic_home)
    outputs = [run(capsys, "mark", paper.id, "--unstar", "--tag", "[bold]x[/]")]
    outputs.append(run(capsys, "mark", "--undo"))
    outputs.append(run(capsys, "mark", "is:starred", "--tag", "ok", "--json"))
    outputs += [run(capsys, "tags"), run(capsys, "digests"), run(capsys, "digests", "--json")]
    for code, out, err in outputs:
        assert code == 0, err
        assert not dangerous(out + err)
    assert "Undid the star and tag “[bold]x[/]” on “Title" in outputs[1][1]


def test_the_real_command_exits_non_zero_on_failure(library) -> None:
    done = subprocess.run([sys.executable, "-m", "tui.cli", "mark", "--undo"], capture_output=True, text=True,
                          cwd=ROOT)
    assert done.returncode == 1 and done.stderr.strip() == "mark: nothing to undo"
