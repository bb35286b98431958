"""Plain facts about a paper, worded once for every output: authors line, best date, links, citation.

No Textual here: the app, the CLI and the exports all describe a paper the same way, and every
string they get is already safe to print (`textsafe.one_line`).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote_plus

from tui.records import Paper
from tui.textsafe import one_line, safe_url

#: Hosts whose links are taken for the paper's code rather than its project page.
CODE_HOSTS = ("github.com", "gitlab.com", "huggingface.co", "bitbucket.org", "codeberg.org")


def who(paper: Paper, limit: int = 0) -> str:
    """Authors (cut to `limit` with "et al."), else "N authors", else ""."""
    names = [one_line(name) for name in paper.authors]
    if names:
        if limit and len(names) > limit:
            return ", ".join(names[:limit]) + " et al."
        return ", ".join(names)
    count = paper.author_count
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


def open_target(paper: Paper) -> str:
    """What `o` opens: the code link, else a scholarly search for the title."""
    return code_link(paper) or "https://scholar.google.com/scholar?q=" + quote_plus(one_line(paper.title))


def citation(paper: Paper) -> str:
    """The title, then a one-line citation: authors (year). Title. Link."""
    title = one_line(paper.title)
    year = paper_date(paper)[:4]
    authors = who(paper, limit=3) if paper.authors else ""
    parts = [f"{authors} ({year})." if authors and year else f"{authors}." if authors else f"({year})." if year else ""]
    parts += [f"{title}.", code_link(paper) or ""]
    return title + "\n" + " ".join(part for part in parts if part)


#: How long a title may be in a one-line message before it is cut with "…".
TITLE_IN_LINE = 40


def short_title(title: str, limit: int = TITLE_IN_LINE) -> str:
    """A title on one line, cut at `limit` characters with "…"."""
    text = one_line(title)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _change_words(kind: str, value: str | None) -> str:
    shown = one_line(value or "")
    if kind == "starred":
        return "star" if value == "1" else "unstar"
    if kind == "status":
        return "back to new" if value == "new" else shown
    if kind == "tag+":
        return f'tag "{shown}"'
    if kind == "tag-":
        return f'untag "{shown}"'
    return {"note": "note", "later": "later"}.get(kind, one_line(kind))


def undo_line(values: tuple[tuple[str, str | None], ...], papers: int, title: str = "") -> str:
    """What an undo took back, in one line: `undid: tag "gnn" on 3 papers`, `undid: star on "Title…"`,
    `undid: dismissed 12 papers`, `undid: rename tag "a" to "b" on 2 papers`.

    `values` are the step's (kind, value) pairs; `title` names the paper when there is one.
    """
    kinds = {kind for kind, _ in values}
    if kinds - {"later"}:
        values = tuple(pair for pair in values if pair[0] != "later")  # "later" ends with a decision
    added = [value for kind, value in values if kind == "tag+"]
    removed = [value for kind, value in values if kind == "tag-"]
    if len(added) == 1 and len(removed) == 1 and len(values) == 2:
        words = [f'rename tag "{one_line(removed[0] or "")}" to "{one_line(added[0] or "")}"']
    else:
        words = list(dict.fromkeys(_change_words(kind, value) for kind, value in values))
    target = f'"{short_title(title)}"' if papers == 1 and title else f"{papers} paper{'s' if papers != 1 else ''}"
    statuses_only = all(kind == "status" for kind, _ in values)
    return f"undid: {' + '.join(words)} {'' if statuses_only else 'on '}{target}"
