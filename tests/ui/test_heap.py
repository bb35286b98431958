"""The app keeps full garbage collections off the keystroke path while start-up work builds."""

from __future__ import annotations

import gc

from test_app_support import SIZE, library_screen, seeded_app, seeded_home, seeded_template, settle  # noqa: F401
from tui.ui import heap


def test_building_holds_full_collections_then_sets_what_was_built_aside():
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    kept = []
    try:
        with heap.building():
            assert gc.get_threshold()[2] >= heap.BUILDING_FULL_EVERY
            kept.append([object() for _ in range(1000)])  # lives on: the model, the features
        assert gc.get_threshold() == before
        assert gc.get_freeze_count() >= frozen + 1000
    finally:
        gc.unfreeze()


def test_building_restores_the_collector_when_the_work_fails():
    before = gc.get_threshold()
    try:
        with heap.building():
            raise ValueError("the training failed")
    except ValueError:
        pass
    finally:
        gc.unfreeze()
    assert gc.get_threshold() == before


async def test_a_key_press_in_the_app_makes_background_work_wait(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        foreground = app.session.service.foreground
        touched: list[float] = []
        touch = foreground.touch
        foreground.touch = lambda *seconds: touched.append(1) or touch(*seconds)
        await pilot.press("j")
        assert touched  # the training's next batch waits while the key is handled
        assert gc.get_threshold()[2] < heap.BUILDING_FULL_EVERY  # the start-up training has ended
        assert gc.get_freeze_count() > 0  # what start-up built is out of the collector's way
