"""Find and read the one settings file (TOML) into `Settings`; a broken file costs one line, never the start."""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from tui.settings.model import SECTIONS, Settings, section_defaults

ENV = "PAPER_READER_CONFIG"
FILE_NAME = "config.toml"
#: Bounds for the numeric keys, so a typo like `timeout = 0` cannot make fetching impossible.
RANGES = {
    "timeout": (0.5, 600), "deadline": (1, 3600), "max_bytes": (1024, 2**32),
    "retries": (0, 10), "catch_up_days": (1, 60), "api_max_results": (1, 2000),
}
#: An arXiv category as arXiv spells them (cs.LG, hep-th, astro-ph.CO); it becomes part of a URL and a file name.
CATEGORY = re.compile(r"[A-Za-z-]+(\.[A-Za-z-]+)?")
_HEADER = re.compile(r"\[\[?\s*([^\]\[]+?)\s*\]\]?\s*(#.*)?")
_ASSIGN = re.compile(r"""((?:[A-Za-z0-9_.-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")
_PART = re.compile(r""""[^"]*"|'[^']*'|[^.\s]+""")
_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the settings file: where, which key, what, and what is used instead."""

    path: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


@dataclass(frozen=True)
class LoadedSettings:
    """The effective settings, the file they came from, why that file, and what was wrong in it."""

    settings: Settings
    path: Path
    origin: str
    found: bool
    problems: tuple[Problem, ...] = ()
    #: Dotted names (`fetch.timeout`) of the values the file set, so `config --show` can say which are defaults.
    from_file: frozenset[str] = frozenset()

    def notice(self) -> str | None:
        """One line for the user when the file had problems (the first one, and how many more)."""
        if not self.problems:
            return None
        more = len(self.problems) - 1
        return str(self.problems[0]) + (f" (and {more} more: paper-reader config --show)" if more else "")


def config_path(override: str | os.PathLike | None = None) -> tuple[Path, str]:
    """The settings file and why it is that one: `--config`, else $PAPER_READER_CONFIG, else platformdirs."""
    if override:
        return Path(override).expanduser(), "--config"
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).expanduser(), f"${ENV}"
    from platformdirs import user_config_dir

    return Path(user_config_dir("paper-reader", appauthor=False)) / FILE_NAME, "the default location"


def load_settings(override: str | os.PathLike | None = None) -> LoadedSettings:
    """Read the settings file; anything missing or wrong falls back to its default, and is said once."""
    path, origin = config_path(override)
    text, problem = _read_text(path, explicit=origin != "the default location")
    if text is None:
        return LoadedSettings(Settings(), path, origin, False, (problem,) if problem else ())
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return LoadedSettings(Settings(), path, origin, True, (_syntax_problem(str(path), text, exc),))
    settings, problems, from_file = _build(data, _Lines(str(path), text))
    return LoadedSettings(settings, path, origin, True, tuple(problems), frozenset(from_file))


def _read_text(path: Path, explicit: bool) -> tuple[str | None, Problem | None]:
    """The file's text; a missing file is normal at the default location and worth a word elsewhere."""
    try:
        return path.read_text(encoding="utf-8"), None
    except FileNotFoundError:
        return None, Problem(str(path), None, "", "no such file; using the defaults") if explicit else None
    except UnicodeDecodeError:
        return None, Problem(str(path), None, "", "not UTF-8 text; using the defaults")
    except OSError as exc:
        return None, Problem(str(path), None, "", f"cannot be read ({exc.strerror or exc}); using the defaults")


def _syntax_problem(path: str, text: str, exc: tomllib.TOMLDecodeError) -> Problem:
    """tomllib's message says the line; name the key written on that line too."""
    message = str(exc)
    found = _TOML_AT.search(message)
    line = int(found.group(1)) if found else None
    key = _Lines(path, text).key_on(line) if line else ""
    detail = _TOML_AT.sub("", message)
    if found:
        detail += f" at column {found.group(2)}"
    return Problem(path, line, key, f"not valid TOML ({detail}); using the defaults for every setting")


