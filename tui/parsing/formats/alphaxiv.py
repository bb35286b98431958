"""Format B: an alphaxiv-style listing, three lines per entry (category+date, title+byline, abstract)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from tui.parsing.formats.common import DATE_PATTERN, Line, Reading, content_lines, extract_links, resolve_date, truncate
from tui.records import Paper

NAME = "B"
#: `LGJun 24, 2023Code`: a category glued to a date, then an optional `Code` flag.
HEAD_RE = re.compile(rf"(?P<category>\S*?){DATE_PATTERN}(?P<code>Code)?")
_ET_AL_RE = re.compile(r"\s*\bet al\.?$")
#: Lower-case name particles ("van der Waals", "de la Cruz", "bin Salman").
PARTICLES = frozenset("van von der den de del della di da das dos du la le lo y zu ten ter bin ibn al el".split())
#: Prefixes after which a surname carries a second capital (McDonald, MacKay, LeNail, DeWitt).
CAMEL_PREFIXES = ("Mc", "Mac", "Le", "La", "De", "Di", "Da", "Du", "Van", "Von", "Vander", "Fitz", "Del", "St")
SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"})
_APOSTROPHES = "'\u2019"
#: A capital directly after one of these cannot start the first author's name.
_NOT_BEFORE_NAME = " \t-\u2010\u2011"
_INITIALS_RE = re.compile(r"(?:[^\W\d_]\.-?){1,3}")
MAX_AUTHORS_SHOWN = 3


@dataclass(frozen=True)
class Byline:
    """The second line of an entry taken apart: the title, the shown authors and the orgs."""

    title: str
    authors: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    et_al: bool = False

    @property
    def author_count(self) -> int | None:
        """All authors are shown unless the line says `et al.`; then the count is unknown."""
        return len(self.authors) if self.authors and not self.et_al else None


@dataclass(frozen=True)
class _Candidate:
    """One way of cutting the title from its authors, with how plausible it looks."""

    score: float
    title: str
    authors: tuple[str, ...]
    et_al: bool = False


def _lower_rest(text: str) -> bool:
    """True when every character is a lower-case letter or a combining accent."""
    return all(ch.islower() or unicodedata.category(ch) == "Mn" for ch in text)


def _is_word(part: str) -> bool:
    """A capitalised name word: Smith, José, O'Brien, McDonald, LeNail, JJ, T (an unpunctuated initial)."""
    if not part or not part[0].isupper():
        return False
    for mark in _APOSTROPHES:
        head, found, tail = part.partition(mark)
        if found:
            return len(head) == 1 and _is_word(tail)
    if _lower_rest(part[1:]) or (len(part) == 2 and part.isupper()):
        return True
    return any(_camel_tail(part, prefix) for prefix in CAMEL_PREFIXES)


def _camel_tail(part: str, prefix: str) -> bool:
    """True for `prefix` + a capitalised word, as in Mc+Donald or Le+Nail."""
    tail = part[len(prefix):]
    return part.startswith(prefix) and len(tail) > 1 and tail[0].isupper() and _lower_rest(tail[1:])


def _is_token(token: str, first: bool) -> bool:
    """Whether one space-separated token can be part of a personal name."""
    if not first and (token in PARTICLES or token in SUFFIXES):
        return True
    if _INITIALS_RE.fullmatch(token):
        return all(ch.isupper() for ch in token if ch.isalpha())
    head, *rest = token.split("-")
    head_ok = _is_word(head) or (not first and head in PARTICLES)
    return head_ok and all(_is_word(part) or _lower_rest(part) for part in rest) and "" not in rest


def name_size(name: str) -> int | None:
    """How many tokens a personal name has (1 to 5), or None when the text is not a name."""
    tokens = unicodedata.normalize("NFC", name).split(" ")
    if not 1 <= len(tokens) <= 5 or tokens[-1] in PARTICLES:
        return None
    if all(_is_token(token, index == 0) for index, token in enumerate(tokens)):
        return len(tokens)
    return None


def _name_score(size: int) -> float:
    """Two to four tokens is the usual shape of a name; one or five are possible but weaker."""
    return 2.0 if 2 <= size <= 4 else 0.5


#: Longer than any printed personal name (five tokens); a first author cannot begin further back,
#: which keeps the search linear however long a glued run of capitals is.
MAX_NAME_CHARS = 150


def glue_points(text: str, start: int = 1) -> list[int]:
    """Indexes (from `start` on) of capitals glued to the previous character, where a first author may begin."""
    return [
        index
        for index in range(max(1, start), len(text))
        if text[index].isupper() and text[index - 1] not in _NOT_BEFORE_NAME and not text[index - 1].isspace()
    ]


def _glue_bonus(title: str) -> float:
    """How well `title` ends as a title: a lower-case letter, digit or closing mark scores best.

    An acronym is less sure, and so is a name prefix that does not follow a lower-case letter
    ("GNNLe" + "Bron"): there the prefix more likely opens the name (LeBron) than ends the title.
    """
    before = title[-1]
    if any(title.endswith(prefix) and not title[: -len(prefix)][-1:].islower() for prefix in CAMEL_PREFIXES):
        return 0.0
    if before in _APOSTROPHES:
        return 0.5
    return 1.0 if before.islower() or before.isdigit() or before in ")]}?!\"\u201d" else 0.0


def _candidates(body: str, et_al: bool):
    """Every plausible (title, authors) cut of `title+Name, Name, Name`, for 3 down to 1 names."""
    pieces = body.split(", ")
    for count in range(min(MAX_AUTHORS_SHOWN, len(pieces)), 0, -1):
        cut = len(pieces) - count
        penalty = 3.0 if et_al and count != MAX_AUTHORS_SHOWN else 0.0
        yield from _first_author_cuts(", ".join(pieces[:cut]), pieces[cut], pieces[cut + 1:], penalty, et_al)


