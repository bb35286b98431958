"""Your keys: the `[keys]` table of the settings applied with Textual's keymap, and every binding id it may name."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_NAME_REPLACEMENTS, KEY_TO_UNICODE_NAME, Keys

MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
#: Named keys (enter, f5, pageup...), as the last part of Textual's key strings.
_NAMED_KEYS = {key.value.split("+")[-1] for key in Keys} | set(KEY_NAME_REPLACEMENTS.values()) | set(KEY_TO_UNICODE_NAME)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def binding_table() -> dict[str, Binding]:
    """Every remappable binding of the app, its screens and widgets, by id (the first one of each id)."""
    import tui.ui.app  # noqa: F401  (loads every screen and widget, so each class below is known)

    table: dict[str, Binding] = {}
    for cls in _subclasses(DOMNode):
        if not cls.__module__.startswith("tui.ui"):
            continue
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id:
                table.setdefault(binding.id, binding)
    return dict(sorted(table.items()))


def split_keymap(keymap: Mapping[str, str]) -> tuple[dict[str, str], list[str], list[str]]:
    """The usable entries, the ids that name no binding, and the ids whose keys are no key names."""
    known = binding_table()
    unknown = [binding for binding in keymap if binding not in known]
    bad = [binding for binding, keys in keymap.items() if binding in known and not all(map(is_key_name, keys.split(",")))]
    usable = {binding: keys for binding, keys in keymap.items() if binding in known and binding not in bad}
    return usable, unknown, bad


def is_key_name(key: str) -> bool:
    """Whether Textual can ever deliver `key`: modifiers joined by "+" to a character or a named key."""
    *modifiers, name = key.strip().split("+")
    if not name or any(modifier not in MODIFIERS for modifier in modifiers):
        return False
    return len(name) == 1 or name in _NAMED_KEYS or _is_character_name(name)


def _is_character_name(name: str) -> bool:
    """`question_mark`, `asterisk`: Textual names a printable key by its Unicode name."""
    try:
        unicodedata.lookup(name.replace("_", " "))
    except KeyError:
        return False
    return name == name.lower()


def keymap_notice(unknown: list[str], bad: list[str], keymap: Mapping[str, str], path: object) -> str | None:
    """One line naming the `[keys]` entries that were not applied, or None."""
    parts = []
    if unknown:
        noun = "id" if len(unknown) == 1 else "ids"
        parts.append(f"no binding has the {noun} {', '.join(repr(name) for name in unknown)} (? lists the ids)")
    if bad:
        shown = ", ".join(f"{name} = {keymap[name]!r}" for name in bad)
        parts.append(f"not key names: {shown} (keys look like \"z\", \"ctrl+f\", \"f5\", \"question_mark\")")
    return f"{path}: [keys]: " + "; ".join(parts) + "; those keep their built-in keys" if parts else None


def key_display(app, binding: Binding) -> str:
    """How the key that runs `binding` is shown, after the user's keymap."""
    keys = getattr(app, "keymap_in_use", {}).get(binding.id or "")
    if keys:
        binding = binding.with_key(keys.split(",")[0].strip(), key_display=None)
    return app.get_key_display(binding)
