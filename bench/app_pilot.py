"""Drive the real PaperReaderApp with Pilot and time what a user waits for: typing, views, stars."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from textual import events
from textual.worker import WorkerState

#: The terminal size every run uses (the size the issue measured at).
SIZE = (120, 36)
#: Seconds between two typed keys: a fast typist, about 10 keys a second.
KEY_INTERVAL = 0.1
#: How often the bench looks at the screen while it waits; the error this adds is at most this.
POLL = 0.002
#: Give up on one measurement after this long (it is then recorded as this long, and noted).
DEADLINE = 60.0
#: Words typed for the keystroke rows (the issue's three, and a few more of each kind).
WORDS = ("learning", "chen", "title:diffusion", "graph neural", "transformer", "author:wang", "reinforcement")
QUICK_WORDS = ("learning", "chen", "title:diffusion")
#: The state-changing keys, each with the screen action it calls.
WRITES = (("s", "toggle_star"), ("r", "toggle_read"), ("x", "dismiss_paper"))


@dataclass
class Samples:
    """Seconds per row name, in the order they were taken; `notes` say what went wrong."""

    rows: dict[str, list[float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, seconds: float) -> None:
        self.rows.setdefault(name, []).append(seconds)

    async def take(self, name: str, measurement) -> None:
        """Await one measurement into row `name`; a timeout shows in that row (as "timeout"), then stops the group."""
        try:
            self.add(name, await measurement)
        except TimeoutError:
            self.add(name, float("inf"))
            raise


def _busy_workers(app) -> list:
    """Search workers that are waiting or running (the debounce sleeps inside one)."""
    live = (WorkerState.PENDING, WorkerState.RUNNING)
    return [w for w in app.workers if w.state in live and "search" in f"{w.group} {w.name}"]


def shown_state(screen) -> tuple[str, str] | None:
    """(query, view) of the results the list shows now, read from the screen's own state."""
    page = getattr(screen, "shown", None)
    return (page.request.query, str(page.request.view)) if page is not None else None


def _index_ready(app) -> bool:
    """True once the index is open (or has failed: the lists then still work)."""
    session = getattr(app, "session", None)
    return bool(getattr(session, "index_ready", True) or getattr(session, "index_error", ""))


async def painted(screen) -> float:
    """Wait for the screen's next refresh; returns the time it finished."""
    done = asyncio.get_running_loop().create_future()
    screen.call_after_refresh(lambda: done.done() or done.set_result(time.perf_counter()))
    return await asyncio.wait_for(done, DEADLINE)


async def settled(app, screen, query: str, view: str | None = None, ready: bool = False) -> float:
    """Poll until the list shows the final results for `query` (and `view`), then until painted."""
    deadline = time.perf_counter() + DEADLINE
    while time.perf_counter() < deadline:
        state = shown_state(screen)
        good = state is not None and state[0] == query and (view is None or state[1] == view)
        if good and not _busy_workers(app) and (not ready or _index_ready(app)):
            return await painted(screen)
        await asyncio.sleep(POLL)
    raise TimeoutError(f"the list never showed {query!r} (view {view})")


def send_key(app, key: str) -> None:
    """Post one key press to the app as the terminal driver would, without waiting for it."""
    names = {":": "colon", " ": "space", "/": "slash"}
    app.post_message(events.Key(names.get(key, key), key if len(key) == 1 else None))


async def type_word(app, screen, word: str) -> float:
    """Focus the search bar, type `word` at typing speed; seconds from last key to final list painted."""
    send_key(app, "/")
    await asyncio.sleep(KEY_INTERVAL)
    for char in word[:-1]:
        send_key(app, char)
        await asyncio.sleep(KEY_INTERVAL)
    started = time.perf_counter()
    send_key(app, word[-1])
    return await settled(app, screen, word) - started