def _first_author_cuts(prefix: str, glued: str, rest: list[str], penalty: float, et_al: bool):
    """Cuts of `glued` (title end + first author) when every name in `rest` looks like a name.

    The first author's name should have about as many tokens as the other names shown.
    """
    sizes = [name_size(name) for name in rest]
    if None in sizes:
        return
    base = sum(_name_score(size) for size in sizes) - penalty
    for index in glue_points(glued, len(glued) - MAX_NAME_CHARS):
        size = name_size(glued[index:])
        if size is None:
            continue
        odd_shape = 0.5 if sizes and min(abs(size - other) for other in sizes) >= 2 else 0.0
        score = base + _name_score(size) - odd_shape + _glue_bonus(glued[:index])
        title = f"{prefix}, {glued[:index]}" if prefix else glued[:index]
        yield _Candidate(score, title, (glued[index:], *rest), et_al)


def _best(body: str) -> _Candidate | None:
    """The highest-scoring cut; on a tie the one with more names, then the longer first name, wins."""
    match = _ET_AL_RE.search(body)
    stripped = body[: match.start()] if match else body
    best = None
    for candidate in _candidates(stripped, et_al=match is not None):
        if best is None or candidate.score > best.score:
            best = candidate
    return best


def _org_options(line: str) -> list[tuple[str, tuple[str, ...]]]:
    """The line with its ` · org, org` tail cut off (when it has one), then the line as it is."""
    body, sep, tail = line.rpartition(" · ")
    orgs = tuple(org.strip() for org in tail.split(",") if org.strip())
    options = [(body.strip(), orgs)] if sep and body.strip() and orgs else []
    return options + [(line, ())]


def split_byline(line: str) -> Byline:
    """Cut `TitleFirst Author, Second Author, Third Author et al. · org1, org2` into its parts.

    The first author is glued to the title without a space, so the cut is searched from the
    end: orgs after ` · `, then ` et al.`, then 1-3 comma-separated names of which the first
    begins at a capital glued to the title's last character. Each possible cut is scored by
    how name-like the names look; when nothing looks like a name the whole line is the title.
    """
    for body, orgs in _org_options(line):
        best = _best(body)
        if best is not None:
            return Byline(best.title.strip(), best.authors, orgs, best.et_al)
    return Byline(line)


def parse_head(text: str, reference: dt.date) -> tuple[str | None, str | None, bool] | None:
    """Category, ISO date and code flag of an entry's first line, or None if it is not one."""
    match = HEAD_RE.fullmatch(text)
    if not match:
        return None
    return match.group("category") or None, resolve_date(match, reference), bool(match.group("code"))


def build_paper(head: tuple[str | None, str | None, bool], byline: str, abstract: str) -> Paper:
    """One Paper from the three lines of an entry."""
    category, date, has_code = head
    parts = split_byline(byline)
    return Paper(
        title=parts.title,
        abstract=abstract,
        authors=parts.authors,
        author_count=parts.author_count,
        orgs=parts.orgs,
        date=date,
        category=category,
        has_code=has_code,
        links=extract_links(abstract),
    )


@dataclass
class _Open:
    """An entry being read: its first line, and the lines after it (the first three kept)."""

    head_line: Line
    head: tuple[str | None, str | None, bool]
    body: list[Line] = field(default_factory=list)
    size: int = 0

    def add(self, line: Line) -> None:
        """One more line before the next entry; only three are ever needed."""
        if self.size < 3:
            self.body.append(line)
        self.size += 1


def _finish(entry: _Open, at_end: bool, reading: Reading) -> Paper | None:
    """The paper of a complete entry, or None (recording why) for an incomplete one."""
    body = entry.body
    if entry.size < 2:
        where = "cut off at end of file" if at_end else "incomplete entry"
        reading.skip(entry.head_line.number, f"{where}: {1 + entry.size} of 3 lines")
        return None
    if entry.size > 2:
        reading.skip(body[2].number, f"{entry.size - 2} unexpected line(s) after an entry: {truncate(body[2].text)!r}")
    return build_paper(entry.head, body[0].text, body[1].text)


def _entries(lines: Iterable[Line], reference: dt.date, reading: Reading) -> Iterator[Paper]:
    """Each entry as soon as the next one opens (or the text ends)."""
    entry: _Open | None = None
    first: Line | None = None
    for line in lines:
        head = parse_head(line.text, reference)
        if head is None:
            if entry is not None:
                entry.add(line)
            elif first is None:
                first = line
            continue
        if entry is None and first is not None:
            reading.skip(first.number, f"text before the first entry: {truncate(first.text)!r}")
        paper = _finish(entry, False, reading) if entry else None
        if paper is not None:
            yield paper
        entry = _Open(line, head)
    paper = _finish(entry, True, reading) if entry else None
    if paper is not None:
        yield paper


def read(lines: Iterable[Line], reference: dt.date) -> Reading:
    """Parse a listing: every line that reads as category+date opens an entry of three lines.

    Works over the non-blank lines as they arrive; only the entry being read is held.
    """
    reading = Reading()
    reading.entries = _entries(lines, reference, reading)
    return reading



def detect(text: str) -> bool:
    """A listing opens with a category+date line and has about one such line per three."""
    lines = content_lines(text)
    heads = [(index, HEAD_RE.fullmatch(line.text)) for index, line in enumerate(lines)]
    heads = [(index, match) for index, match in heads if match]
    with_category = any(match.group("category") for _, match in heads)
    return with_category and heads[0][0] < 3 and len(heads) * 4 >= len(lines)
