"""The app's terminal driver survives the terminal going away (EIO on every write)."""

from __future__ import annotations

import errno
import io
import threading

import pytest

from textual.drivers._writer_thread import MAX_QUEUED_WRITES, WriterThread

from tui.ui.app import PaperReaderApp
from tui.ui.terminal import GoneTolerantFile, HangupSafeDriver


class HungUpTerminal(io.StringIO):
    """A terminal after a hang-up: every write and flush fails with EIO."""

    def write(self, text: str) -> int:
        raise OSError(errno.EIO, "Input/output error")

    def flush(self) -> None:
        raise OSError(errno.EIO, "Input/output error")


def _writes_then_stops(file) -> bool:
    """Queue more frames than the output queue holds, then stop it, as the app's shutdown does."""
    writer = WriterThread(file)
    writer.start()

    def shutdown() -> None:
        for _ in range(MAX_QUEUED_WRITES * 3):
            writer.write("\x1b[?1049l frame")
        writer.stop()

    done = threading.Thread(target=shutdown, daemon=True)
    done.start()
    done.join(timeout=5)
    return not done.is_alive()


def test_frames_written_after_a_hang_up_are_dropped_and_shutdown_ends():
    file = GoneTolerantFile(HungUpTerminal())
    assert _writes_then_stops(file)
    assert file.gone


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_without_the_tolerant_file_the_shutdown_blocks_for_ever():
    # What the app did before: the output thread dies on EIO and the shutdown waits on a full queue.
    assert not _writes_then_stops(HungUpTerminal())


def test_a_live_terminal_gets_every_write():
    out = io.StringIO()
    file = GoneTolerantFile(out)
    assert file.write("abc") == 3
    file.flush()
    assert out.getvalue() == "abc" and not file.gone


def test_the_app_runs_on_the_hang_up_safe_driver_on_posix(monkeypatch):
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert PaperReaderApp.get_driver_class(PaperReaderApp.__new__(PaperReaderApp)) is HangupSafeDriver
