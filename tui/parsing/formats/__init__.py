"""Digest formats: one small module per format, plus detect()."""

from __future__ import annotations

from tui.parsing.formats import alphaxiv, arxiv_mail, hf_daily, hf_trending

#: Checked in this order: the arXiv mailing's block markers are the most specific; the daily
#: page also carries the trending page's banner.
FORMATS = {module.NAME: module for module in (arxiv_mail, hf_daily, alphaxiv, hf_trending)}


def detect(text: str) -> str | None:
    """The name ("arxiv-mail", "A", "B" or "C") of the format the text is written in, judged from the text alone."""
    for name, module in FORMATS.items():
        if module.detect(text):
            return name
    return None
