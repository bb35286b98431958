"""Your keys: the `[keys]` table of the settings applied with Textual's keymap, and every binding id it may name."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from textual.binding import Binding
from textual.dom import DOMNode


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


def split_keymap(keymap: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The entries naming a real binding id, and the ids that name none."""
    known = binding_table()
    usable = {binding: keys for binding, keys in keymap.items() if binding in known}
    return usable, [binding for binding in keymap if binding not in known]


def unknown_ids_notice(unknown: list[str], path: object) -> str | None:
    """One line naming the ids of `[keys]` that are no binding, or None."""
    if not unknown:
        return None
    noun = "id" if len(unknown) == 1 else "ids"
    return (f"{path}: [keys]: no binding has the {noun} {', '.join(repr(name) for name in unknown)}; "
            f"ignored (? lists the ids)")


def key_display(app, binding: Binding) -> str:
    """How the key that runs `binding` is shown, after the user's keymap."""
    keys = getattr(app, "keymap_in_use", {}).get(binding.id or "")
    if keys:
        binding = binding.with_key(keys.split(",")[0].strip(), key_display=None)
    return app.get_key_display(binding)
