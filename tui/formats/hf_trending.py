"""Format C: the text of a Hugging Face trending page (banner, then alternating title and abstract)."""

from __future__ import annotations

import datetime as dt

from tui.formats.common import (
    TITLE_MAX,
    Line,
    Parsed,
    content_lines,
    extract_links,
    is_header_text,
    looks_like_title,
    truncate,
)
from tui.records import Paper

NAME = "C"
SUBSCRIBE = "Subscribe"
#: How far into the text the banner may reach.
_BANNER_LINES = 5


def body_lines(lines: list[Line]) -> list[Line]:
    """The lines after the banner; `Subscribe` glued to the first title is cut off it."""
    for index, line in enumerate(lines[:_BANNER_LINES]):
        if line.text.startswith(SUBSCRIBE):
            rest = line.text[len(SUBSCRIBE):].strip()
            return ([Line(line.number, rest)] if rest else []) + lines[index + 1:]
        if not is_header_text(line.text):
            return lines[index:]
    return lines[_BANNER_LINES:] if len(lines) > _BANNER_LINES else []


def _lacks_abstract(lines: list[Line], index: int) -> bool:
    """True when the line after a title is itself a title followed by an abstract."""
    if index + 2 >= len(lines):
        return False
    return looks_like_title(lines[index + 1].text) and not looks_like_title(lines[index + 2].text)


def _step(lines: list[Line], index: int, parsed: Parsed) -> int:
    """Read the entry starting at `index` (or skip a damaged line); return where the next one starts."""
    title = lines[index]
    quoted = truncate(title.text)
    if len(title.text) > TITLE_MAX:
        parsed.skip(title.number, f"abstract without a title: {quoted!r}")
    elif index + 1 == len(lines):
        parsed.skip(title.number, f"cut off at end of file: title without abstract: {quoted!r}")
    elif _lacks_abstract(lines, index):
        parsed.skip(title.number, f"title without abstract: {quoted!r}")
    else:
        abstract = lines[index + 1].text
        parsed.entries.append(Paper(title=title.text, abstract=abstract, links=extract_links(abstract)))
        return index + 2
    return index + 1


def parse(text: str, reference: dt.date) -> Parsed:
    """Pair each title with the abstract after it, resynchronising around damaged entries.

    The page prints no dates, authors or votes, so those fields stay empty.
    """
    lines = body_lines(content_lines(text))
    parsed = Parsed()
    index = 0
    while index < len(lines):
        index = _step(lines, index, parsed)
    return parsed


def _alternates(lines: list[Line]) -> bool:
    """At least three pairs of short title and long abstract, with nothing else in between."""
    if len(lines) < 6 or len(lines) % 2:
        return False
    titles, abstracts = lines[0::2], lines[1::2]
    return all(looks_like_title(t.text) for t in titles) and all(len(a.text) > TITLE_MAX for a in abstracts)


def detect(text: str) -> bool:
    """A trending page opens with the "Get trending papers" / `Subscribe` banner, or alternates."""
    lines = content_lines(text)
    banner = lines[:_BANNER_LINES]
    subscribe = any(line.text.startswith(SUBSCRIBE) for line in banner)
    trending = any("trending" in line.text.casefold() for line in banner)
    return (subscribe and trending) or _alternates(lines)
