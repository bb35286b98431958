"""Digest formats: one small module per format, plus detect()."""

from __future__ import annotations

from tui.parsing.formats import alphaxiv, hf_daily, hf_trending

#: Checked in this order: the daily page also carries the trending page's banner.
FORMATS = {module.NAME: module for module in (hf_daily, alphaxiv, hf_trending)}


def detect(text: str) -> str | None:
    """The name ("A", "B" or "C") of the format the text is written in, judged from the text alone."""
    for name, module in FORMATS.items():
        if module.detect(text):
            return name
    return None
