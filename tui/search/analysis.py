"""Tokenising, stemming and the fast Whoosh analyzers/formats the search index is built with.

Whoosh's stock analyzers chain Python generators per token, which dominates indexing time.
Here each field is analysed in one pass (one regex `findall` plus cached dict look-ups), and
the posting formats consume plain term lists instead of `Token` objects. The same functions
analyse query words and find highlight spans, so index, query and highlights always agree.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import defaultdict

from whoosh.analysis import STOP_WORDS, Analyzer, Token
from whoosh.columns import VarBytesColumn
from whoosh.fields import FieldType
from whoosh.formats import Existence, Positions
from whoosh.lang.porter import stem


#: A word: letters/digits/underscore, keeping inner dots ("3.5", "e.g").
WORD_RE = re.compile(r"\w+(?:\.\w+)*")
#: Shortest and longest title-word prefix indexed for search-as-you-type.
PREFIX_MIN, PREFIX_MAX = 2, 4
#: Position gap between the values of a multi-valued field (authors), so phrases never span two.
VALUE_GAP = 100
#: Entries a word cache holds before it starts again (a few tens of MB at most).
_CACHE_LIMIT = 400_000
#: Letters that Unicode does not decompose into a base letter plus an accent.
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŀ": "l", "ȷ": "j",
                               "æ": "ae", "œ": "oe", "ß": "ss", "þ": "th", "ð": "d"})
_ONE_POSITION: dict[int, bytes] = {}


class _StemCache(dict):
    """Lower-case word -> stem of its accent-folded form ('' for stop words and one-letter
    words), filled on demand. Folding first lets "Adele" find "Adèle" in a title too."""

    def __missing__(self, word: str) -> str:
        folded = _FOLDS[word]
        value = "" if len(folded) < 2 or folded in STOP_WORDS else stem(folded)
        if len(self) > _CACHE_LIMIT:
            self.clear()
        self[word] = value
        return value


class _FoldCache(dict):
    """Lower-case word -> the same word with accents removed ("bürgin" -> "burgin", "paweł" -> "pawel")."""

    def __missing__(self, word: str) -> str:
        value = word
        if not word.isascii():
            decomposed = unicodedata.normalize("NFKD", word).translate(_UNDECOMPOSED)
            value = "".join(c for c in decomposed if not unicodedata.combining(c)) or word
        if len(self) > _CACHE_LIMIT:
            self.clear()
        self[word] = value
        return value


class _FrequencyCache(dict):
    """Encoded Whoosh positions value -> its frequency."""

    def __missing__(self, encoded: bytes) -> int:
        value = Positions().decode_frequency(encoded)
        if len(self) > _CACHE_LIMIT:
            self.clear()
        self[encoded] = value
        return value


_FREQUENCIES = _FrequencyCache()
_STEMS = _StemCache()
_FOLDS = _FoldCache()


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Levenshtein distance of two words; past `limit` it stops early and returns `limit + 1`."""
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        if limit is not None and min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def stem_word(word: str) -> str:
    """The index form of one prose word ('' if it is a stop word or too short)."""
    return _STEMS[word.lower()]


def fold_word(word: str) -> str:
    """The index form of one name word: lower case without accents."""
    return _FOLDS[word.lower()]


def tex_letters(text: str) -> str:
    """`tui.tex.tex_letters`; its tables are loaded at the first text with a backslash (a plain
    search never needs them)."""
    if "\\" not in text:
        return text
    from tui.tex import tex_letters as letters

    return letters(text)


def prose_terms(text: str) -> list[str]:
    """Stemmed terms of prose (title, abstract, note), stop words dropped; TeX accents read as letters."""
    return list(filter(None, map(_STEMS.__getitem__, WORD_RE.findall(tex_letters(text).lower()))))


def name_terms(text: str) -> list[str]:
    """Terms of names and labels (authors, orgs): folded, unstemmed, nothing dropped (`Ad\\`ele` -> adele)."""
    return list(map(_FOLDS.__getitem__, WORD_RE.findall(tex_letters(text).lower())))


def title_prefixes(title: str, names: tuple[str, ...] = ()) -> set[str]:
    """Typing prefixes of a title and its authors' surnames (folded, unstemmed).

    Each word contributes its 2..PREFIX_MAX-letter prefixes and itself; longer typed
    prefixes are matched by expanding over the whole words.
    """
    words = {w for w in WORD_RE.findall(tex_letters(title).lower()) if w not in STOP_WORDS}
    words.update(tex_letters(name).rsplit(None, 1)[-1].lower() for name in names if name.strip())
    out = set()
    for word in words:
        word = _FOLDS[word]
        out.add(word)
        out.update(word[:n] for n in range(PREFIX_MIN, min(len(word), PREFIX_MAX + 1)))
    return out


_KINDS = {"prose": prose_terms, "name": name_terms}


