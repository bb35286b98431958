"""What a fetch run did, one line per source, as plain records the CLI prints and the app shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    """How one source ended."""

    IMPORTED = "imported"
    UNCHANGED = "unchanged"  # 304 Not Modified, or the same bytes imported before
    EMPTY = "empty"  # a valid answer with no papers (a weekend feed, a day not published yet)
    REJECTED = "rejected"  # an answer that is not what the source promised, kept aside
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def ok(self) -> bool:
        """Did the source answer as it should (whether or not there was anything new)?"""
        return self in (Outcome.IMPORTED, Outcome.UNCHANGED, Outcome.EMPTY)


@dataclass(frozen=True)
class SourceReport:
    """One source: its name, how it ended, the line that says so, and the files involved."""

    name: str
    outcome: Outcome
    detail: str
    archived: str | None = None
    rejected: str | None = None
    added: int = 0
    known: int = 0

    def line(self) -> str:
        """`cs.LG: 212 new, 40 cross, 88 replaced (35 known)`."""
        return f"{self.name}: {self.detail}"


@dataclass(frozen=True)
class FetchReport:
    """Every source's report in fetch order, notes on the run (the catch-up cap), and the index's news."""

    sources: tuple[SourceReport, ...] = ()
    notes: tuple[str, ...] = ()
    cancelled: bool = False
    #: What updating the search index had to say (a first build, or why it waits), if anything.
    index_notice: str | None = None

    @property
    def ok(self) -> bool:
        """True when at least one source answered (the exit status of `paper-reader fetch`)."""
        return any(source.outcome.ok for source in self.sources)

    @property
    def added(self) -> int:
        """Papers new to the library over all sources."""
        return sum(source.added for source in self.sources)

    def lines(self) -> list[str]:
        """Notes, then one line per source, then the index's notice and the summary."""
        index = [self.index_notice] if self.index_notice else []
        return [*self.notes, *(source.line() for source in self.sources), *index, self.summary()]

    def summary(self) -> str:
        """The last line: how many papers arrived, or that nothing new did."""
        if self.cancelled:
            return f"fetch cancelled; {self.added} papers added before it stopped"
        if not self.sources:
            return "nothing to fetch: the settings subscribe to nothing"
        if not self.ok:
            return "every source failed; nothing imported"
        if self.added:
            return f"{self.added} new papers in the Inbox"
        return "nothing new: every source was unchanged, empty or already imported"

    def one_line(self) -> str:
        """Every source on one line, `·`-separated, for a status bar."""
        return " · ".join(source.line() for source in self.sources) or self.summary()


def announce_detail(counts: Mapping[str, int], known: int) -> str:
    """`212 new, 40 cross, 88 replaced (35 known)` from arXiv's announce types."""
    new = counts.get("new", 0)
    cross = counts.get("cross", 0)
    replaced = counts.get("replace", 0) + counts.get("replace-cross", 0)
    other = sum(counts.values()) - new - cross - replaced
    parts = [f"{new} new", f"{cross} cross", f"{replaced} replaced"] + ([f"{other} other"] if other else [])
    return ", ".join(parts) + f" ({known} known)"


def papers_detail(total: int, known: int) -> str:
    """`30 papers (4 already known)`."""
    return f"{total} papers ({known} already known)"
