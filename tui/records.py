"""Plain, frozen records passed between the rooms of paper-reader (no Textual, no Whoosh)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from tui.vocabulary import Sort, Status, View


def normalise_title(title: str) -> str:
    """Fold a title to the key used to recognise the same paper across digests.

    Case, accents' composition, punctuation and runs of whitespace are ignored, so
    "No More K-means:Single-Stage" and "no more k means single stage" are one paper.
    """
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.findall(r"\w+", text))


#: Hex digits of a new paper id: 64 bits, so a 100k library has about a 1 in 3.7e9 chance of any
#: clash (birthday bound), and the library still checks. Ids of 12 digits (48 bits, made before)
#: stay valid: the library keeps every stored id as it is.
ID_DIGITS = 16


def id_candidates(key: str) -> list[str]:
    """Ids to try in turn for a paper key: the usual one, then longer prefixes of the same hash.

    The library stores the first one no other paper holds, so a hash clash never merges or
    drops a paper.
    """
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()
    # 16, 24, 32 and all 40 hex digits of the hash.
    return [digest[:n] for n in (ID_DIGITS, 24, 32, 40)]


def paper_id(title: str) -> str:
    """A stable 16-hex-digit id derived from the normalised title."""
    return id_candidates(normalise_title(title))[0]


@dataclass(frozen=True)
class Sighting:
    """Where a paper was seen: which digest (its label, else file name), at which position
    (1-based), the digest's date, and how the digest announced it (new, cross, replace, ...)."""

    digest: str
    position: int
    digest_date: str | None = None
    announce: str | None = None


@dataclass(frozen=True)
class Paper:
    """One paper as parsed from a digest, or as held by the library with the user's state.

    Text fields are stored exactly as printed (trimmed); prettifying happens at display time.
    """

    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    author_count: int | None = None
    orgs: tuple[str, ...] = ()
    date: str | None = None
    upvotes: int | None = None
    category: str | None = None
    has_code: bool | None = None
    links: tuple[str, ...] = ()
    # what arXiv's own listings carry (None / empty where a digest does not say)
    arxiv_id: str | None = None
    version: int | None = None
    announce: str | None = None
    categories: tuple[str, ...] = ()
    doi: str | None = None
    journal_ref: str | None = None
    comments: str | None = None
    #: Who put the paper on a listing (a Hugging Face page prints it where authors would be):
    #: shown as "submitted by", never exported as an author.
    submitter: str | None = None
    seen: tuple[Sighting, ...] = ()
    # user state (defaults for freshly parsed papers)
    starred: bool = False
    note: str = ""
    status: str = Status.NEW
    added_at: str | None = None
    tags: tuple[str, ...] = ()
    #: Put off with "later": listed after every other new paper until decided.
    later: bool = False
    id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", paper_id(self.title))

    @property
    def key(self) -> str:
        """The normalised title that identifies this paper."""
        return normalise_title(self.title)

    def to_json(self) -> dict:
        """The public JSON shape of a parsed entry (as printed by `paper-reader parse --json`)."""
        return {
            "title": self.title,
            # a replacement announcement prints no abstract: null says "not given", not "empty"
            "abstract": None if not self.abstract and (self.announce or "").startswith("replace") else self.abstract,
            "authors": list(self.authors),
            "author_count": self.author_count,
            "orgs": list(self.orgs),
            "date": self.date,
            "upvotes": self.upvotes,
            "category": self.category,
            "has_code": self.has_code,
            "links": list(self.links),
            "arxiv_id": self.arxiv_id,
            "version": self.version,
            "announce": self.announce,
            "categories": list(self.categories),
            "doi": self.doi,
            "journal_ref": self.journal_ref,
            "comments": self.comments,
            **({"submitted_by": self.submitter} if self.submitter else {}),
        }


#: How many skips a one-line report names before it only counts the rest.
SKIPS_SHOWN = 5


def describe_skips(skipped: tuple[Skipped, ...] | list[Skipped]) -> str:
    """` (line 3: why; ...)` for a report line: the first few skips, then how many more."""
    if not skipped:
        return ""
    shown = "; ".join(f"line {s.line}: {s.reason}" for s in skipped[:SKIPS_SHOWN])
    more = len(skipped) - SKIPS_SHOWN
    return f" ({shown}; ... and {more:,} more)" if more > 0 else f" ({shown})"


