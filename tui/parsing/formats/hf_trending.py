"""Format C: the text of a Hugging Face trending page (banner, then alternating title and abstract)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from tui.parsing.formats.common import (
    TITLE_MAX,
    Line,
    Lookahead,
    Reading,
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


def skip_banner(lines: Lookahead[Line]) -> None:
    """Consume the banner lines at the top; a title glued to `Subscribe` is put back on its own."""
    for _ in range(_BANNER_LINES):
        line = lines.peek()
        if line is None or not (line.text.startswith(SUBSCRIBE) or is_header_text(line.text)):
            return
        lines.pop()
        if line.text.startswith(SUBSCRIBE):
            rest = line.text[len(SUBSCRIBE):].strip()
            if rest:
                lines.push(Line(line.number, rest))
            return


def _lacks_abstract(lines: Lookahead[Line]) -> bool:
    """True when the line after a title is itself a title followed by an abstract."""
    following, after = lines.peek(0), lines.peek(1)
    if after is None:
        return False
    return looks_like_title(following.text) and not looks_like_title(after.text)


def _step(title: Line, lines: Lookahead[Line], reading: Reading) -> Paper | None:
    """The entry opened by `title` (taking its abstract from `lines`), or None when it is damaged."""
    quoted = truncate(title.text)
    if len(title.text) > TITLE_MAX:
        reading.skip(title.number, f"abstract without a title: {quoted!r}")
    elif lines.peek() is None:
        reading.skip(title.number, f"cut off at end of file: title without abstract: {quoted!r}")
    elif _lacks_abstract(lines):
        reading.skip(title.number, f"title without abstract: {quoted!r}")
    else:
        abstract = lines.pop().text
        return Paper(title=title.text, abstract=abstract, links=extract_links(abstract))
    return None


def _entries(lines: Lookahead[Line], reading: Reading) -> Iterator[Paper]:
    """Each entry as soon as its abstract has been read."""
    skip_banner(lines)
    while lines:
        paper = _step(lines.pop(), lines, reading)
        if paper is not None:
            yield paper


def read(lines: Iterable[Line], reference: dt.date) -> Reading:
    """Pair each title with the abstract after it, resynchronising around damaged entries.

    Works over the non-blank lines as they arrive, looking at most two lines ahead. The page
    prints no dates, authors or votes, so those fields stay empty.
    """
    reading = Reading()
    reading.entries = _entries(Lookahead(lines), reading)
    return reading



def _alternates(lines: list[Line]) -> bool:
    """At least three pairs of short title and long abstract, with nothing else in between.

    A last title without its abstract is allowed: detection may see only the opening part of
    a long digest, and that part can end between a title and its abstract.
    """
    if len(lines) < 6:
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
