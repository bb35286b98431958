"""The two ways a fetch ends early: it failed (one line saying why) or the user cancelled it."""

from __future__ import annotations


class FetchFailed(Exception):
    """A source could not be fetched; `str()` is the one line the report shows after the source's name."""

    def __init__(self, reason: str, host_down: bool = False) -> None:
        super().__init__(reason)
        #: The host itself is unreachable or failing (no network, refused, timeouts or 5xx after every retry),
        #: so further sources on it are not tried in this run: offline, a run ends in seconds, not minutes.
        self.host_down = host_down


class Cancelled(Exception):
    """The caller's `cancelled()` said stop (the app is quitting); nothing half-written is left behind."""
