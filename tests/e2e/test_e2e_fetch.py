"""End to end: `paper-reader --config F` in a tmux pane fetches from a local server on f, and quits mid-fetch."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fetch"))  # the fetch tests' local server

from fetch_support import RSS_SAMPLE, LocalServer, Reply, part_files, server  # noqa: E402,F401  (fixture)
from test_e2e_tmux import SEED, Tmux, tmux  # noqa: E402,F401  (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not RSS_SAMPLE.exists(), reason="needs the shared samples")]


def test_fetch_key_in_a_real_terminal_then_quit_during_a_stalled_fetch(tmux: Tmux, hermetic_home: Path,
                                                                        server: LocalServer, tmp_path: Path):
    feed = RSS_SAMPLE.read_bytes()
    server.serve("/rss/cs.AI", Reply(200, feed, {"Content-Type": "application/rss+xml"}, delay=1.5))
    server.serve("/rss/cs.LG", Reply(200, feed, {"Content-Type": "application/rss+xml"}, delay=60))
    config = tmp_path / "config.toml"
    config.write_text(f'[subscriptions]\narxiv = ["cs.AI"]\nhf_daily = false\n'
                      f'[fetch]\narxiv_rss_base = "{server.base_url}"\n', encoding="utf-8")
    tmux.start("--config", str(config), str(SEED))
    tmux.wait_for("Inbox", "43 added")
    tmux.wait_gone("indexing")
    tmux.keys("f")
    tmux.wait_for("fetching cs.AI… 1/1")
    tmux.wait_for("cs.AI: 3 new, 0 cross, 0 replaced (0 known)", "3 new papers in the Inbox", "Inbox 46 new")
    tmux.keys("q")
    assert tmux.wait_exit() == 0

    config.write_text(config.read_text(encoding="utf-8").replace('"cs.AI"', '"cs.LG"'), encoding="utf-8")
    tmux.start("--config", str(config))
    tmux.wait_for("Inbox 46 new")
    tmux.keys("f")
    tmux.wait_for("fetching cs.LG… 1/1")
    started = time.monotonic()
    tmux.keys("q")
    assert tmux.wait_exit(timeout=5) == 0
    assert time.monotonic() - started < 3.0
    assert part_files(hermetic_home) == []
