"""Who gets the interpreter: a search the user waits for, before background work that can wait.

Python runs one thread's bytecode at a time and hands the lock round every few milliseconds,
so a pure-Python job in a worker (training the "for you" order on thousands of decisions,
extracting a digest's features) takes a share of every keystroke's search. `Foreground` lets
the waiting side say so (`busy()`, around a search and the paint after it) and the background
side step aside (`pause()`, between small batches), sleeping in a call that frees the lock.

It matters most for the UI thread's own short reads: SQLite gives the lock away during each
statement and waits up to the switch interval (5 ms) to get it back from a busy worker, so a
key press that runs ten statements next to a training worker took 50-150 ms instead of 2 ms.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

#: After a search ends, background work still waits this long: the app draws its rows then.
HOLD_S = 0.08
#: After a key press, background work waits this long (see `touch`).
KEY_HOLD_S = 0.25
#: The longest one `pause()` waits, so background work moves on even while someone types for minutes.
MAX_PAUSE_S = 0.5
#: Background loops call `pause()` once per this many items (a few ms of work at most).
BATCH = 16


class Foreground:
    """A counter of foreground work in flight, and the time until which background work waits."""

    def __init__(self, hold_s: float = HOLD_S, max_pause_s: float = MAX_PAUSE_S) -> None:
        self.hold_s, self.max_pause_s = hold_s, max_pause_s
        self._busy = 0
        #: Threads doing foreground work now (their own background-style loops never pause).
        self._threads: dict[int, int] = {}
        self._until = 0.0
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()

    @contextmanager
    def busy(self) -> Iterator[None]:
        """Foreground work runs inside: background work pauses until it ends (and `hold_s` after)."""
        me = threading.get_ident()
        with self._lock:
            self._busy += 1
            self._threads[me] = self._threads.get(me, 0) + 1
            self._idle.clear()
        try:
            yield
        finally:
            with self._lock:
                self._busy -= 1
                if self._threads[me] == 1:
                    del self._threads[me]
                else:
                    self._threads[me] -= 1
                self._until = time.monotonic() + self.hold_s
                if not self._busy:
                    self._idle.set()

    def touch(self, seconds: float = KEY_HOLD_S) -> None:
        """Someone pressed a key: background work waits for the next `seconds` (the key's handler,
        its reads and the paint after it run then, each of them without a share to give away)."""
        with self._lock:
            self._until = max(self._until, time.monotonic() + seconds)

    @property
    def waiting(self) -> bool:
        """Whether background work should step aside now."""
        return self._busy > 0 or time.monotonic() < self._until

    def pause(self) -> float:
        """Called by background work between batches: sleep while the foreground is busy (at most
        `max_pause_s`); returns the seconds slept. Costs one comparison when nobody waits, and
        never waits in a thread that is itself doing foreground work (it would wait for itself)."""
        if not self.waiting or threading.get_ident() in self._threads:
            return 0.0
        started = time.monotonic()
        deadline = started + self.max_pause_s
        while self.waiting:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if self._busy:
                self._idle.wait(left)
            else:
                time.sleep(min(left, max(self._until - time.monotonic(), 0.0)))
        return time.monotonic() - started


def every(items, pause, batch: int = BATCH):
    """Yield `items`, calling `pause()` before each batch of `batch` (a generator for background loops)."""
    for count, item in enumerate(items):
        if not count % batch:
            pause()
        yield item
