"""Pilot tests: the settings file reaches the app (keys, theme, browser) and a broken one costs one notice."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from test_app_support import (  # noqa: F401  (fixtures)
    SIZE, fresh_backend, library_screen, seeded_home, seeded_template, settle, wait_until,
)
from tui.cli import main
from tui.settings import load_settings
from tui.ui import PaperReaderApp


def write_config(folder: Path, text: str) -> Path:
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


@pytest.fixture
def captured_app(monkeypatch):
    """Runs `paper-reader` up to the app, recording the settings it would open with instead of running it."""
    seen = {}

    def run(self, *args, **kwargs):
        seen["settings"] = self.loaded_settings

    monkeypatch.setattr(PaperReaderApp, "run", run)
    return seen


def test_config_option_and_environment_reach_the_app(tmp_path, monkeypatch, captured_app):
    by_option = write_config(tmp_path, '[ui]\ntheme = "nord"\n')
    assert main(["--config", str(by_option)]) == 0
    assert captured_app["settings"].settings.ui.theme == "nord"
    by_env = tmp_path / "env.toml"
    by_env.write_text('[ui]\ntheme = "gruvbox"\n', encoding="utf-8")
    monkeypatch.setenv("PAPER_READER_CONFIG", str(by_env))
    assert main([]) == 0
    assert captured_app["settings"].settings.ui.theme == "gruvbox"
    assert captured_app["settings"].origin == "$PAPER_READER_CONFIG"


async def test_a_broken_settings_file_is_one_notice_and_the_app_opens_with_defaults(seeded_home, tmp_path):
    path = write_config(tmp_path, '[fetch]\ntimeout = "soon"\n[ui\n')
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend, settings=load_settings(path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        notices = [m for m in messages(app) if str(path) in m]
        assert len(notices) == 1 and "\n" not in notices[0] and "not valid TOML" in notices[0]
        assert library_screen(app).results.papers  # the library is there, on the defaults
    backend.close()


async def test_a_remapped_star_key_stars_and_the_old_key_no_longer_does(seeded_home, tmp_path):
    path = write_config(tmp_path, '[keys]\nstar = "z"\nstarr = "w"\nno-such-thing = "v"\nnote = "ctrl-e"\n')
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend, settings=load_settings(path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        first = screen.results.current
        assert not first.starred
        await pilot.press("s")
        await settle(pilot)
        assert not backend.get(first.id).starred
        assert screen.search_bar.query == "s"  # an unbound letter goes on the query
        await pilot.press("escape", "escape")
        await settle(pilot)
        screen._typed_at = 0.0
        current = screen.results.current
        await pilot.press("z")
        await settle(pilot)
        assert backend.get(current.id).starred
        unknown = [m for m in messages(app) if "[keys]" in m]
        assert len(unknown) == 1 and "'starr'" in unknown[0] and "'no-such-thing'" in unknown[0]
        assert "not key names: note = 'ctrl-e'" in unknown[0]  # and n still writes a note
        await pilot.press("question_mark")
        await settle(pilot)
        help_text = str(app.screen.query_one("#help-text").render())
        star_line = next(line for line in help_text.splitlines() if "Star or unstar" in line)
        assert star_line.split()[0] == "z" and "star (z)" in help_text
    backend.close()


async def test_the_picked_theme_is_there_after_a_restart(seeded_home):
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await settle(pilot)
    backend.close()
    backend = fresh_backend(seeded_home)
    again = PaperReaderApp(backend)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.theme == "nord"
    backend.close()


async def test_the_settings_theme_wins_over_the_remembered_one(seeded_home, tmp_path):
    (seeded_home / "ui-state.json").write_text(json.dumps({"theme": "nord"}), encoding="utf-8")
    path = write_config(tmp_path, '[ui]\ntheme = "gruvbox"\n')
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend, settings=load_settings(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "gruvbox"
    backend.close()


async def test_an_unknown_theme_is_said_and_the_default_used(seeded_home, tmp_path):
    path = write_config(tmp_path, '[ui]\ntheme = "no-such-theme"\n')
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend, settings=load_settings(path))
    default = PaperReaderApp(backend).theme
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert app.theme == default
        assert any("'no-such-theme' is not a theme" in m for m in messages(app))
    backend.close()


FAKE_BROWSER = """\
import json, sys
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump(sys.argv[2:], out)
"""


async def test_open_runs_the_browser_command_with_the_link_as_one_argument(seeded_home, tmp_path):
    script, record = tmp_path / "browser.py", tmp_path / "argv.json"
    script.write_text(FAKE_BROWSER, encoding="utf-8")
    path = write_config(tmp_path, f'[ui]\nbrowser = "{sys.executable} {script} {record} --new-tab {{url}}"\n')
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend, settings=load_settings(path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("o")
        assert await wait_until(pilot, record.exists)
        await settle(pilot)
        argv = json.loads(record.read_text(encoding="utf-8"))
        assert argv[0] == "--new-tab" and len(argv) == 2 and argv[1].startswith("https://")
        assert app.clipboard == ""  # opened, so nothing was copied
    backend.close()


async def test_open_without_a_usable_browser_copies_the_link_and_says_so(seeded_home, tmp_path):
    path = write_config(tmp_path, '[ui]\nbrowser = "/no/such/browser {url}"\n')
    backend = fresh_backend(seeded_home)
    app = PaperReaderApp(backend, settings=load_settings(path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("o")
        assert await wait_until(pilot, lambda: app.clipboard != "")
        assert app.clipboard.startswith("https://")
        assert any("copied the link" in m and "/no/such/browser" in m for m in messages(app))
    backend.close()
