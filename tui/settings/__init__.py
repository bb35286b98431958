"""The one settings file: subscriptions, fetching, keys and look (TOML, read with tomllib).

The front door: `load_settings(override)` returns the effective `Settings` with where they
came from and what was wrong; `config_path` says which file; `write_example` and
`render_settings` back `paper-reader config --init` and `--show`.
"""

from tui.settings.example import EXAMPLE, write_example
from tui.settings.load import ENV, LoadedSettings, Problem, config_path, load_settings
from tui.settings.model import FetchSettings, Settings, Subscriptions, UiSettings
from tui.settings.show import render_settings

__all__ = [
    "ENV",
    "EXAMPLE",
    "FetchSettings",
    "LoadedSettings",
    "Problem",
    "Settings",
    "Subscriptions",
    "UiSettings",
    "config_path",
    "load_settings",
    "render_settings",
    "write_example",
]
