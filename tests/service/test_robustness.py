"""Crashes, two processes at once, damaged files: nothing lost, nothing half-written."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tui.records import SearchRequest
from tui.vocabulary import View
from tui.cli.main import main
from tui.service import open_service

ROOT = Path(__file__).resolve().parents[2]


def trending_digest(path: Path, count: int, tag: str = "") -> Path:
    """A format-C digest of `count` distinct papers."""
    lines = ["Get trending papers in your email inbox once a day!", "Get trending papers in your email inbox!"]
    for i in range(count):
        title = f"Synthetic Study {tag}{i} of Sparse Graph Transformers"
        lines.append(("Subscribe" if i == 0 else "") + title)
        lines.append(f"We study sparse graph transformers in setting {tag}{i}. " * 6)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cli(home: Path, *argv: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PAPER_READER_HOME": str(home)}
    return subprocess.Popen([sys.executable, "-m", "tui.cli", *argv], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.mark.slow
def test_sigkill_during_import_leaves_a_consistent_library(tmp_path: Path) -> None:
    home = tmp_path / "home"
    big = trending_digest(tmp_path / "big.txt", 20000)
    proc = cli(home, "import", str(big))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (home / "library.sqlite3-wal").exists():
        time.sleep(0.02)
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(home / "library.sqlite3")
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    papers, digests = conn.execute("SELECT (SELECT COUNT(*) FROM papers), (SELECT COUNT(*) FROM digests)").fetchone()
    conn.close()
    assert (papers, digests) in ((0, 0), (20000, 1))  # all of the digest or none of it
    # The next run imports (or recognises) the digest, and the index catches up with the library.
    again = cli(home, "import", str(big))
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    search = cli(home, "search", "setting", "--json", "--limit", "3")
    out, err = search.communicate(timeout=600)
    assert search.returncode == 0, err
    assert len(json.loads(out)) == 3


def test_sigkill_during_note_saves_keeps_every_committed_note(tmp_path: Path, seed_files) -> None:
    home = tmp_path / "home"
    assert main(["--data-dir", str(home), "import", str(seed_files[3])]) == 0
    script = (
        "import sys\nfrom tui.service import open_service\n"
        f"b = open_service({str(home)!r})\nids = b.view_ids('all')\n"
        "for n in range(100000):\n"
        "    b.set_note(ids[n % len(ids)], f'note {n}')\n"
        "    print(n, flush=True)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    for _ in range(200):
        last = proc.stdout.readline()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    backend = open_service(home)
    notes = {p.note for p in backend.papers(backend.view_ids("all")).values()}
    backend.close()
    assert f"note {int(last)}" in notes  # every acknowledged write survived the kill


@pytest.mark.slow
def test_two_processes_importing_and_starring_lose_nothing(tmp_path: Path, seed_files) -> None:
    home = tmp_path / "home"
    assert main(["--data-dir", str(home), "import", str(seed_files[3])]) == 0
    digests = [trending_digest(tmp_path / f"d{i}.txt", 60, tag=f"p{i}-") for i in range(4)]
    starrer = (
        "from tui.service import open_service\n"
        f"b = open_service({str(home)!r})\nb.upkeep.ensure()\n"
        "for paper_id in b.view_ids('all')[:50]:\n"
        "    b.set_starred(paper_id, True)\n"
        "b.close()\n"
    )
    importer = cli(home, "import", *map(str, digests))
    star = subprocess.Popen([sys.executable, "-c", starrer], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    _, import_err = importer.communicate(timeout=600)
    _, star_err = star.communicate(timeout=600)
    assert importer.returncode == 0, import_err
    assert star.returncode == 0, star_err
    backend = open_service(home)
    stats = backend.stats()
    assert (stats.papers, stats.starred) == (50 + 4 * 60, 50)
    backend.upkeep.ensure()
    assert backend.page(SearchRequest("is:starred", limit=500)).total == 50
    assert backend.page(SearchRequest("title:synthetic", limit=500)).total == 240
    backend.close()


def test_damaged_library_is_kept_aside_with_a_way_back(tmp_path: Path, seed_files, capsys) -> None:
    home = tmp_path / "home"
    assert main(["--data-dir", str(home), "import", str(seed_files[3])]) == 0
    # make a backup exist, then damage the live file
    backend = open_service(home)
    backend.close()
    library = home / "library.sqlite3"
    data = bytearray(library.read_bytes())
    data[100:4096] = b"\x00" * (4096 - 100)
    data[4096:] = os.urandom(len(data) - 4096)
    library.write_bytes(bytes(data))
    capsys.readouterr()
    code = main(["--data-dir", str(home), "stats"])
    err = capsys.readouterr().err
    assert code == 1 and "damaged" in err and "kept it as library.sqlite3.damaged-" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    kept = [p for p in home.glob("library.sqlite3.damaged-*") if p.name[-1].isdigit()]
    assert len(kept) == 1 and kept[0].read_bytes() == bytes(data)
    assert not (home / "library.sqlite3-wal").exists()  # its WAL moved aside with it


def test_data_directory_is_private(tmp_path: Path, seed_files) -> None:
    home = tmp_path / "private"
    assert main(["--data-dir", str(home), "import", str(seed_files[3])]) == 0
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "library.sqlite3").stat().st_mode) == 0o600
