"""Readable LaTeX and control characters, with highlight spans carried to the new text."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tui import tex
from tui.tex import readable, readable_text, tex_letters
from tui.records import Span


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        (r"costs $O(n^2)$ time", "costs O(n²) time"),
        (r"\emph{Non-uniqueness}: 3.4\% and", "Non-uniqueness: 3.4% and"),
        (r"\textbf{bold} and \textit{it}", "bold and it"),
        (r"$\alpha$-fair and $\beta_1$", "α-fair and β₁"),
        (r"$Q^\top Q = I$", "Qᵀ Q = I"),
        (r"$\widetilde{f}(x)\approx Q f(x)$", "f̃(x) ≈ Q f(x)"),
        (r"context$\unicode{x2013}$unlabeled", "context–unlabeled"),
        (r"(Polyak-\L ojasiewicz)", "(Polyak-Łojasiewicz)"),
        (r"\eg~progress, \ie the", "e.g. progress, i.e. the"),
        (r"$256\times 256$ and $2.5\times$ faster", "256 × 256 and 2.5× faster"),
        (r"$L^\infty$ and $x_{ij}$", "L^∞ and xᵢⱼ"),
        (r"$\frac{1}{2}$ and $\sqrt{n}$", "1/2 and √n"),
        (r"$\mathbb{R}^d$ and $\mathcal{O}(n)$", "ℝᵈ and O(n)"),
        (r"{\Psi} to analyze", "Ψ to analyze"),
        (r"at \url{https://github.com/a_b/c}", "at https://github.com/a_b/c"),
        (r"R\&D for \#1", "R&D for #1"),
    ],
)
def test_latex_reads_as_unicode(source, shown):
    assert readable_text(source) == shown


@pytest.mark.parametrize(
    "source",
    ["I have $5 and $10 dollars", r"\cite{foo} stays", "a [bold] b [/] c", "$", "$$", r"\emph{unclosed", "{}", "^_"],
)
def test_text_that_is_not_latex_stays(source):
    assert readable_text(source) == source


def test_control_characters_become_visible():
    assert readable_text("a\x1b[31mred\x07\x9b") == "a␛[31mred␇\\x9b"


def test_single_line_folds_whitespace_and_trims():
    assert readable_text("  a \n\t b  ", single_line=True) == "a b"


def test_spans_follow_the_words():
    text = r"We show $O(n^2)$ \emph{attention} costs"
    start = text.index("attention")
    shown, spans = readable(text, [Span(start, start + 9), Span(text.index("O("), text.index("O(") + 6)])
    assert [shown[s.start : s.end] for s in spans] == ["O(n²)", "attention"]


def test_spans_survive_folding_and_control_pictures():
    text = "x\x9b  \n attention  here"
    start = text.index("attention")
    shown, spans = readable(text, [Span(start, start + 9)], single_line=True)
    assert shown == "x\\x9b attention here"
    assert [shown[s.start : s.end] for s in spans] == ["attention"]


def test_overlapping_spans_merge():
    shown, spans = readable("abcdef", [Span(0, 3), Span(2, 5)])
    assert spans == (Span(0, 5),)


@given(st.text(alphabet=st.sampled_from(list("ab $\\{}^_~%&emphalt\x1b\n")), max_size=60),
       st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=4))
def test_never_raises_and_spans_stay_inside(text, pairs):
    spans = [Span(min(a, b), max(a, b)) for a, b in pairs]
    shown, moved = readable(text, spans)
    readable(text, spans, single_line=True)
    assert "\x1b" not in shown
    assert all(0 <= s.start < s.end <= len(shown) for s in moved)


def test_display_helpers_do_not_load_textual():
    import subprocess
    import sys

    code = "import sys, tui.tex; print(any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# -- the neutraliser every output shares --------------------------------------------------------
from hostile_text import dangerous  # noqa: E402

from tui.describe import citation, open_target  # noqa: E402
from tui.records import Paper  # noqa: E402
from tui import textsafe  # noqa: E402
from tui.textsafe import one_line, printable, safe_url  # noqa: E402

HOSTILE = ["\x1b]52;c;SEFDS0VF\x07", "\x1b]0;owned\x07", "\x1b[2J", "\u202e", "\u2066", "\u2069", "\u200b",
           "\u2028", "\x9b31m", "\x08", "\r"]


@pytest.mark.parametrize("bad", HOSTILE)
def test_no_control_or_invisible_character_survives_the_neutraliser(bad: str) -> None:
    for shown in (printable(f"a{bad}b"), one_line(f"a{bad}b")):
        assert not dangerous(shown), repr(shown)
        assert shown.startswith("a") and shown.endswith("b")


@pytest.mark.parametrize("bad", HOSTILE)
def test_a_link_stops_at_the_first_control_character(bad: str) -> None:
    paper = Paper(title=f"T{bad}", links=(f"https://github.com/x/y{bad}tail",))
    url = open_target(paper)
    assert url == "https://github.com/x/y" and safe_url(url) == url
    assert not dangerous(citation(paper))

@pytest.mark.parametrize(
    ("source", "shown"),
    [
        (r"Ad\`ele Mar\'echal", "Adèle Maréchal"),
        (r"D\k{a}browski and Pawe{\l} W\"{o}lk", "Dąbrowski and Paweł Wölk"),
        (r"Fran\c{c}ois, {\'E}cole, \v{S}imon, Erd\H{o}s", "François, École, Šimon, Erdős"),
        (r"Mart\'{\i}n and \^{o} \~n", "Martín and ô ñ"),
    ],
)
def test_tex_accents_read_as_letters(source, shown):
    assert readable_text(source) == shown
    assert tex_letters(source) == shown


def test_tex_letters_leaves_math_alone():
    assert tex_letters(r"$\alpha$ by Ad\`ele, \emph{x}") == r"$\alpha$ by Adèle, \emph{x}"
    assert tex_letters("plain text") == "plain text"


def test_spans_follow_an_accented_name():
    text = r"by Ad\`ele Smith"
    shown, spans = readable(text, [Span(3, 10)])
    assert [shown[s.start : s.end] for s in spans] == ["Adèle"]


def _join_by_characters(pieces, spans):
    """The former per-character mapping, kept as the reference for the bisecting one."""
    starts, ends = [], []
    for out, start, end in pieces:
        if len(out) == end - start:
            starts.extend(range(start, end))
            ends.extend(range(start + 1, end + 1))
        else:
            starts.extend([start] * len(out))
            ends.extend([end] * len(out))
    mapped = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        inside = [i for i in range(len(starts)) if starts[i] < span.end and ends[i] > span.start]
        if inside:
            new = Span(inside[0], inside[-1] + 1)
            if mapped and new.start <= mapped[-1].end:
                new = Span(mapped[-1].start, max(new.end, mapped[-1].end))
                mapped.pop()
            mapped.append(new)
    return "".join(out for out, _, _ in pieces), tuple(mapped)


@given(st.text(alphabet=st.sampled_from(list("ab $\\{}^_~%&emphaltk`'\"\x1b\n ")), max_size=60),
       st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=5), st.booleans())
def test_span_mapping_agrees_with_the_per_character_reference(text, pairs, single_line):
    spans = [Span(min(a, b), max(a, b)) for a, b in pairs]
    pieces = tex._text_pieces(text, 0, len(text))
    if single_line:
        pieces = tex._fold_whitespace(pieces)
    assert tex._join(pieces, spans) == _join_by_characters(pieces, spans)
    assert readable(text, spans, single_line) == tex._join(pieces, spans)


def test_a_huge_abstract_with_a_span_per_word_maps_every_span():
    # 96 KB of "graph graph ...": the per-character mapping took 23 s on this (16k spans).
    text = "graph " * 16_000 + r"$O(n)$"
    spans = [Span(i, i + 5) for i in range(0, 96_000, 6)]
    shown, moved = readable(text, spans, single_line=True)
    assert len(moved) == 16_000 and all(shown[s.start : s.end] == "graph" for s in moved)


def test_plain_text_takes_the_fast_path(monkeypatch):
    def fail(*args):
        raise AssertionError("plain text was scanned for TeX")

    monkeypatch.setattr(tex, "_text_pieces", fail)
    assert readable("plain words, 3.4% only", [Span(0, 5)]) == ("plain words, 3.4% only", (Span(0, 5),))
    assert readable_text("one line", single_line=True) == "one line"


_TEXISH = st.lists(st.sampled_from(list("ab1 $\\{}^_~%&\n\t\u00a0\u2028\x1b\u202e") +
                                   ["\\emph{", "\\alpha", "$x^2$", "\\'e", "\\%", "  "]), max_size=30).map("".join)


@given(_TEXISH, st.booleans())
def test_readable_text_reads_exactly_as_readable_does(text, single_line):
    # readable_text skips the position mapping (exports, features); the text must not change.
    assert readable_text(text, single_line=single_line) == readable(text, (), single_line)[0]


@given(st.text(max_size=60))
def test_printable_leaves_safe_text_alone_and_neutralises_the_rest(text):
    shown = printable(text)
    assert not any(0 <= ord(c) < 32 and c not in "\t\n" or 0x7f <= ord(c) <= 0x9f for c in shown)
    assert all(c not in shown for c in "\u202e\u2066\u200b\u2028")


_ALL_CHARACTERS = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)


def test_the_printable_fast_path_can_let_through_nothing_the_neutraliser_replaces():
    # printable and one_line return text unchanged when str.isprintable() says so: that is only
    # safe while every character they replace or fold is one isprintable refuses.
    assert [c for c in textsafe._UNSAFE.findall(_ALL_CHARACTERS) if c.isprintable()] == []
    assert [c for c in _ALL_CHARACTERS if c.isspace() and c.isprintable()] == [" "]


def _printable_slow(text: str) -> str:
    """The neutraliser without its fast path: every control and invisible character replaced."""
    return textsafe._INVISIBLE.sub(textsafe._named, textsafe._CONTROL.sub(textsafe._picture, text))


# Text made of what the fast paths must notice: runs of spaces, other white space, controls,
# invisible characters, and ordinary (also non-ASCII) letters around them; the printable-only
# mixes reach the fast paths themselves (a space at an end, a double space).
_PRINTABLE_PIECES = ["a", "é", "語", "$", " ", "  "]
_FOLDABLE = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(_PRINTABLE_PIECES), max_size=12).map("".join),
    st.lists(st.sampled_from(_PRINTABLE_PIECES + [
        "\t", "\n", "\r", "\x0b", "\x1c", "\x85", "\u00a0", "\u2003", "\u3000", "\u2028", "\u2029",
        "\u200b", "\u202e", "\ufeff", "\x1b[2J", "\x9b", "\x7f", "\x00", "\u00ad"]), max_size=30).map("".join),
)


@given(_FOLDABLE)
@example("")
@example(" ")
@example("a ")
@example(" a")
@example("a  b")
@example("a\tb")
@example("a\u00a0b")
def test_printable_and_one_line_give_what_the_slow_path_gives(text):
    assert printable(text) == _printable_slow(text)
    assert one_line(text) == " ".join(_printable_slow(text).split())


_TOKENISH = st.lists(st.sampled_from(list("ab.1 $\\{}~\n\x1b\u202e") + [
    "{\\'e}", "{\\Psi}", "\\k{a}", "\\c c", "\\unicode{x2013}", "\\emph{", "\\L ", "\\%", "a~b", "\\'{\\i}"]),
    max_size=25).map("".join)


@given(_TOKENISH, st.integers(0, 40), st.integers(0, 40))
def test_the_token_scan_finds_what_searching_with_the_whole_pattern_finds(text, a, b):
    # _next_text_token tries the pattern only where a token can start; the tokens must not change.
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    found, expected = tex._next_text_token(text, start, end), tex._TEXT_TOKEN.search(text, start, end)
    assert (found and (found.span(), found.groups())) == (expected and (expected.span(), expected.groups()))
