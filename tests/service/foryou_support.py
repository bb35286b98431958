"""A simulated reader for the "for you" tests: keeps graph transformer papers, dismisses the rest."""

from __future__ import annotations

from pathlib import Path

from tui import paths
from tui.library import Library
from tui.records import Paper, ParseResult

HISTORY_DATE, NEW_DATE = "2026-04-20", "2026-04-27"


def liked_paper(n: int, prefix: str = "Graph") -> Paper:
    """A paper the reader wants: graph transformers, by Jegelka."""
    return Paper(title=f"{prefix} transformers for molecules, part {n}",
                 abstract="A graph transformer with attention over message passing on sparse graphs.",
                 authors=("Stefanie Jegelka", f"Coauthor {n}"), category="cs.LG")


def other_paper(n: int, prefix: str = "Protein") -> Paper:
    """A paper the reader dismisses: protein folding by someone else."""
    return Paper(title=f"{prefix} folding with lattice models, study {n}",
                 abstract="Lattice simulations of protein folding kinetics in solvent.",
                 authors=("Alex Smith", f"Helper {n}"), category="q-bio.BM")


def write_digest(home: Path, papers: list[Paper], source: str, date: str) -> None:
    """Store `papers` as one digest of the library at `home`."""
    library = Library(paths.library_path(paths.data_dir(home)))
    library.open()
    try:
        library.import_result(ParseResult(source, "A", date, tuple(papers), content_hash=f"hash-{source}"))
    finally:
        library.close()


def reader_library(home: Path, history: int = 8) -> tuple[list[Paper], list[Paper]]:
    """An older digest of `history` liked and `history` other papers, and a newer digest where
    the liked papers come last in digest order. Returns (history, new) as parsed."""
    old = [paper for n in range(history) for paper in (liked_paper(n), other_paper(n))]
    new = [other_paper(n, "Membrane") for n in range(6)] + [liked_paper(n, "Sparse graph") for n in range(4)]
    write_digest(home, old, "history.txt", HISTORY_DATE)
    write_digest(home, new, "new.txt", NEW_DATE)
    return old, new
