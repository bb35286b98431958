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
