"""Turning a parsed query (`tui.search.query`) into Whoosh query objects, plus highlight terms.

Words search title (boosted), abstract, note, authors and orgs by their analysed forms.
The word being typed matches the `prefixes` field: one posting list per 2-4 letter prefix,
so a keystroke never expands thousands of terms; longer prefixes expand over whole words.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from whoosh import query

from tui.search.analysis import PREFIX_MAX, PREFIX_MIN, WORD_RE, fold_word, name_terms, prose_terms, stem_word
from tui.search.schema import AUTHOR_BOOST, TITLE_BOOST, arxiv_term, day_number, doi_term
from tui.search.expand import CappedFuzzy
from tui.search.matchers import ArrayPrefix, BestOf, CachedFilter, numeric_range
from tui.search.query import EXACT_FIELDS, Flag, Group, Not, ParsedQuery, Phrase, Range, Word, parse
from tui.search.ranges import date_range, number_range

PROSE_FIELDS = ("title", "abstract", "note")
NAME_FIELDS = ("authors", "orgs")
#: Score of a typed-prefix match (Frequency-weighted field: a constant per document).
PREFIX_BOOST = 2.0
_FIELD_BOOST = {"title": TITLE_BOOST, "authors": AUTHOR_BOOST, "orgs": AUTHOR_BOOST}
VIEW_FLAGS = {"inbox": "is:new", "starred": "is:starred"}
#: A new-style arXiv id (2303.00763, optionally with its version).
_ARXIV_ID_RE = re.compile(r"\d{4}\.\d{4,5}(?:v\d+)?", re.IGNORECASE)


@dataclass
class Highlights:
    """What to mark in titles and abstracts: stems, folded prefixes, fuzzy stems (stem, maxdist)."""

    stems: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    fuzzy: set[tuple[str, int]] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.stems or self.prefixes or self.fuzzy)


@dataclass
class Compiled:
    """A Whoosh query (None when nothing was asked), whether it scores, hints, highlight terms."""

    query: object | None
    scoring: bool
    hints: list[str]
    highlights: Highlights
    words: list[Word]
    too_short: bool = False
    had_words: bool = False
    unknown_fields: list[tuple[str, int]] = field(default_factory=list)


class Compiler:
    """Compiles one parsed query; `today` anchors relative dates.

    Given a `reader`, terms that do not occur in a field are left out of the query (a
    union over fewer fields is much cheaper to run). With `typing`, a word scores its best
    field instead of the sum over fields (see `BestOf`).
    """

    def __init__(self, today: datetime.date, reader=None, typing: bool = False,
                 expansions: dict[str, tuple[str, ...]] | None = None, prepared: dict | None = None) -> None:
        self.today = today
        #: Filters whose matching papers are already known, by flag name (a query standing for the set).
        self.prepared = prepared or {}
        self.reader = reader
        self.typing = typing
        #: Filters that stand for a list of queries (`is:watched`: any watch), by flag name.
        self.expansions = expansions or {}
        self.hints: list[str] = []
        self.highlights = Highlights()
        self.words: list[Word] = []
        self.too_short = False
        self.had_words = False

    def compile(self, parsed: ParsedQuery, view: str = "all") -> Compiled:
        self.hints.extend(parsed.hints)
        result = self._node(parsed.root, negated=False)
        kind, q = result if result else (None, None)
        if kind == "neg":
            q, kind = query.AndNot(query.Every(), q), "filter"
        flag = VIEW_FLAGS.get(view)
        if flag:
            view_q = query.Term("flags", flag)
            q, kind = (query.Require(q, CachedFilter(view_q)), kind) if kind == "score" else (
                query.And([q, view_q]) if q is not None else view_q, "filter")
        return Compiled(q, kind == "score", self.hints, self.highlights, self.words, self.too_short,
                        self.had_words, parsed.unknown_fields)

    # Nodes return (kind, query) with kind "score", "filter" or "neg", or None for "no constraint".

    def _node(self, node, negated: bool):
        if isinstance(node, Group):
            return self._group(node, negated)
        if isinstance(node, Not):
            inner = self._node(node.child, not negated)
            return ("neg", inner[1]) if inner and inner[0] != "neg" else (("score", inner[1]) if inner else None)
        if isinstance(node, Word):
            self.had_words = True
            return self._scored(self._word(node, negated))
        if isinstance(node, Phrase):
            self.had_words = True
            return self._scored(self._phrase(node, negated))
        if isinstance(node, Flag):
            if node.name in self.prepared:
                return "filter", self.prepared[node.name]
            if node.name in self.expansions:
                return "filter", self.expand(self.expansions[node.name])
            return "filter", query.Term("flags", node.name)
        if isinstance(node, Range):
            return self._range(node)
        return None

    def expand(self, texts: tuple[str, ...]):
        """Any of several queries, as one filter (NullQuery when there is none): `is:watched`.

        Each is compiled on its own, so its words never mark the search's own highlights.
        """
        options = []
        for text in texts:
            compiled = Compiler(self.today, self.reader).compile(parse(text))
            if compiled.query is not None:
                options.append(compiled.query)
        return _any(options) if options else query.NullQuery

    @staticmethod
    def _scored(q):
        return ("score", q) if q is not None else None

    def _group(self, node: Group, negated: bool):
        parts = [p for p in (self._node(c, negated) for c in node.children) if p]
        if not parts:
            return None
        if node.op == "or":
            qs = [query.AndNot(query.Every(), q) if k == "neg" else q for k, q in parts]
            kind = "score" if any(k == "score" for k, _ in parts) else "filter"
            return kind, (qs[0] if len(qs) == 1 else query.Or(qs))
        scoring = [q for k, q in parts if k == "score"]
        filters = [q for k, q in parts if k == "filter"]
        negatives = [q for k, q in parts if k == "neg"]
        q, kind = (_all(scoring), "score") if scoring else (None, None)
        if filters:
            q, kind = (query.Require(q, CachedFilter(_all(filters))), kind) if q is not None else (
                _all(filters), "filter")
        if negatives:
            if q is None:
                return "neg", _any(negatives)
            q = query.AndNot(q, _any(negatives))
        return kind, q

    def _word(self, word: Word, negated: bool):
        if word.field in EXACT_FIELDS:
            return _exact(word.field, word.text, (word.typing or word.prefix) and not negated)
        if word.typing and not negated:
            return self._typing(word)
        if word.prefix:
            return self._prefix(word, negated)
        if word.fuzzy:
            return self._fuzzy(word, negated)
        if word.field == "digests":
            return _digest(word.text)
        if not negated:
            self.words.append(word)
        pieces = WORD_RE.findall(word.text)
        return _all([q for q in (self._piece(p, word.field, negated) for p in pieces) if q is not None])

    def _piece(self, piece: str, field_name: str | None, negated: bool):
        """One word (no punctuation) in the default fields or in `field_name`."""
        if field_name == "digests":
            return _digest(piece)
        if field_name in NAME_FIELDS:
            return query.Term(field_name, fold_word(piece))
        stem = stem_word(piece)
        if not stem:
            return None
        if not negated and field_name in (None, "title", "abstract"):
            self.highlights.stems.add(stem)
        if field_name is not None:
            return query.Term(field_name, stem)
        options = _default_fields(stem, fold_word(piece))
        if _ARXIV_ID_RE.fullmatch(piece):  # a pasted arXiv id finds its paper without `id:`
            options.append(query.Term("arxiv", arxiv_term(piece), boost=TITLE_BOOST))
        return self._existing(options)

    def _existing(self, options: list):
        """The terms among `options` that occur in the index (all of them without a reader)."""
        if self.reader is not None:
            options = [q for q in options if self.reader.doc_frequency(q.fieldname, q.text)]
            if not options:
                return query.NullQuery
        if self.typing and len(options) > 1:
            return BestOf(options)
        return _any(options)

    def _typing(self, word: Word):
        """The unfinished last word: a prefix of title words and author surnames, or the
        whole word anywhere (a finished word without its space yet).

        Prefixes are matched in titles and names only: abstract-wide prefixes are what
        makes Whoosh slow. The prefix and whole-word parts count as one best-scoring field.
        """
        pieces = WORD_RE.findall(word.text)
        if not pieces:
            return None
        head = [self._piece(p, word.field, False) for p in pieces[:-1]]
        last = fold_word(pieces[-1])
        if len(last) < PREFIX_MIN:
            self.too_short = not any(q is not None for q in head)
            return _all([q for q in head if q is not None])
        self.highlights.prefixes.add(last)
        self.words.append(word)
        if word.field is None:
            prefix_q = (query.Term("prefixes", last, boost=PREFIX_BOOST) if len(last) <= PREFIX_MAX
                        else ArrayPrefix("prefixes", last, boost=PREFIX_BOOST))
            whole = self._piece(pieces[-1], None, False)
            if whole is not None and whole is not query.NullQuery:
                parts = list(whole.subqueries) if isinstance(whole, BestOf) else [whole]
                prefix_q = BestOf([prefix_q, *parts]) if self.typing else query.Or([prefix_q, whole])
        elif word.field in PROSE_FIELDS + NAME_FIELDS:
            whole = self._piece(pieces[-1], word.field, False)
            prefix_q = _any([ArrayPrefix(word.field, last, boost=_FIELD_BOOST.get(word.field, 1.0)), whole])
        else:
            prefix_q = self._piece(pieces[-1], word.field, False)
        return _all([q for q in head if q is not None] + [prefix_q])

    def _prefix(self, word: Word, negated: bool):
        text = fold_word(word.text)
        if len(text) < PREFIX_MIN:
            self.hints.append(f"{word.text}*: type at least {PREFIX_MIN} letters before *")
            return None
        if not negated:
            self.highlights.prefixes.add(text)
        fields = [word.field] if word.field else list(PROSE_FIELDS) + ["authors", "orgs"]
        return _any([ArrayPrefix(f, text, boost=_FIELD_BOOST.get(f, 1.0)) for f in fields])

    def _fuzzy(self, word: Word, negated: bool):
        pieces = WORD_RE.findall(word.text)
        if not pieces:
            return None
        stem, name = stem_word(pieces[0]) or pieces[0].lower(), fold_word(pieces[0])
        if not negated:
            self.highlights.fuzzy.add((stem, word.fuzzy))
        if word.field in NAME_FIELDS:
            return CappedFuzzy(word.field, name, maxdist=word.fuzzy, prefixlength=1)
        fields = [word.field] if word.field else ["title", "abstract", "note"]
        options = [CappedFuzzy(f, stem, boost=_FIELD_BOOST.get(f, 1.0), maxdist=word.fuzzy, prefixlength=1)
                   for f in fields]
        if not word.field:
            options.append(CappedFuzzy("authors", name, boost=AUTHOR_BOOST, maxdist=word.fuzzy, prefixlength=1))
        return _any(options)

    def _phrase(self, phrase: Phrase, negated: bool):
        if phrase.field in EXACT_FIELDS:
            return _exact(phrase.field, phrase.text, False)
        if phrase.field == "digests":
            return _digest(phrase.text.strip())
        if phrase.field in NAME_FIELDS:
            names = name_terms(phrase.text)
            return _phrase_query(phrase.field, names)
        stems = prose_terms(phrase.text)
        if not negated and phrase.field in (None, "title", "abstract"):
            self.highlights.stems.update(stems)
        if phrase.field is not None:
            return _phrase_query(phrase.field, stems)
        options = [_phrase_query(f, stems, _FIELD_BOOST.get(f, 1.0)) for f in PROSE_FIELDS]
        names = name_terms(phrase.text)
        if len(names) > 1:
            options.append(_phrase_query("authors", names, AUTHOR_BOOST))
        return _any([q for q in options if q is not None])

    def _range(self, node: Range):
        if node.field == "date":
            found = date_range(node.text, self.today)
            bounds = found and tuple(day_number(d) if d else None for d in found)
        else:
            bounds = number_range(node.text)
        label = {"author_count": "authors"}.get(node.field, node.field)
        if not bounds or (bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]):
            self.hints.append(f"{label}:{node.text} not understood, ignored")
            return None
        low = None if bounds[0] is None else min(max(bounds[0], 0), 65535)
        high = None if bounds[1] is None else min(max(bounds[1], 0), 65535)
        if high is not None and bounds[1] < 0:
            return "filter", query.NullQuery
        return "filter", numeric_range(node.field, 0 if low is None else low, 65535 if high is None else high)


def _default_fields(stem: str, name: str) -> list:
    """The terms of one word for BM25F over title (boosted), abstract, note, authors and orgs."""
    return [
        query.Term("title", stem, boost=TITLE_BOOST), query.Term("abstract", stem), query.Term("note", stem),
        query.Term("authors", name, boost=AUTHOR_BOOST), query.Term("orgs", name, boost=AUTHOR_BOOST),
    ]


def _phrase_query(field_name: str, terms: list[str], boost: float = 1.0):
    if not terms:
        return None
    if len(terms) == 1:
        return query.Term(field_name, terms[0], boost=boost)
    return query.Phrase(field_name, terms, boost=boost)


_EXACT_FORMS = {"arxiv": arxiv_term, "doi": doi_term, "category": lambda text: text.strip().lower(),
                "tags": lambda text: text.strip().lower()}


def _exact(field_name: str, text: str, typing: bool):
    """`cat:`, `id:`, `doi:` and `tag:`: the whole value is one term; while typing (or with `*`), a prefix of one."""
    term = _EXACT_FORMS[field_name](text)
    if not term:
        return None
    if typing:
        return query.Or([query.Term(field_name, term), ArrayPrefix(field_name, term)])
    return query.Term(field_name, term)


def _digest(text: str):
    value = text.lower()
    return query.Or([query.Term("digests", value), query.Term("digests", value.rsplit(".", 1)[0])])


def _all(qs: list):
    if not qs:
        return None
    return qs[0] if len(qs) == 1 else query.And(qs)


def _any(qs: list):
    if not qs:
        return None
    return qs[0] if len(qs) == 1 else query.Or(qs)
