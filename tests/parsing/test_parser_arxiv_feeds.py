"""arXiv RSS/Atom feeds and API answers: layouts, empty feeds, errors, cut files and hostile XML."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from arxiv_builders import api, rss, rss_item

from tui.parsing.digest import parse_digest, parse_text
from tui.records import DigestError

REF = dt.date(2026, 11, 21)


def parse(text: str):
    """Parse a feed held in memory."""
    return parse_text(text, "feed.xml", reference_date=REF)


def test_rss_items_carry_id_version_announce_and_categories() -> None:
    result = parse(rss(rss_item(1) + rss_item(2, "replace-cross")))
    assert (result.format, result.label) == ("arxiv-rss", "arXiv cs.LG · 2026-04-27")
    first, second = result.entries
    assert (first.arxiv_id, first.version, first.announce) == ("2604.00001", 2, "new")
    assert first.authors == ("Ann Lee", "Bo Chen", "Cy Dee") and first.categories == ("cs.LG", "cs.AI")
    assert (first.abstract, first.date, first.doi) == ("Text 1.", "2026-04-27", "10.1/x1")
    assert second.announce == "replace-cross"


def test_atom_variant_of_the_listing_feed() -> None:
    entry = ('<entry><id>oai:arXiv.org:2604.00007v1</id><title>Atom Paper</title>'
             '<summary>arXiv:2604.00007v1 Announce Type: cross \nAbstract: Atom text.</summary>'
             '<category term="cs.AI"/><category term="cs.LG"/><published>2026-04-27T00:00:00-04:00</published>'
             '<arxiv:announce_type>cross</arxiv:announce_type><author><name>Ann Lee, Bo Chen</name></author></entry>')
    (paper,) = parse(rss(entry, atom=True)).entries
    assert (paper.arxiv_id, paper.version, paper.announce, paper.date) == ("2604.00007", 1, "cross", "2026-04-27")
    assert paper.authors == ("Ann Lee", "Bo Chen") and paper.category == "cs.AI"


def test_weekend_feed_without_items_says_so(tmp_path: Path) -> None:
    path = tmp_path / "weekend.xml"
    path.write_text(rss(), encoding="utf-8")
    result = parse_digest(path, reference_date=REF)
    assert result.entries == () and "no entries" in result.report()


def test_api_2007_layout_with_wrapped_title_and_affiliations() -> None:
    entry = ('<entry><id>http://arxiv.org/abs/hep-th/9901001v3</id><published>2007-01-02T10:00:00Z</published>'
             '<title>A Wrapped\n  Title</title><summary>  One\n  two.\n</summary>'
             '<author><name>Ann Lee</name><arxiv:affiliation>MIT</arxiv:affiliation></author>'
             '<author><name>Bo Chen</name></author><arxiv:primary_category term="hep-th"/>'
             '<category term="gr-qc"/><category term="hep-th"/><arxiv:journal_ref>J 1</arxiv:journal_ref></entry>')
    old = api(entry).replace("opensearch/1.1/", "opensearchrss/1.0/")
    (paper,) = parse(old).entries
    assert (paper.title, paper.abstract, paper.date) == ("A Wrapped Title", "One two.", "2007-01-02")
    assert (paper.arxiv_id, paper.version) == ("hep-th/9901001", 3)
    assert paper.authors == ("Ann Lee", "Bo Chen") and paper.categories == ("hep-th", "gr-qc")
    assert paper.journal_ref == "J 1" and paper.announce is None


def test_api_error_entry_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "answer.xml"
    path.write_text(api("<entry><id>http://arxiv.org/api/errors#x</id><title>Error</title>"
                        "<summary>incorrect id format for 1234</summary></entry>"), encoding="utf-8")
    with pytest.raises(DigestError) as caught:
        parse_digest(path, reference_date=REF)
    assert str(caught.value).startswith("answer.xml: ") and "incorrect id format" in str(caught.value)


def test_api_zero_results_is_zero_entries() -> None:
    result = parse(api("", total=0))
    assert result.entries == () and "matched nothing" in result.report()


BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<rss><channel><title>&lol2;</title></channel></rss>')
EXTERNAL = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            '<rss><channel><item><title>&xxe;</title></item></channel></rss>')


@pytest.mark.parametrize("text", [BOMB, EXTERNAL], ids=["bomb", "external-entity"])
def test_hostile_xml_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(DigestError) as caught:
        parse(text)
    assert "unsafe XML refused" in str(caught.value) and "\n" not in str(caught.value)
    assert "root:" not in str(caught.value)


def test_truncated_feed_keeps_complete_items() -> None:
    text = rss(rss_item(1) + rss_item(2) + rss_item(3))
    result = parse(text[: text.index("<item>", text.index("Paper 3") - 100) + 40])
    assert [p.title for p in result.entries] == ["Paper 1", "Paper 2"]
    assert "cut off" in result.skipped[0].reason


def test_big_feed_streams_in_order() -> None:
    result = parse(rss("".join(rss_item(n) for n in range(1, 2001))))
    assert len(result.entries) == 2000 and result.entries[-1].title == "Paper 2000"


def test_a_cut_feed_file_keeps_its_items_when_streamed(tmp_path: Path) -> None:
    text = rss("".join(rss_item(n) for n in range(1, 4001)))
    path = tmp_path / "cut.xml"
    path.write_text(text[: len(text) * 3 // 4], encoding="utf-8")  # well past the first read chunk
    result = parse_digest(path, reference_date=REF)
    assert 2000 < len(result.entries) < 4000 and "cut off" in result.skipped[0].reason
