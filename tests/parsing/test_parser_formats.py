"""The bundled seed digests parse exactly, and survive changes of line endings and blank lines."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest

from tui.parsing.digest import parse_digest, parse_text
from tui.records import Sighting

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
REF = dt.date(2026, 11, 21)


def seed(prefix: str) -> Path:
    """The seed digest whose name starts with `prefix`."""
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.mark.parametrize(
    ("prefix", "fmt", "count", "digest_date"),
    [
        ("000", "A", 43, "2026-04-22"),
        ("001", "A", 32, "2026-01-06"),
        ("002", "A", 42, "2026-05-26"),
        ("003", "B", 50, None),
        ("004", "C", 207, None),
    ],
)
def test_seed_counts_formats_and_dates(prefix: str, fmt: str, count: int, digest_date: str | None) -> None:
    result = parse_digest(seed(prefix), reference_date=REF)
    assert (result.format, len(result.entries), result.skipped) == (fmt, count, ())
    assert result.digest_date == digest_date
    assert result.source == seed(prefix).name
    assert result.content_hash == hashlib.sha256(seed(prefix).read_bytes()).hexdigest()


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_entry_is_seen_once_at_its_position(prefix: str) -> None:
    result = parse_digest(seed(prefix), reference_date=REF)
    for position, paper in enumerate(result.entries, start=1):
        assert paper.seen == (Sighting(result.source, position, result.digest_date),)
        assert paper.title and paper.title == paper.title.strip()
        assert paper.abstract and paper.abstract == paper.abstract.strip()


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_detection_ignores_the_file_name(prefix: str, tmp_path: Path) -> None:
    renamed = tmp_path / "digest.md"
    renamed.write_bytes(seed(prefix).read_bytes())
    expected = parse_digest(seed(prefix), reference_date=REF)
    result = parse_digest(renamed, reference_date=REF)
    assert result.format == expected.format
    assert [p.title for p in result.entries] == [p.title for p in expected.entries]


def test_daily_first_entry_fields() -> None:
    first = parse_digest(seed("000"), reference_date=REF).entries[0]
    assert first.title == "Local Augmentation for Graph Neural Networks"
    assert first.abstract.startswith("Graph Neural Networks (GNNs) have achieved")
    assert first.abstract.endswith("https://github.com/SongtaoLiu0823/LAGNN.")
    assert (first.author_count, first.authors, first.date, first.upvotes) == (9, (), "2021-09-08", None)
    assert first.links == ("https://github.com/SongtaoLiu0823/LAGNN",)
    assert (first.category, first.has_code, first.orgs) == (None, None, ())


@pytest.mark.parametrize(
    ("prefix", "title_start", "date", "upvotes", "count"),
    [
        ("000", "LLaVA-Critic-R1", "2025-08-30", 1, 7),
        ("000", "CriticLean", "2025-07-08", 1, 19),
        ("000", "FloydNet", "2026-01-26", None, 3),
        ("000", "AILA--First", "2025-11-05", None, 1),
        ("000", "ModHiFi", None, None, None),
        ("002", "Gradient Boosting Reinforcement Learning", "2024-07-11", 2, 3),
        ("002", "Three-Phase Transformer", "2026-04-14", 5, None),
    ],
)
def test_daily_metadata_variants(prefix: str, title_start: str, date, upvotes, count) -> None:
    entries = parse_digest(seed(prefix), reference_date=REF).entries
    paper = next(p for p in entries if p.title.startswith(title_start))
    assert (paper.date, paper.upvotes, paper.author_count) == (date, upvotes, count)


def test_daily_entry_without_metadata_keeps_its_neighbours() -> None:
    titles = [p.title for p in parse_digest(seed("000"), reference_date=REF).entries]
    index = titles.index("ModHiFi: Identifying High Fidelity predictive components for Model Modification")
    assert titles[index + 1].startswith("Local Linear Attention: An Optimal Interpolation")
    assert titles[index - 1].startswith("ConR: Contrastive Regularizer")


def test_a_submitter_name_in_place_of_the_author_count_is_the_submitter() -> None:
    entries = parse_digest(seed("002"), reference_date=REF).entries
    paper = next(p for p in entries if p.title == "Three-Phase Transformer")
    assert paper.submitter == "BrainsBuild BrainsBuild"
    assert paper.authors == () and paper.author_count is None
    assert paper.to_json()["submitted_by"] == "BrainsBuild BrainsBuild"


def test_latex_and_text_are_kept_as_printed() -> None:
    first = parse_digest(seed("000"), reference_date=REF).entries[0]
    assert "3.4\\%" in first.abstract
    trending = parse_digest(seed("004"), reference_date=REF).entries
    assert trending[0].title == "Cascade R-CNN: Delving into High Quality Object Detection"
    assert trending[-1].title == "Newton-Cotes Graph Neural Networks: On the Time Evolution of Dynamic Systems"
    assert all(p.date is None and p.authors == () and p.upvotes is None for p in trending)


def test_alphaxiv_header_fields() -> None:
    entries = parse_digest(seed("003"), reference_date=REF).entries
    first, detector, retrieval = entries[0], entries[21], entries[17]
    assert (first.category, first.date, first.has_code) == ("LG", "2023-06-24", True)
    assert (detector.category, detector.date, detector.has_code) == ("INS-DET", "2023-02-07", False)
    assert (retrieval.category, retrieval.date, retrieval.has_code) == ("IR", "2026-05-28", False)
    assert entries[18].date == "2026-03-17" and entries[18].has_code is True


def _fields(result) -> list[tuple]:
    return [(p.title, p.abstract, p.date, p.upvotes, p.author_count, p.authors) for p in result.entries]


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
@pytest.mark.parametrize("damage", ["no-blank-lines", "date-glued-to-next-title"])
def test_daily_survives_lost_blank_lines(prefix: str, damage: str) -> None:
    text = seed(prefix).read_text(encoding="utf-8")
    if damage == "no-blank-lines":
        damaged = "\n".join(line for line in text.split("\n") if line.strip())
    else:
        damaged = re.sub(r"(\n\u00b7\n[^\n]+)\n\n", r"\1\n", text)
    expected = parse_digest(seed(prefix), reference_date=REF)
    result = parse_text(damaged, "damaged.txt", reference_date=REF)
    assert result.skipped == ()
    assert _fields(result) == _fields(expected)


TRANSFORMS = {
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "cr": lambda text: text.replace("\n", "\r"),
    "trailing-spaces": lambda text: text.replace("\n", "  \t\n"),
    "no-final-newline": lambda text: text.rstrip("\n"),
    "final-newlines": lambda text: text + "\n\n\n",
    "blank-lines-doubled": lambda text: text.replace("\n", "\n\n"),
    "bom": lambda text: "\ufeff" + text,
}


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_seeds_survive_whitespace_changes(prefix: str, name: str) -> None:
    expected = parse_digest(seed(prefix), reference_date=REF)
    changed = TRANSFORMS[name](seed(prefix).read_text(encoding="utf-8"))
    result = parse_text(changed, "changed.txt", reference_date=REF)
    assert (result.format, result.skipped, result.digest_date) == (expected.format, (), expected.digest_date)
    assert _fields(result) == _fields(expected)
    assert [p.orgs for p in result.entries] == [p.orgs for p in expected.entries]
