"""Every real digest sample parses to its expected `parse --json` output, exactly."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tui.parsing.digest import parse_digest

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
REF = dt.date(2026, 11, 21)


def _samples() -> list[Path]:
    """Each sample digest that has an expected file beside it."""
    if not SAMPLES.is_dir():
        return []
    return sorted(p for p in SAMPLES.rglob("*") if p.is_file() and not p.name.endswith((".expected.json", ".md"))
                  and p.with_name(p.name.rsplit(".", 1)[0] + ".expected.json").exists())


@pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"samples folder {SAMPLES} is not present")
@pytest.mark.parametrize("path", _samples(), ids=lambda p: p.name)
def test_sample_parses_to_its_expected_json(path: Path) -> None:
    expected = json.loads(path.with_name(path.name.rsplit(".", 1)[0] + ".expected.json").read_text("utf-8"))
    result = parse_digest(path, reference_date=REF)
    assert [paper.to_json() for paper in result.entries] == expected


@pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"samples folder {SAMPLES} is not present")
def test_every_sample_has_a_content_label() -> None:
    for path in _samples():
        label = parse_digest(path, reference_date=REF).label
        assert label and path.stem not in label
