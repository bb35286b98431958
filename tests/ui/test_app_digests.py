"""Pilot tests: digests you can walk, bulk decisions, undo everywhere (across a restart too)."""

from __future__ import annotations

from test_app_support import (  # noqa: F401  (fixtures)
    SIZE, fresh_backend, library_screen, screen_text, seeded_app, seeded_home, seeded_template, settle,
    small_library, wait_until,
)
from tui.records import Paper
from tui.ui.app import PaperReaderApp
from tui.ui.screens.confirm import Confirm
from tui.ui.screens.digests import DigestsScreen
from tui.ui.screens.triage import TriageScreen
from tui.vocabulary import View


def _two_digests(home) -> None:
    small_library(home, [Paper(title=f"Old {n}", abstract="old") for n in range(3)], "old.txt", "2026-04-20")
    small_library(home, [Paper(title=f"New {n}", abstract="new") for n in range(4)], "new.txt", "2026-04-27")


def told(app, text: str) -> bool:
    """Whether a toast said `text`."""
    return any(text in str(n.message) for n in app._notifications)


async def test_the_digests_view_lists_newest_first_and_shows_one_digest_in_its_order(seeded_app):
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DigestsScreen)
        digests = app.screen.digests
        dated = [d.digest_date for d in digests if d.digest_date]
        assert dated == sorted(dated, reverse=True)
        text = screen_text(app)
        assert "HF Daily · 2026-05-26" in text and "42 papers" in text and "new" in text
        assert "000_9ee87580e55e8dd2" not in text  # a digest is named by its content, never a hashed file name
        wanted = next(d for d in digests if d.label == "HF Daily · 2026-04-22")
        app.screen.query_one("OptionList").highlighted = digests.index(wanted)
        await pilot.press("enter")
        await settle(pilot)
        screen = library_screen(app)
        assert screen.digest.id == wanted.id
        assert "in HF Daily · 2026-04-22" in screen_text(app) and "digest order" in screen_text(app)
        positions = [next(s.position for s in p.seen if s.digest == wanted.label) for p in screen.results.papers.values()]
        assert positions == sorted(positions) and len(positions) == min(wanted.entries, len(positions))
        await pilot.press("right_square_bracket")  # the next, older digest
        await settle(pilot)
        assert screen.digest.id == digests[digests.index(wanted) + 1].id
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.digest.id == wanted.id
        await pilot.press("escape")  # back to every digest
        await settle(pilot)
        assert screen.digest is None and "in HF Daily" not in screen_text(app)


