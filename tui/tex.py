"""Readable display text: LaTeX fragments in titles and abstracts become Unicode, spans follow along."""

from __future__ import annotations

import re
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

_MATH = re.compile(r"\$\$(.+?)\$\$|\$(?=[^\s$])([^$]*?[^\s$\\])\$", re.DOTALL)
_TEXT_TOKEN = re.compile(
    r"\\unicode\{x([0-9a-fA-F]{1,6})\}"          # 1: \unicode{x2013}
    r"|\{\\([a-zA-Z]+)\}"                         # 2: {\Psi}
    r"|\\([a-zA-Z]+)\s*\{"                        # 3: \emph{ ... }
    r"|\\([a-zA-Z]+)( ?)"                         # 4, 5: \alpha, \L + swallowed space
    r"|\\([%&_#$])"                               # 6: \%
    r"|(?<=[A-Za-z.])~(?=[A-Za-z])"               # a TeX non-breaking space between words
    r"|([\x00-\x08\x0b-\x1f\x7f-\x9f" + INVISIBLE + "])"  # 7: control and invisible characters
)
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


def readable(text: str, spans: Iterable[Span] = (), single_line: bool = False) -> tuple[str, tuple[Span, ...]]:
    """Turn digest text into what a reader wants to see, moving highlight spans with it.

    `$O(n^2)$` becomes O(n²), `\\emph{x}` x, `\\%` %, `$\\alpha$` α; control characters
    become visible stand-ins (never terminal codes). With `single_line`, runs of whitespace
    fold to one space and the ends are trimmed. Spans index the source; the returned spans
    index the returned text.
    """
    pieces = _text_pieces(text, 0, len(text))
    if single_line:
        pieces = _fold_whitespace(pieces)
    return _join(pieces, spans)


def readable_text(text: str, single_line: bool = False) -> str:
    """`readable` without spans."""
    return readable(text, (), single_line)[0]


def _join(pieces: list[Piece], spans: Iterable[Span]) -> tuple[str, tuple[Span, ...]]:
    starts: list[int] = []
    ends: list[int] = []
    for out, start, end in pieces:
        if len(out) == end - start:  # copied text: each character stands for itself
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
        match = _TEXT_TOKEN.search(text, position, end)
        if match is None:
            break
        pieces.append((text[position : match.start()], position, match.start()))
        position = _text_token(text, match, end, pieces)
    pieces.append((text[position:end], position, end))
    return [piece for piece in pieces if piece[0] or piece[1] != piece[2]]


def _text_token(text: str, match: re.Match[str], end: int, pieces: list[Piece]) -> int:
    """Append what one text-mode token shows; return where scanning resumes."""
    here = (match.start(), match.end())
    if match.group(1):
        pieces.append((_unicode(match.group(1)), *here))
    elif match.group(2):
        pieces.append((SYMBOLS.get(match.group(2), match.group()), *here))
    elif match.group(3):
        return _group(text, match, match.group(3), end, pieces, math=False)
    elif match.group(4):
        name = match.group(4)
        if name in LETTERS:
            pieces.append((LETTERS[name], *here))
        else:
            shown = ABBREVIATIONS.get(name) or GREEK.get(name) or SYMBOLS.get(name) or "\\" + name
            pieces.append((shown + match.group(5), *here))
    elif match.group(6):
        pieces.append((match.group(6), *here))
    elif match.group(7):
        pieces.append((printable(match.group(7)), *here))
    else:
        pieces.append((" ", *here))
    return match.end()


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
