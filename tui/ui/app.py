"""The Textual app: wires the back end to the library screen; `run_app` is what the CLI calls."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from tui.settings import LoadedSettings, Settings, load_settings
from tui.ui.fetching import FetchesSubscriptions
from tui.ui.keys import keymap_notice, split_keymap
from tui.ui.links import OpensLinks
from tui.ui.look import RemembersTheme
from tui.ui.palette import PaperCommands
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.library import LibraryScreen
from tui.service import Service
from tui.ui.session import Session
from tui.textsafe import one_line, printable
from tui.ui.workers import ReportsWorkerFailures
from tui.vocabulary import Sort


class PaperReaderApp(ReportsWorkerFailures, FetchesSubscriptions, OpensLinks, RemembersTheme, App[str | None]):
    """A keyboard-first reader for research-paper digests (its result: why a damaged library closed it).

    `settings` is the settings file as read (keys, theme, browser, subscriptions); without it
    the app runs on the built-in defaults.
    """

    CSS_PATH = "app.tcss"
    TITLE = "paper-reader"
    COMMANDS = App.COMMANDS | {PaperCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help", key_display="?"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("f", "fetch", "Fetch", show=False, id="fetch",
                tooltip="Fetch subscriptions (the arXiv feeds and Hugging Face days in the settings)"),
    ]

    def __init__(self, service: Service, import_files: Sequence[str | os.PathLike] = (),
                 settings: LoadedSettings | None = None) -> None:
        super().__init__()
        self.session = Session(service, self._run_in_thread)
        self.import_files = [str(path) for path in import_files]
        self.loaded_settings = settings or LoadedSettings(Settings(), Path(), "the built-in defaults", False)
        #: The user's keymap as applied (binding id -> keys), for the help screen and the palette.
        self.keymap_in_use: dict[str, str] = {}
        self.setup_fetching()

    def on_mount(self) -> None:
        notices = [self.loaded_settings.notice(), self.apply_keys(), self.apply_start_theme()]
        self.push_screen(LibraryScreen(self.session, self.import_files))
        for notice in filter(None, notices):
            self.notify(one_line(notice), title="Settings", severity="warning", markup=False, timeout=10)
        # The "for you" order learns every past decision off the UI thread, after the first paint.
        self.call_after_refresh(self._run_in_thread, self.session.service.foryou.start, "for-you")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Once the "for you" order has learned, a list shown in that order is redone (Textual
        also calls the mixin's handler, which turns failures into toasts)."""
        if event.worker.group == "for-you" and event.state is WorkerState.SUCCESS:
            for screen in self.screen_stack:
                if isinstance(screen, LibraryScreen) and screen.sort == Sort.FOR_YOU:
                    screen.start_search()

    def apply_keys(self) -> str | None:
        """Remap keys from the settings' `[keys]`; returns a line naming the entries that were not applied."""
        keymap = self.loaded_settings.settings.keymap()
        usable, unknown, bad = split_keymap(keymap)
        self.keymap_in_use = usable
        if usable:
            self.set_keymap(usable)
        return keymap_notice(unknown, bad, keymap, self.loaded_settings.path)

    def _run_in_thread(self, work: Callable[[], object], group: str) -> None:
        self.run_worker(work, thread=True, group=group, name=group, exit_on_error=False)

    def action_help(self) -> None:
        """Show every key and the query syntax."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def run_app(data_dir: str | os.PathLike | None = None, files: Sequence[str | os.PathLike] = (),
            config: str | os.PathLike | None = None) -> int:
    """Open the library (importing `files` first) in the reader; returns the exit code.

    `config` is `--config` (else $PAPER_READER_CONFIG, else the user config dir); a broken
    settings file is said in the app, which opens with the defaults.
    """
    from tui.library import LibraryError
    from tui.service import open_service, set_damaged_aside

    try:
        # The integrity check and the backup run in a worker after the first paint.
        service = open_service(data_dir, check_later=True)
    except LibraryError as exc:
        print(f"paper-reader: {printable(str(exc))}", file=sys.stderr)
        return 1
    with service:
        app = PaperReaderApp(service, import_files=files, settings=load_settings(config))
        damage = app.run()
    if app.return_code == 1 and damage:  # found after the first paint; nothing was written to it
        print(f"paper-reader: {printable(set_damaged_aside(service, damage))}", file=sys.stderr)
        return 1
    return 0
