"""Neutralise control and invisible characters so untrusted digest text can never drive a terminal.

Every output (the app, its toasts and palette, the CLI, exports, the clipboard) passes text
through `printable` or `one_line`; URLs pass through `safe_url`, which stops at the first
character that has no business in a link.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls (0x80-0x9f, which include CSI and OSC).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Characters that reorder or hide text without showing themselves: bidi embeddings, overrides
# and isolates (U+202A-202E, U+2066-2069), marks (U+200E/F, U+061C), zero-width characters
# (U+200B-200D, U+2060, U+FEFF), and the line and paragraph separators (U+2028/2029).
INVISIBLE = "\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\u2028\u2029"
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{INVISIBLE}]")
# Where a URL ends: any control, invisible or white-space character.
_URL_END = re.compile(f"[\x00-\x20\x7f-\x9f{INVISIBLE}]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture", e.g. ESC -> U+241B
    return "\u2421" if code == 0x7F else f"\\x{code:02x}"


def _named(match: re.Match[str]) -> str:
    return f"<U+{ord(match.group()):04X}>"


def printable(text: str) -> str:
    """Return `text` with every control and invisible character replaced by a visible stand-in.

    ESC, CSI/OSC introducers, BEL, backspace and carriage return become inert symbols, and
    bidi overrides or zero-width characters are spelled out (`<U+202E>`), so a digest cannot
    move the cursor, retitle the window, set the clipboard, or reorder and hide text.
    Tabs and newlines stay.
    """
    # Nearly all text: one scan, nothing copied. Every character `_UNSAFE` matches is one that
    # `str.isprintable` refuses (a test checks all of Unicode), and that C scan is the faster;
    # text it refuses (a tab, a newline, a no-break space) still gets the exact test.
    if text.isprintable() or _UNSAFE.search(text) is None:
        return text
    return _INVISIBLE.sub(_named, _CONTROL.sub(_picture, text))


def one_line(text: str) -> str:
    """Printable text with newlines and tabs folded to spaces (for list rows and CLI columns)."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        # Nothing to fold: a printable character is never white space except the plain space
        # (a test checks all of Unicode), and these spaces are single and inside. Most text.
        return text
    return " ".join(printable(text).split())


def safe_url(url: str) -> str:
    """The URL up to its first control, invisible or space character (nothing after it is opened)."""
    match = _URL_END.search(url)
    return url[: match.start()] if match else url
