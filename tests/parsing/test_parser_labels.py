"""Each digest is named from its content (source and day), never from its file name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tui.parsing.digest import parse_digest
from tui.parsing.stream import open_digest

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
REF = dt.date(2026, 11, 21)


@pytest.mark.parametrize(
    ("prefix", "label"),
    [
        ("000", "HF Daily · 2026-04-22"),
        ("003", "alphaxiv · imported 2026-11-21"),
        ("004", "HF Trending · imported 2026-11-21"),
    ],
)
def test_seed_digests_are_named_by_source_and_day(prefix: str, label: str) -> None:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    assert parse_digest(path, reference_date=REF).label == label
    assert open_digest(path, reference_date=REF).label == label
