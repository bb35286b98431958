"""The app's `open_link`: a browser in a thread worker, and the clipboard when no browser can open it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tui.textsafe import one_line
from tui.ui.browser import Opened, checked_url, open_link


@dataclass
class LinkOpened(Message):
    """Opening a link ended (in a worker); the app says how, or copies the link instead."""

    opened: Opened


class OpensLinks:
    """Mixin for the app: only http(s) links are opened, with `ui.browser` or the system browser."""

    def open_link(self, url: str) -> None:
        """Open `url` in the background; a link that is no http(s) address is refused and said."""
        checked = checked_url(url)
        if checked is None:
            self.notify(f"Not opened: {one_line(url)[:80]} is not an http(s) link.", severity="warning",
                        markup=False, timeout=4)
            return
        command = self.loaded_settings.settings.ui.browser
        self.notify(f"Opening {one_line(checked)}", markup=False, timeout=3)
        self.run_worker(lambda: self.post_message(LinkOpened(open_link(checked, command))), thread=True,
                        group="open-link", name="open link", exit_on_error=False)

    def on_link_opened(self, message: LinkOpened) -> None:
        """A browser that could not open the link: put the link on the clipboard and say so."""
        opened = message.opened
        if opened.ok:
            return
        self.copy_to_clipboard(opened.url)
        self.notify(f"No browser opened it ({one_line(opened.reason)}); copied the link instead: "
                    f"{one_line(opened.url)}", severity="warning", markup=False, timeout=8)
