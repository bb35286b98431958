"""Opening links: which links are opened, how the browser command is split, and which browsers are refused."""

from __future__ import annotations

import webbrowser

import pytest

from tui.ui import browser
from tui.ui.browser import browser_argv, checked_url, open_link


@pytest.mark.parametrize(("url", "expected"), [
    ("https://github.com/a/b", "https://github.com/a/b"),
    ("http://example.org/x?q=1", "http://example.org/x?q=1"),
    ("https://github.com/a/b\x1b]52;c;ZXZpbA==\x07", "https://github.com/a/b"),
    ("https://github.com/a/b --remote-debugging-port=1", "https://github.com/a/b"),
    ("file:///etc/passwd", None),
    ("javascript:alert(1)", None),
    ("-https://x.org", None),
    ("https://", None),
])
def test_only_http_links_with_a_host_are_opened(url, expected):
    assert checked_url(url) == expected


def test_the_link_is_one_argument_wherever_the_placeholder_stands():
    url = "https://x.org/a b;rm -rf ~"
    assert browser_argv("firefox --new-tab {url}", url) == ["firefox", "--new-tab", url]
    assert browser_argv("'my browser' -w", url) == ["my browser", "-w", url]
    assert browser_argv("open --url={url}", url) == ["open", f"--url={url}"]


def test_a_setting_with_unbalanced_quotes_is_not_run():
    opened = open_link("https://x.org", "'firefox")
    assert not opened.ok and "cannot be read" in opened.reason


def test_a_command_that_fails_at_once_counts_as_not_opened():
    opened = open_link("https://x.org", "false")
    assert not opened.ok and "status 1" in opened.reason


@pytest.mark.parametrize("found", [webbrowser.GenericBrowser("lynx"), None])
def test_no_system_browser_or_only_a_terminal_one_is_not_used(monkeypatch, found):
    def get(using=None):
        if found is None:
            raise webbrowser.Error("could not locate runnable browser")
        return found

    monkeypatch.setattr(webbrowser, "get", get)
    monkeypatch.setattr(webbrowser.GenericBrowser, "open", lambda *a, **k: pytest.fail("ran in the terminal"))
    assert not browser.open_link("https://x.org").ok

