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


def test_the_input_loop_ends_once_the_terminal_hangs_up_and_the_app_is_told():
    """A closed terminal reads as end of file at once: the input loop must end, not spin."""
    import os

    from tui.ui.terminal import UntilHangup

    master, slave = os.openpty()
    told: list[str] = []
    exit_event = UntilHangup(slave, lambda: told.append("hung up"))
    try:
        assert not exit_event.is_set() and not told  # a live terminal: the loop goes on
        os.close(master)  # the window closes (tmux kill-server, ssh drops)
        assert exit_event.is_set() and exit_event.is_set()
        assert told == ["hung up"]  # said once: the app quits as on SIGHUP
        exit_event.set()
        exit_event.clear()  # what Textual's disable_input does: the terminal stays gone
        assert exit_event.is_set()
    finally:
        os.close(slave)


def test_the_exit_event_still_works_as_an_event_on_a_live_terminal():
    import os

    from tui.ui.terminal import UntilHangup

    master, slave = os.openpty()
    try:
        exit_event = UntilHangup(slave)
        exit_event.set()
        assert exit_event.is_set()
        exit_event.clear()
        assert not exit_event.is_set()
    finally:
        os.close(master)
        os.close(slave)
