"""Format A: the text of a Hugging Face "Daily Papers" page (title, abstract, metadata run)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tui.formats.common import (
    DATE_PATTERN,
    DATE_RE,
    TITLE_MAX,
    Line,
    Parsed,
    content_lines,
    extract_links,
    is_header_text,
    looks_like_title,
    resolve_date,
    truncate,
)
from tui.records import Paper

NAME = "A"
_COUNT_RE = re.compile(r"(?P<count>\d+) authors?", re.IGNORECASE)
#: What follows the `·`: a date, an upvote count after it, or either alone.
_WHEN_RE = re.compile(rf"(?:{DATE_PATTERN})?(?:(?:\s+|^)(?P<upvotes>\d+))?")
#: Header lines are short; a longer leading line means the entries have begun.
_HEADER_MAX = 80
#: Longer than any submitter name printed in place of the author count.
_WHO_MAX = 120

#: One line of the page, or the lines of one metadata run.
Unit = list[Line]


@dataclass(frozen=True)
class Meta:
    """The run under an entry: `• N authors` (or a submitter's name), `·`, date and upvotes."""

    authors: tuple[str, ...] = ()
    author_count: int | None = None
    date: str | None = None
    upvotes: int | None = None


def unit_text(unit: Unit) -> str:
    """The lines of a unit joined into one line of text."""
    return " ".join(line.text for line in unit)


def _meta_end(lines: list[Line], start: int) -> int | None:
    """Where a metadata run opening at `start` ends (bullet or name, `·`, date), or None."""
    at = start
    if lines[at].text.startswith("•"):
        at += 1
    elif at + 1 < len(lines) and lines[at + 1].text == "·" and len(lines[at].text) <= _WHO_MAX:
        at += 1
    elif lines[at].text != "·":
        return None
    if at < len(lines) and lines[at].text == "·":
        at += 1
        if at < len(lines) and lines[at].text and _WHEN_RE.fullmatch(lines[at].text):
            at += 1
    return at


def units(text: str) -> list[Unit]:
    """The page's non-blank lines, one per unit, except that each metadata run is one unit.

    Working by lines rather than by blank-line blocks keeps entries apart however the
    blank lines were lost or doubled (metadata glued to the next title, no blank lines at all).
    """
    lines = content_lines(text)
    found: list[Unit] = []
    index = 0
    while index < len(lines):
        end = _meta_end(lines, index) or index + 1
        found.append(lines[index:end])
        index = end
    return found


def join_paragraphs(parts: list[Unit]) -> str:
    """Lines joined as printed: a line break between adjacent lines, a blank line between paragraphs."""
    pieces: list[str] = []
    previous = None
    for line in (line for part in parts for line in part):
        if previous is not None:
            pieces.append("\n" if line.number == previous + 1 else "\n\n")
        pieces.append(line.text)
        previous = line.number
    return "".join(pieces)


def is_meta_unit(unit: Unit) -> bool:
    """True for a metadata run: it opens with a bullet or holds a lone `·` line."""
    return unit[0].text.startswith("•") or any(line.text == "·" for line in unit)


def parse_meta(unit: Unit, reference: dt.date) -> Meta | None:
    """Read a metadata run; None when the unit is not one.

    `N authors` gives author_count with no names. When the page prints a submitter's name in
    place of the count (`BrainsBuild BrainsBuild`), that name is kept as printed as the only
    author and author_count stays None, since the real number of authors is unknown.
    """
    if not is_meta_unit(unit):
        return None
    who, _, when = unit_text(unit).partition("·")
    who = who.strip().lstrip("•").strip()
    if "·" in when or "•" in who or len(who) > _WHO_MAX:
        return None
    date, upvotes = _parse_when(when.strip(), reference)
    count = _COUNT_RE.fullmatch(who)
    if count:
        return Meta((), int(count.group("count")), date, upvotes)
    return Meta((who,) if who else (), None, date, upvotes)


def _parse_when(when: str, reference: dt.date) -> tuple[str | None, int | None]:
    """The date and optional upvote count printed after the `·` (`Aug 30, 2025 1`, `Apr 14 5`)."""
    match = _WHEN_RE.fullmatch(when)
    if not match:
        return None, None
    date = resolve_date(match, reference) if match.group("month") else None
    upvotes = int(match.group("upvotes")) if match.group("upvotes") else None
    return date, upvotes


def header_length(found_units: list[Unit], reference: dt.date) -> tuple[int, str | None]:
    """How many leading units are page header, and the digest date printed at its end."""
    for index, unit in enumerate(found_units):
        text = unit_text(unit)
        if len(unit) != 1 or len(text) > _HEADER_MAX or is_meta_unit(unit):
            break
        date = DATE_RE.fullmatch(text)
        if date:
            return index + 1, resolve_date(date, reference)
    count = 0
    while count < len(found_units) and len(found_units[count]) == 1 and is_header_text(found_units[count][0].text):
        count += 1
    return count, None


def split_segment(segment: list[Unit], parsed: Parsed, closed: bool) -> list[tuple[Unit, list[Unit]]]:
    """Cut the units between two metadata runs into (title, abstract units) entries.

    Two units are one title and its abstract, unless the first is too long for a title.
    Otherwise (entries without metadata, multi-paragraph abstracts, damage) each title-like
    unit opens an entry and the units after it are its abstract. `closed` says whether a
    metadata run follows; a title without abstract and metadata at the end of the file was cut.
    """
    if len(segment) == 2 and len(unit_text(segment[0])) <= TITLE_MAX:
        return [(segment[0], [segment[1]])]
    entries: list[tuple[Unit, list[Unit]]] = []
    for unit in segment:
        if looks_like_title(unit_text(unit)):
            entries.append((unit, []))
        elif entries:
            entries[-1][1].append(unit)
        else:
            parsed.skip(unit[0].number, f"abstract without a title: {truncate(unit_text(unit))!r}")
    return [entry for index, entry in enumerate(entries) if _keep(entry, index == len(entries) - 1, closed, parsed)]


def _keep(entry: tuple[Unit, list[Unit]], last: bool, closed: bool, parsed: Parsed) -> bool:
    """Whether an entry is complete enough; titles without abstract are kept only before metadata."""
    title, abstract = entry
    if abstract or (last and closed):
        return True
    where = "cut off at end of file" if last else "no abstract"
    parsed.skip(title[0].number, f"{where}: title without abstract: {truncate(unit_text(title))!r}")
    return False


def build_paper(title: Unit, abstract: list[Unit], meta: Meta | None) -> Paper:
    """One Paper from its title, abstract units and optional metadata."""
    text = join_paragraphs(abstract)
    meta = meta or Meta()
    return Paper(
        title=unit_text(title),
        abstract=text,
        authors=meta.authors,
        author_count=meta.author_count,
        date=meta.date,
        upvotes=meta.upvotes,
        links=extract_links(text),
    )


def _close(segment: list[Unit], meta: Meta | None, meta_line: int, parsed: Parsed) -> None:
    """Turn one segment into entries; the metadata run closing it belongs to the last one."""
    if not segment and meta is not None:
        parsed.skip(meta_line, "metadata without an entry")
    entries = split_segment(segment, parsed, closed=meta is not None) if segment else []
    for index, (title, abstract) in enumerate(entries):
        owned = meta if index == len(entries) - 1 else None
        parsed.entries.append(build_paper(title, abstract, owned))


def parse(text: str, reference: dt.date) -> Parsed:
    """Parse a daily-papers page: header with the digest date, then entries closed by metadata.

    Year-less entry dates resolve against the digest's own date when it has one: a paper
    listed on a page cannot be newer than the page.
    """
    found_units = units(text)
    start, digest_date = header_length(found_units, reference)
    parsed = Parsed(digest_date=digest_date)
    entry_reference = dt.date.fromisoformat(digest_date) if digest_date else reference
    segment: list[Unit] = []
    for unit in found_units[start:]:
        meta = parse_meta(unit, entry_reference)
        if meta is None:
            segment.append(unit)
            continue
        _close(segment, meta, unit[0].number, parsed)
        segment = []
    _close(segment, None, 0, parsed)
    return parsed


def detect(text: str) -> bool:
    """A daily-papers page has the "Daily Papers" banner or `• N authors` / `·` metadata runs."""
    found_units = units(text)
    if any(unit_text(unit).casefold() == "daily papers" for unit in found_units[:12]):
        return True
    today = dt.date.today()
    metas = [meta for meta in (parse_meta(unit, today) for unit in found_units) if meta]
    informative = [meta for meta in metas if meta.date or meta.author_count is not None]
    return len(informative) >= max(1, len(found_units) // 6)
