"""Crafted digests in the three formats: line endings, damage, odd metadata, detection."""

from __future__ import annotations

import datetime as dt

import pytest

from tui.parsing.formats import detect
from tui.parsing.formats.hf_daily import parse_meta, units
from tui.parsing.digest import parse_text

REF = dt.date(2026, 11, 21)


CRAFTED_A = (
    "new  \r\n\r\nGet trending papers in your email inbox!\r\n\r\nSubscribe\r\n\r\nDaily Papers\r\n\r\n"
    "byAK and the research community\r\n\r\nFeb 29   \r\n\r\n"
    "First Paper Title\t\r\n\r\nAn abstract about things, see https://example.org/x).\r\n\r\n"
    "  \u2022 2 authors\r\n\u00b7\r\nDec 3 7\r\n\r\n"
    "Second Paper Without Metadata\r\n\r\nIts abstract is here and is long enough to read.\r\n\r\n"
    "Third Paper\r\n\r\nThird abstract (http://a.b/c, http://a.b/c).\r\n\r\n"
    "  \u2022 1 author\r\n\u00b7\r\nMar 1, 2024  \r\n\r\n"
    "Cut Paper Title"
)


def test_crafted_daily_digest_with_crlf_trailing_spaces_and_a_cut_end() -> None:
    result = parse_text(CRAFTED_A, "crafted.txt", reference_date=REF)
    assert result.format == "A"
    assert result.digest_date == "2024-02-29"
    first, second, third = result.entries
    assert (first.title, first.author_count, first.upvotes) == ("First Paper Title", 2, 7)
    assert first.date == "2023-12-03"  # year-less: the latest Dec 3 not after the digest's day
    assert first.links == ("https://example.org/x",)
    assert (second.title, second.date, second.author_count) == ("Second Paper Without Metadata", None, None)
    assert (third.date, third.author_count, third.links) == ("2024-03-01", 1, ("http://a.b/c",))
    (cut,) = result.skipped
    assert cut.line == 33 and "title without abstract" in cut.reason


def test_daily_digest_without_header_date_uses_reference_for_yearless_dates() -> None:
    text = "Daily Papers\n\nA Title\n\nAn abstract.\n\n\u2022 3 authors\n\u00b7\nJan 26\n"
    result = parse_text(text, "d.txt", reference_date=REF)
    assert result.digest_date is None
    assert result.entries[0].date == "2026-01-26"


CRAFTED_C = (
    "Get trending papers in your email inbox once a day!  \r\nGet trending papers in your email inbox!\r\n"
    "SubscribeA Tiny Title  \r\nFirst abstract with a link https://x.org/a.\r\n"
    "Second Title: With Colon\r\nSecond abstract.\r\nLast Title Cut Off"
)


def test_crafted_trending_digest() -> None:
    result = parse_text(CRAFTED_C, "t.txt", reference_date=REF)
    assert result.format == "C"
    assert [p.title for p in result.entries] == ["A Tiny Title", "Second Title: With Colon"]
    assert result.entries[0].links == ("https://x.org/a",)
    (cut,) = result.skipped
    assert cut.line == 7 and "cut off" in cut.reason


def test_trending_with_subscribe_on_its_own_line() -> None:
    text = "Get trending papers in your email inbox!\nSubscribe\nA Title\nAn abstract.\nB Title\nB abstract.\n"
    result = parse_text(text, "t.txt", reference_date=REF)
    assert [p.title for p in result.entries] == ["A Title", "B Title"]


CRAFTED_B = (
    "CVJan 5, 2024Code  \r\n"
    "Seeing Things With NeRFsJos\u00e9 M\u00fcller, Mary O'Brien, Jan van der Berg et al. \u00b7 eth-zurich, mit\r\n"
    "An abstract.\r\n"
    "cs.LGFeb 29\r\n"
    "How Do LLMs Reason?J. Smith\r\n"
    "Another abstract with https://github.com/a/b}.\r\n"
    "AIMar 3, 2023"
)


