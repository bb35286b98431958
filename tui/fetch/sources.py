"""The sources a fetch run asks: one per arXiv category, per API query, and per missed Hugging Face day."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from tui.settings.model import Settings

#: The name that selects Hugging Face daily papers on the command line (`paper-reader fetch hf`).
HF = "hf"
#: Names that select every subscription of one kind.
ALL_RSS, ALL_API = "arxiv", "api"
#: Longest query text kept in an archive file name (a hash keeps the name unique).
SLUG_CHARS = 40


class Kind(Enum):
    """What a source's answer must be, and the Accept header that asks for it."""

    FEED = ("an RSS or Atom feed", "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1")
    JSON = ("a JSON list of papers", "application/json, */*;q=0.1")

    @property
    def what(self) -> str:
        """The kind in words, for a report line."""
        return self.value[0]

    @property
    def accept(self) -> str:
        """The Accept header value."""
        return self.value[1]


@dataclass(frozen=True)
class Source:
    """One URL to fetch: its name in the report, its key in the state file, and where its answer is archived."""

    name: str
    key: str
    url: str
    kind: Kind
    day: str
    file_name: str
    #: Goes through arXiv's API pacing (one call every 3 s).
    paced: bool = False


class UnknownSource(ValueError):
    """A NAME on the command line that is no subscription; the message lists the ones there are."""


def subscription_names(settings: Settings) -> list[str]:
    """The names `paper-reader fetch NAME...` accepts, in the order sources are fetched."""
    subs = settings.subscriptions
    return [*subs.arxiv, *subs.arxiv_api, *([HF] if subs.hf_daily else [])]


def select(settings: Settings, names: Sequence[str] | None) -> tuple[list[str], list[str], bool]:
    """The categories, queries and HF flag that `names` pick (all subscriptions when None).

    Names match case-insensitively; `arxiv` picks every category and `api` every query.
    """
    subs = settings.subscriptions
    if not names:
        return list(subs.arxiv), list(subs.arxiv_api), subs.hf_daily
    wanted = {name.casefold() for name in names}
    known = {n.casefold() for n in subscription_names(settings)} | {ALL_RSS, ALL_API, HF}
    if unknown := [name for name in names if name.casefold() not in known]:
        raise UnknownSource(f"no subscription named {unknown[0]!r}; the settings subscribe to: "
                            + (", ".join(subscription_names(settings)) or "nothing"))
    categories = [c for c in subs.arxiv if ALL_RSS in wanted or c.casefold() in wanted]
    queries = [q for q in subs.arxiv_api if ALL_API in wanted or q.casefold() in wanted]
    return categories, queries, HF in wanted


def rss_source(settings: Settings, category: str, today: dt.date) -> Source:
    """arXiv's RSS feed of one category: <arxiv_rss_base>/rss/<category>."""
    url = f"{settings.fetch.arxiv_rss_base}/rss/{urllib.parse.quote(category)}"
    return Source(category, f"arxiv-rss:{category}", url, Kind.FEED, today.isoformat(), f"arxiv-{category}.rss")


def api_source(settings: Settings, query: str, today: dt.date) -> Source:
    """One arXiv API query, newest submissions first."""
    params = urllib.parse.urlencode({"search_query": query, "sortBy": "submittedDate", "sortOrder": "descending",
                                     "start": 0, "max_results": settings.fetch.api_max_results})
    url = f"{settings.fetch.arxiv_api_base}/api/query?{params}"
    return Source(f'api "{query}"', f"arxiv-api:{query}", url, Kind.FEED, today.isoformat(),
                  f"arxiv-api-{_slug(query)}.atom", paced=True)


def hf_source(settings: Settings, day: dt.date) -> Source:
    """Hugging Face daily papers of one day: <hf_base>/api/daily_papers?date=YYYY-MM-DD."""
    url = f"{settings.fetch.hf_base}/api/daily_papers?date={day.isoformat()}"
    return Source(f"hf {day.isoformat()}", f"hf-daily:{day.isoformat()}", url, Kind.JSON, day.isoformat(),
                  "hf-daily.json")


def hf_days(last_day: str | None, today: dt.date, cap: int) -> tuple[list[dt.date], str | None]:
    """Every day after the last one fetched up to today (yesterday and today on a first run), capped.

    Returns the days, oldest first, and a note when the cap left older days out.
    """
    start = dt.date.fromisoformat(last_day) + dt.timedelta(days=1) if last_day else today - dt.timedelta(days=1)
    missed = (today - start).days + 1
    if missed <= cap:
        return [start + dt.timedelta(days=n) for n in range(max(missed, 0))], None
    days = [today - dt.timedelta(days=n) for n in reversed(range(cap))]
    return days, (f"hf: {missed} days since the last fetch; fetching the last {cap} only "
                  f"(catch_up_days = {cap} in the settings)")


def _slug(query: str) -> str:
    """A file-name-safe, recognisable and unique stand-in for a query."""
    text = re.sub(r"[^A-Za-z0-9.]+", "_", query).strip("_")[:SLUG_CHARS]
    return f"{text}-{hashlib.sha1(query.encode('utf-8')).hexdigest()[:8]}"  # 8 hex digits: unique enough per user
