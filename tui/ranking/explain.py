"""One line saying why the "for you" order put a paper where it is, from the features that moved it."""

from __future__ import annotations

import math

from tui.ranking.features import AUTHOR, CATEGORY, Features, kind
from tui.ranking.model import AUTHOR_GAIN, CATEGORY_GAIN, TITLE_GAIN, Counts, text_norm
from tui.textsafe import one_line

# A card line has room for two phrases, two authors and one category before it wraps.
MAX_TERMS = 2
MAX_AUTHORS = 2
# Phrases read better than single words, so the best phrase among this many top text
# features is named before a slightly stronger single word.
PHRASE_WINDOW = 6
# A feature is named only if it moved the paper at least a fifth as much as the strongest one;
# a category shared by nearly every paper has a tiny weight and says nothing to the reader.
NAMED_SHARE = 0.2


def contributions(counts: Counts, features: Features) -> list[tuple[float, str]]:
    """Each feature's share of the score (as `score_features` weighs it), largest first."""
    shares: list[tuple[float, str]] = []
    norm = text_norm(counts, features)
    for feature in features.text:
        boost = 1 + (TITLE_GAIN if feature in features.title else 0)
        shares.append((counts.weight(feature) * boost / norm, feature))
    for group, gain in ((features.authors, AUTHOR_GAIN), (features.categories, CATEGORY_GAIN)):
        for feature in group:
            shares.append((gain * counts.weight(feature) / math.sqrt(len(group)), feature))
    return sorted(shares, key=lambda pair: (-pair[0], pair[1]))


def _telling(counts: Counts, feature: str, liked: bool) -> bool:
    """True if the feature is at least twice as common on its side (a category in nearly every
    paper, kept or not, carries weight in the sum but would tell the reader nothing)."""
    kept = (counts.kept.get(feature, 0) + 0.5) / (counts.n_kept + 1)  # the weights' smoothing
    dismissed = (counts.dismissed.get(feature, 0) + 0.5) / (counts.n_dismissed + 1)
    return kept >= 2 * dismissed if liked else dismissed >= 2 * kept


def _pick_terms(ordered: list[str]) -> list[str]:
    """Up to two words or phrases, phrases first, no word repeated inside a chosen phrase."""
    window = [f for f in ordered if kind(f) in ("word", "phrase")][:PHRASE_WINDOW]
    chosen = [f for f in window if kind(f) == "phrase"][:MAX_TERMS]
    covered = {word for f in chosen for word in f.split()}
    for feature in window:
        if len(chosen) >= MAX_TERMS:
            break
        if kind(feature) == "word" and feature not in covered:
            chosen.append(feature)
    return chosen


def _describe(chosen: list[str], labels: dict[str, str]) -> list[str]:
    """The user-facing names: quoted phrases, `author Surname`, `category cs.LG`."""
    names = []
    for feature in chosen:
        if kind(feature) == "author":
            names.append(f"author {labels.get(feature, feature[len(AUTHOR):])}")
        elif kind(feature) == "category":
            names.append(f"category {labels.get(feature, feature[len(CATEGORY):])}")
        else:
            names.append(f'"{feature}"')
    return names


def _named(side: list[tuple[float, str]], counts: Counts, liked: bool) -> list[str]:
    """The features worth naming, strongest first, each kind judged against its own best:
    a text word's share is a mean over many words, an author's a sum over a few."""
    best: dict[str, float] = {}
    for share, feature in side:
        best.setdefault(_group(feature), share)
    return [f for share, f in side
            if share >= NAMED_SHARE * best[_group(f)] and _telling(counts, f, liked)]


def _group(feature: str) -> str:
    """Words and phrases compete with each other; authors and categories each on their own."""
    return "text" if kind(feature) in ("word", "phrase") else kind(feature)


def explanation_line(counts: Counts, features: Features) -> str:
    """`for you: matches "graph transformer", author Jegelka; like 3 papers you kept`."""
    shares = contributions(counts, features)
    liked = sum(share for share, _ in shares) > 0
    ordered = shares if liked else reversed(shares)
    side = [(abs(share), f) for share, f in ordered if share and (share > 0) == liked]
    named = _named(side, counts, liked)
    if not named:
        return "for you: nothing in it stands out from your decisions yet"
    chosen = _pick_terms(named)
    chosen += [f for f in named if kind(f) == "author"][:MAX_AUTHORS]
    chosen += [f for f in named if kind(f) == "category"][:1]
    table = counts.kept if liked else counts.dismissed
    strongest = next(f for f in named if f in chosen)
    alike = table.get(strongest, 0)  # how many decided papers share the strongest named feature
    head, verdict = ("matches", "kept") if liked else ("ranked down for", "dismissed")
    plural = "paper" if alike == 1 else "papers"
    names = ", ".join(_describe(chosen, dict(features.labels)))
    return one_line(f"for you: {head} {names}; like {alike} {plural} you {verdict}")
