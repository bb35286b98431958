"""Plain facts about a paper, worded once for every output: authors line, best date, links, citation.

No Textual here: the app, the CLI and the exports all describe a paper the same way, and every
string they get is already safe to print (`textsafe.one_line`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import quote, quote_plus

from tui.records import Paper
from tui.textsafe import one_line, safe_url

#: Hosts whose links are taken for the paper's code rather than its project page.
CODE_HOSTS = ("github.com", "gitlab.com", "huggingface.co", "bitbucket.org", "codeberg.org")


def who(paper: Paper, limit: int = 0) -> str:
    """Authors (cut to `limit` with "et al."), else "N authors", else ""."""
    return authors_line(paper.authors, paper.author_count, limit)


def authors_line(authors: Sequence[str], count: int | None, limit: int = 0) -> str:
    """`who` from the two fields it reads (exports that read columns, not Papers)."""
    names = [one_line(name) for name in authors]
    if names:
        if limit and len(names) > limit:
            return ", ".join(names[:limit]) + " et al."
        return ", ".join(names)
    return f"{count} author{'s' if count != 1 else ''}" if count else ""


def paper_date(paper: Paper) -> str:
    """The paper's date, else the date of the digest it first appeared in."""
    if paper.date:
        return one_line(paper.date)
    return next((one_line(s.digest_date) for s in paper.seen if s.digest_date), "")


def short_date(iso: str | None) -> str:
    """`2026-04-22` -> `Apr 22` (the way digests name themselves); other text unchanged."""
    try:
        day = dt.date.fromisoformat(iso or "")
    except ValueError:
        return one_line(iso or "")
    return f"{day:%b} {day.day}"


def sightings(paper: Paper) -> str:
    """Where the paper appeared: `Apr 22 #2 (000_x.txt), Jan 6 #1 (001_y.txt)`."""
    seen = [f"{short_date(s.digest_date) + ' ' if s.digest_date else ''}#{s.position} ({one_line(s.digest)})"
            for s in paper.seen]
    return ", ".join(seen)


def web_links(paper: Paper) -> list[str]:
    """The paper's http(s) links, in order, each cut at its first control character; nothing else opens."""
    links = (safe_url(link) for link in paper.links)
    return [link for link in links if link.startswith(("http://", "https://")) and "://" != link[-3:]]


def code_link(paper: Paper) -> str | None:
    """The paper's code repository link, else its first link, else None."""
    links = web_links(paper)
    return next((link for link in links if any(host in link for host in CODE_HOSTS)), links[0] if links else None)


#: How an arXiv listing's announce type reads on screen.
ANNOUNCED = {"new": "new", "cross": "cross-list", "replace": "replaced", "replace-cross": "replaced (cross-list)"}


def arxiv_abs(paper: Paper) -> str | None:
    """The paper's arXiv abstract page (at the version listed), or None when it has no arXiv id."""
    if not paper.arxiv_id:
        return None
    version = f"v{paper.version}" if paper.version else ""
    return f"https://arxiv.org/abs/{quote(one_line(paper.arxiv_id), safe='/.')}{version}"


def arxiv_line(paper: Paper) -> str:
    """`2303.00763v3 · replaced · cs.LG, cs.AI` (empty when the paper is not from arXiv)."""
    if not paper.arxiv_id:
        return ""
    parts = [one_line(paper.arxiv_id) + (f"v{paper.version}" if paper.version else "")]
    if paper.announce:
        parts.append(ANNOUNCED.get(paper.announce, one_line(paper.announce)))
    if paper.categories:
        parts.append(", ".join(one_line(c) for c in paper.categories))
    return " · ".join(parts)


def open_target(paper: Paper) -> str:
    """What `o` opens: the arXiv page, else the code link, else a scholarly search for the title."""
    return (arxiv_abs(paper) or code_link(paper)
            or "https://scholar.google.com/scholar?q=" + quote_plus(one_line(paper.title)))


def pdf_target(paper: Paper) -> str | None:
    """What `O` opens: the arXiv PDF, else a link that is a PDF, else None."""
    if paper.arxiv_id:
        return f"https://arxiv.org/pdf/{quote(one_line(paper.arxiv_id), safe='/.')}" + (
            f"v{paper.version}" if paper.version else "")
    return next((link for link in web_links(paper) if link.lower().split("?")[0].endswith(".pdf")), None)


def citation(paper: Paper) -> str:
    """The title, then a one-line citation: authors (year). Title. Link."""
    title = one_line(paper.title)
    year = paper_date(paper)[:4]
    authors = who(paper, limit=3) if paper.authors else ""
    parts = [f"{authors} ({year})." if authors and year else f"{authors}." if authors else f"({year})." if year else ""]
    parts += [f"{title}.", code_link(paper) or ""]
    return title + "\n" + " ".join(part for part in parts if part)


#: How an undone change is named in "Undid the star on …".
UNDO_WORDS = {"starred": "star", "status": "decision", "note": "note", "later": "later", "tag+": "tag",
              "tag-": "tag removal"}
#: How long a title may be in a one-line message before it is cut with "…".
TITLE_IN_LINE = 60


def short_title(title: str, limit: int = TITLE_IN_LINE) -> str:
    """A title on one line, cut at `limit` characters with "…"."""
    text = one_line(title)
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def _undo_words(kinds: tuple[str, ...], values: tuple[tuple[str, str | None], ...]) -> list[str]:
    """What a step changed, named: `star`, `decision`, `tag “gnn”`, `rename of tag “a” to “b”`."""
    if not values:
        named = [kind for kind in kinds if kind != "later"] or list(kinds)  # a decision also ended "later"
        return list(dict.fromkeys(UNDO_WORDS.get(kind, "change") for kind in named))
    values = tuple(pair for pair in values if pair[0] != "later") or values
    added = [one_line(value or "") for kind, value in values if kind == "tag+"]
    removed = [one_line(value or "") for kind, value in values if kind == "tag-"]
    if len(added) == 1 and len(removed) == 1 and len(values) == 2:
        return [f"rename of tag “{removed[0]}” to “{added[0]}”"]
    words = []
    for kind, value in values:
        if kind == "tag+":
            words.append(f"tag “{one_line(value or '')}”")
        elif kind == "tag-":
            words.append(f"removal of tag “{one_line(value or '')}”")
        else:
            words.append(UNDO_WORDS.get(kind, "change"))
    return list(dict.fromkeys(words))


def describe_undo(kinds: tuple[str, ...], papers: list[Paper], values: tuple[tuple[str, str | None], ...] = ()) -> str:
    """`Undid the star on “Title”`, `Undid the decision on 12 papers`, `Undid the tag “gnn” on 3 papers`,
    `Undid the rename of tag “a” to “b” on 2 papers`; `values` (the step's (kind, value) pairs) name the tags."""
    what = " and ".join(_undo_words(kinds, values))
    on = f"“{short_title(papers[0].title)}”" if len(papers) == 1 else f"{len(papers):,} papers"
    return f"Undid the {what} on {on}"
