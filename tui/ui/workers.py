"""Small pieces every screen shares."""

from __future__ import annotations

from textual.worker import Worker, WorkerState

from tui.textsafe import one_line


class ReportsWorkerFailures:
    """Mixin for the app and its screens: a failed worker becomes an error notification, never a crash.

    The handler is found by its name (`on_worker_state_changed`) because a mixin is no Widget.
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Report a worker that raised (search, index build, catch-up) as a toast naming it."""
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            what = event.worker.name or event.worker.group
            self.notify(f"{what} failed: {type(error).__name__}: {one_line(str(error))}",
                        severity="error", markup=False, timeout=8)
