"""Readable display text: LaTeX fragments in titles and abstracts become Unicode, spans follow along."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from tui.records import Span
from tui.textsafe import INVISIBLE, printable

# One piece of output: the text written, and the source range [start, end) it stands for.
Piece = tuple[str, int, int]

GREEK = {
    **dict(zip("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
               "varsigma sigma tau upsilon phi chi psi omega".split(), "αβγδεζηθικλμνξοπρςστυφχψω")),
    **dict(zip("Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split(), "ΓΔΘΛΞΠΣΥΦΨΩ")),
    "varepsilon": "ε", "vartheta": "ϑ", "varphi": "φ", "varrho": "ϱ",
}
SYMBOLS = {
    **GREEK,
    "times": "×", "cdot": "·", "approx": "≈", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥",
    "neq": "≠", "ne": "≠", "infty": "∞", "to": "→", "rightarrow": "→", "leftarrow": "←",
    "Rightarrow": "⇒", "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆", "cup": "∪",
    "cap": "∩", "sum": "∑", "prod": "∏", "int": "∫", "partial": "∂", "nabla": "∇", "pm": "±",
    "mp": "∓", "sim": "∼", "propto": "∝", "langle": "⟨", "rangle": "⟩", "ldots": "…", "cdots": "⋯",
    "dots": "…", "forall": "∀", "exists": "∃", "emptyset": "∅", "top": "⊤", "perp": "⊥", "ell": "ℓ",
    "sqrt": "√", "mid": "|", "vert": "|", "Vert": "‖", "circ": "∘", "star": "⋆", "ast": "∗",
    "prime": "′", "div": "÷", "equiv": "≡", "gg": "≫", "ll": "≪", "quad": " ", "qquad": "  ",
    "log": "log", "exp": "exp", "min": "min", "max": "max", "arg": "arg", "lim": "lim",
    "left": "", "right": "", "big": "", "Big": "", "bigl": "", "bigr": "", "displaystyle": "",
}
BINARY = {"times", "cdot", "approx", "leq", "le", "geq", "ge", "neq", "ne", "to", "rightarrow",
          "Rightarrow", "in", "notin", "pm", "equiv", "sim", "propto", "subset", "subseteq", "mid"}
# Letter commands that swallow the space after them, as TeX does: `\L ojasiewicz` -> Łojasiewicz.
LETTERS = {"L": "Ł", "l": "ł", "o": "ø", "O": "Ø", "ss": "ß", "ae": "æ", "AE": "Æ", "aa": "å"}
ABBREVIATIONS = {"eg": "e.g.", "ie": "i.e.", "etc": "etc.", "vs": "vs.", "cf": "cf.", "etal": "et al."}
DOUBLE_STRUCK = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ"}
ACCENTS = {"widetilde": "\u0303", "tilde": "\u0303", "hat": "\u0302", "widehat": "\u0302",
           "bar": "\u0304", "overline": "\u0305", "vec": "\u20d7", "dot": "\u0307"}
# Commands whose braced argument is shown as plain text (the styling is dropped).
TEXT_GROUPS = {"emph", "textbf", "textit", "texttt", "textsc", "textrm", "textsf", "underline",
               "text", "mbox", "mathrm", "mathbf", "mathit", "mathcal", "mathsf", "mathtt",
               "operatorname", "boldsymbol", "bm", "mathbb", "url", *ACCENTS}

SUPERSCRIPTS = dict(zip("0123456789+-=()nijklmoprstuvwxyzabcdefghTAB",
                        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵃᵇᶜᵈᵉᶠᵍʰᵀᴬᴮ"))
SUPERSCRIPTS.update({"⊤": "ᵀ", "′": "′", "∗": "*", "*": "*"})
SUBSCRIPTS = dict(zip("0123456789+-=()aeoxhklmnpstijruv", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ"))

# Text-mode accents: `\\`e`, `\\'{e}`, `{\\"o}`, `\\k{a}`, `\\c c`, `\\'{\\i}` -> è é ö ą ç í.
# The letter commands (`\\k` ogonek, `\\c` cedilla, ...) take a braced letter or one after a space.
MARKS = {"`": "\u0300", "'": "\u0301", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
         ".": "\u0307", "k": "\u0328", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b",
         "r": "\u030a", "d": "\u0323", "b": "\u0331"}
_LETTER = r"(?:\\[ij](?![a-zA-Z])|[^\W\d_])"
_ACCENT = (r"\\(?:([`'^\"~=.])\s*(?:\{(" + _LETTER + r")\}|(" + _LETTER + r"))"
           r"|([kcvuHrdb])(?:\s*\{(" + _LETTER + r")\}| (" + _LETTER + r")))")
_ACCENT_RE = re.compile(r"\{" + _ACCENT + r"\}|" + _ACCENT)
# A quick test for text with nothing to transform (most titles and abstracts).
_NOTHING_TO_DO = re.compile(r"[\\$~{\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NOT_ONE_LINE = re.compile(r"\s\s|[^\S ]|^\s|\s$")

_MATH = re.compile(r"\$\$(.+?)\$\$|\$(?=[^\s$])([^$]*?[^\s$\\])\$", re.DOTALL)
_TEXT_TOKEN = re.compile(
    r"(?P<accent>" + _ACCENT_RE.pattern + r")|"   # accents: \`e, \k{a}, {\'e}
    r"\\unicode\{x([0-9a-fA-F]{1,6})\}"          # 1: \unicode{x2013}
    r"|\{\\([a-zA-Z]+)\}"                         # 2: {\Psi}
    r"|\\([a-zA-Z]+)\s*\{"                        # 3: \emph{ ... }
    r"|\\([a-zA-Z]+)( ?)"                         # 4, 5: \alpha, \L + swallowed space
    r"|\\([%&_#$])"                               # 6: \%
    r"|(?<=[A-Za-z.])~(?=[A-Za-z])"               # a TeX non-breaking space between words
    r"|([\x00-\x08\x0b-\x1f\x7f-\x9f" + INVISIBLE + "])"  # 7: control and invisible characters
)
# Where a text-mode token can start: each alternative above begins with one of these. Searching
# with the whole pattern tries every alternative at every character (~65 us per TeX abstract at
# export); a character-class scan finds each candidate and the pattern runs only there (~5 us).
_TEXT_TOKEN_START = re.compile(r"[\\{~\x00-\x08\x0b-\x1f\x7f-\x9f" + INVISIBLE + "]")
_MATH_TOKEN = re.compile(
    r"\\unicode\{x(?P<hex>[0-9a-fA-F]{1,6})\}"
    r"|\\(?P<group>[a-zA-Z]+)\s*\{"                 # \mathcal{ ... }
    r"|\\(?P<command>[a-zA-Z]+)(?P<space>\s*)"       # \alpha, \times
    r"|\\(?P<spacing>[,;:! ])"
    r"|\\(?P<escaped>[{}%$&_#|])"
    r"|(?P<script>[\^_])"
    r"|(?P<brace>[{}])"
    r"|(?P<tilde>~)"
    r"|(?P<control>[\x00-\x08\x0b-\x1f\x7f-\x9f" + INVISIBLE + "])"
)


def _as_it_is(text: str, single_line: bool) -> bool:
    """Text with nothing to transform (most of it) reads as it is."""
    return not _NOTHING_TO_DO.search(text) and not (single_line and _NOT_ONE_LINE.search(text))


def readable(text: str, spans: Iterable[Span] = (), single_line: bool = False) -> tuple[str, tuple[Span, ...]]:
    """Turn digest text into what a reader wants to see, moving highlight spans with it.

    `$O(n^2)$` becomes O(n²), `\\emph{x}` x, `\\%` %, `$\\alpha$` α; control characters
    become visible stand-ins (never terminal codes). With `single_line`, runs of whitespace
    fold to one space and the ends are trimmed. Spans index the source; the returned spans
    index the returned text. Text with nothing to transform (most of it) is returned as is.
    """
    if _as_it_is(text, single_line):
        return text, _join([(text, 0, len(text))], spans)[1]
    pieces = _text_pieces(text, 0, len(text))
    if single_line:
        pieces = _fold_whitespace(pieces)
    return _join(pieces, spans)


def readable_text(text: str, single_line: bool = False) -> str:
    """`readable` without spans: the same text, without mapping positions (exports, features)."""
    if _as_it_is(text, single_line):
        return text
    out = "".join(piece[0] for piece in _text_pieces(text, 0, len(text)))
    # `_fold_whitespace` without positions: runs of whitespace (even across pieces) become one space.
    return " ".join(out.split()) if single_line else out


def _join(pieces: list[Piece], spans: Iterable[Span]) -> tuple[str, tuple[Span, ...]]:
    """The output text, and each span moved onto the output characters standing for its source.

    A copied piece's characters stand for themselves, a transformed piece's all stand for
    its whole source range. Source ranges only grow from piece to piece, so each span finds
    its first and last output character by bisection: O((pieces + spans) log pieces).
    """
    shown = [piece for piece in pieces if piece[0]]
    offsets, position = [], 0
    for out, _, _ in shown:
        offsets.append(position)
        position += len(out)
    starts = [start for _, start, _ in shown]
    ends = [end for _, _, end in shown]
    mapped: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        new = _moved(span, shown, offsets, starts, ends)
        if new is None:
            continue
        if mapped and new.start <= mapped[-1].end:
            new = Span(mapped[-1].start, max(new.end, mapped[-1].end))
            mapped.pop()
        mapped.append(new)
    return "".join(out for out, _, _ in shown), tuple(mapped)


def _moved(span: Span, shown: list[Piece], offsets: list[int], starts: list[int], ends: list[int]) -> Span | None:
    """The output range of the characters whose source overlaps `span` (None if there are none)."""
    first, last = bisect_right(ends, span.start), bisect_left(starts, span.end) - 1
    if first > last:
        return None
    out, start, end = shown[first]
    low = offsets[first] + (max(span.start - start, 0) if len(out) == end - start else 0)
    out, start, end = shown[last]
    high = offsets[last] + (min(span.end - start, len(out)) if len(out) == end - start else len(out))
    return Span(low, high) if low < high else None


def _fold_whitespace(pieces: list[Piece]) -> list[Piece]:
    folded: list[Piece] = []
    for out, start, end in pieces:
        copied = len(out) == end - start
        offset = 0
        for part in re.split(r"(\s+)", out):
            here = (start + offset, start + offset + len(part)) if copied else (start, end)
            offset += len(part)
            if not part:
                continue
            if part.isspace():
                if not folded or folded[-1][0] == " ":
                    continue
                part = " "
            folded.append((part, *here))
    while folded and folded[-1][0] == " ":
        folded.pop()
    return folded


def _text_pieces(text: str, start: int, end: int) -> list[Piece]:
    """Text mode: math regions and TeX commands between `start` and `end`."""
    pieces: list[Piece] = []
    position = start
    for match in _MATH.finditer(text, start, end):
        pieces += _plain_pieces(text, position, match.start())
        group = 1 if match.group(1) is not None else 2
        pieces.append(("", match.start(), match.start(group)))
        pieces += _math_pieces(text, match.start(group), match.end(group))
        pieces.append(("", match.end(group), match.end()))
        position = match.end()
    return pieces + _plain_pieces(text, position, end)


def _plain_pieces(text: str, start: int, end: int) -> list[Piece]:
    pieces: list[Piece] = []
    position = start
    while True:
        match = _next_text_token(text, position, end)
        if match is None:
            break
        pieces.append((text[position : match.start()], position, match.start()))
        position = _text_token(text, match, end, pieces)
    pieces.append((text[position:end], position, end))
    return [piece for piece in pieces if piece[0] or piece[1] != piece[2]]


def _next_text_token(text: str, position: int, end: int) -> re.Match[str] | None:
    """`_TEXT_TOKEN.search(text, position, end)`, with the pattern tried only where a token can start."""
    while (candidate := _TEXT_TOKEN_START.search(text, position, end)) is not None:
        if match := _TEXT_TOKEN.match(text, candidate.start(), end):
            return match
        position = candidate.start() + 1
    return None


# The numbered groups of _TEXT_TOKEN after its leading accent group (1: \\unicode, 2: {\\Psi}, ...).
_SHIFT = 1 + _ACCENT_RE.groups


def _text_token(text: str, match: re.Match[str], end: int, pieces: list[Piece]) -> int:
    """Append what one text-mode token shows; return where scanning resumes."""
    here = (match.start(), match.end())

    def group(number: int) -> str | None:
        return match.group(number + _SHIFT)

    if match.group("accent"):
        pieces.append((accented(_ACCENT_RE.fullmatch(match.group("accent"))), *here))
    elif group(1):
        pieces.append((_unicode(group(1)), *here))
    elif group(2):
        name = group(2)
        pieces.append((LETTERS.get(name) or SYMBOLS.get(name, match.group()), *here))
    elif group(3):
        return _group(text, match, group(3), end, pieces, math=False)
    elif group(4):
        name = group(4)
        if name in LETTERS:
            pieces.append((LETTERS[name], *here))
        else:
            shown = ABBREVIATIONS.get(name) or GREEK.get(name) or SYMBOLS.get(name) or "\\" + name
            pieces.append((shown + group(5), *here))
    elif group(6):
        pieces.append((group(6), *here))
    elif group(7):
        pieces.append((printable(group(7)), *here))
    else:
        pieces.append((" ", *here))
    return match.end()


def accented(match: re.Match[str]) -> str:
    """The composed letter of one `_ACCENT_RE` match: `\\`e` -> è, `\\k{a}` -> ą, `\\'{\\i}` -> í."""
    mark, letter = next((m, l) for m, *letters in _accent_groups(match) if m for l in letters if l)
    letter = {"\\i": "ı", "\\j": "ȷ"}.get(letter, letter)
    if letter in "ıȷ" and mark not in "kcdb":  # an accent over a dotless i reads as the plain i
        letter = "i" if letter == "ı" else "j"
    return unicodedata.normalize("NFC", letter + MARKS[mark])