class TermsAnalyzer(Analyzer):
    """A Whoosh analyzer over one of the term functions above (kind: 'prose' or 'name').

    Whoosh calls it for query-time helpers (key terms, more-like-this); indexing goes
    through `terms()` via the formats below, without per-token objects.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def terms(self, value) -> list[str]:
        """Terms of a string, or of each string in a list/tuple."""
        if isinstance(value, str):
            return _KINDS[self.kind](value)
        return [t for v in value for t in _KINDS[self.kind](v)]

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        text = value if isinstance(value, str) else " ".join(value)
        function = _STEMS if self.kind == "prose" else _FOLDS
        pos = start_pos
        for match in WORD_RE.finditer(text):
            term = function[match.group().lower()]
            if not term:
                continue
            token.text = token.original = term
            token.boost, token.stopped = 1.0, False
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


def add_postings(buckets: dict, terms, docnum: int) -> None:
    """Record `docnum` under each term: an int while seen once, then an array of docnums."""
    for word in terms:
        entry = buckets.get(word)
        if entry is None:
            buckets[word] = docnum
        elif type(entry) is int:
            buckets[word] = array("I", (entry, docnum))
        else:
            entry.append(docnum)


class TermPositions(Positions):
    """Positions format fed by `TermsAnalyzer.terms`; list values get a gap between items.

    Encodes exactly like Whoosh's `Positions` (the one-position case cached). `collect()`
    is the bulk builder's fast path: postings go straight into per-term buckets.
    """

    def _positions(self, value, analyzer) -> tuple[dict[str, list[int]], int]:
        poses = defaultdict(list)
        values = [value] if isinstance(value, str) else value
        base = length = 0
        for item in values:
            terms = analyzer.terms(item)
            for pos, term in enumerate(terms, base):
                poses[term].append(pos)
            base += len(terms) + VALUE_GAP
            length += len(terms)
        return poses, length

    def word_values(self, value, analyzer, **kwargs):
        boost, encode = self.field_boost, self.encode
        poses = self._positions(value, analyzer)[0]
        return [(word, len(poslist), len(poslist) * boost, encode(poslist)) for word, poslist in poses.items()]

    def collect(self, value, analyzer, docnum: int, buckets: dict) -> int:
        """Add one document's postings to `buckets`; returns the field length.

        A term seen once is kept as (docnum, value), from the second time on as
        (docnums array, values list): most terms occur in one paper only.
        """
        poses, length = self._positions(value, analyzer)
        encode, single = self.encode, _ONE_POSITION.get
        for word, poslist in poses.items():
            encoded = (single(poslist[0]) if len(poslist) == 1 else None) or encode(poslist)
            entry = buckets.get(word)
            if entry is None:
                buckets[word] = (docnum, encoded)
            elif type(entry[0]) is int:
                buckets[word] = (array("I", (entry[0], docnum)), [entry[1], encoded])
            else:
                entry[0].append(docnum)
                entry[1].append(encoded)
        return length

    def weights(self, values, count: int) -> array:
        """Posting weights (frequency x boost) recovered from encoded values."""
        weights = array("f", map(_FREQUENCIES.__getitem__, values))
        if self.field_boost != 1.0:
            weights = array("f", (w * self.field_boost for w in weights))
        return weights

    def encode(self, poslist):
        if len(poslist) == 1:
            found = _ONE_POSITION.get(poslist[0])
            if found is None:
                found = _ONE_POSITION[poslist[0]] = Positions.encode(self, poslist)
            return found
        return Positions.encode(self, poslist)


class TermSet(Existence):
    """Existence format for values that are already a collection of distinct terms."""

    def word_values(self, value, analyzer, **kwargs):
        boost = self.field_boost
        terms = (value,) if isinstance(value, str) else value
        return [(word, 1, boost, b"") for word in terms]

    def collect(self, value, analyzer, docnum: int, buckets: dict) -> int:
        """Add one document's postings to `buckets` (term -> docnum, then docnums array)."""
        terms = (value,) if isinstance(value, str) else value
        add_postings(buckets, terms, docnum)
        return len(terms)

    def weights(self, values, count: int) -> array:
        return array("f", (self.field_boost,)) * count


class TermsField(FieldType):
    """A field analysed by the term functions above; `index()` returns a list, not a generator.

    With `column=True` the text is also kept, uncompressed, in a per-document column
    (cheaper to write than a stored field, and readable by document number).
    """

    def __init__(self, format, analyzer, scorable=False, column=False):
        super().__init__(format, analyzer, scorable=scorable, stored=False)
        self.column_type = VarBytesColumn() if column else None

    def to_column_value(self, value):
        return value.encode("utf-8")

    def from_column_value(self, value):
        return value.decode("utf-8")

    def index(self, value, **kwargs):
        return [(word.encode("utf-8"), freq, weight, encoded)
                for word, freq, weight, encoded in self.format.word_values(value, self.analyzer)]