async def clear_query(app, screen) -> None:
    """Empty the search bar and go back to the list, then wait until the list has settled.

    Like a user, it presses escape again while the search bar still has the keyboard (the
    first escape clears whatever ctrl+u left, the next one leaves the bar).
    """
    send_key(app, "ctrl+u")
    await asyncio.sleep(KEY_INTERVAL)
    for _ in range(3):
        send_key(app, "escape")
        await asyncio.sleep(KEY_INTERVAL)
        if _on_the_list(screen):
            break
    await settled(app, screen, "")
    if not _on_the_list(screen):
        raise TimeoutError("escape never took the keyboard back to the list")


def _on_the_list(screen) -> bool:
    from tui.ui.widgets.results import ResultsList

    return isinstance(screen.focused, ResultsList)


async def open_app(backend_dir: Path, samples: Samples | None = None):
    """Start the app on a data directory; returns (app, context manager, pilot, screen) once settled."""
    from tui.service import open_service
    from tui.ui import PaperReaderApp

    started = time.perf_counter()
    backend = open_service(backend_dir, backup=False, check_later=True)  # as the app opens it
    app = PaperReaderApp(backend)
    context = app.run_test(size=SIZE)
    pilot = await context.__aenter__()
    try:
        deadline = started + DEADLINE
        while not _screen_ready(app):
            if time.perf_counter() > deadline:
                raise TimeoutError("the library screen never mounted")
            await asyncio.sleep(POLL)
        if samples is not None:
            await samples.take("launch in-process (Pilot, imports warm)", _since(started, _first_rows(app)))
        await settled(app, app.screen, "", ready=True)
    except TimeoutError:
        async with asyncio.timeout(DEADLINE):  # in this task: Pilot's context must be left where it was entered
            await close_app((app, context, pilot, backend))
        raise
    return app, context, pilot, backend


async def _since(started: float, finished) -> float:
    """Seconds from `started` to the time the awaited `finished` returns."""
    return await finished - started


def _screen_ready(app) -> bool:
    """The library screen is pushed and mounted."""
    return type(app.screen).__name__ == "LibraryScreen" and app.screen.is_mounted


async def _first_rows(app) -> float:
    """Poll until the results list has rows, then until they are painted."""
    from tui.ui.widgets.results import ResultsList

    deadline = time.perf_counter() + DEADLINE
    while time.perf_counter() < deadline:
        if app.screen.query_one(ResultsList).option_count:
            return await painted(app.screen)
        await asyncio.sleep(POLL)
    raise TimeoutError("no result rows")


async def close_app(opened) -> None:
    """Leave the Pilot session and close the back end."""
    app, context, _pilot, backend = opened
    await context.__aexit__(None, None, None)
    backend.close()


async def measure_launch(data_dir: Path, runs: int, samples: Samples) -> None:
    """In-process launch to first rows painted, `runs` times (modules already imported after the first)."""
    for _ in range(runs):
        await close_app(await open_app(data_dir, samples))


async def measure_typing(opened, words: tuple[str, ...], reps: int, samples: Samples) -> None:
    """Each word typed `reps` times from an empty query: last key -> final list painted."""
    app, _context, _pilot, _backend = opened
    for _ in range(reps):
        for word in words:
            await samples.take(f"type `{word}`", type_word(app, app.screen, word))
            await clear_query(app, app.screen)


async def measure_views(opened, reps: int, samples: Samples) -> None:
    """Keys 2, 3, 1 with an empty query: key -> that view's list painted."""
    app = opened[0]
    for _ in range(reps):
        for key, view in (("2", "inbox"), ("3", "starred"), ("1", "all")):
            started = time.perf_counter()
            send_key(app, key)
            await samples.take(f"switch view `{key}` ({view})", _since(started, settled(app, app.screen, "", view)))


async def measure_writes(opened, reps: int, samples: Samples) -> None:
    """Star / read / dismiss on the highlighted paper: handler time and the longest event-loop stall.

    Each key is pressed twice per repetition (on, then off again), so the library ends as it began.
    """
    app = opened[0]
    screen = app.screen
    durations = _wrap_actions(screen)
    for _ in range(reps):
        for key, action in WRITES:
            for _twice in range(2):
                stall = await _stall_during(app, key)
                if not durations[action]:
                    samples.add(f"`{key}` {action}: handler on the UI thread", float("inf"))
                    raise TimeoutError(f"`{key}` never reached {action} (typed into the query?)")
                samples.add(f"`{key}` {action}: handler on the UI thread", durations[action].pop())
                samples.add(f"`{key}` {action}: longest event-loop stall", stall)
        send_key(app, "j")  # the next repetition acts on another paper
        await asyncio.sleep(KEY_INTERVAL)


