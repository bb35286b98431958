"""The Textual app: wires the back end to the library screen; `run_app` is what the CLI calls."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

from textual.app import App
from textual.binding import Binding

from tui.ui.palette import PaperCommands
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.library import LibraryScreen
from tui.service import Service
from tui.ui.session import Session
from tui.textsafe import printable
from tui.ui.workers import ReportsWorkerFailures


class PaperReaderApp(ReportsWorkerFailures, App[str | None]):
    """A keyboard-first reader for research-paper digests (its result: why a damaged library closed it)."""

    CSS_PATH = "app.tcss"
    TITLE = "paper-reader"
    COMMANDS = App.COMMANDS | {PaperCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help", key_display="?"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, service: Service, import_files: Sequence[str | os.PathLike] = ()) -> None:
        super().__init__()
        self.session = Session(service, self._run_in_thread)
        self.import_files = [str(path) for path in import_files]

    def on_mount(self) -> None:
        self.push_screen(LibraryScreen(self.session, self.import_files))

    def _run_in_thread(self, work: Callable[[], object], group: str) -> None:
        self.run_worker(work, thread=True, group=group, name=group, exit_on_error=False)

    def action_help(self) -> None:
        """Show every key and the query syntax."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def run_app(data_dir: str | os.PathLike | None = None, files: Sequence[str | os.PathLike] = ()) -> int:
    """Open the library (importing `files` first) in the reader; returns the exit code."""
    from tui.library import LibraryError
    from tui.service import open_service, set_damaged_aside

    try:
        # The integrity check and the backup run in a worker after the first paint.
        service = open_service(data_dir, check_later=True)
    except LibraryError as exc:
        print(f"paper-reader: {printable(str(exc))}", file=sys.stderr)
        return 1
    with service:
        app = PaperReaderApp(service, import_files=files)
        damage = app.run()
    if app.return_code == 1 and damage:  # found after the first paint; nothing was written to it
        print(f"paper-reader: {printable(set_damaged_aside(service, damage))}", file=sys.stderr)
        return 1
    return 0
