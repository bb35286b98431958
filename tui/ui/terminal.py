"""The terminal driver, made to survive the terminal going away.

When the terminal closes (`tmux kill-pane`, a closed window, a dropped ssh session), writes to it
fail with EIO. Textual's output thread dies on the first such error; the frames queued behind it
then fill its bounded queue and the app blocks for ever while it shuts down, before the open note
is committed. Here the output file swallows those errors (the frames have nowhere to go), so the
app quits as it does on `q`.

Textual's input thread has the opposite trouble: a terminal that is gone reads as end of file at
once, so its select-and-read loop spins at full speed until someone sets its exit event; when the
app was already on its way out (`q` pressed just before the window closed) nobody does, and the
process stayed behind at 80% of a core, holding the library open. Here the exit event also
counts as set once the terminal has hung up, and the app is asked to quit as on SIGHUP.
"""

from __future__ import annotations

import select
import signal
import threading
from typing import IO

from textual.drivers.linux_driver import LinuxDriver

#: What `poll` reports on a terminal that is gone (the other end closed, the session hung up).
_GONE = select.POLLHUP | select.POLLERR | select.POLLNVAL


class GoneTolerantFile:
    """A text file whose writes and flushes are dropped once the terminal is gone."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file
        #: True after the first failed write: the terminal is gone.
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self._file.write(text)
            except (OSError, ValueError):  # EIO after a hang-up; ValueError: the file was closed
                self.gone = True
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._file.flush()
            except (OSError, ValueError):
                self.gone = True

    def __getattr__(self, name: str):
        return getattr(self._file, name)


class HangupSafeDriver(LinuxDriver):
    """Textual's POSIX driver, writing through a `GoneTolerantFile`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not isinstance(self._file, GoneTolerantFile):
            self._file = GoneTolerantFile(self._file)
        self.exit_event = UntilHangup(self.fileno, self._hung_up)

    def _hung_up(self) -> None:
        """In the input thread: the terminal is gone; the app quits as on SIGHUP (notes kept)."""
        quit_on_signal = getattr(self._app, "_quit_on_signal", None)
        try:
            if quit_on_signal is not None:
                self._app.call_later(quit_on_signal, signal.SIGHUP)
            else:
                self._app.call_later(self._app.exit)
        except Exception:  # the app is already gone: the thread ends all the same
            pass


class UntilHangup(threading.Event):
    """The input thread's exit event: set, or the terminal on `fileno` has hung up."""

    def __init__(self, fileno: int, on_hangup=None) -> None:
        super().__init__()
        self._poll = select.poll()
        self._poll.register(fileno, select.POLLIN)  # hang-ups and errors are always reported
        self._on_hangup = on_hangup
        self.hung_up = False

    def is_set(self) -> bool:
        if super().is_set():
            return True
        if not self.hung_up:
            try:
                gone = any(events & _GONE for _fd, events in self._poll.poll(0))
            except (OSError, ValueError):
                gone = True
            if gone:
                self.hung_up = True
                if self._on_hangup is not None:
                    self._on_hangup()
        return self.hung_up
