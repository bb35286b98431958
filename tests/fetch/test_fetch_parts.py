"""The layers under fetch_all that need no network: body checks, the archive, the state file, the plan."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from fetch_support import API_SAMPLE, HF_SAMPLE, RSS_SAMPLE, settings_for
from tui.fetch import archive
from tui.fetch.check import check_body
from tui.fetch.sources import Kind, UnknownSource, hf_days, select
from tui.fetch.state import FetchState

needs_samples = pytest.mark.skipif(not RSS_SAMPLE.exists(), reason="the shared samples are not beside the checkout")


def write(tmp_path, data: bytes, name="body.part"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@needs_samples
@pytest.mark.parametrize(("sample", "kind", "items"), [(RSS_SAMPLE, Kind.FEED, 3), (API_SAMPLE, Kind.FEED, 5),
                                                      (HF_SAMPLE, Kind.JSON, 30)])
def test_the_real_samples_pass_their_check(sample, kind, items):
    checked = check_body(sample, kind, "application/octet-stream")
    assert checked.ok and checked.items == items


@pytest.mark.parametrize(("body", "content_type", "reason"), [
    (b"<!DOCTYPE html><html><body>Sign in</body></html>", "text/html; charset=utf-8", "an HTML page"),
    (b"  <html><body>maintenance</body></html>", "application/rss+xml", "an HTML page"),
    (b"<rss><channel><item><title>x</item></channel></rss>", "application/xml", "malformed XML (mismatched tag at line 1)"),
    (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss/>', "application/xml", "with a DTD"),
    (b"<opml><body/></opml>", "text/xml", "not a feed (root element 'opml')"),
])
def test_a_body_that_is_not_a_feed_is_refused_with_what_it_is(tmp_path, body, content_type, reason):
    checked = check_body(write(tmp_path, body), Kind.FEED, content_type)
    assert not checked.ok and reason in checked.reason


@pytest.mark.parametrize(("body", "ok", "items"), [(b"[]", True, 0), (b'{"error": "x"}', False, 0),
                                                   (b"[{", False, 0)])
def test_hf_answers_must_be_a_json_list(tmp_path, body, ok, items):
    checked = check_body(write(tmp_path, body), Kind.JSON, "application/json")
    assert (checked.ok, checked.items) == (ok, items)


def test_the_archive_keeps_one_file_per_content(tmp_path):
    data = tmp_path / "data"
    first = archive.keep(write(tmp_path, b"one", "a.part"), data, "2026-11-28", "arxiv-cs.LG.rss")
    same = archive.keep(write(tmp_path, b"one", "b.part"), data, "2026-11-28", "arxiv-cs.LG.rss")
    other = archive.keep(write(tmp_path, b"two", "c.part"), data, "2026-11-28", "arxiv-cs.LG.rss")
    assert first == same == data / "digests" / "2026-11-28" / "arxiv-cs.LG.rss"
    assert other.name == "arxiv-cs.LG-2.rss" and other.read_bytes() == b"two"
    assert not list(tmp_path.glob("*.part"))


def test_leftover_downloads_are_cleared_and_rejected_ones_kept_aside(tmp_path):
    incoming = archive.incoming_dir(tmp_path)
    incoming.mkdir(parents=True)
    (incoming / ".fetch-x.part").write_bytes(b"half")
    assert archive.clear_incoming(tmp_path) == 1
    kept = archive.reject(write(tmp_path, b"<html>"), tmp_path, "2026-11-28", "hf-daily.json")
    assert kept == tmp_path / "digests" / "rejected" / "2026-11-28" / "hf-daily.json"


def test_the_state_file_round_trips_and_survives_damage(tmp_path):
    state = FetchState.of(tmp_path)
    state.remember("arxiv-rss:cs.LG", '"abc"', "Sat, 28 Nov 2026 04:00:00 GMT", "2026-11-28T05:00:00+00:00")
    state.hf_fetched("2026-11-27")
    state.hf_fetched("2026-11-20")  # never moves back
    state.save()
    again = FetchState.of(tmp_path)
    assert again.conditional_headers("arxiv-rss:cs.LG") == {
        "If-None-Match": '"abc"', "If-Modified-Since": "Sat, 28 Nov 2026 04:00:00 GMT"}
    assert again.hf_last_day == "2026-11-27"
    assert not list(tmp_path.glob("*.part"))
    (tmp_path / "fetch-state.json").write_text("{broken")
    assert FetchState.of(tmp_path).conditional_headers("arxiv-rss:cs.LG") == {}


def test_hf_catch_up_covers_every_missed_day_up_to_the_cap():
    today = dt.date(2026, 11, 28)
    assert hf_days(None, today, 7) == ([dt.date(2026, 11, 27), today], None)
    assert hf_days("2026-11-25", today, 7)[0] == [dt.date(2026, 11, 26), dt.date(2026, 11, 27), today]
    assert hf_days("2026-11-28", today, 7) == ([], None)
    days, note = hf_days("2026-11-01", today, 7)
    assert days[0] == dt.date(2026, 11, 22) and days[-1] == today and len(days) == 7
    assert note == "hf: 27 days since the last fetch; fetching the last 7 only (catch_up_days = 7 in the settings)"


def test_names_pick_subscriptions_and_unknown_names_list_the_real_ones():
    settings = settings_for("https://x", arxiv=("cs.LG", "cs.CL"), api=("au:Jegelka",), hf=True)
    assert select(settings, None) == (["cs.LG", "cs.CL"], ["au:Jegelka"], True)
    assert select(settings, ["cs.lg", "hf"]) == (["cs.LG"], [], True)
    assert select(settings, ["arxiv"]) == (["cs.LG", "cs.CL"], [], False)
    with pytest.raises(UnknownSource, match="cs.LG, cs.CL, au:Jegelka, hf"):
        select(settings, ["math.AP"])


def test_the_fetch_rooms_load_no_ui_toolkit():
    import subprocess
    import sys

    code = ("import sys, tui.fetch, tui.settings, tui.cli.fetching; "
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))))")
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_a_304_without_validators_keeps_the_ones_remembered(tmp_path):
    state = FetchState.of(tmp_path)
    state.remember("arxiv-rss:cs.LG", None, "Sat, 28 Nov 2026 04:00:00 GMT", "2026-11-28T05:00:00+00:00")
    state.remember("arxiv-rss:cs.LG", None, None, "2026-11-29T05:00:00+00:00")
    assert state.conditional_headers("arxiv-rss:cs.LG") == {"If-Modified-Since": "Sat, 28 Nov 2026 04:00:00 GMT"}