def _wrap_actions(screen) -> dict[str, list[float]]:
    """Time each write action by wrapping it on this screen instance (the class stays untouched)."""
    durations: dict[str, list[float]] = {}
    for _key, action in WRITES:
        original = getattr(screen, f"action_{action}")
        durations[action] = []
        setattr(screen, f"action_{action}", _timed(original, durations[action]))
    return durations


def _timed(function: Callable[[], None], into: list[float]) -> Callable[[], None]:
    def timed() -> None:
        started = time.perf_counter()
        try:
            function()
        finally:
            into.append(time.perf_counter() - started)
    return timed


async def _stall_during(app, key: str, window: float = 0.5) -> float:
    """Press `key`; the longest gap between two ticks of a 1 ms heartbeat over the next `window` s."""
    gaps: list[float] = []

    async def heartbeat() -> None:
        last = time.perf_counter()
        end = last + window
        while last < end:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    beat = asyncio.create_task(heartbeat())
    await asyncio.sleep(0)
    send_key(app, key)
    await beat
    return max(gaps) - 0.001 if gaps else 0.0


async def measure_after_write(opened, reps: int, samples: Samples, word: str = "learning") -> None:
    """Star, then at once type `word`: last key -> final list painted (the first search after a write)."""
    app = opened[0]
    for _ in range(reps):
        send_key(app, "s")
        await asyncio.sleep(KEY_INTERVAL)
        await samples.take(f"type `{word}` right after a star", type_word(app, app.screen, word))
        await clear_query(app, app.screen)
        send_key(app, "s")  # unstar: leave the library as it was
        await asyncio.sleep(KEY_INTERVAL)
        await settled(app, app.screen, "")


async def run_pilot(data_dir: Path, quick: bool) -> Samples:
    """Every Pilot row on one data directory (a working copy: stars and states are written).

    A group that times out says so in its row and in a note, and the app is opened afresh for
    the next group, so one stuck row never costs (or hangs) the whole run.
    """
    samples = Samples()
    reps = 1 if quick else 3
    await _guarded(measure_launch(data_dir, 2 if quick else 3, samples), "launch", samples)
    groups = (("typing", lambda o: measure_typing(o, QUICK_WORDS if quick else WORDS, reps, samples)),
              ("views", lambda o: measure_views(o, reps, samples)),
              ("writes", lambda o: measure_writes(o, 2 if quick else 3, samples)),
              ("after a write", lambda o: measure_after_write(o, reps, samples)))
    opened = None
    for name, group in groups:
        if opened is None:
            try:
                opened = await open_app(data_dir)
            except TimeoutError as exc:
                samples.notes.append(f"{name}: not measured, the app did not settle after opening ({exc})")
                continue
        if not await _guarded(group(opened), name, samples):
            await _close_quietly(opened, samples)
            opened = None
    if opened is not None:
        await _close_quietly(opened, samples)
    return samples


async def _guarded(measurement, name: str, samples: Samples) -> bool:
    """Run one group of measurements; a timeout (or a key that never reached its action) becomes a note."""
    try:
        await measurement
        return True
    except TimeoutError as exc:
        samples.notes.append(f"{name}: gave up ({exc}); its row says timeout, the next group opens the app afresh")
        return False


async def _close_quietly(opened, samples: Samples) -> None:
    """Close an app that may be stuck: give up on it after DEADLINE rather than hang the run."""
    try:
        async with asyncio.timeout(DEADLINE):  # in this task: Pilot's context must be left where it was entered
            await close_app(opened)
    except TimeoutError:
        samples.notes.append(f"an app did not close within {DEADLINE:.0f} s; left behind")
