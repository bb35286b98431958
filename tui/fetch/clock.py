"""Time for fetching: waits that a cancel interrupts, arXiv's pacing, and a watch over each request."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

from tui.fetch.errors import Cancelled, FetchFailed

#: A wait looks this often whether the fetch was cancelled, so quitting is never held up for long.
WAIT_SLICE = 0.1
#: How often the watch thread looks at the cancel flag and the deadline.
WATCH_POLL = 0.05


class Clock:
    """Monotonic time and sleep; tests pass a fake whose sleep just moves its time on."""

    def now(self) -> float:
        """Seconds on a monotonic clock."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """Block for `seconds`."""
        time.sleep(seconds)

    def wait(self, seconds: float, cancelled: Callable[[], bool]) -> None:
        """Sleep `seconds` in slices, raising Cancelled as soon as `cancelled()` says so."""
        end = self.now() + seconds
        while (left := end - self.now()) > 0:
            if cancelled():
                raise Cancelled()
            self.sleep(min(left, WAIT_SLICE))
        if cancelled():
            raise Cancelled()


class Pacer:
    """At most one call per `interval` seconds (arXiv asks API clients for one every 3 s)."""

    def __init__(self, interval: float, clock: Clock) -> None:
        self.interval = interval
        self.clock = clock
        self.last: float | None = None

    def pace(self, cancelled: Callable[[], bool]) -> None:
        """Wait until `interval` has passed since the previous call, then note this one."""
        if self.last is not None:
            self.clock.wait(self.last + self.interval - self.clock.now(), cancelled)
        self.last = self.clock.now()


class Watch:
    """A thread that cuts a request's sockets when the caller cancels or the deadline passes.

    A blocked connect or read then returns at once, instead of after the socket's own timeout,
    so a quitting app is never held up by a slow or silent server.
    """

    def __init__(self, deadline: float, cancelled: Callable[[], bool]) -> None:
        self.deadline = deadline
        self.cancelled = cancelled
        self.reason: str | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="paper-reader-fetch-watch", daemon=True)

    def __enter__(self) -> Watch:
        self._start = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        """Look at the cancel flag and the clock until the request ends, cutting the sockets if either says so."""
        while not self._stop.wait(WATCH_POLL):
            if self.cancelled():
                self._cut("cancelled")
                return
            if time.monotonic() - self._start > self.deadline:
                self._cut("deadline")
                return

    def attach(self, sock: socket.socket) -> None:
        """Watch one more socket (cut at once if the watch already fired)."""
        with self._lock:
            self._sockets.append(sock)
            if self.reason:
                _shut(sock)

    def _cut(self, reason: str) -> None:
        """Note why, and shut every socket of the request."""
        with self._lock:
            self.reason = reason
            for sock in self._sockets:
                _shut(sock)

    def raise_if_cut(self) -> None:
        """Raise Cancelled or FetchFailed if the watch fired (or the caller cancelled meanwhile)."""
        if self.reason == "cancelled" or self.cancelled():
            raise Cancelled()
        if self.reason == "deadline":
            raise FetchFailed(f"too slow (no complete answer within the {self.deadline:g} s deadline)")


def _shut(sock: socket.socket) -> None:
    """Shut a socket down so any thread blocked on it wakes; a closed socket is fine."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