def _accent_groups(match: re.Match[str]):
    """(mark, braced letter, bare letter) for each of the four alternatives of `_ACCENT_RE`."""
    groups = match.groups()
    return [groups[i:i + 3] for i in range(0, len(groups), 3)]


def tex_letters(text: str) -> str:
    """Only the accents and letter commands of `text` as Unicode (`Ad\\`ele` -> Adèle,
    `Pawe{\\l}` -> Paweł); the rest is left as written. For search, which must not
    turn `$\\alpha$` into α (people type "alpha")."""
    if "\\" not in text:
        return text
    text = _ACCENT_RE.sub(accented, text)
    return _LETTER_RE.sub(lambda m: LETTERS[m.group(1) or m.group(2)], text)


_LETTER_RE = re.compile(r"\{\\(" + "|".join(LETTERS) + r")\}|\\(" + "|".join(LETTERS) + r")(?![a-zA-Z]) ?")


def _group(text: str, match: re.Match[str], name: str, end: int, pieces: list[Piece], math: bool) -> int:
    """`\\name{...}`: show the argument (styled commands), or keep the source if unknown."""
    close = _closing_brace(text, match.end(), end)
    if name not in TEXT_GROUPS or close is None:
        # Unknown command: in text show it as written; in math show its symbol or name.
        shown = SYMBOLS.get(name, name) if math else "\\" + name + "{"
        if math and name == "frac" and close is not None:
            shown = ""
            text_after = _closing_brace(text, close + 2, end) if text[close + 1 : close + 2] == "{" else None
            if text_after is not None:
                pieces += [("", match.start(), match.end()), *_math_pieces(text, match.end(), close),
                           ("/", close, close + 2), *_math_pieces(text, close + 2, text_after),
                           ("", text_after, text_after + 1)]
                return text_after + 1
        pieces.append((shown, match.start(), match.end()))
        return match.end()
    inner = match.end(), close
    if name == "url":
        body = [(text[inner[0] : inner[1]], *inner)]
    elif math or name in ACCENTS or name.startswith("math"):
        body = _math_pieces(text, *inner)
    else:
        body = _plain_pieces(text, *inner)
    if name == "mathbb":
        body = [(DOUBLE_STRUCK.get(out, out), s, e) for out, s, e in body]
    pieces.append(("", match.start(), match.end()))
    pieces += body
    pieces.append((ACCENTS.get(name, ""), close, close + 1))
    return close + 1


