"""Your keys: which key strings the settings may use, and which binding ids exist."""

from __future__ import annotations

import pytest

from tui.ui.keys import binding_table, is_key_name


@pytest.mark.parametrize(("key", "ok"), [
    ("z", True), ("Z", True), ("ctrl+f", True), ("f5", True), ("question_mark", True), ("slash", True),
    ("asterisk", True), ("shift+tab", True), ("space", True),
    ("ctrl-f", False), ("Ctrl+F", False), ("stra", False), ("", False),
])
def test_key_names_are_checked_before_they_are_applied(key, ok):
    assert is_key_name(key) is ok


def test_every_binding_a_user_would_remap_has_an_id():
    ids = binding_table()
    assert {"star", "note", "triage", "search", "fetch", "open", "quit", "help", "triage-keep", "note-save",
            "search-clear"} <= set(ids)


def test_no_binding_of_the_app_lacks_an_id():
    from textual.binding import Binding
    from textual.dom import DOMNode

    import tui.ui.app  # noqa: F401  (loads every screen and widget)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    missing = [f"{cls.__name__}: {binding.key}" for cls in subclasses(DOMNode) if cls.__module__.startswith("tui.ui")
               for binding in cls.__dict__.get("BINDINGS", []) if not isinstance(binding, Binding) or not binding.id]
    assert missing == []