class _Lines:
    """Finds the line where a key or table is written, since tomllib only says so for syntax errors."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.names: list[tuple[int, str]] = []  # (line number, dotted name) of every header and assignment
        table = ""
        for number, raw in enumerate(text.splitlines(), start=1):
            stripped = raw.strip()
            if header := _HEADER.fullmatch(stripped):
                table = _dotted(header.group(1))
                self.names.append((number, table))
            elif assign := _ASSIGN.match(stripped):
                name = _dotted(assign.group(1))
                self.names.append((number, f"{table}.{name}" if table else name))

    def line_of(self, dotted: str) -> int | None:
        """The first line that writes `dotted` (a table header or a key), if any."""
        return next((number for number, name in self.names if name == dotted), None)

    def key_on(self, line: int) -> str:
        """The dotted name written on a line, or "" when that line has none."""
        return next((name for number, name in self.names if number == line), "")

    def problem(self, dotted: str, message: str) -> Problem:
        """A Problem located at the line that writes `dotted`."""
        return Problem(self.path, self.line_of(dotted), dotted, message)


def _dotted(name: str) -> str:
    """`fetch . "timeout"` as the plain dotted name `fetch.timeout`."""
    return ".".join(part.strip("\"'") for part in _PART.findall(name))


def _build(data: dict, lines: _Lines) -> tuple[Settings, list[Problem], set[str]]:
    """Turn the parsed TOML into Settings, keeping every default the file does not validly replace."""
    settings, problems, from_file = Settings(), [], set()
    for name, table in data.items():
        if name == "keys":
            keys, more = _keys_table(table, lines)
            settings = replace(settings, keys=keys)
        elif name in SECTIONS:
            values, more = _section(name, table, lines)
            settings = replace(settings, **{name: replace(getattr(settings, name), **values)})
            from_file.update(f"{name}.{key}" for key in values)
        else:
            more = [lines.problem(name, f"unknown table{_did_you_mean(name, [*SECTIONS, 'keys'])}; ignored")]
        problems.extend(more)
    if settings.keys:
        from_file.update(f"keys.{binding}" for binding, _ in settings.keys)
    return settings, problems, from_file


def _section(name: str, table: object, lines: _Lines) -> tuple[dict, list[Problem]]:
    """The valid values of one table; each wrong or unknown key is one Problem."""
    if not isinstance(table, dict):
        return {}, [lines.problem(name, "should be a table like [" + name + "]; using its defaults")]
    defaults, values, problems = section_defaults(name), {}, []
    for key, value in table.items():
        dotted = f"{name}.{key}"
        if key not in defaults:
            problems.append(lines.problem(dotted, f"unknown key{_did_you_mean(key, defaults)}; ignored"))
            continue
        checked, error = check_value(key, value, defaults[key])
        if error:
            problems.append(lines.problem(dotted, f"{error}; using the default {_shown(defaults[key])}"))
        else:
            values[key] = checked
    return values, problems


def _keys_table(table: object, lines: _Lines) -> tuple[tuple[tuple[str, str], ...], list[Problem]]:
    """`[keys]`: binding id -> key string; the app checks the ids against its own bindings."""
    if not isinstance(table, dict):
        return (), [lines.problem("keys", "should be a table like [keys]; using the built-in keys")]
    keys, problems = [], []
    for binding, key in table.items():
        if isinstance(key, str) and key.strip():
            keys.append((binding, key.strip()))
        else:
            problems.append(lines.problem(f"keys.{binding}", f"expected a key name like \"ctrl+f\", got {_kind(key)}; "
                                                             "using the built-in key"))
    return tuple(keys), problems


def check_value(key: str, value: object, default: object) -> tuple[object, str | None]:
    """The value converted to the default's type, or why it cannot be (the message names what was found)."""
    if isinstance(default, bool):
        return (value, None) if isinstance(value, bool) else (None, f"expected true or false, got {_kind(value)}")
    if isinstance(default, (int, float)):
        return _check_number(key, value, float if isinstance(default, float) else int)
    if isinstance(default, tuple):
        return _check_list(key, value)
    if not isinstance(value, str):
        return None, f"expected a string, got {_kind(value)}"
    return _check_text(key, value)


def _check_number(key: str, value: object, kind: type) -> tuple[object, str | None]:
    """An int (or, for float keys, any number) inside the key's bounds."""
    if isinstance(value, bool) or not isinstance(value, (int, float) if kind is float else int):
        return None, f"expected {'a number' if kind is float else 'a whole number'}, got {_kind(value)}"
    low, high = RANGES.get(key, (float("-inf"), float("inf")))
    if not low <= value <= high:
        return None, f"{value} is outside {low}..{high}"
    return kind(value), None


def _check_list(key: str, value: object) -> tuple[object, str | None]:
    """A list of strings; arXiv categories must look like categories."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return None, f"expected a list of strings, got {_kind(value)}"
    items = tuple(item.strip() for item in value if item.strip())
    if key == "arxiv" and (bad := [item for item in items if not CATEGORY.fullmatch(item)]):
        return None, f"{bad[0]!r} is not an arXiv category like \"cs.LG\""
    return items, None


def _check_text(key: str, value: str) -> tuple[object, str | None]:
    """Base URLs must be http(s) with a host; plain http is allowed only because it is written here."""
    if not key.endswith("_base"):
        return value, None
    if not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", value):
        return None, f"{value!r} is not an http:// or https:// address"
    return value.rstrip("/"), None


def _kind(value: object) -> str:
    """How a TOML value reads to a user: `a string ("10")`, `a list`, ..."""
    names = {bool: "a boolean", int: "a whole number", float: "a number", str: "a string", list: "a list",
             dict: "a table"}
    name = names.get(type(value), type(value).__name__)
    return f"{name} ({_shown(value)})" if isinstance(value, (str, int, float)) else name


def _shown(value: object) -> str:
    """A value written as it would be in TOML, shortened."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        value = list(value)
    text = '""' if value == "" else repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 40 else text[:37] + "..."  # 40: keeps the problem on one line


def _did_you_mean(name: str, choices) -> str:
    """`(did you mean "timeout"?)` for a near miss, else nothing."""
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""
