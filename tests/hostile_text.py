"""A paper with every hostile byte in every field, shared by the CLI and the app tests."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from tui import paths
from tui.library import Library
from tui.records import ParseResult, Paper, Sighting

#: OSC 52 sets the clipboard, OSC 0 renames the window, CSI clears the screen, a C1 CSI, bidi
#: override and isolate, zero-width space, line separator, backspace and carriage return.
BAD = "\x1b]52;c;SEFDS0VF\x07\x1b]0;owned\x07\x1b[2J\x9b31m\u202e\u2066\u200b\u2028\x08\r"


def dangerous(text: str) -> list[str]:
    """Characters that act on a terminal or hide text (newlines and tabs are fine)."""
    return [ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch not in "\n\t"]


def hostile_paper() -> Paper:
    """Every text field of a paper carries BAD."""
    return Paper(title=f"Title {BAD} end", abstract=f"Abstract {BAD} end", authors=(f"Ann {BAD}", "Bo"),
                 orgs=(f"Org {BAD}",), date=f"2024-01-01{BAD}", category=f"cs.LG{BAD}",
                 links=(f"https://github.com/a/b{BAD}x",), note=f"note {BAD}", comments=f"c {BAD}",
                 seen=(Sighting(f"digest{BAD}.txt", 1, "2024-01-02"),))


def write_hostile_library(home: Path) -> Paper:
    """A library at `home` holding the hostile paper, starred and with its note."""
    library = Library(paths.library_path(paths.data_dir(home)))
    library.open()
    paper = hostile_paper()
    library.import_result(ParseResult(f"digest{BAD}.txt", "A", "2024-01-02", (paper,), content_hash="h"))
    library.set_note(paper.id, paper.note)
    library.set_starred(paper.id, True)
    library.close()
    return paper
