"""Every hostile byte, in every field, through every CLI output and export."""

from __future__ import annotations

import json

import pytest

from hostile_text import dangerous, write_hostile_library
from tui.cli import main


@pytest.mark.parametrize("argv", [
    ["search", "title"], ["search", "title", "--json"], ["search", "is:starred"], ["stats"],
    ["export"], ["export", "--format", "csv"], ["export", "--format", "bibtex"], ["export", "--format", "json"],
])
def test_no_cli_output_carries_a_raw_control_character(hermetic_home, capsys, argv) -> None:
    write_hostile_library(hermetic_home)
    assert main(["--data-dir", str(hermetic_home), *argv]) == 0
    out, err = capsys.readouterr()
    assert not dangerous(out) and not dangerous(err), argv
    if "--json" in argv or argv[-1] == "json":
        json.loads(out)  # still valid JSON: the escapes are JSON escapes
