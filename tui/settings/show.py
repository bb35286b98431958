"""`paper-reader config --show`: the effective settings as valid TOML, each value saying where it came from."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import fields

from tui.settings.load import LoadedSettings
from tui.settings.model import SECTIONS

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def render_settings(loaded: LoadedSettings, bindings: Mapping[str, str] | None = None,
                    remembered_theme: tuple[str, str] | None = None) -> str:
    """The settings in effect, as a TOML file that would reproduce them.

    `bindings` (binding id -> built-in key) lists every key the app has, remapped or not;
    `remembered_theme` is (theme, file) when the app remembers a theme picked in it.
    """
    state = "" if loaded.found else " (not found: built-in defaults)"
    lines = [f"# settings file: {loaded.path} (chosen by {loaded.origin}){state}"]
    lines += [f"# problem: {problem}" for problem in loaded.problems]
    for name in SECTIONS:
        record = getattr(loaded.settings, name)
        lines += ["", f"[{name}]"]
        for item in fields(record):
            origin = "from the file" if f"{name}.{item.name}" in loaded.from_file else "default"
            lines.append(f"{item.name} = {toml_value(getattr(record, item.name))}  # {origin}")
            if (name, item.name) == ("ui", "theme"):
                lines += _theme_in_effect(loaded.settings.ui.theme, remembered_theme)
    return "\n".join(lines + ["", "[keys]"] + _keys(loaded, bindings)) + "\n"


def _theme_in_effect(configured: str, remembered: tuple[str, str] | None) -> list[str]:
    """A comment saying which theme the app opens with when the file names none."""
    if configured:
        return []
    if remembered:
        return [f"# in effect: {toml_value(remembered[0])}, remembered from the theme picker ({remembered[1]})"]
    return ["# in effect: Textual's default theme (pick one in the app: ctrl+p, then theme)"]


def _keys(loaded: LoadedSettings, bindings: Mapping[str, str] | None) -> list[str]:
    """The remapped keys (and ids that name no binding), then every built-in key as a comment."""
    lines = []
    for binding, key in loaded.settings.keys:
        if bindings is None:
            where = "from the file"
        elif binding in bindings:
            where = f"from the file (built-in: {bindings[binding]})"
        else:
            where = "from the file, but no binding has this id: ignored"
        lines.append(f"{_key(binding)} = {toml_value(key)}  # {where}")
    if not loaded.settings.keys:
        lines.append("# none remapped: the built-in keys")
    remapped = dict(loaded.settings.keys)
    lines += [f"# {_key(binding)} = {toml_value(key)}  (built-in)" for binding, key in (bindings or {}).items()
              if binding not in remapped]
    return lines


def toml_value(value: object) -> str:
    """One value in TOML syntax (JSON's string escapes are valid TOML basic strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=True)
    return repr(value)


def _key(name: str) -> str:
    """A key bare when TOML allows it, else quoted."""
    return name if _BARE_KEY.fullmatch(name) else json.dumps(name, ensure_ascii=True)
