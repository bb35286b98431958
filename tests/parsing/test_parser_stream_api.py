"""open_digest(): errors up front or by line, entries read lazily, 100,000 entries in bounded memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from test_parser_bad_input import REF, seed_text

from tui.parsing import stream as parser_stream
from tui.parsing.digest import parse_digest
from tui.parsing.stream import open_digest
from tui.records import DigestError

ROOT = Path(__file__).resolve().parents[2]
SENTENCE = "We study sparse graph transformers and how attention scales with the size of the graph. "


BANNER = "Get trending papers in your email inbox once a day!\nGet trending papers in your email inbox!\nSubscribe\n"


def papers(count: int, tag: str = "") -> str:
    """Title and abstract (about a kilobyte) lines of `count` trending papers."""
    return "".join(f"Study {tag}{i} of Sparse Graphs\nCase {tag}{i}. {SENTENCE * 13}\n" for i in range(count))


def trending(count: int) -> str:
    """A format-C digest of `count` papers: lines 1-3 are the banner, paper i is on lines 4+2i and 5+2i."""
    return BANNER + papers(count)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize(
    "content",
    [b"", b"  \n\t\r\n", b"Daily Papers\n\x00\x01 binary", bytes(range(1, 32)) * 20, b"# README\n\nA tool.\n"],
    ids=["empty", "blank", "nul", "noise", "readme"],
)
def test_open_refuses_what_parse_digest_refuses(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(DigestError) as whole:
        parse_digest(path, REF)
    with pytest.raises(DigestError) as streamed:
        open_digest(path, REF)
    assert str(streamed.value) == str(whole.value)


def test_open_refuses_missing_files_and_folders(tmp_path: Path) -> None:
    with pytest.raises(DigestError, match="gone.txt: no such file"):
        open_digest(tmp_path / "gone.txt")
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(DigestError, match="dir.txt: is a directory"):
        open_digest(tmp_path / "dir.txt")


def test_format_date_and_hash_are_known_before_any_entry_is_read(tmp_path: Path) -> None:
    stream = open_digest(write(tmp_path / "daily.txt", seed_text("000")), REF)
    assert (stream.format, stream.digest_date, len(stream.content_hash), stream.skipped) == ("A", "2026-04-22", 64, [])
    first = next(stream.entries())
    assert first.seen[0].position == 1 and first.title == "Local Augmentation for Graph Neural Networks"


def test_entries_are_read_lazily_and_skips_fill_in_as_they_come(tmp_path: Path) -> None:
    text = trending(2000).replace("Study 5 of Sparse Graphs\n", "") + "Cut Off Title\n"
    path = write(tmp_path / "long.txt", text)
    with mock.patch("tui.parsing.stream.CHUNK_BYTES", 8192):
        stream = open_digest(path, REF)
        entries = stream.entries()
        head = [next(entries) for _ in range(3)]
        assert stream.bytes_read < parser_stream.SAMPLE_CHARS + 2 * 8192 < stream.size / 20
        assert stream.skipped == []
        rest = list(entries)
    assert [paper.seen[0].position for paper in head + rest] == list(range(1, 2000))
    assert [(s.line, s.reason.split(":")[0]) for s in stream.skipped] == [
        (14, "abstract without a title"),
        (4003, "cut off at end of file"),
    ]


def test_entries_can_be_read_again(tmp_path: Path) -> None:
    stream = open_digest(write(tmp_path / "b.txt", "Intro\n" + seed_text("003")), REF)
    first, second = list(stream.entries()), list(stream.entries())
    assert first == second and len(first) == 50 and len(stream.skipped) == 1


def test_a_nul_byte_further_on_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(trending(200).encode() + b"Late Title\nAn abstract with a \x00 in it.\n")
    stream = open_digest(path, REF)
    entries = stream.entries()
    assert len([next(entries) for _ in range(200)]) == 200
    with pytest.raises(DigestError) as caught:
        next(entries)
    assert str(caught.value) == "nul.txt:405: binary file, not a text digest"


def test_a_line_too_long_for_a_digest_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "long.txt", trending(100) + "x" * 5000 + "\n")
    with mock.patch("tui.parsing.stream.MAX_LINE", 2000), mock.patch("tui.parsing.stream.CHUNK_BYTES", 512):
        stream = open_digest(path, REF)
        with pytest.raises(DigestError, match=r"long.txt:204: line longer than 2,000 characters"):
            list(stream.entries())


def test_a_file_changed_after_opening_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "t.txt", trending(20))
    stream = open_digest(path, REF)
    write(path, trending(21))
    with pytest.raises(DigestError, match="t.txt: file changed while it was being read"):
        list(stream.entries())


def test_a_failure_midway_inside_a_format_becomes_a_digest_error(tmp_path: Path) -> None:
    stream = open_digest(write(tmp_path / "t.txt", trending(20)), REF)
    with mock.patch("tui.parsing.formats.hf_trending.extract_links", side_effect=[(), (), KeyError("boom")]):
        entries = stream.entries()
        assert len([next(entries), next(entries)]) == 2
        with pytest.raises(DigestError, match="t.txt: could not parse format C: 'boom'"):
            next(entries)


def test_a_digest_without_entries_is_reported_once_read(tmp_path: Path) -> None:
    stream = open_digest(write(tmp_path / "h.txt", "new\n\nSubscribe\n\nDaily Papers\n\nApr 22\n"), REF)
    assert (stream.format, stream.digest_date) == ("A", "2026-04-22")
    with pytest.raises(DigestError, match="format A recognised, but it holds no entries"):
        list(stream.entries())


def test_detection_reads_only_the_opening_of_a_long_digest(tmp_path: Path) -> None:
    # No banner, and the strict alternation of titles and abstracts breaks far into the file.
    text = papers(200).replace(f"Case 150. {SENTENCE * 13}\n", "") + "A Last Title Without Abstract\n"
    result = parse_digest(write(tmp_path / "bare.txt", text), REF)
    assert (result.format, len(result.entries)) == ("C", 199)
    assert [(s.line, s.reason.split(":")[0]) for s in result.skipped] == [
        (301, "title without abstract"),
        (400, "cut off at end of file"),
    ]


def test_files_far_beyond_the_old_limit_are_accepted(tmp_path: Path) -> None:
    with mock.patch("tui.parsing.stream.MAX_BYTES", 10):
        with pytest.raises(DigestError, match="too large"):
            open_digest(write(tmp_path / "t.txt", trending(10)))
    assert parser_stream.MAX_BYTES >= 2**32


STREAM_AND_COUNT = """
import json, resource, sys, time
from tui.parsing.stream import open_digest
started = time.perf_counter()
stream = open_digest(sys.argv[1])
count = sum(1 for _ in stream.entries())
seconds = time.perf_counter() - started
# ru_maxrss survives exec on Linux (a child of a big pytest process inherits its peak);
# VmHWM belongs to this process's own address space.
try:
    peak_kb = int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1])
except OSError:
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"count": count, "skipped": len(stream.skipped), "format": stream.format,
                  "seconds": seconds, "peak_mb": peak_kb / 1024}))
"""


@pytest.mark.slow
def test_a_100000_entry_digest_streams_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("w", encoding="utf-8") as file:
        file.write(BANNER)
        for block in range(100):
            file.write(papers(1000, tag=f"{block}-"))
    size_mb = path.stat().st_size / 2**20
    assert size_mb > 100
    done = subprocess.run([sys.executable, "-c", STREAM_AND_COUNT, str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    print(f"100,000 entries, {size_mb:.0f} MB: {report['seconds']:.1f} s, peak RSS {report['peak_mb']:.0f} MB")
    assert (report["count"], report["skipped"], report["format"]) == (100_000, 0, "C")
    assert report["peak_mb"] < 120
    assert report["seconds"] < 60
