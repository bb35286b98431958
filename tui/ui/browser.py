"""Opening a paper's link: the user's browser command (no shell, the URL one argument) or the system browser.

Plain Python, no Textual: `open_link` blocks for up to a second or two (a command that fails
at once is caught), so the app calls it from a thread worker.
"""

from __future__ import annotations

import shlex
import subprocess
import urllib.parse
from dataclasses import dataclass

from tui.textsafe import safe_url

#: Stands for the link in the `browser` setting; without it the link is added as the last argument.
PLACEHOLDER = "{url}"
#: Seconds a browser command is watched: one that fails sooner counts as not opened.
WATCH_SECONDS = 1.5


@dataclass(frozen=True)
class Opened:
    """How opening went: `ok`, or `reason` for the fallback (the link is then copied instead)."""

    url: str
    ok: bool
    reason: str = ""


def checked_url(url: str) -> str | None:
    """The link cut at its first unsafe character, if it is an http(s) address with a host; else None."""
    cut = safe_url(url)
    parts = urllib.parse.urlsplit(cut)
    return cut if parts.scheme in ("http", "https") and parts.netloc else None


def browser_argv(command: str, url: str) -> list[str]:
    """The command split as a shell would (but run without one), `{url}` replaced by the link in each word."""
    words = shlex.split(command)
    if not any(PLACEHOLDER in word for word in words):
        return [*words, url]
    return [word.replace(PLACEHOLDER, url) for word in words]


def open_link(url: str, command: str = "") -> Opened:
    """Open `url` with `command` (the `ui.browser` setting) or, when it is empty, the system browser."""
    return _run_command(url, command) if command.strip() else _system_browser(url)


def _run_command(url: str, command: str) -> Opened:
    """Start the command detached from the terminal; it failed if it is missing or exits non-zero at once."""
    try:
        argv = browser_argv(command, url)
    except ValueError as exc:  # unbalanced quotes in the setting
        return Opened(url, False, f"the browser setting cannot be read ({exc})")
    if not argv:
        return Opened(url, False, "the browser setting is empty")
    try:
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        return Opened(url, False, f"cannot run {argv[0]!r} ({exc.strerror or type(exc).__name__})")
    try:
        code = process.wait(WATCH_SECONDS)
    except subprocess.TimeoutExpired:
        return Opened(url, True)  # still running: a browser that stays open
    return Opened(url, True) if code == 0 else Opened(url, False, f"{argv[0]!r} exited with status {code}")


def _system_browser(url: str) -> Opened:
    """Python's `webbrowser`, but never a text browser that would take over this terminal."""
    import webbrowser

    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return Opened(url, False, "no web browser found")
    if type(browser) is webbrowser.GenericBrowser:  # lynx, w3m, or $BROWSER: runs in the foreground, here
        return Opened(url, False, "only a terminal browser was found (set ui.browser to choose one)")
    try:
        ok = browser.open(url)
    except Exception as exc:  # webbrowser raises whatever its helper does
        return Opened(url, False, f"the browser failed ({type(exc).__name__})")
    return Opened(url, True) if ok else Opened(url, False, "the browser did not open it")
