"""The Markdown export reads columns, not Papers, and takes fast paths: it must write what the
Paper-by-Paper export wrote, byte for byte, whatever the text holds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tui.describe import who
from tui.library import export
from tui.library.export import export_library
from tui.library.state import Change
from tui.library.store import Library
from tui.records import Paper, ParseResult
from tui.tex import readable
from tui.textsafe import _CONTROL, _INVISIBLE, _named, _picture
from tui.vocabulary import View

from hostile_text import BAD


# -- the export as it was written before the fast paths, kept as the reference ------------------
def _printable_slow(text: str) -> str:
    return _INVISIBLE.sub(_named, _CONTROL.sub(_picture, text))


def _one_line_slow(text: str) -> str:
    return " ".join(_printable_slow(text).split())


def _shown_slow(text: str | None) -> str:
    return _one_line_slow(readable(text or "", (), single_line=True)[0])


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def _md_slow(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _shown_slow(text))


def _markdown_slow(papers: list[Paper], starred_only: bool) -> str:
    out_all = [f"# {'Reading list' if starred_only else 'Papers'} ({len(papers)} papers)\n"]
    for paper in papers:
        out = ["", f"## {_md_slow(paper.title)}", ""]
        byline = who(paper) or (f"submitted by {paper.submitter}" if paper.submitter else "")
        meta = [byline, paper.date or "", paper.category or "",
                f"{paper.upvotes} upvotes" if paper.upvotes is not None else "",
                "starred" if paper.starred else "", paper.status]
        out += [" · ".join(_md_slow(m) for m in meta if m), ""]
        if paper.tags:
            out += ["Tags: " + ", ".join(f"`{_one_line_slow(tag).replace('`', chr(39))}`" for tag in paper.tags), ""]
        out += [f"- <{_one_line_slow(link)}>" for link in paper.links] + ([""] if paper.links else [])
        if paper.abstract:
            out += [_md_slow(paper.abstract), ""]
        if paper.note:
            out += [f"> {line}" if line else ">" for line in _printable_slow(paper.note).splitlines()] + [""]
        out_all.append("\n".join(out[:-1]) + "\n")
    return "".join(out_all)


def _papers_in_order(library: Library, view: str) -> list[Paper]:
    ids = library.list_ids(View(view).flags, view)
    found = library.get_many(ids)
    return [found[i] for i in ids]


# -- a library with every kind of field ---------------------------------------------------------
PAPERS = (
    Paper(f"Title {BAD} end", f"Abstract {BAD} end", authors=(f"Ann {BAD}", "Bo"), date=f"2024-01-01{BAD}",
          category=f"cs.LG{BAD}", links=(f"https://github.com/a/b{BAD}x", "https://x.org/2"), upvotes=0),
    Paper("Costs of 100% {braces} & $O(n^2)$ #1 in C_2 ~ x^2 \\ back", r"With \emph{TeX}: 3.4\% and $\alpha$.",
          authors=(r"Ad\`ele Mar\'echal", "Anne-Marie O'Brien et al."), date="2024-05-01", upvotes=12,
          category="cs.CL", links=("https://x.org/a_b",)),
    Paper("Spaces  inside\tand\nnewlines", "  Leading, trailing and  double  spaces \u00a0 ", author_count=1),
    Paper("Markdown *stars* _under_ `ticks` [links](x) <html> # | pipes", "a~b and \\L ojasiewicz", author_count=9),
    Paper("A submitted paper", "Non-breaking Ref.~Smith [3] only", submitter="Brains [Build]"),
    Paper("Unicode 語 é \u2003 em space", "Zero\u200bwidth and \u202eoverride", authors=("  ", "José")),
)


@pytest.fixture
def varied(library: Library) -> Library:
    library.import_result(ParseResult("d.txt", "A", "2025-04-22", PAPERS, (), "h1"))
    ids = library.list_ids()
    library.set_starred(ids[0], True)
    library.set_starred(ids[2], True)
    library.set_note(ids[0], f"first line\n\n  indented [bold]x[/]\r\nlast {BAD}")
    library.set_note(ids[3], "one line")
    library.set_status(ids[1], "dismissed")
    library.apply([Change(ids[0], "tag+", "zeta"), Change(ids[0], "tag+", "éclair"), Change(ids[0], "tag+", "a`b"),
                   Change(ids[2], "tag+", "to-read")])
    return library


@pytest.mark.parametrize("starred_only", [False, True])
def test_the_markdown_export_writes_what_the_paper_by_paper_export_wrote(varied: Library, starred_only: bool) -> None:
    papers = _papers_in_order(varied, "starred" if starred_only else "all")
    assert export_library(varied, "markdown", starred_only) == _markdown_slow(papers, starred_only)
    assert "".join(export.to_markdown(papers, starred_only)) == _markdown_slow(papers, starred_only)


def test_a_markdown_export_of_many_papers_keeps_the_listing_order_across_batches(library: Library,
                                                                                  monkeypatch) -> None:
    monkeypatch.setattr(export, "BATCH", 3)
    papers = tuple(Paper(f"Paper {n}", f"about {n}", authors=(f"A{n}",), date=f"2024-01-{n % 28 + 1:02d}")
                   for n in range(10))
    library.import_result(ParseResult("d.txt", "A", "2025-04-22", papers, (), "h1"))
    library.import_result(ParseResult("e.txt", "A", "2025-04-23", papers[3:7], (), "h2"))
    library.apply([Change(pid, "tag+", "t") for pid in library.list_ids()[::2]])
    assert export_library(library, "markdown") == _markdown_slow(_papers_in_order(library, "all"), False)


def test_a_column_the_library_lacks_reads_as_null(library: Library) -> None:
    library.import_result(ParseResult("d.txt", "A", "2025-04-22", PAPERS[:2], (), "h1"))
    rows = [row for batch in library.listing_columns(("title", "no_such_column"), batch=1) for row in batch]
    assert sorted(rows) == sorted((paper.title, None) for paper in PAPERS[:2])


# -- the fast paths, against the slow ones ------------------------------------------------------
_FIELD = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(["a", "é", " ", "  ", "\t", "\n", "\u00a0", "\x1b", "\u202e", "\\", "$", "~", "{",
                              "\\emph{", "$x$", "\\%", "*", "_", "`", "[", "]", "<", ">", "#", "|", "·"]),
             max_size=20).map("".join),
)


@given(_FIELD)
@example(" a")
@example("a ")
@example("a  b")
@example("Smith~et al.")
@example("a\\b")
def test_a_field_reads_and_escapes_as_the_slow_path_does(text: str) -> None:
    assert export._shown(text) == _shown_slow(text)
    assert export._md(text) == _md_slow(text)
    assert export._md_escape(text) == _MD_SPECIAL.sub(r"\\\1", text)


@pytest.mark.parametrize("text", ['[]', '["a", "b"]', '["\\u00e9\\n", "\\"q\\""]', ' ["leading space"]', '["x"] ',
                                  '[1, null]', '{"a": 1}'])
def test_a_list_column_reads_as_json_loads_reads_it(text: str) -> None:
    assert list(export._json_list(text)) == list(json.loads(text))


@pytest.mark.parametrize("text", ['["x"] trailing', '["unclosed"', '', None])
def test_a_broken_list_column_fails_as_json_loads_fails(text) -> None:
    with pytest.raises(Exception) as expected:
        json.loads(text)
    with pytest.raises(type(expected.value)):
        export._json_list(text)
