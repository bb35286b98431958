"""Hostile digest text (markup, actions, theme variables, escape sequences) shows as plain text."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from test_app_support import wait_until
from test_app_support import errors, fresh_backend, library_screen, screen_text, settle, type_query
from tui.ui.app import PaperReaderApp
from tui.ui.screens.note import NoteEditor
from tui.ui.screens.triage import TriageScreen

TITLE = "[bold]Bold[/] title [@click=app.quit]click me[/] $accent"
ABSTRACT = ("An abstract with [red]markup[/red] and \x1b[31mESC red\x1b[0m and [link=https://x]l[/link] "
            "and $O(n^2)$ cost [/] end.")
AUTHOR = "[b]Mallory[/b] [@click=app.bell]x[/]"
NOTE = "[/] [@click=app.quit]note[/] [$accent]x \x1b]0;pwned\x07"
FILE_NAME = "[bold]evil[red] digest.txt"


def _digest(folder: Path) -> Path:
    path = folder / FILE_NAME
    path.write_text(
        "Daily Papers\n\nbyAK and the research community\n\nApr 22\n\n"
        f"{TITLE}\n\n{ABSTRACT}\n\n  • {AUTHOR}\n·\nSep 8, 2021 12\n\n"
        "Second paper about attention\n\nWe study attention in transformers.\n\n  • 3 authors\n·\nSep 9, 2021 3\n",
        encoding="utf-8",
    )
    return path


def _visible(text: str, *pieces: str) -> None:
    for piece in pieces:
        assert piece in text, f"{piece!r} not on screen"


async def test_hostile_text_is_shown_verbatim_everywhere(hermetic_home, tmp_path, monkeypatch):
    digest = _digest(tmp_path)
    backend = fresh_backend(hermetic_home)
    app = PaperReaderApp(backend, import_files=[digest])
    actions: list[str] = []
    monkeypatch.setattr(app, "bell", lambda: actions.append("bell"))
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(pilot)
        screen = library_screen(app)
        text = screen_text(app)
        # list row, abstract pane, notification with the file name
        _visible(text, "[bold]Bold[/] title [@click=app.quit]click me[/]", "[bold]evil[red] digest.txt",
                 "[red]markup[/red]", "␛[31mESC red␛[0m", "[link=https://x]l[/link]", "cost [/] end",
                 "[b]Mallory[/b] [@click=app.bell]x[/]", "O(n²)", "$accent")
        assert "\x1b" not in text
        assert not errors(app)

        # clicking the injected "links" runs nothing
        await pilot.click("#results", offset=(20, 1))
        await pilot.click("#abstract", offset=(10, 1))
        await pilot.pause()
        assert app.is_running and not actions

        # the note editor's title, then the note in the pane and in the reading list
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        _visible(screen_text(app), "[bold]Bold[/] title [@click=app.quit]click me[/]")
        app.screen.query_one(TextArea).insert(NOTE)
        await pilot.press("ctrl+s")
        await pilot.press("s", "3")
        await settle(pilot)
        _visible(screen_text(app), "[/] [@click=app.quit]note[/] [$accent]x ␛]0;pwned␇")
        assert screen.results.current.note == NOTE

        # triage card
        await pilot.press("2", "t")
        await settle(pilot)
        assert isinstance(app.screen, TriageScreen)
        _visible(screen_text(app), "[@click=app.quit]click me[/]", "␛[31mESC red")
        await pilot.press("escape")
        await settle(pilot)

        # command palette entry for the paper
        await pilot.press("1", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"click me")
        assert await wait_until(pilot, lambda: "Go to:" in screen_text(app))
        _visible(screen_text(app), "Go to: [bold]Bold[/] title [@click=app.quit]click me[/]")
        await pilot.press("escape")
        await pilot.pause()

        # the related-papers line names the paper
        screen.select_paper(next(p.id for p in screen.results.papers.values() if p.title == TITLE))
        await pilot.press("R")
        await settle(pilot)
        _visible(screen_text(app), "related to “[bold]Bold[/] title [@click=app.quit]click me[/] $accent”")
        await pilot.press("escape")
        await settle(pilot)

        # a query made of markup is searched, never rendered as markup
        await type_query(pilot, "[/] [@click=app.quit]")
        assert app.is_running and not errors(app) and not actions
        assert screen.search_bar.query == "[/] [@click=app.quit]"
    backend.close()
