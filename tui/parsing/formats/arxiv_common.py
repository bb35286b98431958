"""Helpers the arXiv formats share: author lists, links as printed, ids with their versions."""

from __future__ import annotations

import re

from tui.parsing.formats.common import _URL_RE, _trim_url

#: `2303.08867v2`, `hep-th/9901001v1`, `math.GT/0309136`: an arXiv id and its optional version.
ARXIV_ID_RE = re.compile(r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v(?P<v>\d+))?")
#: A comma or the word "and" between two names, outside parentheses.
_SEPARATOR_RE = re.compile(r",\s*|\s+and\s+|[()]")


def split_id(text: str) -> tuple[str | None, int | None]:
    """The arXiv id (without version) and the version found in `text` (a URL, `oai:` guid, ...)."""
    match = ARXIV_ID_RE.search(text.rsplit("/abs/", 1)[-1])
    if not match:
        return None, None
    return match.group("id"), int(match.group("v")) if match.group("v") else None


def split_authors(text: str) -> tuple[str, ...]:
    """Names from `A, B and C` or `A and B and C`, each as printed; affiliations in parentheses stay whole.

    Text is kept as printed: a name after `, and` keeps its `and`, as arXiv prints it.
    """
    names, depth, start = [], 0, 0
    for match in _SEPARATOR_RE.finditer(text):
        sep = match.group()
        depth += {"(": 1, ")": -1}.get(sep, 0)
        if sep in "()" or depth > 0:
            continue
        names.append(text[start:match.start()])
        start = match.end()
    names.append(text[start:])
    return tuple(name.strip() for name in names if name.strip())


def find_links(text: str) -> tuple[str, ...]:
    """Every http(s) URL in text in the order printed, repeats included, without trailing punctuation."""
    links = []
    for match in _URL_RE.finditer(text):
        url = _trim_url(match.group(0).replace(": //", "://", 1))
        if url.split("://", 1)[1][:1] not in ("", ".", "/"):
            links.append(url)
    return tuple(links)
