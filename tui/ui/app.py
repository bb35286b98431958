"""The Textual app: wires the back end to the library screen; `run_app` is what the CLI calls."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.message import Message
from textual.worker import Worker, WorkerState

from tui.settings import LoadedSettings, Settings, load_settings
from tui.ui import heap
from tui.ui.fetching import FetchesSubscriptions
from tui.ui.keys import keymap_notice, split_keymap
from tui.ui.links import OpensLinks
from tui.ui.look import RemembersTheme
from tui.ui.palette import PaperCommands
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.library import LibraryScreen
from tui.ui.screens.note import NoteEditor
from tui.service import Service
from tui.ui.session import Session
from tui.textsafe import one_line, printable
from tui.ui.workers import ReportsWorkerFailures
from tui.ui.writes import QUIT_WAIT_S, WritesReport
from tui.vocabulary import Sort

#: Closing the terminal (SIGHUP) and `kill`/`tmux kill-pane` (SIGTERM) quit like `q`: notes saved.
QUIT_SIGNALS = (signal.SIGHUP, signal.SIGTERM)


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

    @dataclass
    class WritesChanged(Message):
        """The write queue moved: papers saved, writes waiting, failures (posted from its thread)."""

        report: WritesReport

    def __init__(self, service: Service, import_files: Sequence[str | os.PathLike] = (),
                 settings: LoadedSettings | None = None, handle_signals: bool = False) -> None:
        super().__init__()
        self.session = Session(service, self._run_in_thread, self._writes_changed)
        self.import_files = [str(path) for path in import_files]
        self.loaded_settings = settings or LoadedSettings(Settings(), Path(), "the built-in defaults", False)
        #: The user's keymap as applied (binding id -> keys), for the help screen and the palette.
        self.keymap_in_use: dict[str, str] = {}
        self.setup_fetching()
        #: What could not be saved by the time the app closed (one line each), for `run_app` to say.
        self.unsaved: list[str] = []
        self._handle_signals = handle_signals
        self._waiting_count = 0
        self._quit_by = 0.0

    def get_driver_class(self):
        """Textual's own driver, except that on POSIX it survives the terminal being closed."""
        driver = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        if driver is LinuxDriver:
            from tui.ui.terminal import HangupSafeDriver

            return HangupSafeDriver
        return driver

    def on_mount(self) -> None:
        notices = [self.loaded_settings.notice(), self.apply_keys(), self.apply_start_theme()]
        self.push_screen(LibraryScreen(self.session, self.import_files))
        if self._handle_signals:
            loop = asyncio.get_running_loop()
            for signum in QUIT_SIGNALS:
                loop.add_signal_handler(signum, self._quit_on_signal, signum)
        for notice in filter(None, notices):
            self.notify(one_line(notice), title="Settings", severity="warning", markup=False, timeout=10)
        # The "for you" order learns every past decision off the UI thread, after the first paint.
        self.call_after_refresh(self._run_in_thread, self._learn_at_start, "for-you")
        heap.keep_built()  # the modules, settings and widgets made so far last as long as the app

    def _learn_at_start(self) -> None:
        """In a worker: train the "for you" order (without full collections meanwhile, see `heap`)."""
        with heap.building():
            self.session.service.foryou.start()

    async def on_event(self, event: events.Event) -> None:
        """A key press or click: background work (training "for you") waits while it is handled."""
        if isinstance(event, events.InputEvent) and not event.is_forwarded and not isinstance(event, events.MouseMove):
            self.session.service.foreground.touch()
        await super().on_event(event)

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

    # -- writes --------------------------------------------------------------------------------
    def _writes_changed(self, report: WritesReport) -> None:
        """Called by the write queue's thread: hand the report to the UI thread."""
        self.post_message(self.WritesChanged(report))

    def on_paper_reader_app_writes_changed(self, message: WritesChanged) -> None:
        """Show saved papers, what still waits (status line and a toast), and what failed."""
        report = message.report
        library = next((s for s in self.screen_stack if isinstance(s, LibraryScreen)), None)
        for paper in report.saved:
            if library is not None and library.is_mounted:
                try:
                    library.apply(self.session.writes.overlay(paper))
                except NoMatches:
                    pass  # the app is closing: nothing left to redraw
        if report.saved:
            self.session.sync_index()
        for error in report.errors:
            self.notify(one_line(error), severity="error", markup=False, timeout=10)
        for title in report.merged:
            self.notify(f"The note on “{one_line(title)}” was also edited elsewhere: both versions are kept.",
                        severity="warning", markup=False, timeout=10)
        self._show_waiting(library)

    def _show_waiting(self, library: LibraryScreen | None) -> None:
        """The status line always says what waits; a toast only when more wait, and when all landed."""
        line, count = self.session.waiting_line(), len(self.session.writes.pending())
        if library is not None and library.is_mounted:
            library.waiting = line
        if line and count > self._waiting_count:
            self.notify(line, severity="warning", markup=False, timeout=6)
        elif not line and self._waiting_count:
            self.notify("Every waiting change is saved.", markup=False, timeout=3)
        self._waiting_count = count

    # -- quitting ------------------------------------------------------------------------------
    async def action_quit(self) -> None:
        """Quit; queued writes get a bounded time to be saved first (what is left is reported)."""
        if self.session.writes.pending():
            self._quit_by = time.monotonic() + QUIT_WAIT_S
            self.notify(f"{self.session.waiting_line()}; quitting within {QUIT_WAIT_S:.0f} s…",
                        severity="warning", markup=False, timeout=QUIT_WAIT_S)
            while self.session.writes.pending() and time.monotonic() < self._quit_by:
                await asyncio.sleep(0.1)
        self.exit(return_code=self.return_code or 0)

    def _quit_on_signal(self, signum: int) -> None:
        """SIGHUP or SIGTERM: quit as `q` does (the open note is saved), exit status 128 + signal.

        The open note is saved first, before anything touches the terminal: after a hang-up the
        terminal is gone, and writing to it while closing may fail before the screens unmount.
        """
        self._keep_open_notes()
        self.exit(return_code=128 + signum)

    def _keep_open_notes(self) -> None:
        """Queue the text of every open note editor and commit what waits (bounded)."""
        for screen in self.screen_stack:
            if isinstance(screen, NoteEditor):
                try:
                    screen.keep_typed()
                except Exception:  # noqa: BLE001 - never let one editor stop the others being kept
                    pass
        self.unsaved = self.session.finish(QUIT_WAIT_S) or self.unsaved

    def panic(self, *renderables) -> None:
        """An unexpected end (the terminal gone: `tmux kill-pane` makes the input thread fail
        with EIO before the hang-up signal is handled): the open note is saved first."""
        self._keep_open_notes()
        super().panic(*renderables)

    def _fatal_error(self) -> None:
        self._keep_open_notes()
        super()._fatal_error()

    def on_unmount(self) -> None:
        # Every screen is gone (an open note editor has queued its text): commit what waits.
        left = max(self._quit_by - time.monotonic(), 0.0) if self._quit_by else QUIT_WAIT_S
        self.unsaved = self.session.finish(max(left, 1.0)) or self.unsaved


