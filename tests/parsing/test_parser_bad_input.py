"""Files that are not digests, or damaged ones: one clear DigestError, or a partial result."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.parsing.digest import NOT_A_DIGEST, decode_bytes, parse_digest, parse_text
from tui.records import DigestError, ParseResult

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
REF = dt.date(2026, 11, 21)


def seed_text(prefix: str) -> str:
    """The text of the seed digest whose name starts with `prefix`."""
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def error_for(path: Path) -> DigestError:
    """The DigestError that parsing `path` raises."""
    with pytest.raises(DigestError) as caught:
        parse_digest(path, reference_date=REF)
    return caught.value


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\r\n   \n", "empty file (only whitespace)"),
        ("nul.bin", b"Daily Papers\n\x00\x01\x02 binary", "binary file, not a text digest"),
        ("noise.bin", bytes(range(1, 32)) * 20 + b"abc", "binary file, not a text digest"),
        ("README.md", b"# paper-reader\n\nA reader.\n\n## Install\n\n    make run\n", NOT_A_DIGEST),
        ("tool.py", b'"""Doc."""\n\nimport os\n\n\ndef main():\n    return os.getcwd()\n', NOT_A_DIGEST),
    ],
)
def test_unreadable_content_names_the_file(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    error = error_for(path)
    assert (error.source, error.message) == (name, message)
    assert str(error) == f"{name}: {message}" and "\n" not in str(error)


def test_missing_file(tmp_path: Path) -> None:
    error = error_for(tmp_path / "gone.txt")
    assert str(error) == "gone.txt: no such file"


def test_directory(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    assert str(error_for(tmp_path / "folder.txt")) == "folder.txt: is a directory, not a digest file"


def test_header_only_digest_has_no_entries() -> None:
    header = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\nApr 22\n"
    with pytest.raises(DigestError, match="holds no entries"):
        parse_text(header, "head.txt", REF)


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        ("Müller “quoted” – naïve €".encode("cp1252"), "Müller “quoted” – naïve €"),
        ("José Müller, Ærø".encode("latin-1"), "José Müller, Ærø"),
        ("\ufeffDaily Papers Müller".encode("utf-8"), "Daily Papers Müller"),
        ("Müller".encode("utf-8"), "Müller"),
        ("Müller “x”".encode("utf-16"), "Müller “x”"),
        (b"caf\xe9 \x81", "café \x81"),
        ("Bürgin ".encode("utf-8") + "Müller “q”".encode("cp1252"), "Bürgin Müller “q”"),
    ],
)
def test_decode_bytes(encoded: bytes, expected: str) -> None:
    assert decode_bytes(encoded, "x.txt") == expected


def test_cp1252_digest_comes_out_right(tmp_path: Path) -> None:
    text = seed_text("003").replace("Vincent Bürgin", "Vincent Müller").replace("learning", "“learning”", 1)
    path = tmp_path / "cp1252.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode("cp1252", errors="replace"))
    result = parse_digest(path, reference_date=REF)
    assert result.entries[3].authors[0] == "Vincent Müller"
    assert "“learning”" in result.entries[0].abstract
    assert len(result.entries) == 50


def test_utf8_bom_digest(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + seed_text("004").encode("utf-8"))
    result = parse_digest(path, reference_date=REF)
    assert (result.format, len(result.entries)) == ("C", 207)
    assert result.entries[0].title == "Cascade R-CNN: Delving into High Quality Object Detection"


def _cut(prefix: str, keep_lines: int) -> str:
    return "\n".join(seed_text(prefix).split("\n")[:keep_lines])


@pytest.mark.parametrize(
    ("prefix", "keep", "entries", "line", "reason"),
    [
        ("000", 21, 1, 21, "cut off at end of file: title without abstract"),
        ("003", 5, 1, 4, "cut off at end of file: 2 of 3 lines"),
        ("003", 4, 1, 4, "cut off at end of file: 1 of 3 lines"),
        ("004", 5, 1, 5, "cut off at end of file: title without abstract"),
    ],
)
def test_digest_cut_off_mid_entry(prefix: str, keep: int, entries: int, line: int, reason: str) -> None:
    result = parse_text(_cut(prefix, keep), "cut.txt", REF)
    assert len(result.entries) == entries
    (skipped,) = result.skipped
    assert skipped.line == line and skipped.reason.startswith(reason)


def _drop(prefix: str, *line_numbers: int) -> str:
    lines = seed_text(prefix).split("\n")
    return "\n".join(line for number, line in enumerate(lines, start=1) if number not in line_numbers)


@pytest.mark.parametrize(
    ("text", "entries", "line", "reason"),
    [
        (_drop("003", 6), 49, 4, "incomplete entry: 2 of 3 lines"),
        (_drop("003", 5, 6), 49, 4, "incomplete entry: 1 of 3 lines"),
        (_drop("004", 6), 206, 5, "title without abstract"),
        (_drop("004", 5), 206, 5, "abstract without a title"),
        (_drop("000", 21, 22), 42, 21, "abstract without a title"),
        (_drop("000", 23, 24, 25, 26, 27, 28), 42, 21, "no abstract: title without abstract"),
    ],
    ids=["B-no-abstract", "B-head-only", "C-no-abstract", "C-no-title", "A-no-title", "A-no-abstract-or-meta"],
)
def test_damaged_entry_in_the_middle_is_skipped(text: str, entries: int, line: int, reason: str) -> None:
    result = parse_text(text, "damaged.txt", REF)
    assert len(result.entries) == entries
    (skipped,) = result.skipped
    assert skipped.line == line and skipped.reason.startswith(reason)
    assert "damaged.txt" in result.report() and f"line {line}" in result.report()


def test_text_before_the_first_alphaxiv_entry_is_reported() -> None:
    result = parse_text("Papers for you\n" + seed_text("003"), "b.txt", REF)
    assert len(result.entries) == 50
    assert [(s.line, s.reason.split(":")[0]) for s in result.skipped] == [(1, "text before the first entry")]


EXPECTED_MESSAGES = {"empty file", "empty file (only whitespace)", "binary file, not a text digest", NOT_A_DIGEST}
#: How the byte-level formats (JSON, XML, mail) refuse what they cannot read.
DOCUMENT_MESSAGES = ("JSON object, not a list", "not a JSON list", "not a readable XML feed", "unsafe XML refused",
                     "Hugging Face answered with an error", "the arXiv API answered with an error", "mbox without")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_parses_or_raises_digest_error(text: str) -> None:
    try:
        result = parse_text(text, "fuzz.txt", REF)
    except DigestError as error:
        assert (error.message in EXPECTED_MESSAGES or "holds no entries" in error.message
                or error.message.startswith(DOCUMENT_MESSAGES))
        assert "\n" not in str(error)
    else:
        assert isinstance(result, ParseResult)


FRAGMENTS = st.sampled_from(
    seed_text("000").split("\n")[:60] + seed_text("003").split("\n")[:12] + seed_text("004").split("\n")[:12]
    + ["", "  \u2022 3 authors", "\u00b7", "Jan 26", "Feb 29 9", "LGMar 3Code", "Subscribe", "\r", "et al. \u00b7 mit"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS, max_size=40), st.sampled_from(["\n", "\r\n", "\r"]))
def test_shuffled_digest_lines_parse_or_raise_digest_error(lines: list[str], newline: str) -> None:
    try:
        result = parse_text(newline.join(lines), "shuffled.txt", REF)
    except DigestError as error:
        assert (error.message in EXPECTED_MESSAGES or "holds no entries" in error.message
                or error.message.startswith(DOCUMENT_MESSAGES))
        assert "\n" not in str(error)
    else:
        assert all(paper.title for paper in result.entries)


def test_parser_loads_no_ui_or_index_modules() -> None:
    code = (
        "import sys, tui.parsing.digest\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich', 'whoosh'})\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_decode_and_parse_or_raise_digest_error(data: bytes) -> None:
    try:
        parse_text(decode_bytes(data, "bytes.bin"), "bytes.bin", REF)
    except DigestError as error:
        assert error.source == "bytes.bin"


def test_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tui.parsing.stream.MAX_BYTES", 10)
    path = tmp_path / "big.txt"
    path.write_text("x" * 100)
    assert "too large" in str(error_for(path))


def test_an_unexpected_failure_inside_a_format_becomes_a_digest_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(lines, reference: dt.date):
        raise AttributeError("boom\nsecond line")

    monkeypatch.setattr("tui.parsing.formats.hf_trending.read", broken)
    with pytest.raises(DigestError) as caught:
        parse_text(seed_text("004"), "t.txt", REF)
    assert str(caught.value) == "t.txt: could not parse format C: boom second line"
