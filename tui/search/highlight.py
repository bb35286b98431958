"""Highlight spans and abstract excerpts, as character offsets (never markup).

Text is tokenised exactly as the index does, so "Transformers" is marked for the query
word "transformer", and a word being typed marks the matching start of title words.
"""

from __future__ import annotations

import re
from collections import Counter

from tui.search.analysis import WORD_RE, edit_distance, fold_word, stem_word
from tui.records import Span
from tui.search.compile import Highlights

#: Length of an abstract excerpt, and how much text to keep before the first match.
EXCERPT_CHARS = 200
LEAD_CHARS = 40
ELLIPSIS = "…"


def find_spans(text: str, marks: Highlights) -> tuple[Span, ...]:
    """Spans of the words of `text` that the query matches (stems, typed prefixes, fuzzy)."""
    if not text or not marks:
        return ()
    finder = _finder(marks)
    spans = []
    for candidate in finder.finditer(text):
        match = WORD_RE.match(text, candidate.start())
        end = _match_end(match.group(), marks) if match else 0
        if end:
            spans.append(Span(match.start(), match.start() + end))
    return tuple(spans)


_FINDERS: dict[tuple, re.Pattern] = {}


def _finder(marks: Highlights) -> re.Pattern:
    """A regex for the starts of words that may match: those sharing a stem's or prefix's
    first letters (a C-speed scan; each candidate is then checked properly)."""
    key = (frozenset(marks.stems), frozenset(marks.prefixes), frozenset(marks.fuzzy))
    found = _FINDERS.get(key)
    if found is None:
        if marks.fuzzy:
            heads = {target[:1] for target, _ in marks.fuzzy}
        else:
            heads = set()
        heads |= {stem[:3] for stem in marks.stems} | {prefix[:3] for prefix in marks.prefixes}
        alternatives = "|".join(sorted((re.escape(h) for h in heads if h), key=len, reverse=True))
        found = re.compile(rf"(?<![\w.])(?:{alternatives})" if alternatives else r"(?!)", re.IGNORECASE)
        if len(_FINDERS) > 256:
            _FINDERS.clear()
        _FINDERS[key] = found
    return found


def _match_end(token: str, marks: Highlights) -> int:
    """How many leading characters of `token` to mark (0: none)."""
    stem = stem_word(token)
    if stem and stem in marks.stems:
        return len(token)
    if marks.prefixes:
        folded = fold_word(token)
        best = max((len(p) for p in marks.prefixes if folded.startswith(p)), default=0)
        if best:
            return best if len(folded) == len(token) else len(token)
    if stem and any(edit_distance(stem, target, distance) <= distance for target, distance in marks.fuzzy):
        return len(token)
    return 0



def excerpt(abstract: str, marks: Highlights, width: int = EXCERPT_CHARS) -> tuple[str, tuple[Span, ...]]:
    """About `width` characters of the abstract around its densest run of matches, with spans."""
    text = " ".join(abstract.split()) if abstract else ""
    spans = find_spans(text, marks)
    if len(text) <= width:
        return text, spans
    start = _window_start(text, spans, width)
    end = _word_end(text, start + width)
    lead = ELLIPSIS if start > 0 else ""
    tail = ELLIPSIS if end < len(text) else ""
    shift = len(lead) - start
    kept = tuple(Span(s.start + shift, s.end + shift) for s in spans if s.start >= start and s.end <= end)
    return lead + text[start:end] + tail, kept


def _window_start(text: str, spans: tuple[Span, ...], width: int) -> int:
    """Start of the window holding the most distinct matched words, a little before the first.

    A sliding window over the spans (sorted by start): linear in their number, so an
    abstract matched thousands of times is still cheap.
    """
    if not spans:
        return 0
    words = [text[s.start:s.end].lower() for s in spans]
    inside: Counter = Counter()
    best_count, best_start, right = -1, spans[0].start, 0
    for i, first in enumerate(spans):
        limit = first.start + width - LEAD_CHARS
        while right < len(spans) and spans[right].end <= limit:
            inside[words[right]] += 1
            right += 1
        if len(inside) > best_count:
            best_count, best_start = len(inside), first.start
        if right > i:
            inside[words[i]] -= 1
            if not inside[words[i]]:
                del inside[words[i]]
        else:
            right = i + 1
    start = max(0, best_start - LEAD_CHARS)
    if start == 0:
        return 0
    space = text.find(" ", start, best_start)
    return space + 1 if space != -1 else best_start


def _word_end(text: str, end: int) -> int:
    """Move `end` back to the end of a word so the excerpt does not stop mid-word."""
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", 0, end + 1)
    return space if space > 0 else end
