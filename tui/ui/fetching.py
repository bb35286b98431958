"""Fetching from the app: the subscriptions come in through a thread worker while the user reads on.

The same `fetch_all` as `paper-reader fetch` runs here; only the index is left to the session
(one Whoosh writer per process), and the report lines become toasts instead of printed lines.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from textual.message import Message
from textual.worker import get_current_worker

from tui.fetch import FetchReport, Outcome, fetch_all, subscription_names
from tui.textsafe import one_line

#: Said when the settings subscribe to nothing at all.
NO_SUBSCRIPTIONS = ("Nothing to fetch: no subscriptions in the settings. Run `paper-reader config --init` "
                    "to write an example file, then list your arXiv categories under [subscriptions].")
#: How long a fetch report stays on screen, in seconds (it can be several lines).
REPORT_SECONDS = 12


@dataclass
class FetchProgress(Message):
    """The fetch moved on to the source `name` (`done` sources before it, `total` in all)."""

    name: str
    done: int
    total: int


@dataclass
class FetchFinished(Message):
    """The fetch ended; `report` is None when it raised (the worker's failure says why)."""

    report: FetchReport | None


def progress_line(name: str, done: int, total: int) -> str:
    """`fetching cs.LG… 2/3`, or "" once every source is done."""
    return f"fetching {one_line(name)}… {done + 1}/{total}" if name else ""


def report_lines(report: FetchReport) -> list[str]:
    """What `paper-reader fetch` prints, one printable line each: notes, the sources, the index, the summary."""
    return [one_line(line) for line in report.lines()]


class FetchesSubscriptions:
    """Mixin for the app: `action_fetch` runs one fetch at a time and reports it on any screen.

    Needs `self.loaded_settings` and `self.session`. Quitting cancels the worker, and
    `fetch_all` looks at `cancelled()` throughout, so the app never waits for a slow server.
    """

    #: Set while no fetch thread runs (tests and `run_app` wait on it before closing the library).
    fetch_idle: threading.Event

    def setup_fetching(self) -> None:
        """Call from `__init__`."""
        self.fetch_idle = threading.Event()
        self.fetch_idle.set()

    @property
    def fetching(self) -> bool:
        """Whether a fetch is running now."""
        return not self.fetch_idle.is_set()

    def action_fetch(self) -> None:
        """Fetch every subscription into the library, in the background."""
        settings = self.loaded_settings.settings
        if self.fetching:
            self.notify("A fetch is already running; its progress is in the status line.",
                        severity="warning", markup=False, timeout=4)
            return
        if not subscription_names(settings):
            self.notify(NO_SUBSCRIPTIONS, severity="warning", markup=False, timeout=REPORT_SECONDS)
            return
        self.fetch_idle.clear()
        self.show_fetch_progress("fetching…")
        self.run_worker(self._fetch_in_thread, thread=True, group="fetch", name="fetch", exit_on_error=False)

    def _fetch_in_thread(self) -> None:
        """The worker: fetch, then post the report (cancelled when the app quits)."""
        worker = get_current_worker()
        report = None
        try:
            report = fetch_all(self.loaded_settings.settings, self.session.service,
                               progress=lambda name, done, total: self.post_message(FetchProgress(name, done, total)),
                               cancelled=lambda: worker.is_cancelled, index=False)
        finally:
            self.fetch_idle.set()
            self.post_message(FetchFinished(report))

    def on_fetch_progress(self, message: FetchProgress) -> None:
        """Show which source is being fetched."""
        if self.fetching:
            self.show_fetch_progress(progress_line(message.name, message.done, message.total))

    def on_fetch_finished(self, message: FetchFinished) -> None:
        """Clear the progress line, show the report, and list what arrived."""
        self.show_fetch_progress("")
        report = message.report
        if report is None:
            return  # the worker failed: its error toast says why
        failed = not report.ok and not report.cancelled
        self.notify("\n".join(report_lines(report)), title="Fetch", markup=False, timeout=REPORT_SECONDS,
                    severity="error" if failed else "warning" if _any_problem(report) else "information")
        if report.added:
            self.refresh_after_fetch()

    def show_fetch_progress(self, text: str) -> None:
        """Put `text` in the library screen's status line ("" clears it)."""
        screen = self.library_screen()
        if screen is not None:
            screen.fetch_note = text

    def refresh_after_fetch(self) -> None:
        """New papers are in the library: count again, let the index follow, list them."""
        self.session.service.forget_counts()
        self.session.sync_index()
        screen = self.library_screen()
        if screen is not None and screen.related_to is None:
            screen.start_search()

    def library_screen(self):
        """The library screen (the bottom of the stack), if it is there yet."""
        from tui.ui.screens.library import LibraryScreen

        return next((s for s in self.screen_stack if isinstance(s, LibraryScreen)), None)


def _any_problem(report: FetchReport) -> bool:
    """Whether some source failed or was kept aside (the toast then asks for a look)."""
    return any(source.outcome in (Outcome.FAILED, Outcome.REJECTED) for source in report.sources)
