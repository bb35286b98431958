"""`paper-reader config --show`: the effective settings as valid TOML, each value saying where it came from."""

from __future__ import annotations

import json
import re
from dataclasses import fields

from tui.settings.load import LoadedSettings
from tui.settings.model import SECTIONS

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def render_settings(loaded: LoadedSettings) -> str:
    """The settings in effect, as a TOML file that would reproduce them."""
    state = "" if loaded.found else " (not found: built-in defaults)"
    lines = [f"# settings file: {loaded.path} (chosen by {loaded.origin}){state}"]
    lines += [f"# problem: {problem}" for problem in loaded.problems]
    for name in SECTIONS:
        record = getattr(loaded.settings, name)
        lines += ["", f"[{name}]"]
        for item in fields(record):
            origin = "from the file" if f"{name}.{item.name}" in loaded.from_file else "default"
            lines.append(f"{item.name} = {toml_value(getattr(record, item.name))}  # {origin}")
    lines += ["", "[keys]"]
    lines += [f"{_key(binding)} = {toml_value(key)}  # from the file" for binding, key in loaded.settings.keys]
    if not loaded.settings.keys:
        lines.append("# none remapped: the built-in keys")
    return "\n".join(lines) + "\n"


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
