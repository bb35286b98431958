"""Background work (training "for you") gives way to a search the user waits for, and never deadlocks it."""

from __future__ import annotations

import threading

from tui.service.priority import Foreground, every


def _in_thread(target) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def test_background_batches_wait_while_a_search_runs_and_go_on_after_it():
    foreground = Foreground(hold_s=0.0, max_pause_s=30.0)
    inside, release = threading.Event(), threading.Event()
    done: list[int] = []

    def search():
        with foreground.busy():
            inside.set()
            release.wait(10)

    searching = _in_thread(search)
    assert inside.wait(10)
    training = _in_thread(lambda: done.extend(every(range(100), foreground.pause, batch=10)))
    training.join(0.3)
    assert training.is_alive() and done == []  # not one batch while the search runs
    release.set()
    searching.join(10)
    training.join(10)
    assert done == list(range(100))


def test_a_pause_is_free_when_nobody_waits_and_bounded_when_someone_types_for_ever():
    foreground = Foreground(hold_s=0.0, max_pause_s=0.05)
    assert foreground.pause() == 0.0
    inside, release = threading.Event(), threading.Event()

    def endless_search():
        with foreground.busy():
            inside.set()
            release.wait(10)

    _in_thread(endless_search)
    assert inside.wait(10)
    done: list[int] = []
    training = _in_thread(lambda: done.extend(every(range(40), foreground.pause, batch=10)))
    training.join(10)  # four pauses of at most 0.05 s each: it ends although the search never does
    release.set()
    assert not training.is_alive() and done == list(range(40))


def test_foreground_work_that_runs_a_background_loop_itself_never_waits_for_itself():
    foreground = Foreground(hold_s=5.0, max_pause_s=30.0)
    result: list[float] = []

    def search_that_trains():
        with foreground.busy():
            result.append(sum(foreground.pause() for _ in every(range(64), lambda: 0.0)))
            result.append(foreground.pause())

    thread = _in_thread(search_that_trains)
    thread.join(10)
    assert not thread.is_alive() and result == [0.0, 0.0]


def test_the_hold_after_a_search_covers_the_paint_then_lets_go():
    foreground = Foreground(hold_s=0.2, max_pause_s=30.0)
    with foreground.busy():
        pass
    assert foreground.waiting  # the rows are being drawn now
    slept = foreground.pause()
    assert 0.0 < slept and not foreground.waiting


def test_a_key_press_holds_background_work_for_a_moment():
    foreground = Foreground(hold_s=0.0, max_pause_s=30.0)
    assert not foreground.waiting
    foreground.touch(0.2)
    assert foreground.waiting
    slept = foreground.pause()  # the training's next batch waits out the key's handling
    assert slept > 0.0 and not foreground.waiting
