"""Small builders of arXiv digests (mailing, RSS, Atom, API, HF JSON) for crafted parser tests."""

from __future__ import annotations

import json

RULE = "-" * 78
CROSS = "%-" * 39
REPLACE = "%%--" * 19 + "%%"
END = "%%%---" * 13


def block(arxiv_id: str, title: str = "A Study of Things", authors: str = "Ann Lee and Bo Chen",
          categories: str = "cs.LG stat.ML", abstract: str | None = "  We study things.\nThey are good.",
          replaced: bool = False, cross: bool = False, extra: str = "") -> str:
    """One listing block, printed as arXiv prints it."""
    head = f"arXiv:{arxiv_id}" + (" (*cross-listing*)" if cross else "")
    when = ("replaced with revised version " if replaced else "Date: ") + "Wed, 15 Mar 2023 18:34:08 GMT   (243kb,D)"
    lines = ["\\\\", head, when, "", f"Title: {title}", f"Authors: {authors}", f"Categories: {categories}"]
    lines += [extra] if extra else []
    if abstract is not None and not replaced:
        lines += ["\\\\", abstract]
    lines.append(f"\\\\ ( https://arxiv.org/abs/{arxiv_id} ,  243kb)")
    return "\n".join(lines)


def listing(*parts: str, subject: str = "cs daily 3 new + 1 cross") -> str:
    """A mailing body: header, then the given blocks and markers separated by rules."""
    head = f"Date: Fri, 17 Mar 23 00:31:14 GMT\nSubject: {subject}\n\n{RULE}\nSend any comments regarding submissions directly to submitter.\n{RULE}\n"
    return head + f"\n{RULE}\n".join(parts) + "\n"


def rss(items: str = "", atom: bool = False) -> str:
    """An rss.arxiv.org feed (RSS 2.0, or its Atom variant) around the given items."""
    if atom:
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
                'xmlns:arxiv="http://arxiv.org/schemas/atom"><id>http://rss.arxiv.org/atom/cs.LG</id>'
                '<title>cs.LG updates on arXiv.org</title><updated>2026-04-27T00:00:00-04:00</updated>'
                f'{items}</feed>')
    return ('<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'version="2.0"><channel><title>cs.LG updates on arXiv.org</title><link>http://rss.arxiv.org/rss/cs.LG</link>'
            f'<pubDate>Mon, 27 Apr 2026 00:00:00 -0400</pubDate>{items}</channel></rss>')


def rss_item(number: int, announce: str = "new") -> str:
    """One RSS item with its id, version and announce type packed into the description."""
    return (f"<item><title>Paper {number}</title><link>https://arxiv.org/abs/2604.{number:05d}</link>"
            f"<description>arXiv:2604.{number:05d}v2 Announce Type: {announce} \nAbstract: Text {number}.</description>"
            f"<guid>oai:arXiv.org:2604.{number:05d}v2</guid><category>cs.LG</category><category>cs.AI</category>"
            f"<pubDate>Mon, 27 Apr 2026 00:00:00 -0400</pubDate><arxiv:announce_type>{announce}</arxiv:announce_type>"
            f"<arxiv:DOI>10.1/x{number}</arxiv:DOI><dc:creator>Ann Lee, Bo Chen and Cy Dee</dc:creator></item>")


def api(entries: str, total: int = 1) -> str:
    """An arXiv API answer around the given entries."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
            'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">'
            '<title>arXiv Query</title><updated>2026-06-12T00:00:00Z</updated>'
            f'<opensearch:totalResults>{total}</opensearch:totalResults>{entries}</feed>')


def hf_item(number: int, **paper: object) -> dict:
    """One daily_papers item; keyword arguments override or add `paper` keys (None removes one)."""
    base = {"id": f"2606.{number:05d}", "title": f"Paper {number}", "summary": f"Summary {number}.",
            "authors": [{"name": "Ann Lee"}, {"name": "Bo Chen"}], "upvotes": number,
            "publishedAt": "2026-06-10T00:00:00.000Z", "submittedOnDailyAt": "2026-06-12T00:00:00.000Z"}
    base.update(paper)
    return {"paper": {k: v for k, v in base.items() if v is not None}, "title": base.get("title")}


def hf_json(count: int) -> str:
    """A daily_papers list of `count` items."""
    return json.dumps([hf_item(n) for n in range(1, count + 1)])
