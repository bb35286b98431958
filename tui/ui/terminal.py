"""The terminal driver, made to survive the terminal going away.

When the terminal closes (`tmux kill-pane`, a closed window, a dropped ssh session), writes to it
fail with EIO. Textual's output thread dies on the first such error; the frames queued behind it
then fill its bounded queue and the app blocks for ever while it shuts down, before the open note
is committed. Here the output file swallows those errors (the frames have nowhere to go), so the
app quits as it does on `q`.
"""

from __future__ import annotations

from typing import IO

from textual.drivers.linux_driver import LinuxDriver


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