def run_app(data_dir: str | os.PathLike | None = None, files: Sequence[str | os.PathLike] = (),
            config: str | os.PathLike | None = None) -> int:
    """Open the library (importing `files` first) in the reader; returns the exit code.

    `config` is `--config` (else $PAPER_READER_CONFIG, else the user config dir); a broken
    settings file is said in the app, which opens with the defaults.

    Non-zero when the app failed, was ended by a signal, or closed with changes not saved
    (they are listed on standard error and kept in a file in the data directory).
    """
    from tui.library import LibraryError
    from tui.service import open_service, set_damaged_aside

    app_running = False

    def waiting(message: str) -> None:
        # Only while opening (a migration waiting for another writer); never over the app's screen.
        if not app_running:
            print(f"paper-reader: {printable(message)}", file=sys.stderr)

    try:
        # The integrity check and the backup run in a worker after the first paint.
        service = open_service(data_dir, on_wait=waiting, check_later=True)
    except LibraryError as exc:
        print(f"paper-reader: {printable(str(exc))}", file=sys.stderr)
        return 1
    with service:
        app = PaperReaderApp(service, import_files=files, settings=load_settings(config),
                             handle_signals=True)
        app_running = True
        damage = app.run()
        code = app.return_code or 0
        if app.unsaved:
            _say_unsaved(app.unsaved, service.data_dir)
            code = code or 1
    if app.return_code == 1 and damage:  # found after the first paint; nothing was written to it
        print(f"paper-reader: {printable(set_damaged_aside(service, damage))}", file=sys.stderr)
        return 1
    return code


def _say_unsaved(lines: list[str], data_dir: Path) -> None:
    """Changes the library never took: on standard error, and in a file so no note is lost."""
    kept = ""
    try:
        path = Path(data_dir) / f"unsaved-{datetime.now().strftime('%Y%m%d-%H%M%S')}.txt"
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
        kept = str(path)
    except OSError:
        pass
    print(f"paper-reader: {len(lines)} change{'s' if len(lines) != 1 else ''} not saved "
          "(the library stayed busy, or the disk full):", file=sys.stderr)
    for line in lines:
        print(f"  {printable(line)}", file=sys.stderr)
    if kept:
        print(f"paper-reader: the list above is kept in {printable(kept)}", file=sys.stderr)
