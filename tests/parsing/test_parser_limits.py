"""Hostile sizes stay cheap: long glued bylines, huge entries, many blank lines, many skips."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from tui.parsing.digest import parse_digest, parse_text
from tui.parsing.formats import hf_daily
from tui.parsing.formats.alphaxiv import split_byline
from tui.records import ParseResult, Skipped

ROOT = Path(__file__).resolve().parents[2]
REF = dt.date(2026, 11, 21)


def seed_text(prefix: str) -> str:
    """The text of the seed digest whose name starts with `prefix`."""
    return next((ROOT / "seeds").glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def test_a_long_glued_capital_run_splits_in_linear_time() -> None:
    started = time.perf_counter()
    byline = split_byline("A Title" + "Q" * 200_000 + "Ann Lee, Bo Chen, Cy Dee")
    assert time.perf_counter() - started < 2  # was about 50 s before the cut search was bounded
    assert byline.authors == ("Ann Lee", "Bo Chen", "Cy Dee")


def test_real_bylines_still_split() -> None:
    assert split_byline("Deep NetsAnn Lee, Bo Chen").authors == ("Ann Lee", "Bo Chen")


def test_one_huge_format_a_entry_is_skipped_not_held(tmp_path: Path) -> None:
    text = seed_text("000")
    lines = text.split("\n")
    first_abstract = next(i for i, line in enumerate(lines) if len(line) > 300)
    lines[first_abstract + 1:first_abstract + 1] = ["word " * 20_000] * 15  # 1.5 M characters more
    result = parse_text("\n".join(lines), "big.txt", reference_date=REF)
    assert any("entry longer than" in s.reason for s in result.skipped)
    assert len(result.entries) >= 40
    assert all(len(p.abstract) <= hf_daily.MAX_ENTRY_CHARS for p in result.entries)


def test_a_digest_after_many_blank_lines_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "padded.txt"
    path.write_text("\n" * 6_000 + seed_text("003"), encoding="utf-8")
    result = parse_digest(path, reference_date=REF)
    assert (result.format, len(result.entries)) == ("B", 50)
    plain = parse_digest(next((ROOT / "seeds").glob("003_*.txt")), reference_date=REF)
    assert [p.title for p in result.entries] == [p.title for p in plain.entries]


def test_a_report_with_many_skips_is_summarised() -> None:
    result = ParseResult("x.txt", "A", None, (), tuple(Skipped(n, "no abstract") for n in range(50_000)))
    line = result.report()
    assert len(line) < 400 and "... and 49,995 more" in line and line.count("line ") == 5


def test_a_digest_after_much_whitespace_is_recognised() -> None:
    result = parse_text(" \n" * 100_000 + seed_text("003"), "padded.txt", reference_date=REF)
    assert (result.format, len(result.entries)) == ("B", 50)
    assert result.skipped == ()