@dataclass(frozen=True)
class Skipped:
    """A part of a digest the parser could not turn into an entry, and why."""

    line: int
    reason: str


@dataclass(frozen=True)
class ParseResult:
    """What one digest file yielded: its format, date, entries in order, and what was skipped."""

    source: str
    format: str
    digest_date: str | None
    entries: tuple[Paper, ...]
    skipped: tuple[Skipped, ...] = ()
    content_hash: str = ""
    #: A human name from the digest's content, for lists of digests (`arXiv cs.LG · 2026-04-27`).
    label: str = ""
    #: Why the digest holds no entries when that is its real content (a weekend feed, zero results).
    note: str = ""

    def report(self) -> str:
        """One line for humans: `003_x.txt: format B, 50 entries, 0 skipped`."""
        line = f"{self.source}: format {self.format}, {len(self.entries)} entries, {len(self.skipped)} skipped"
        if self.note and not self.entries:
            line += f" ({self.note})"
        return line + describe_skips(self.skipped)


class DigestError(Exception):
    """A digest that cannot be read at all. `str()` is one line naming the file (and line)."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Span:
    """A highlighted character range [start, end) in some text."""

    start: int
    end: int


@dataclass(frozen=True)
class SearchHit:
    """One search result: the paper id, score, and highlight spans as data (never markup)."""

    id: str
    score: float
    title_spans: tuple[Span, ...] = ()
    excerpt: str = ""
    excerpt_spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class SearchResult:
    """Hits for one query plus what the user should be told about it."""

    query: str
    hits: tuple[SearchHit, ...]
    total: int
    hint: str = ""
    suggestion: str | None = None
    partial: bool = False
    exact: bool = True


@dataclass(frozen=True)
class SearchRequest:
    """One search or listing, as it travels from the search bar to the index and back.

    `query` empty means "list the view in its own order". `as_you_type` searches under a
    time budget with the unfinished last word as a prefix; a submitted search finds all.
    """

    query: str = ""
    view: View = View.ALL
    sort: Sort = Sort.RELEVANCE
    limit: int = 50
    offset: int = 0
    as_you_type: bool = False
    #: Only the papers of this digest (its library id), in the digest's own order when listed.
    digest: int | None = None

    @property
    def is_listing(self) -> bool:
        """True when there is nothing to search for: the view is listed."""
        return not self.query.strip()


@dataclass(frozen=True)
class Page:
    """One page of a search or listing: (hit, paper) pairs in order, and the whole result's total.

    `exact` is False when `total` is an estimate (a search cut short by its time budget).
    """

    request: SearchRequest
    rows: tuple[tuple[SearchHit, Paper], ...]
    total: int
    exact: bool = True
    hint: str = ""
    suggestion: str | None = None
    partial: bool = False
    exact: bool = True

    @property
    def papers(self) -> tuple[Paper, ...]:
        """The page's papers, in order."""
        return tuple(paper for _, paper in self.rows)


@dataclass(frozen=True)
class ImportReport:
    """What importing one digest did to the library."""

    source: str
    format: str = ""
    added: int = 0
    known: int = 0
    skipped: tuple[Skipped, ...] = ()
    already_imported: bool = False
    error: str | None = None

    def line(self) -> str:
        """One line for humans, naming the file."""
        if self.error:
            return f"{self.error}"
        if self.already_imported:
            return f"{self.source}: already imported, nothing to do"
        text = f"{self.source}: format {self.format}, {self.added} added, {self.known} already known, {len(self.skipped)} skipped"
        return text + describe_skips(self.skipped)


@dataclass(frozen=True)
class LibraryStats:
    """Counts that summarise a library."""

    papers: int = 0
    digests: int = 0
    starred: int = 0
    notes: int = 0
    new: int = 0
    kept: int = 0
    read: int = 0
    dismissed: int = 0

    def to_json(self) -> dict:
        """Plain dict for `stats --json`."""
        return dict(self.__dict__)

