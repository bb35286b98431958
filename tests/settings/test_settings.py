"""The settings file: defaults, one-line problems with file, line and key, overrides, init and show."""

from __future__ import annotations

import tomllib

import pytest

from tui.cli.main import main
from tui.settings import EXAMPLE, Settings, load_settings
from tui.settings.model import FetchSettings


def write(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_at_the_default_location_means_the_defaults_quietly(hermetic_home, tmp_path):
    loaded = load_settings()
    assert loaded.settings == Settings() and loaded.problems == () and not loaded.found
    assert loaded.path == tmp_path / "xdg_config_home" / "paper-reader" / "config.toml"
    assert loaded.settings.subscriptions.arxiv == ("cs.LG", "cs.CL") and loaded.settings.subscriptions.hf_daily


def test_a_named_file_that_is_missing_is_said(tmp_path):
    loaded = load_settings(tmp_path / "nope.toml")
    assert loaded.notice() == f"{tmp_path / 'nope.toml'}: no such file; using the defaults"


def test_values_from_the_file_replace_only_their_defaults(tmp_path):
    path = write(tmp_path, '[subscriptions]\narxiv = ["math.AP"]\n[fetch]\ntimeout = 3\n'
                           '[ui]\ntheme = "nord"\n[keys]\ntriage = "T"\n')
    settings = load_settings(path).settings
    assert settings.subscriptions.arxiv == ("math.AP",) and settings.subscriptions.hf_daily
    assert settings.fetch.timeout == 3.0 and isinstance(settings.fetch.timeout, float)
    assert settings.fetch.retries == FetchSettings().retries
    assert settings.ui.theme == "nord" and settings.keymap() == {"triage": "T"}


def test_a_syntax_error_names_the_file_line_and_key_and_keeps_every_default(tmp_path):
    path = write(tmp_path, '[subscriptions]\narxiv = ["cs.LG"]\n[fetch]\ntimeout = = 3\n')
    loaded = load_settings(path)
    assert loaded.settings == Settings()
    assert loaded.notice() == (f"{path}:4: fetch.timeout: not valid TOML (Invalid value at column 11); "
                               "using the defaults for every setting")


def test_a_wrong_type_names_the_key_and_its_line_and_keeps_the_rest(tmp_path):
    path = write(tmp_path, '# mine\n[subscriptions]\narxiv = ["cs.CL"]\n\n[fetch]\nretries = 2\ntimeout = "10"\n')
    loaded = load_settings(path)
    assert loaded.notice() == (f'{path}:7: fetch.timeout: expected a number, got a string ("10"); '
                               "using the default 10.0")
    assert loaded.settings.fetch.retries == 2 and loaded.settings.subscriptions.arxiv == ("cs.CL",)


@pytest.mark.parametrize(("text", "problem"), [
    ("[fetch]\nretrys = 2\n", ':2: fetch.retrys: unknown key (did you mean "retries"?); ignored'),
    ("[fetchh]\ntimeout = 2\n", ':1: fetchh: unknown table (did you mean "fetch"?); ignored'),
    ("fetch.timeout = 0\n", ":1: fetch.timeout: 0 is outside 0.5..600; using the default 10.0"),
    ('[subscriptions]\narxiv = ["cs.LG/../x"]\n', ":2: subscriptions.arxiv: 'cs.LG/../x' is not an arXiv category"),
    ('[fetch]\nhf_base = "ftp://x"\n', ":2: fetch.hf_base: 'ftp://x' is not an http:// or https:// address"),
    ("[subscriptions]\nhf_daily = 1\n", ":2: subscriptions.hf_daily: expected true or false, got a whole number (1)"),
    ("[keys]\ntriage = 3\n", ':2: keys.triage: expected a key name like "ctrl+f", got a whole number (3)'),
])
def test_each_kind_of_mistake_is_one_line_naming_line_and_key(tmp_path, text, problem):
    path = write(tmp_path, text)
    notice = load_settings(path).notice()
    assert notice.startswith(f"{path}{problem}") and "\n" not in notice


def test_several_mistakes_still_make_one_line(tmp_path):
    notice = load_settings(write(tmp_path, "[fetch]\na = 1\nb = 2\nc = 3\n")).notice()
    assert notice.endswith("(and 2 more: paper-reader config --show)") and "\n" not in notice


def test_the_environment_and_then_config_option_override_the_location(tmp_path, monkeypatch):
    by_env = write(tmp_path, "[ui]\ntheme = 'env'\n")
    by_option = tmp_path / "option.toml"
    by_option.write_text("[ui]\ntheme = 'option'\n")
    monkeypatch.setenv("PAPER_READER_CONFIG", str(by_env))
    assert (load_settings().settings.ui.theme, load_settings().origin) == ("env", "$PAPER_READER_CONFIG")
    assert (load_settings(by_option).settings.ui.theme, load_settings(by_option).origin) == ("option", "--config")


def test_the_example_is_valid_and_says_the_defaults():
    from tui.settings.load import _build, _Lines

    settings, problems, _ = _build(tomllib.loads(EXAMPLE), _Lines("example", EXAMPLE))
    assert settings == Settings() and problems == []


def test_init_then_show_round_trips_and_init_never_overwrites(tmp_path, capsys):
    path = tmp_path / "conf" / "config.toml"
    assert main(["--config", str(path), "config", "--init"]) == 0
    assert path.read_text() == EXAMPLE
    capsys.readouterr()
    path.write_text(path.read_text().replace("timeout = 10.0", "timeout = 4.5"))
    assert main(["--config", str(path), "config", "--init"]) == 1
    assert "already exists; not overwritten (add --force" in capsys.readouterr().err
    assert main(["--config", str(path), "config", "--show"]) == 0
    shown = capsys.readouterr().out
    assert f"# settings file: {path} (chosen by --config)" in shown
    assert "timeout = 4.5  # from the file" in shown
    assert load_settings(write(tmp_path, shown)).settings == load_settings(path).settings
    assert main(["--config", str(path), "config", "--init", "--force"]) == 0
    assert load_settings(path).settings == Settings()


def test_show_without_a_file_says_the_defaults_are_built_in(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PAPER_READER_CONFIG", str(tmp_path / "none.toml"))
    assert main(["config"]) == 0
    captured = capsys.readouterr()
    assert "(chosen by $PAPER_READER_CONFIG) (not found: built-in defaults)" in captured.out
    assert "retries = 3  # default" in captured.out
    assert "no such file; using the defaults" in captured.err


@pytest.mark.parametrize(("argv", "expected"), [
    (["--config", "c.toml", "digest.txt"], ["--config", "c.toml", "app", "digest.txt"]),
    (["--data-dir", "d", "--config=c.toml", "x.txt"], ["--data-dir", "d", "--config=c.toml", "app", "x.txt"]),
    (["x.txt"], ["app", "x.txt"]),
])
def test_the_config_option_goes_before_the_implied_app_command(argv, expected):
    from tui.cli.main import _first_positional, _insert_app

    assert _first_positional(["--config", "fetch.toml", "fetch"]) == "fetch"
    assert _insert_app(argv) == expected


def test_show_lists_every_key_and_the_theme_in_effect_with_where_each_came_from(tmp_path, hermetic_home, capsys):
    (tmp_path / "mine").mkdir()
    path = write(tmp_path / "mine", '[keys]\nstar = "z"\nstarr = "w"\n')
    hermetic_home.mkdir(parents=True, exist_ok=True)
    (hermetic_home / "ui-state.json").write_text('{"theme": "nord"}', encoding="utf-8")
    assert main(["--config", str(path), "config", "--show"]) == 0
    shown = capsys.readouterr().out
    assert 'star = "z"  # from the file (built-in: s)' in shown
    assert 'starr = "w"  # from the file, but no binding has this id: ignored' in shown
    assert '# fetch = "f"  (built-in)' in shown and '# triage-keep = "s"  (built-in)' in shown
    assert f'# in effect: "nord", remembered from the theme picker ({hermetic_home / "ui-state.json"})' in shown
    assert load_settings(write(tmp_path, shown)).settings == load_settings(path).settings


def test_show_says_a_theme_from_the_file_wins(tmp_path, capsys):
    path = write(tmp_path, '[ui]\ntheme = "gruvbox"\n')
    assert main(["--config", str(path), "config", "--show"]) == 0
    shown = capsys.readouterr().out
    assert 'theme = "gruvbox"  # from the file' in shown and "in effect" not in shown
