"""The words every room shares: views, sort orders and triage states, each defined once.

They are `StrEnum`s, so a member compares equal to its plain string ("inbox" == View.INBOX)
and travels through SQLite, JSON and argparse unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum


class View(StrEnum):
    """Which papers a list shows."""

    ALL = "all"
    INBOX = "inbox"
    STARRED = "starred"

    @property
    def title(self) -> str:
        """The view's name on screen."""
        return {"all": "All papers", "inbox": "Inbox", "starred": "Reading list"}[self.value]

    @property
    def flags(self) -> tuple[str, ...]:
        """The query language's filters this view is made of (a listing is filters plus an order)."""
        return {"all": (), "inbox": ("is:new",), "starred": ("is:starred",)}[self.value]

    @property
    def short_title(self) -> str:
        """The view's name where the terminal is narrow."""
        return {"all": "All", "inbox": "Inbox", "starred": "Reading"}[self.value]


class Sort(StrEnum):
    """The order of a list; RELEVANCE with no query means the view's own order."""

    RELEVANCE = "relevance"
    NEWEST = "newest"
    UPVOTES = "upvotes"
    FOR_YOU = "foryou"
    """How likely the reader is to keep each paper, learned from their own decisions."""

    @property
    def title(self) -> str:
        """The order's name on screen."""
        return {"relevance": "relevance", "newest": "newest", "upvotes": "most upvoted",
                "foryou": "for you"}[self.value]

    def next(self) -> Sort:
        """The order after this one, as `S` cycles them."""
        members = list(Sort)
        return members[(members.index(self) + 1) % len(members)]


class Status(StrEnum):
    """A paper's triage state; NEW means not yet triaged."""

    NEW = "new"
    KEPT = "kept"
    DISMISSED = "dismissed"
    READ = "read"


#: A progress callback: `progress(done, total)`, total None when it is not known up front.
Progress = Callable[[int, int | None], None]
