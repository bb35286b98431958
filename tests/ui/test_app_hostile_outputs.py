"""Every hostile byte, in every field, through the app: screen, toasts, palette and clipboard."""

from __future__ import annotations

from tui.ui.browser import Opened

from hostile_text import dangerous, write_hostile_library
from test_app_support import fresh_backend, screen_text, settle
from tui.ui import PaperReaderApp


async def test_no_screen_toast_or_clipboard_carries_one(hermetic_home, monkeypatch) -> None:
    write_hostile_library(hermetic_home)
    backend = fresh_backend(hermetic_home)
    app = PaperReaderApp(backend)
    opened: list[str] = []
    monkeypatch.setattr("tui.ui.links.open_link", lambda url, command="": opened.append(url) or Opened(url, True))
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(pilot)
        for keys in (("o",), ("y",), ("enter",), ("3",), ("ctrl+p", *"Title")):
            await pilot.press(*keys)
            await settle(pilot)
            assert not dangerous(screen_text(app)), keys
        assert opened == ["https://github.com/a/b"]
        assert not dangerous(app.clipboard)
    backend.close()
