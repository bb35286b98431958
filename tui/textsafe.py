"""Neutralise control characters so untrusted digest text can never drive a terminal."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls (0x80-0x9f, which include CSI and OSC).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture", e.g. ESC -> U+241B
    return "\u2421" if code == 0x7F else f"\\x{code:02x}"


def printable(text: str) -> str:
    """Return `text` with every control character replaced by a visible stand-in.

    ESC, CSI/OSC introducers, BEL, backspace and carriage return become inert symbols, so a
    digest cannot move the cursor, retitle the window or hide text. Tabs and newlines stay.
    """
    return _CONTROL.sub(_picture, text)


def one_line(text: str) -> str:
    """Printable text with newlines and tabs folded to spaces (for list rows and CLI columns)."""
    return " ".join(printable(text).split())
