"""The Whoosh schema of the search index, and how a `Paper` becomes one index document."""

from __future__ import annotations

import datetime
import re

from whoosh import fields

from tui.search.analysis import TermPositions, TermsAnalyzer, TermsField, TermSet, name_terms, title_prefixes
from tui.records import Paper

#: Bump whenever the schema or the analysis changes: an index of another version is rebuilt.
#: 3: arXiv ids, all categories, DOIs, cross/replaced flags, code links found in the text,
#: TeX accents and accent folding in prose. 4: the user's tags (tag:NAME, is:tagged).
SCHEMA_VERSION = 4
#: Score boost of a title match over an abstract match (author and org matches get AUTHOR_BOOST).
TITLE_BOOST = 2.5
AUTHOR_BOOST = 2.0
#: Names indexed for the search-as-you-type prefixes (very long author lists are cut).
MAX_PREFIX_NAMES = 4

_PROSE = TermsAnalyzer("prose")
_NAME = TermsAnalyzer("name")
#: A code repository link anywhere in a paper's links, abstract or comments: owner/repo on a
#: code host (Hugging Face paper pages and blog posts are not code).
CODE_URL_RE = re.compile(
    r"(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|huggingface\.co)/"
    r"(?!papers/|blog/|docs/|posts/)[\w.-]+/[\w.-]+", re.IGNORECASE)
_ARXIV_PREFIX_RE = re.compile(r"^(?:arxiv:|https?://arxiv\.org/(?:abs|pdf)/)", re.IGNORECASE)
_VERSION_RE = re.compile(r"v\d+$")
_DOI_PREFIX_RE = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
_DATE_RE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_EPOCH = datetime.date(1970, 1, 1).toordinal()


def _text(analyzer: TermsAnalyzer, column: bool = False) -> TermsField:
    return TermsField(TermPositions(), analyzer, scorable=True, column=column)


def _terms(scorable: bool = False) -> TermsField:
    return TermsField(TermSet(), _NAME, scorable=scorable)


def _number(sortable: bool = False, shift_step: int = 8) -> fields.NUMERIC:
    """A 16-bit number, indexed at full precision and in coarser tiers for fast ranges."""
    return fields.NUMERIC(int, bits=16, signed=False, sortable=sortable, shift_step=shift_step, default=0)


def build_schema() -> fields.Schema:
    """The index layout. Only the id is stored; title and abstract are kept as columns (excerpts)."""
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=_text(_PROSE, column=True),
        abstract=_text(_PROSE, column=True),
        note=_text(_PROSE),
        authors=_text(_NAME),
        orgs=_text(_NAME),
        category=_terms(),
        arxiv=_terms(),
        doi=_terms(),
        digests=_terms(),
        tags=_terms(),
        date=_number(sortable=True, shift_step=4),
        upvotes=_number(sortable=True),
        author_count=_number(),
        flags=_terms(),
        prefixes=_terms(scorable=True),
    )


def day_number(day: datetime.date) -> int:
    """Days since 1970-01-01, clamped to what the 16-bit date field holds (until 2149)."""
    return min(max(day.toordinal() - _EPOCH, 0), 65535)


def date_number(value: str | None) -> int | None:
    """An ISO date (or year / year-month, taken as its first day) as a day number; None if unreadable."""
    match = _DATE_RE.match(value or "")
    if not match:
        return None
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        return day_number(datetime.date(year, month, day))
    except ValueError:
        return None


def paper_date(paper: Paper) -> int | None:
    """The paper's date, else the date of the first digest it was seen in."""
    found = date_number(paper.date)
    if found is None:
        for sighting in paper.seen:
            found = date_number(sighting.digest_date)
            if found is not None:
                break
    return found


def paper_flags(paper: Paper) -> tuple[str, ...]:
    """Terms for the is:/has: filters."""
    flags = [f"is:{paper.status}"]
    if paper.starred:
        flags.append("is:starred")
    if paper.note.strip():
        flags.append("has:note")
    if paper.tags:
        flags.append("is:tagged")
    if paper.later:
        flags.append("is:later")
    if has_code(paper):
        flags.append("has:code")
    if paper.announce in ("cross", "replace-cross"):
        flags.append("is:cross")
    if paper.announce in ("replace", "replace-cross"):
        flags.append("is:replaced")
    return tuple(flags)


def has_code(paper: Paper) -> bool:
    """Whether the paper points at code: the digest says so, or a code link is in its links,
    abstract or comments (arXiv listings put the GitHub link in the text)."""
    if paper.has_code:
        return True
    return any(CODE_URL_RE.search(text) for text in (*paper.links, paper.abstract, paper.comments or ""))


def category_terms(paper: Paper) -> tuple[str, ...]:
    """Every category, whole and in parts: `astro-ph.GA` is found by astro-ph.ga, astro-ph and ga."""
    out = set()
    for category in (paper.category, *paper.categories):
        name = (category or "").strip().lower()
        if name:
            out.add(name)
            out.update(part for part in name.split(".") if part)
    return tuple(out)


def arxiv_term(value: str) -> str:
    """An arXiv id as indexed and searched: lower case, without `arXiv:` or a version."""
    value = _ARXIV_PREFIX_RE.sub("", value.strip()).lower()
    return _VERSION_RE.sub("", value) if re.search(r"\d", value) else value


def doi_term(value: str) -> str:
    """A DOI as indexed and searched: lower case, without `doi:` or the resolver's address."""
    return _DOI_PREFIX_RE.sub("", value.strip()).lower()


def digest_terms(paper: Paper) -> tuple[str, ...]:
    """Each digest the paper was seen in: its name, its name without extension, its date."""
    out = set()
    for sighting in paper.seen:
        name = sighting.digest.lower().strip()
        out.update((name, name.rsplit(".", 1)[0]))
        out.update(name_terms(name))
        if sighting.digest_date:
            out.add(sighting.digest_date.lower())
    out.discard("")
    return tuple(out)


def paper_document(paper: Paper) -> dict:
    """The field values of one paper, ready for `writer.add_document(**doc)`."""
    doc = {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "flags": paper_flags(paper),
        "prefixes": tuple(title_prefixes(paper.title, paper.authors[:MAX_PREFIX_NAMES])),
    }
    if paper.note:
        doc["note"] = paper.note
    if paper.authors:
        doc["authors"] = paper.authors
    if paper.orgs:
        doc["orgs"] = paper.orgs
    categories = category_terms(paper)
    if categories:
        doc["category"] = categories
    doc["arxiv"] = tuple({paper.id.lower(), *([arxiv_term(paper.arxiv_id)] if paper.arxiv_id else [])})
    if paper.doi:
        doc["doi"] = doi_term(paper.doi)
    digests = digest_terms(paper)
    if digests:
        doc["digests"] = digests
    if paper.tags:
        doc["tags"] = tuple(tag.lower() for tag in paper.tags)
    date = paper_date(paper)
    if date is not None:
        doc["date"] = date
    if paper.upvotes is not None and paper.upvotes >= 0:
        doc["upvotes"] = min(paper.upvotes, 65535)
    count = paper.author_count if paper.author_count is not None else len(paper.authors) or None
    if count is not None and count >= 0:
        doc["author_count"] = min(count, 65535)
    return doc
