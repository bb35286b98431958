"""Shared helpers of the parser: dates with and without a year, links, line handling."""

from __future__ import annotations

import datetime as dt

import pytest

from tui.parsing.formats.common import content_lines, extract_links, numbered_lines, parse_date

REF = dt.date(2026, 11, 21)


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("Sep 8, 2021", REF, "2021-09-08"),
        ("Jan 26", REF, "2026-01-26"),
        ("Dec 3", REF, "2025-12-03"),
        ("Nov 21", REF, "2026-11-21"),
        ("Nov 22", REF, "2025-11-22"),
        ("Feb 29", REF, "2024-02-29"),
        ("Feb 29", dt.date(2024, 2, 28), "2020-02-29"),
        ("Feb 29", dt.date(2024, 3, 1), "2024-02-29"),
        ("Feb 29, 2023", REF, None),
        ("Apr 31", REF, None),
        ("June 3, 2020", REF, "2020-06-03"),
        ("Sept 9", REF, "2026-09-09"),
        ("Jan 0", REF, None),
        ("yesterday", REF, None),
        ("Sep\u00a08, 2021", REF, "2021-09-08"),
        ("Sep  8,2021", REF, "2021-09-08"),
    ],
)
def test_parse_date(text: str, reference: dt.date, expected: str | None) -> None:
    assert parse_date(text, reference) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Code is available at https://github.com/a/b.", ("https://github.com/a/b",)),
        ("(see https://x.org/p) and https://x.org/p.", ("https://x.org/p",)),
        ("Wiki https://en.wikipedia.org/wiki/Foo_(bar), done", ("https://en.wikipedia.org/wiki/Foo_(bar)",)),
        ("\\url{https://github.com/Graph-COM/SPE}.", ("https://github.com/Graph-COM/SPE",)),
        ("https://g.com/A{https://g.com/A}.", ("https://g.com/A",)),
        ("https://g.com/R{here}.", ("https://g.com/R",)),
        ("at https: //github.com/x/y.", ("https://github.com/x/y",)),
        ("first http://a.io/1; then https://b.io/2!", ("http://a.io/1", "https://b.io/2")),
        ('"https://q.io/x"', ("https://q.io/x",)),
        ("no links, not even ftp://x.org or https://", ()),
    ],
)
def test_extract_links(text: str, expected: tuple[str, ...]) -> None:
    assert extract_links(text) == expected


def test_lines_keep_file_numbers_across_line_endings() -> None:
    lines = numbered_lines("a  \r\nb\rc\n\n  d\t")
    assert [(line.number, line.text) for line in lines] == [(1, "a"), (2, "b"), (3, "c"), (4, ""), (5, "d")]


def test_content_lines_drop_blank_lines_but_keep_numbers() -> None:
    assert [(line.number, line.text) for line in content_lines("\n\na\n \t\nb\n")] == [(3, "a"), (5, "b")]
