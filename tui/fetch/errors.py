"""The two ways a fetch ends early: it failed (one line saying why) or the user cancelled it."""

from __future__ import annotations


class FetchFailed(Exception):
    """A source could not be fetched; `str()` is the one line the report shows after the source's name."""

    def __init__(self, reason: str, retryable: bool = False) -> None:
        super().__init__(reason)
        #: True when it was a timeout or server error that stayed after every retry.
        self.retryable = retryable


class Cancelled(Exception):
    """The caller's `cancelled()` said stop (the app is quitting); nothing half-written is left behind."""
