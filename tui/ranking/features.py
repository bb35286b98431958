"""Turn a Paper into the sparse, namespaced features the "for you" model learns from."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from tui.records import Paper
from tui.tex import readable_text

# Abstracts are a few KB; anything longer is hostile or a parser slip, and the first 20,000
# characters (about 3,000 words) say all a topic model needs while keeping one paper cheap.
MAX_TEXT = 20_000
# Author lists of large collaborations run to hundreds; the first 30 carry the signal.
MAX_AUTHORS = 30

# Words and phrases go unprefixed (a word never holds a space or a colon, a phrase is two words
# and one space), which keeps the hot loops free of string building; the rest is prefixed.
AUTHOR = "a:"
"""Prefix of a normalised author name."""
CATEGORY = "c:"
"""Prefix of an arXiv category (primary or cross-list)."""

# English function words plus the filler every abstract uses ("we propose a novel method");
# they occur in kept and dismissed papers alike and would only add noise.
STOP_WORDS = frozenset("""
a about above across after again against all almost along also although always am among an and
another any are as at be because been before being below between both but by can could did do
does doing done down during each either else even ever every few for from further had has have
having he her here hers him his how however i if in into is it its itself just least less like
made make makes many may me might more most much must my neither no nor not now of off often on
once one only onto or other others our ours out over own per rather same several she should
since so some such than that the their theirs them then there therefore these they this those
though through thus to too toward towards under until up upon us very via was we well were what
when where whether which while who whom whose why will with within without would yet you your
paper papers propose proposed proposes present presents introduce introduces novel new approach
approaches method methods result results show shows shown demonstrate demonstrates work works
based using use used uses study studies existing however moreover furthermore respectively etc
first second third two three however e g i e et al code available github https http www com
""".split())

# TeX accent commands on one letter (`Ad\\`ele`, `Tr\\'{e}`, `\\c{c}`) and the combining mark
# each stands for; tui.tex leaves them as they are, but names must meet their Unicode spelling.
_ACCENT_MARKS = {"`": "\u0300", "'": "\u0301", "^": "\u0302", '"': "\u0308", "~": "\u0303",
                 "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
                 "c": "\u0327", "k": "\u0328"}
_ACCENT = re.compile(r"\\([`'^\"~=.]|[uvHck](?=[{ ]))\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))")
_TOKEN = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*|[.,;:!?()\[\]{}\"]")
_BREAK = frozenset(".,;:!?()[]{}\"")


@dataclass(frozen=True)
class Features:
    """One paper's features, by kind, so the model can weigh words, authors and categories apart.

    `text` holds words and phrases from title and abstract; `title` the subset seen in the title
    (they say most about the topic, so they count twice); `labels` maps an author or category
    feature to how it is shown to the user ("Jegelka", "cs.LG"); words and phrases are shown as they are keyed.
    """

    text: frozenset[str]
    title: frozenset[str]
    authors: frozenset[str]
    categories: frozenset[str]
    labels: tuple[tuple[str, str], ...] = ()

    @property
    def all(self) -> frozenset[str]:
        """Every feature of the paper, once."""
        return self.text | self.authors | self.categories


def kind(feature: str) -> str:
    """What a feature stands for: "author", "category", "phrase" or "word"."""
    if feature.startswith(AUTHOR):
        return "author"
    if feature.startswith(CATEGORY):
        return "category"
    return "phrase" if " " in feature else "word"


@lru_cache(maxsize=65_536)  # the distinct words of a large library fit; each costs ~100 bytes
def fold(word: str) -> str:
    """Light suffix folding: plurals only, so "transformers" meets "transformer" but
    "learning" keeps its meaning (a full stemmer merges too much for short texts)."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is", "ous")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def tex_accents(text: str) -> str:
    """`Ad\\`ele` -> `Adèle`: TeX accent commands become the accented letter."""
    def accented(match: re.Match[str]) -> str:
        letter = match.group(2) or match.group(3)
        return unicodedata.normalize("NFC", letter + _ACCENT_MARKS[match.group(1)])

    return _ACCENT.sub(accented, text) if "\\" in text else text


def _plain(text: str) -> str:
    """Casefolded Unicode text: TeX turned readable only when it may contain TeX (it costs)."""
    text = text[:MAX_TEXT]
    if "\\" in text or "$" in text:
        text = readable_text(tex_accents(text))
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text.casefold()


def _content(token: str) -> str:
    """The folded word a token stands for, or "" if it is not a content word."""
    if token in _BREAK or token in STOP_WORDS or len(token) < 2 or token.isdigit():
        return ""
    return fold(token)


class _TokenTable(dict):
    """token -> its folded word, or "" for a stop word, number or punctuation (which break
    phrases). A dict with `__missing__`, so mapping a known token costs one C-level look-up."""

    def __missing__(self, token: str) -> str:
        word = self[token] = _content(token)
        return word


_TOKENS = _TokenTable()
# Distinct tokens kept before the table starts afresh (a few MB; real vocabularies stay below).
_TOKENS_MAX = 200_000


def words_and_phrases(text: str) -> set[str]:
    """Content words and two-word phrases of `text`; phrases never span a stop word or a comma."""
    if len(_TOKENS) > _TOKENS_MAX:
        _TOKENS.clear()
    words = list(map(_TOKENS.__getitem__, _TOKEN.findall(_plain(text))))
    features = {f"{a} {b}" for a, b in zip(words, words[1:]) if a and b}
    features.update(words)
    features.discard("")
    return features


def author_key(name: str) -> tuple[str, str]:
    """The feature for an author name and its display form (the surname, TeX made readable).

    Accents are dropped from the key, so `Ad\\`ele`, `Adèle` and `Adele` are one author.
    """
    name = name[:200]  # longer is not a name; the cap keeps hostile input cheap
    plain = readable_text(tex_accents(name), single_line=True) if "\\" in name else " ".join(name.split())
    bare = "".join(c for c in unicodedata.normalize("NFKD", plain) if not unicodedata.combining(c))
    key = " ".join(re.findall(r"[^\W_]+", bare.casefold()))
    surname = plain.split()[-1] if plain.split() else plain
    return AUTHOR + key, surname


def category_key(category: str) -> str:
    """The feature for a category: "cs.LG" and the bare "LG" of some digests are one category."""
    code = category.strip().casefold()
    return CATEGORY + (code[3:] if code.startswith("cs.") else code)


def extract(paper: Paper) -> Features:
    """All features of one paper; never raises on odd text (empty, huge, control characters)."""
    title_text = str(paper.title or "")[:MAX_TEXT]  # records built by hand may carry None
    # A phrase never spans title and abstract, so the text's features are the union of the two.
    title = words_and_phrases(title_text)
    text = words_and_phrases(str(paper.abstract or "")[:MAX_TEXT]) | title
    authors: set[str] = set()
    labels: dict[str, str] = {}
    for name in tuple(paper.authors or ())[:MAX_AUTHORS]:
        key, surname = author_key(name) if isinstance(name, str) else (AUTHOR, "")
        if key != AUTHOR:
            authors.add(key)
            labels.setdefault(key, surname)
    cats: set[str] = set()
    for code in (paper.category, *(paper.categories or ())):
        if isinstance(code, str) and code.strip():
            cats.add(category_key(code))
            labels.setdefault(category_key(code), " ".join(code.split())[:40])
    return Features(frozenset(text), frozenset(title), frozenset(authors), frozenset(cats),
                    tuple(labels.items()))
