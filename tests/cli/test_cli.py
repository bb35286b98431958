"""The `paper-reader` command line: exit codes, messages, JSON shapes, and inert output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_json_prints_entries_and_reports_on_stderr(capsys, seed_files) -> None:
    code, out, err = run(capsys, "parse", str(seed_files[3]), "--json")
    assert code == 0
    entries = json.loads(out)
    assert len(entries) == 50
    assert list(entries[0]) == ["title", "abstract", "authors", "author_count", "orgs", "date",
                                "upvotes", "category", "has_code", "links", "arxiv_id", "version", "announce",
                                "categories", "doi", "journal_ref", "comments"]
    assert err.strip() == "003_8aceefb3bb95496f.txt: format B, 50 entries, 0 skipped"


def test_parse_of_a_listing_without_bylines_prints_no_empty_lines(capsys, seed_files) -> None:
    code, out, _ = run(capsys, "parse", str(seed_files[4]))  # a trending list: titles only
    lines = out.splitlines()
    assert code == 0 and len(lines) == 207 and all(line.strip() for line in lines)
    code, out, _ = run(capsys, "parse", str(seed_files[2]))
    assert "submitted by BrainsBuild BrainsBuild" in out


def test_parse_does_not_touch_the_library(capsys, seed_files, hermetic_home: Path) -> None:
    run(capsys, "parse", str(seed_files[0]))
    assert not (hermetic_home / "library.sqlite3").exists()


def test_import_reports_each_file_and_is_idempotent(capsys, seed_files) -> None:
    code, out, err = run(capsys, "import", *map(str, seed_files))
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 5 and lines[0].startswith("000_9ee87580e55e8dd2.txt: format A, 43 added")
    code, out, _ = run(capsys, "stats", "--json")
    stats = json.loads(out)
    assert (stats["papers"], stats["digests"], stats["new"]) == (341, 5, 341)
    code, out, _ = run(capsys, "import", str(seed_files[0]))
    assert code == 0 and "already imported, nothing to do" in out


def _empty_folder(path: Path) -> Path:
    """A folder with no files in it (importing a folder imports the files inside)."""
    path.mkdir()
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda d: d / "missing.txt", "missing.txt"),
        (lambda d: _empty_folder(d / "empty_dir"), "empty_dir"),
        (lambda d: _write(d / "empty.txt", b"  \n\n"), "empty.txt"),
        (lambda d: _write(d / "blob.bin", bytes(range(256)) * 8), "blob.bin"),
        (lambda d: _write(d / "README.md", b"# Hello\n\nThis is a readme.\n\n## Install\n\npip install x\n"), "README.md"),
    ],
)
def test_import_of_bad_input_is_one_line_and_exit_1(capsys, tmp_path: Path, make, expected: str) -> None:
    target = make(tmp_path)
    code, out, err = run(capsys, "import", str(target))
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and expected in err and "Traceback" not in err


def test_one_good_file_among_bad_ones_still_imports(capsys, tmp_path: Path, seed_files) -> None:
    code, out, err = run(capsys, "import", str(tmp_path / "nope.txt"), str(seed_files[3]))
    assert code == 0 and "50 added" in out and "nope.txt" in err


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_search_json_has_the_documented_keys(capsys, seed_files) -> None:
    run(capsys, "import", str(seed_files[0]))
    code, out, err = run(capsys, "search", "graph", "neural", "--json", "--limit", "5")
    assert code == 0
    hits = json.loads(out)
    assert 0 < len(hits) <= 5
    for key in ("id", "title", "date", "upvotes", "score", "starred", "status", "title_spans", "excerpt_spans"):
        assert key in hits[0]


def test_search_with_a_broken_query_never_fails(capsys, seed_files) -> None:
    run(capsys, "import", str(seed_files[0]))
    for query in ('"unbalanced', "NOT AND x", "title:", "date:>=garbage", "((("):
        code, out, err = run(capsys, "search", query)
        assert code == 0 and "Traceback" not in err


def test_terminal_escapes_in_a_digest_are_neutralised_in_every_output(capsys, tmp_path: Path) -> None:
    evil = tmp_path / "evil.txt"
    title = "Evil \x1b[2J\x1b]0;owned\x07Title\x9b31m for Graph Learning"
    evil.write_text(
        "LGJun 24, 2023Code\n"
        f"{title}Alice Smith, Bob Jones · mit\n"
        "An abstract \x1b[31mred\x1b[0m about graph learning that is long enough to be an abstract.\n",
        encoding="utf-8",
    )
    outputs = []
    for argv in (("parse", str(evil)), ("parse", str(evil), "--json"), ("import", str(evil)),
                 ("search", "graph"), ("search", "graph", "--json"), ("stats",),
                 ("export",), ("export", "--format", "csv"), ("export", "--format", "bibtex"),
                 ("export", "--format", "json")):
        code, out, err = run(capsys, *argv)
        outputs.append(out + err)
    joined = "".join(outputs)
    assert "\x1b" not in joined and "\x07" not in joined and "\x9b" not in joined
    assert "Evil" in joined


def test_stats_text_summarises(capsys, seed_files) -> None:
    run(capsys, "import", str(seed_files[3]))
    code, out, _ = run(capsys, "stats")
    assert code == 0 and out.startswith("50 papers from 1 digests")


def test_export_restore_via_cli_round_trip(capsys, seed_files, tmp_path: Path) -> None:
    run(capsys, "import", str(seed_files[3]))
    backup = tmp_path / "backup.json"
    assert run(capsys, "export", "--format", "json", "-o", str(backup))[0] == 0
    other = tmp_path / "other"
    code, out, err = run(capsys, "--data-dir", str(other), "restore", str(backup))
    assert code == 0 and "restored 50 papers" in out
    again = tmp_path / "again.json"
    run(capsys, "--data-dir", str(other), "export", "--format", "json", "-o", str(again))
    assert again.read_text() == backup.read_text()


def test_the_installed_command_runs_in_a_fresh_process(tmp_path: Path, seed_files) -> None:
    env = {**os.environ, "PAPER_READER_HOME": str(tmp_path / "h")}
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "import", str(seed_files[1])],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "32 added" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "import", str(tmp_path / "gone.txt")],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "gone.txt" in proc.stderr



@pytest.mark.parametrize(("argv", "command"), [
    (["--data-dir", "/x", "stats"], "stats"),
    (["--data-dir=/x", "restore", "b.json"], "restore"),
    (["--data-dir", "/x", "digest.txt"], "app"),
    (["digest.txt"], "app"),
    ([], "app"),
])
def test_sub_command_or_app_is_chosen_from_the_first_positional(monkeypatch, argv, command) -> None:
    from tui.cli import commands as cli_commands

    seen = []
    monkeypatch.setattr(cli_commands, f"cmd_{command}", lambda args: seen.append(args.command) or 0)
    assert main(argv) == 0 and seen == [command]
