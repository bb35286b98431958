"""Where digests come from: standard input as `-`, folders for import, and files that are no files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tui.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "parsing"))
from arxiv_builders import block, hf_json, listing  # noqa: E402


def cli(*argv: str, stdin: bytes = b"", timeout: float = 60) -> subprocess.CompletedProcess:
    """Run the real command in a child process (so standard input is a real pipe)."""
    return subprocess.run([sys.executable, "-m", "tui.cli", *argv], input=stdin, capture_output=True,
                          timeout=timeout, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_dash_reads_standard_input_once() -> None:
    done = cli("parse", "-", "--json", stdin=hf_json(3).encode())
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 3
    assert b"stdin: format hf-json, 3 entries" in done.stderr


def test_dev_stdin_from_a_pipe_is_refused_in_one_line() -> None:
    done = cli("parse", "/dev/stdin", stdin=hf_json(1).encode())
    assert done.returncode == 1 and b"not a regular file" in done.stderr and b"give -" in done.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused_at_once(device: str, capsys) -> None:
    if not Path(device).exists():
        pytest.skip(f"{device} is not present")
    assert main(["parse", device]) == 1
    assert "not a regular file" in capsys.readouterr().err


def test_fifo_is_refused_without_blocking(tmp_path: Path, capsys) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    finished = threading.Event()
    result: list[int] = []
    thread = threading.Thread(target=lambda: (result.append(main(["parse", str(fifo)])), finished.set()), daemon=True)
    thread.start()
    assert finished.wait(10), "parse blocked on a FIFO"
    assert result == [1] and "not a regular file" in capsys.readouterr().err


def test_import_a_folder_and_its_subfolders(tmp_path: Path, capsys) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "a.json").write_text(hf_json(2), encoding="utf-8")
    (tmp_path / "in" / "sub" / "b.txt").write_text(listing(block("2303.00001")), encoding="utf-8")
    (tmp_path / "in" / "notes.txt").write_text("just some notes\n", encoding="utf-8")
    (tmp_path / "in" / ".hidden").write_text("x", encoding="utf-8")
    code = main(["import", "--no-index", str(tmp_path / "in")])
    out, err = capsys.readouterr()
    assert code == 0
    assert "a.json: format hf-json, 2 added" in out and "b.txt: format arxiv-mail, 1 added" in out
    assert err.count("notes.txt") == 1 and ".hidden" not in out + err


def test_import_dash_reads_standard_input(tmp_path: Path) -> None:
    done = cli("--data-dir", str(tmp_path / "lib"), "import", "--no-index", "-", stdin=hf_json(2).encode())
    assert done.returncode == 0, done.stderr
    assert b"format hf-json, 2 added" in done.stdout
