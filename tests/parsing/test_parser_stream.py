"""Streaming a digest gives exactly what parsing it whole gives, in memory that does not grow with it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_parser_bad_input import seed_text
from test_parser_crafted import CRAFTED_A, CRAFTED_B, CRAFTED_C

from tui.parsing.formats.common import numbered_lines
from tui.parsing.digest import decode_bytes, parse_digest, parse_text
from tui.parsing.stream import decode_chunks, open_digest, split_lines
from tui.records import DigestError

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
REF = dt.date(2026, 11, 21)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252"]


def outcome(parse, *args) -> tuple:
    """Everything a parse gives that streaming must reproduce, or the error it raised."""
    try:
        result = parse(*args)
    except DigestError as error:
        return ("error", str(error))
    return (result.format, result.digest_date, tuple(result.entries), tuple(result.skipped))


def streamed(path: Path) -> tuple:
    """The same, read entry by entry through open_digest."""
    try:
        stream = open_digest(path, reference_date=REF)
        entries = tuple(stream.entries())
    except DigestError as error:
        return ("error", str(error))
    return (stream.format, stream.digest_date, entries, tuple(stream.skipped))


def assert_stream_matches(path: Path) -> None:
    """Streaming `path` equals parse_digest, and equals parsing its decoded text in memory."""
    expected = outcome(parse_digest, path, REF)
    assert streamed(path) == expected
    data = path.read_bytes()
    assert outcome(lambda: parse_text(decode_bytes(data, path.name), path.name, REF)) == expected


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda path: path.name[:3])
def test_seeds_stream_exactly_as_they_parse(seed: Path) -> None:
    stream = open_digest(seed, reference_date=REF)
    whole = parse_digest(seed, reference_date=REF)
    assert (stream.source, stream.format, stream.digest_date) == (whole.source, whole.format, whole.digest_date)
    assert stream.content_hash == whole.content_hash and stream.size == seed.stat().st_size
    assert stream.skipped == [] and tuple(stream.entries()) == whole.entries
    assert_stream_matches(seed)


def damaged(prefix: str, keep: int | None = None, drop: tuple[int, ...] = ()) -> str:
    """A seed digest cut after `keep` lines, or with the given (1-based) lines dropped."""
    lines = seed_text(prefix).split("\n")[:keep]
    return "\n".join(line for number, line in enumerate(lines, start=1) if number not in drop)


CRAFTED = {
    "A": CRAFTED_A,
    "B": CRAFTED_B,
    "C": CRAFTED_C,
    "A-cut": damaged("000", keep=21),
    "B-cut": damaged("003", keep=5),
    "C-cut": damaged("004", keep=5),
    "A-no-title": damaged("000", drop=(21, 22)),
    "A-no-abstract": damaged("000", drop=(23, 24, 25, 26, 27, 28)),
    "B-head-only": damaged("003", drop=(5, 6)),
    "C-no-title": damaged("004", drop=(5,)),
    "B-preamble": "Papers for you\n" + seed_text("003"),
    "A-header-only": "new\n\nSubscribe\n\nDaily Papers\n\nApr 22\n",
}


@pytest.mark.parametrize("name", list(CRAFTED))
@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("chunk", [7, 2**20])
def test_crafted_digests_stream_exactly(tmp_path: Path, name: str, encoding: str, chunk: int) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_bytes(CRAFTED[name].encode(encoding, errors="replace"))
    with mock.patch("tui.parsing.stream.CHUNK_BYTES", chunk):
        assert_stream_matches(path)


WORDS = st.sampled_from("graph sparse neural diffusion Attention LLM retrieval model 3D agents".split())
TITLES = st.lists(WORDS, min_size=1, max_size=6).map(lambda words: " ".join(words).capitalize())
ABSTRACTS = st.lists(WORDS, min_size=3, max_size=40).map(lambda words: " ".join(words).capitalize() + ".")
DATES = st.sampled_from(["Jan 26", "Feb 29", "Sep 8, 2021", "Dec 3 7", "Apr 14 5", "Jun 31"])


def daily(title: str, abstract: str, date: str, count: int) -> list[str]:
    # A title and abstract between metadata runs pair up whatever they look like.
    if count % 4 == 1:
        title, abstract = title + ".", abstract.rstrip(".")
    meta = [f"  \u2022 {count} authors", "\u00b7", date] if count else ["BrainsBuild BrainsBuild", "\u00b7", date]
    return [title, "", abstract, "", *meta, ""]


def alphaxiv(title: str, abstract: str, date: str, count: int) -> list[str]:
    authors = ", ".join(["Sharut Gupta", "Derek Lim", "Jos\u00e9 M\u00fcller"][: count % 3 + 1])
    head = f"LG{date.split(' ')[0]} {count % 28 + 1}, 2023{'Code' if count % 2 else ''}"
    return [head, f"{title}{authors}", abstract]


def trending(title: str, abstract: str, date: str, count: int) -> list[str]:
    return [title, abstract * (count % 3 + 1)]


FORMATS = {
    "A": (["new", "", "Subscribe", "", "Daily Papers", "", "Apr 22", ""], daily),
    "B": ([], alphaxiv),
    "C": (["Get trending papers in your email inbox!", "Subscribe"], trending),
}


@st.composite
def digests(draw, fmt: str) -> tuple[str, int | None]:
    """A digest in `fmt` with random entries, random line endings and maybe a few lines dropped.

    Also gives the number of entries, or None when lines were dropped.
    """
    header, entry = FORMATS[fmt]
    entries = draw(st.lists(st.tuples(TITLES, ABSTRACTS, DATES, st.integers(0, 9)), min_size=1, max_size=12))
    lines = header + [line for fields in entries for line in entry(*fields)]
    dropped = draw(st.sets(st.integers(0, len(lines) - 1), max_size=3))
    kept = [line for index, line in enumerate(lines) if index not in dropped]
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(kept) + draw(st.sampled_from(["", "\n", "\r\n\r\n"]))
    return text, None if dropped else len(entries)


@pytest.mark.parametrize("fmt", list(FORMATS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_digests_stream_exactly(tmp_path_factory, fmt: str, data) -> None:
    text, count = data.draw(digests(fmt))
    path = tmp_path_factory.mktemp(fmt) / "generated.txt"
    path.write_bytes(text.encode(data.draw(st.sampled_from(ENCODINGS)), errors="replace"))
    with mock.patch("tui.parsing.stream.CHUNK_BYTES", data.draw(st.sampled_from([1, 2, 5, 64, 2**20]))):
        stream = open_digest(path, reference_date=REF) if count else None
        if stream is not None:  # an undamaged digest: the property checked on the parse itself
            whole = parse_digest(path, reference_date=REF)
            assert (stream.format, len(whole.entries), whole.skipped) == (fmt, count, ())
            assert list(stream.entries()) == list(whole.entries) and stream.skipped == list(whole.skipped)
        assert_stream_matches(path)


HEADER = "Daily Papers\n\nApr 22\n\n"
META = "\u2022 3 authors\n\u00b7\nJan 5"
ALPHAXIV_ENTRY = "LGJan 5, 2024\nA TitleJ. Smith\nAn abstract.\n"


@pytest.mark.parametrize(
    ("text", "entries", "skipped"),
    [
        (
            f"{HEADER}A Title Ending With A Full Stop.\n\nShort abstract without stop\n\n{META}",
            [("A Title Ending With A Full Stop.", "Short abstract without stop", 3)],
            [],
        ),
        (
            f"{HEADER}A Title Ending With A Full Stop.\n\nShort abstract without stop\n",
            [("A Title Ending With A Full Stop.", "Short abstract without stop", None)],
            [],
        ),
        (
            f"{HEADER}T One.\n\nSome abstract.\n\nT Two\n\n{META}",
            [("T Two", "", 3)],
            [(5, "abstract without a title: 'T One.'"), (7, "abstract without a title: 'Some abstract.'")],
        ),
        (
            "Papers for you\nSorted by date\n" + ALPHAXIV_ENTRY * 2,
            [("A Title", "An abstract.", 1)] * 2,
            [(1, "text before the first entry: 'Papers for you'")],
        ),
    ],
    ids=["daily-two-units-any-shape", "daily-two-units-at-end", "daily-three-units", "alphaxiv-preamble"],
)
def test_streaming_readers_keep_the_whole_text_rules(tmp_path: Path, text: str, entries: list, skipped: list) -> None:
    path = tmp_path / "rules.txt"
    path.write_text(text, encoding="utf-8")
    stream = open_digest(path, REF)
    assert [(p.title, p.abstract, p.author_count) for p in stream.entries()] == entries
    assert [(s.line, s.reason) for s in stream.skipped] == skipped
    assert_stream_matches(path)


def _pieces(data, cuts: list[int]) -> list:
    """`data` cut at the given offsets."""
    cuts = sorted(set(cuts))
    return [data[start:end] for start, end in zip([0, *cuts], [*cuts, len(data)])]


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=1, max_size=300), st.lists(st.integers(0, 300), max_size=8))
def test_decoding_in_chunks_equals_decoding_whole(data: bytes, cuts: list[int]) -> None:
    data = data.replace(b"\x00", b"")  # decode_bytes refuses NUL bytes before decoding
    try:
        expected = decode_bytes(data, "b.bin")
    except DigestError as error:
        expected = str(error)
    try:
        got = "".join(decode_chunks(_pieces(data, cuts), "b.bin"))
    except DigestError as error:
        got = str(error)
    assert got == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \t\r\n\u2028\x85"), st.lists(st.integers(0, 60), max_size=8))
def test_lines_split_in_chunks_equal_numbered_lines(text: str, cuts: list[int]) -> None:
    lines = list(split_lines(_pieces(text, cuts), "t.txt"))
    assert [(number, line.strip()) for number, line in enumerate(lines, start=1)] == [
        (line.number, line.text) for line in numbered_lines(text)
    ]
