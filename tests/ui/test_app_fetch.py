"""Pilot tests: fetching from the app against a local server on 127.0.0.1 (the code path users run)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fetch"))  # the fetch tests' local server

from fetch_support import RSS_SAMPLE, LocalServer, Reply, part_files, server, settings_for  # noqa: E402,F401  (fixture)
from test_app_support import (  # noqa: E402,F401  (fixtures)
    SIZE, fresh_backend, library_screen, seeded_home, seeded_template, settle, type_query, wait_until,
)
from tui.settings import LoadedSettings, Settings, Subscriptions  # noqa: E402
from tui.ui import PaperReaderApp  # noqa: E402

pytestmark = pytest.mark.skipif(not RSS_SAMPLE.exists(), reason="needs the shared samples")
FEED_TYPE = {"Content-Type": "application/rss+xml"}


def loaded(settings: Settings) -> LoadedSettings:
    """Settings as if read from a file."""
    return LoadedSettings(settings, Path("test-config.toml"), "--config", True)


def sample_titles() -> list[str]:
    expected = RSS_SAMPLE.with_name(RSS_SAMPLE.name.replace(".xml", ".expected.json"))
    return [entry["title"] for entry in json.loads(expected.read_text(encoding="utf-8"))]


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_the_fetch_key_shows_progress_then_the_new_papers_in_the_inbox(seeded_home, server):
    server.serve("/rss/cs.AI", Reply(200, RSS_SAMPLE.read_bytes(), FEED_TYPE, delay=1.0))
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend, settings=loaded(settings_for(server.base_url, arxiv=("cs.AI",))))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        titles = sample_titles()
        assert not any(p.title in titles for p in screen.results.papers.values())
        await pilot.press("f")
        assert await wait_until(pilot, lambda: "fetching cs.AI… 1/1" in screen.status)
        before = screen.results.current_id
        await pilot.press("j")  # the list still answers while the fetch waits on the server
        await pilot.pause()
        assert app.fetching and screen.results.current_id != before
        assert await wait_until(pilot, lambda: not app.fetching)
        await settle(pilot)
        for _ in range(20):  # the Inbox lists the oldest digests first: scroll down to the new ones
            if screen.results.option_count >= screen.results.total:
                break
            await pilot.press("end")
            await settle(pilot)
        assert {p.title for p in screen.results.papers.values()} >= set(titles)
        assert "fetching" not in screen.status
        report = next(m for m in messages(app) if m.startswith("cs.AI: "))
        assert "new papers in the Inbox" in report.splitlines()[-1]
        assert screen.view == "inbox"
        await type_query(pilot, "MolClaw")  # the search index follows the fetch too
        assert await wait_until(pilot, lambda: [p.title for p in screen.results.papers.values()] == [titles[2]])
    backend.close()
    assert list((seeded_home / "digests").glob("*/arxiv-cs.AI.rss"))  # archived, as `paper-reader fetch` does


async def test_the_palette_command_fetches_and_a_second_press_says_it_is_running(seeded_home, server):
    server.serve("/rss/cs.AI", Reply(200, RSS_SAMPLE.read_bytes(), FEED_TYPE, delay=1.5))
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend, settings=loaded(settings_for(server.base_url, arxiv=("cs.AI",))))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"Fetch subscriptions")
        await pilot.pause(0.3)
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: app.fetching)
        await pilot.press("f")
        assert any("already running" in m for m in messages(app))
        assert await wait_until(pilot, lambda: not app.fetching)
        await settle(pilot)
    backend.close()
    assert server.hits("/rss/cs.AI") == 1


async def test_no_subscriptions_says_how_to_add_them(seeded_home):
    backend = fresh_backend(seeded_home)
    nothing = Settings(subscriptions=Subscriptions(arxiv=(), arxiv_api=(), hf_daily=False))
    app = PaperReaderApp(backend, settings=loaded(nothing))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        assert any("paper-reader config --init" in m for m in messages(app))
        assert not app.fetching
    backend.close()


async def test_quitting_during_a_stalled_fetch_exits_promptly_and_leaves_no_temp_file(seeded_home, server):
    server.serve("/rss/cs.AI", Reply(200, RSS_SAMPLE.read_bytes(), FEED_TYPE, delay=30))
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend, settings=loaded(settings_for(server.base_url, arxiv=("cs.AI",), timeout=60.0)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        assert await wait_until(pilot, lambda: server.hits("/rss/cs.AI") == 1)
        started = time.monotonic()
        await pilot.press("q")
    assert app.fetch_idle.wait(2.0), "the fetch thread still runs after quitting"
    assert time.monotonic() - started < 2.0
    backend.close()
    assert part_files(seeded_home) == []
    assert not list((seeded_home / "digests").glob("*/arxiv-cs.AI.rss"))


#: A reason phrase that tries markup, a clickable action and a terminal escape sequence.
HOSTILE_REASON = "Not [@click=app.quit]Found[/] [bold]x \x1b]0;owned\x07"


async def test_a_server_message_is_shown_as_plain_text(seeded_home, server, monkeypatch):
    from http.server import BaseHTTPRequestHandler

    from hostile_text import dangerous
    from test_app_support import screen_text

    def send_hostile(handler: BaseHTTPRequestHandler, code: int, message: str | None = None) -> None:
        BaseHTTPRequestHandler.send_response(handler, code, HOSTILE_REASON if code == 404 else message)

    monkeypatch.setattr(server.httpd.RequestHandlerClass, "send_response", send_hostile)
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend, settings=loaded(settings_for(server.base_url, arxiv=("cs.AI",))))
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f")
        assert await wait_until(pilot, lambda: any(m.startswith("cs.AI: ") for m in messages(app)))
        await settle(pilot)
        report = next(m for m in messages(app) if m.startswith("cs.AI: "))
        assert "[@click=app.quit]Found[/]" in report and not dangerous(report)
        assert "[@click=app.quit]" in screen_text(app) and not dangerous(screen_text(app))
        assert app.is_running
    backend.close()
