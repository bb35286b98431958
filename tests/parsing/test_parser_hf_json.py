"""Hugging Face daily_papers JSON: items with keys that come and go, error answers, cut files."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from arxiv_builders import hf_item, hf_json

from tui.parsing.digest import parse_text
from tui.records import DigestError

REF = dt.date(2026, 11, 21)


def parse(text: str):
    """Parse a JSON answer held in memory."""
    return parse_text(text, "daily.json", reference_date=REF)


def test_items_become_papers_with_the_digest_day() -> None:
    result = parse(hf_json(3))
    assert (result.format, result.digest_date, result.label) == ("hf-json", "2026-06-12", "HF Daily · 2026-06-12")
    first = result.entries[0]
    assert (first.arxiv_id, first.upvotes, first.date, first.authors) == ("2606.00001", 1, "2026-06-10", ("Ann Lee", "Bo Chen"))
    assert first.has_code is False and first.links == ()


def test_optional_keys_missing_or_null() -> None:
    items = [hf_item(1, upvotes=None, authors=None, publishedAt=None),
             hf_item(2, githubRepo="https://github.com/a/b", projectPage="https://a.io/", summary="See https://a.io/."),
             {"paper": {"id": "2606.00003", "title": "Bare"}}]
    one, two, three = parse(json.dumps(items)).entries
    assert (one.upvotes, one.authors, one.author_count, one.date) == (None, (), None, None)
    assert two.has_code is True and two.links == ("https://a.io/", "https://github.com/a/b")
    assert (three.title, three.abstract) == ("Bare", "")


def test_error_object_is_one_line() -> None:
    with pytest.raises(DigestError) as caught:
        parse('{"error": "Invalid date\\nformat"}')
    assert "Hugging Face answered with an error: Invalid date format" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_truncated_json_keeps_complete_items() -> None:
    text = hf_json(5)
    result = parse(text[: text.index('"Paper 4"') + 3])
    assert [p.title for p in result.entries] == ["Paper 1", "Paper 2", "Paper 3"]
    assert "cut off" in result.skipped[0].reason


def test_items_that_are_not_papers_are_skipped() -> None:
    result = parse(json.dumps([hf_item(1), {"title": "no paper"}, 5]))
    assert len(result.entries) == 1 and len(result.skipped) == 2


def test_empty_list_says_so() -> None:
    result = parse("[]")
    assert result.entries == () and "no entries" in result.report()


def test_a_big_list_file_streams_and_hashes_whole(tmp_path) -> None:
    from tui.parsing.digest import parse_digest

    path = tmp_path / "daily.json"
    path.write_text(hf_json(6000) + "\n" + " " * 3_000_000, encoding="utf-8")  # bytes after the `]` too
    result = parse_digest(path, reference_date=REF)
    assert len(result.entries) == 6000 and result.skipped == ()