def test_crafted_alphaxiv_digest() -> None:
    result = parse_text(CRAFTED_B, "b.txt", reference_date=REF)
    first, second = result.entries
    assert (first.title, first.category) == ("Seeing Things With NeRFs", "CV")
    assert (first.date, first.has_code) == ("2024-01-05", True)
    assert first.authors == ("Jos\u00e9 M\u00fcller", "Mary O'Brien", "Jan van der Berg")
    assert (first.orgs, first.author_count) == (("eth-zurich", "mit"), None)
    assert (second.title, second.authors, second.author_count) == ("How Do LLMs Reason?", ("J. Smith",), 1)
    assert (second.category, second.date, second.has_code) == ("cs.LG", "2024-02-29", False)
    assert second.links == ("https://github.com/a/b",)
    (cut,) = result.skipped
    assert cut.line == 7 and "cut off" in cut.reason and "1 of 3" in cut.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (CRAFTED_A, "A"),
        (CRAFTED_B, "B"),
        (CRAFTED_C, "C"),
        ("# README\n\nSome project.\n\n- install it\n- run it\n", None),
        ("import os\n\n\ndef main():\n    print(os.getcwd())\n", None),
    ],
)
def test_detect(text: str, expected: str | None) -> None:
    assert detect(text) == expected


LONG = "This abstract sentence is long enough to be nothing but an abstract. " * 6


@pytest.mark.parametrize(
    ("body", "titles", "abstracts", "skipped"),
    [
        (
            f"T One\n\n{LONG}\n\nSecond paragraph.\n\n\u2022 3 authors\n\u00b7\nJan 5",
            ["T One"],
            [f"{LONG.strip()}\n\nSecond paragraph."],
            [],
        ),
        (f"{LONG}\n\n{LONG}\n\n\u2022 3 authors\n\u00b7\nJan 5", [], [], ["abstract without a title"] * 2),
        (f"T One\n\nT Two\n\n{LONG}\n\n\u2022 3 authors\n\u00b7\nJan 5", ["T Two"], [LONG.strip()], ["no abstract"]),
        (
            "T One\n\n\u2022 3 authors\n\u00b7\nJan 5\n\nT Two\n\nAn abstract.",
            ["T One", "T Two"],
            ["", "An abstract."],
            [],
        ),
    ],
    ids=["two-paragraphs", "two-abstracts", "title-without-abstract", "title-with-metadata-only"],
)
def test_daily_segments(body: str, titles: list[str], abstracts: list[str], skipped: list[str]) -> None:
    result = parse_text("Daily Papers\n\nApr 22\n\n" + body, "s.txt", reference_date=REF)
    assert [p.title for p in result.entries] == titles
    assert [p.abstract for p in result.entries] == abstracts
    assert [s.reason.split(":")[0] for s in result.skipped] == skipped


def test_reference_may_be_a_datetime() -> None:
    text = "Daily Papers\n\nA Title\n\nAn abstract.\n\n\u2022 3 authors\n\u00b7\nJan 26\n"
    result = parse_text(text, "d.txt", reference_date=dt.datetime(2026, 1, 25, 12, 0))
    assert result.entries[0].date == "2025-01-26"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  \u2022 9 authors\n\u00b7\nSep 8, 2021", ((), 9, "2021-09-08", None)),
        ("  \u2022 1 author\n\u00b7\nAug 30, 2025 1", ((), 1, "2025-08-30", 1)),
        # a submitter printed where the author count would be is not an author
        ("BrainsBuild BrainsBuild\n\u00b7\nApr 14 5", ((), None, "2026-04-14", 5)),
        ("  \u2022 4 authors", ((), 4, None, None)),
        ("  \u2022 4 authors\n\u00b7\nApr 145", ((), 4, None, None)),
        ("\u2022 2 authors \u00b7 Jan 26", ((), 2, "2026-01-26", None)),
    ],
)
def test_daily_metadata_block(text: str, expected) -> None:
    meta = parse_meta(units(text)[0], REF)
    assert (meta.authors, meta.author_count, meta.date, meta.upvotes) == expected
    assert meta.submitter == ("BrainsBuild BrainsBuild" if "BrainsBuild" in text else None)



@pytest.mark.parametrize("text", ["A plain title", "An abstract \u00b7 with a dot in it."])
def test_ordinary_blocks_are_not_metadata(text: str) -> None:
    assert parse_meta(units(text)[0], REF) is None


def test_trending_title_may_end_with_a_full_stop() -> None:
    text = CRAFTED_C.replace("Second Title: With Colon", "Second Title Ends Here.")
    result = parse_text(text, "t.txt", reference_date=REF)
    assert [p.title for p in result.entries] == ["A Tiny Title", "Second Title Ends Here."]