def _closing_brace(text: str, start: int, end: int) -> int | None:
    depth = 1
    for index in range(start, end):
        char = text[index]
        if char == "{" and text[index - 1] != "\\":
            depth += 1
        elif char == "}" and text[index - 1] != "\\":
            depth -= 1
            if depth == 0:
                return index
    return None


def _math_pieces(text: str, start: int, end: int) -> list[Piece]:
    """Math mode: symbols, scripts and groups between `start` and `end`."""
    pieces: list[Piece] = []
    position = start
    while True:
        match = _MATH_TOKEN.search(text, position, end)
        if match is None:
            break
        pieces.append((text[position : match.start()], position, match.start()))
        position = _math_token(text, match, end, pieces)
    pieces.append((text[position:end], position, end))
    return pieces


def _math_token(text: str, match: re.Match[str], end: int, pieces: list[Piece]) -> int:
    here = (match.start(), match.end())
    kind = match.lastgroup
    if kind == "hex":
        pieces.append((_unicode(match["hex"]), *here))
    elif kind == "group":
        return _group(text, match, match["group"], end, pieces, math=True)
    elif kind in ("command", "space"):
        pieces.append((_math_symbol(match, end, pieces), *here))
    elif kind == "spacing":
        pieces.append((" " if match["spacing"] in ";: " else "", *here))
    elif kind == "escaped":
        pieces.append((match["escaped"], *here))
    elif kind == "script":
        return _script(text, match, end, pieces)
    elif kind == "brace":
        pieces.append(("", *here))
    elif kind == "tilde":
        pieces.append((" ", *here))
    else:
        pieces.append((printable(match["control"]), *here))
    return match.end()


