"""Corrections for the search box: "did you mean" from the library's own words, and the real
field for an unknown one (`year:` -> `date:`).
"""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING

from whoosh import query

from tui.search.analysis import WORD_RE, edit_distance, fold_word, stem_word
from tui.search.compile import Compiled
from tui.search.query import FIELD_HINTS, FLAGS, RANGE_FIELDS, TEXT_FIELDS

if TYPE_CHECKING:
    from tui.search.collect import Rows

#: How many times more frequent a correction two edits away must be than one a single edit away.
NEAR_PENALTY = 10


def suggest(searcher, rows: Rows, text: str, compiled: Compiled) -> str | None:
    """The query with unknown words replaced by the closest words of the library, or None."""
    reader = searcher.reader()
    replacements = []
    for word in compiled.words:
        if word.field not in (None, "title", "abstract", "note"):
            continue
        for match in WORD_RE.finditer(word.text):
            piece = match.group()
            stem = stem_word(piece)
            if not stem or _known(reader, stem, piece):
                continue
            better = _closest_word(searcher, rows, piece, stem)
            if better:
                start = word.start + match.start()
                replacements.append((start, start + len(piece), better))
    if not replacements:
        return None
    for start, end, better in sorted(replacements, reverse=True):
        text = text[:start] + better + text[end:]
    return text


def known_field(name: str) -> str | None:
    """The real field an unknown field name most likely means (`year` -> `date`), or None."""
    name = name.lower()
    if name in FIELD_HINTS:
        return FIELD_HINTS[name]
    names = sorted(known for known in {*TEXT_FIELDS, *RANGE_FIELDS, *FLAGS} if len(known) > 2)
    distance, best = min((edit_distance(name, known), known) for known in names)
    return best if distance <= max(1, len(name) // 2) else None  # up to half the letters may be wrong


def field_suggestion(text: str, unknown: list[tuple[str, int]]) -> tuple[str | None, str]:
    """The query with its unknown field names replaced by the real ones, and the hint saying so."""
    fixes = [(start, name, known_field(name)) for name, start in unknown]
    named = ", ".join(f"“{name}:”" for _, name, _ in fixes)
    if not any(real for _, _, real in fixes):
        return None, f"unknown field {named}; fields are title, abstract, author, org, cat, id, doi, note, " \
                     "digest, date, upvotes, authors"
    for start, name, real in sorted(fixes, reverse=True):
        if real:
            text = text[:start] + real + text[start + len(name):]
    return text, f"unknown field {named} — did you mean “{text}”?"


def matches_anything(searcher, q) -> bool:
    """Whether `q` matches at least one document (stops at the first)."""
    return next(iter(searcher.docs_for_query(q)), None) is not None


def _known(reader, stem: str, piece: str) -> bool:
    return any(reader.doc_frequency(f, stem) for f in ("title", "abstract", "note")) or \
        reader.doc_frequency("authors", fold_word(piece)) > 0


def _closest_word(searcher, rows: Rows, piece: str, stem: str) -> str | None:
    """A library word near `piece`: correct its stem, then read a paper for the full word;
    failing that, an author name near it."""
    reader = searcher.reader()
    for candidate in _near_terms(reader, "abstract", stem):
        papers = islice(searcher.docs_for_query(query.Term("abstract", candidate)), 3)
        forms = {m.group().lower() for doc in papers
                 for m in WORD_RE.finditer(rows.abstract(doc)) if stem_word(m.group()) == candidate}
        if forms:
            return min(forms, key=lambda form: (edit_distance(form, piece.lower()), form))
    names = _near_terms(reader, "authors", fold_word(piece))
    return names[0] if names else None


def _near_terms(reader, fieldname: str, text: str) -> list[str]:
    """Terms within two edits of `text` (the first letter kept), the likeliest first.

    Frequency decides, with one more edit costing a factor of NEAR_PENALTY: "transfrom"
    (a swap: two edits from "transform", in hundreds of papers) beats "transfom" (one
    edit, a typo seen once).
    """
    scored = []
    for term in reader.terms_within(fieldname, text, 2, prefix=1):
        if term != text:
            distance = edit_distance(term, text, 2)
            scored.append((reader.doc_frequency(fieldname, term) / NEAR_PENALTY ** distance, term))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [term for _, term in scored[:3]]