async def test_triage_one_digest_with_its_own_progress_and_step_to_the_next(hermetic_home):
    _two_digests(hermetic_home)
    backend = fresh_backend(hermetic_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")  # the whole Inbox: the oldest digest first, whatever the import order
        await settle(pilot)
        triage = app.screen
        assert isinstance(triage, TriageScreen)
        assert "crafted" not in screen_text(app)
        assert triage.current.title == "Old 0" and "old.txt: 1 / 3 · Inbox 7 left" in screen_text(app)
        await pilot.press("s")
        assert "old.txt: 2 / 3 · Inbox 6 left" in screen_text(app)
        await pilot.press("right_square_bracket")  # this digest's rest waits at the end
        assert triage.current.title == "New 0" and "new.txt: 1 / 4" in screen_text(app)
        await pilot.press("left_square_bracket")
        assert triage.current.title == "Old 1"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        digests = app.screen
        new = next(i for i, d in enumerate(digests.digests) if d.label == "new.txt")
        digests.query_one("OptionList").highlighted = new
        await pilot.press("t")  # triage just that digest
        await settle(pilot)
        assert isinstance(app.screen, TriageScreen) and app.screen.current.title == "New 0"
        assert "new.txt: 1 / 4 · this digest 4 left" in screen_text(app)
    backend.close()


async def test_later_persists_so_the_next_session_starts_on_what_was_not_put_off(hermetic_home):
    _two_digests(hermetic_home)
    backend = fresh_backend(hermetic_home)
    async with PaperReaderApp(backend).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("space", "space")  # Old 0 and Old 1 put off
        await pilot.press("escape")
        await settle(pilot)
        assert told(pilot.app, "2 decided: 0 kept, 0 dismissed, 2 later")
    backend.close()
    backend = fresh_backend(hermetic_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert app.screen.current.title == "Old 2"
        assert [backend.get(i).title for i in app.screen.ids][-2:] == ["Old 0", "Old 1"]
    backend.close()


async def test_bulk_decision_is_one_step_asked_first_when_large_and_undone_whole(hermetic_home):
    small_library(hermetic_home, [Paper(title=f"Paper {n:02}", abstract="x") for n in range(30)])
    backend = fresh_backend(hermetic_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        assert screen.view == View.INBOX
        await pilot.press("space", "space")
        assert len(screen.results.selected) == 2 and "2 picked" in screen_text(app)
        await pilot.press("x")
        await settle(pilot)
        assert backend.counts()[View.INBOX] == 28 and not screen.results.selected
        await pilot.press("ctrl+a")
        await settle(pilot)
        assert len(screen.results.selected) == 28
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert await wait_until(pilot, lambda: "Mark read 28 papers?" in screen_text(app))
        await pilot.press("n")
        await settle(pilot)
        assert backend.counts()[View.INBOX] == 28
        await pilot.press("r", "y")
        await settle(pilot)
        assert backend.counts()[View.INBOX] == 0
        assert "Inbox is empty" in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert backend.counts()[View.INBOX] == 28 and told(app, "Undid the decision on 28 papers")
        await pilot.press("u")
        await settle(pilot)
        assert backend.counts()[View.INBOX] == 30 and len(screen.results.papers) == 30
    backend.close()


async def test_undo_in_the_list_says_what_it_undid_and_works_after_a_restart(hermetic_home):
    small_library(hermetic_home, [Paper(title="Alpha attention", abstract="a"), Paper(title="Beta", abstract="b")])
    backend = fresh_backend(hermetic_home)
    async with PaperReaderApp(backend).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert backend.get(library_screen(pilot.app).results.current_id).starred
    backend.close()
    backend = fresh_backend(hermetic_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert told(app, "Undid the star on “Alpha attention”")
        assert not any(p.starred for p in backend.papers(backend.view_ids("all")).values())
        assert "★" not in screen_text(app).split("\n")[4]
        await pilot.press("u")
        await settle(pilot)
        assert told(app, "Nothing to undo.")
    backend.close()


async def test_a_wide_terminal_footer_shows_more_keys(hermetic_home):
    small_library(hermetic_home, [Paper(title="Alpha", abstract="a")])
    backend = fresh_backend(hermetic_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=(170, 30)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "Dismiss" in footer and "Related" in footer and "Select" in footer
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "Star" in footer and "Dismiss" not in footer
    backend.close()


async def test_the_split_between_list_and_abstract_moves_with_less_and_greater(hermetic_home):
    small_library(hermetic_home, [Paper(title="A long title " * 8, abstract="a")])
    backend = fresh_backend(hermetic_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        before = screen.results.size.width
        await pilot.press("greater_than_sign", "greater_than_sign")
        await settle(pilot)
        assert screen.results.size.width > before + 15
        await pilot.press(*["less_than_sign"] * 8)
        await settle(pilot)
        assert screen.results.size.width < before and screen.abstract.size.width > screen.results.size.width
    backend.close()


async def test_scrolling_never_leaves_half_a_row_at_the_top(hermetic_home):
    small_library(hermetic_home, [Paper(title=f"Paper {n:02}", abstract=f"snippet {n}") for n in range(60)])
    backend = fresh_backend(hermetic_home)
    app = PaperReaderApp(backend)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        for step in range(40):
            screen.results.action_cursor_down()
            await pilot.pause()
            assert int(screen.results.scroll_y) % 2 == 0 or screen.results.scroll_y >= screen.results.max_scroll_y
        for step in range(25):
            screen.results.action_cursor_up()
            await pilot.pause()
            assert int(screen.results.scroll_y) % 2 == 0
        assert screen.results.scroll_y > 0
    backend.close()