def _math_symbol(match: re.Match[str], end: int, pieces: list[Piece]) -> str:
    """A math command's symbol; binary operators get a space on each side, as TeX sets them."""
    name = match["command"]
    symbol = SYMBOLS.get(name, LETTERS.get(name, name))
    if name not in BINARY:
        wordlike = len(symbol) > 1 and symbol.isalpha()
        return symbol + (" " if match["space"] and wordlike and match.end() < end else "")
    if match.end() >= end:  # a trailing operator reads as a suffix: `$2.5\times$` -> 2.5×
        return symbol
    before = "".join(out for out, _, _ in pieces[-2:])
    return (" " if before and not before[-1].isspace() else "") + symbol + " "


def _script(text: str, match: re.Match[str], end: int, pieces: list[Piece]) -> int:
    """`^2`, `_{ij}`, `^\\top`: Unicode super/subscripts when every character has one."""
    sign = match["script"]
    table = SUPERSCRIPTS if sign == "^" else SUBSCRIPTS
    start = match.end()
    if start >= end:
        pieces.append((sign, *match.span()))
        return start
    if text[start] == "{":
        close = _closing_brace(text, start + 1, end)
        stop = end if close is None else close + 1
        inner = _math_pieces(text, start + 1, close if close is not None else end)
    else:
        command = re.match(r"\\[a-zA-Z]+", text[start:end])
        stop = start + (len(command.group()) if command else 1)
        inner = _math_pieces(text, start, stop)
    shown = "".join(out for out, _, _ in inner)
    if shown and all(char in table for char in shown):
        pieces.append((("".join(table[char] for char in shown)), match.start(), stop))
    else:
        wrapped = shown if len(shown) <= 1 else f"({shown})"
        pieces.append((sign + wrapped, match.start(), stop))
    return stop


def _unicode(hex_digits: str) -> str:
    code = int(hex_digits, 16)
    char = chr(code) if code <= 0x10FFFF else "\ufffd"
    return printable(char)
