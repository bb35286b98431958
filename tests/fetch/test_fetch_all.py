"""fetch_all and `paper-reader fetch` end to end against a server on 127.0.0.1: the failure matrix."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time

from fetch_support import FakeClock, LocalServer, Reply, free_port, part_files, settings_for
from tui.cli.main import main
from tui.fetch import Outcome, fetch_all
from tui.fetch.state import FetchState

FEED = b'<rss version="2.0"><channel><title>t</title><item><title>x</title></item></channel></rss>'
HTML = b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>checking</body></html>"


def run(server, backend, **kwargs):
    """fetch_all on a fake clock, with settings pointing at the server."""
    settings = kwargs.pop("settings", None) or settings_for(server.base_url, **kwargs.pop("subs", {}))
    return fetch_all(settings, backend, clock=FakeClock(), **kwargs)


def write_config(tmp_path, base: str, extra: str = "") -> str:
    path = tmp_path / "config.toml"
    path.write_text(f'[subscriptions]\narxiv = ["cs.AI"]\nhf_daily = false\n[fetch]\narxiv_rss_base = "{base}"\n'
                    f'hf_base = "{base}"\nretries = 0\n{extra}')
    return str(path)


def test_html_with_the_wrong_content_type_is_kept_aside_named_and_not_imported(server, backend):
    server.serve("/rss/cs.AI", Reply(200, HTML, {"Content-Type": "text/html; charset=utf-8"}))
    report = run(server, backend, today=dt.date(2026, 11, 28))
    source = report.sources[0]
    assert source.outcome is Outcome.REJECTED and not report.ok
    assert source.line() == ("cs.AI: an HTML page, not an RSS or Atom feed (Content-Type text/html; charset=utf-8); "
                             "kept aside as digests/rejected/2026-11-28/arxiv-cs.AI.rss, not imported")
    assert (backend.data_dir / source.rejected).read_bytes() == HTML
    assert backend.stats().papers == 0
    assert not (backend.data_dir / "digests" / "2026-11-28").exists()


def test_malformed_xml_is_kept_aside_and_the_validators_are_not_remembered(server, backend):
    server.serve("/rss/cs.AI", Reply(200, FEED[:-20], {"Content-Type": "application/rss+xml", "ETag": '"v1"'}))
    source = run(server, backend).sources[0]
    assert source.outcome is Outcome.REJECTED
    assert "malformed XML (" in source.detail and "digests/rejected/" in source.detail
    assert FetchState.of(backend.data_dir).conditional_headers("arxiv-rss:cs.AI") == {}


def test_a_304_says_nothing_new_and_counts_as_success(server, backend):
    state = FetchState.of(backend.data_dir)
    state.remember("arxiv-rss:cs.AI", '"v1"', None, "2026-11-27T05:00:00+00:00")
    state.save()
    server.serve("/rss/cs.AI", Reply(200, FEED, {"ETag": '"v1"'}))
    report = run(server, backend)
    assert report.lines() == ["cs.AI: nothing new since the last fetch (304 Not Modified)",
                              "nothing new: every source was unchanged, empty or already imported"]
    assert report.ok and server.requests[0][1]["If-None-Match"] == '"v1"'


def test_a_host_timing_out_does_not_stop_the_others_nor_is_asked_again(server, backend):
    other = LocalServer()
    other.thread.start()
    try:
        server.serve("/rss/cs.AI", Reply(200, FEED, delay=1.0))
        other.serve("/api/daily_papers", Reply(200, b"[]", {"Content-Type": "application/json"}))
        settings = settings_for(server.base_url, arxiv=("cs.AI", "cs.CL"), hf=True, timeout=0.5, retries=0)
        settings = dataclasses.replace(settings, fetch=dataclasses.replace(settings.fetch, hf_base=other.base_url))
        report = run(server, backend, settings=settings, today=dt.date(2026, 11, 28))
    finally:
        other.httpd.shutdown()
        other.httpd.server_close()
    host = server.base_url.removeprefix("http://")
    assert [s.line() for s in report.sources] == [
        "cs.AI: no network (timed out after 0.5 s)", f"cs.CL: not tried ({host} failed above)",
        "hf 2026-11-27: no papers listed that day", "hf 2026-11-28: not published yet"]
    assert report.ok and server.hits("/rss/cs.CL") == 0


def test_cancelling_a_fetch_returns_promptly_and_leaves_no_temp_file(server, backend):
    server.serve("/rss/cs.AI", Reply(200, FEED * 50, {"Content-Type": "application/rss+xml"}, drip=0.05))
    stop = threading.Event()
    threading.Timer(0.4, stop.set).start()
    started = time.monotonic()
    report = run(server, backend, subs={"arxiv": ("cs.AI", "cs.CL"), "hf": True}, cancelled=stop.is_set)
    assert time.monotonic() - started < 1.5
    assert report.cancelled and not report.ok
    assert [s.outcome for s in report.sources] == [Outcome.CANCELLED] * 4  # cs.AI, cs.CL, hf yesterday and today
    assert report.summary() == "fetch cancelled; 0 papers added before it stopped"
    assert part_files(backend.data_dir) == []
    assert server.hits("/rss/cs.CL") == 0


def test_the_command_says_no_network_per_source_and_fails_when_all_fail(tmp_path, capsys):
    config = write_config(tmp_path, f"http://127.0.0.1:{free_port()}")
    code = main(["--data-dir", str(tmp_path / "data"), "--config", config, "fetch"])
    err = capsys.readouterr().err
    assert code == 1
    assert "cs.AI: no network (connection refused)" in err.splitlines()


def test_the_command_exits_0_when_a_source_answered(server, tmp_path, capsys):
    state = FetchState.of(tmp_path / "data")
    state.remember("arxiv-rss:cs.AI", '"v1"', None, "2026-11-27T05:00:00+00:00")
    state.save()
    server.serve("/rss/cs.AI", Reply(200, FEED, {"ETag": '"v1"'}))
    code = main(["--data-dir", str(tmp_path / "data"), "--config", write_config(tmp_path, server.base_url), "fetch"])
    out = capsys.readouterr().out
    assert code == 0 and "cs.AI: nothing new since the last fetch (304 Not Modified)" in out


def test_an_unknown_name_lists_the_subscriptions(server, tmp_path, capsys):
    code = main(["--data-dir", str(tmp_path / "data"), "--config", write_config(tmp_path, server.base_url),
                 "fetch", "math.AP"])
    assert code == 2
    assert "no subscription named 'math.AP'; the settings subscribe to: cs.AI" in capsys.readouterr().err
    assert server.requests == []


def test_ctrl_c_during_a_fetch_exits_promptly_and_leaves_no_temp_file(server, tmp_path):
    import os
    import signal
    import subprocess
    import sys

    server.serve("/rss/cs.AI", Reply(200, FEED * 50, {"Content-Type": "application/rss+xml"}, drip=0.05))
    data = tmp_path / "data"
    command = [sys.executable, "-m", "tui.cli", "--data-dir", str(data), "--config",
               write_config(tmp_path, server.base_url), "fetch"]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    deadline = time.monotonic() + 10
    while not part_files(data) and time.monotonic() < deadline:  # wait until the download is under way
        time.sleep(0.05)
    assert part_files(data), "the download never started"
    child.send_signal(signal.SIGINT)
    started = time.monotonic()
    child.communicate(timeout=5)
    assert child.returncode == 130 and time.monotonic() - started < 2
    assert part_files(data) == []
