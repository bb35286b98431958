"""The "for you" model: smoothed log-odds relevance weights learned from kept vs dismissed papers.

Why this model. Every decision is one labelled document, and what a reader keeps is best told
apart by a few telling words, phrases, authors and categories. The classic answer from
relevance feedback is the Robertson/Sparck Jones weight, which is the log-odds of a Bernoulli
naive Bayes: for a feature seen in p of P kept and q of Q dismissed papers,

    w = log((p + .5) / (P - p + .5)) - log((q + .5) / (Q - q + .5))   (minus its value at p = q = 0)

so a feature the reader has never met weighs nothing. A paper's score is the mean weight of
its words and phrases the reader has decided on (title words count twice), plus the weights of
its authors and of its categories, each sum divided by the square root of their number, so a
long abstract or a long author list does not win by length. It is chosen over the alternatives because:

- learning one decision only adds 1 to a few hundred integer counts: O(features of that paper),
  no retraining, and `unlearn` subtracts them again, so undo restores every score exactly
  (integers, no floating-point drift, unlike online gradient steps);
- it needs no idf over the whole library (the index's statistics would tie this room to Whoosh)
  and no dependency: pure Python meets the speed targets (see bench/foryou_speed.py);
- with a handful of decisions naive Bayes is known to beat discriminative models (Ng and Jordan,
  2002), and a Rocchio centroid would need the whole library's idf to be good;
- its weights are readable, so `explain` names the very words and authors that moved a paper.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from tui.ranking.features import Features, extract
from tui.records import Paper

# Title words also appear in the text set; counting them once more says "the topic is this".
TITLE_GAIN = 1.0
# Authors and categories are few per paper, but a kept author is a strong, precise signal.
AUTHOR_GAIN = 1.5
CATEGORY_GAIN = 1.0
# Recently seen papers keep their features, so re-ranking a digest after a decision only sums
# weights; 2,048 covers a 500-paper digest, the triage queue and search results.
FEATURE_CACHE = 2_048


class Counts:
    """In how many kept and dismissed papers each feature occurs, and how many papers of each."""

    def __init__(self) -> None:
        self.kept: dict[str, int] = {}
        self.dismissed: dict[str, int] = {}
        self.n_kept = 0
        self.n_dismissed = 0
        self._logs: list[float] = [math.log(0.5)]

    def add(self, features: Iterable[str], liked: bool, step: int) -> None:
        """Add (`step` 1) or remove (`step` -1) one paper's features from its class's counts."""
        self._grow(max(self.n_kept, self.n_dismissed) + 1)
        table = self.kept if liked else self.dismissed
        for feature in features:
            count = table.get(feature, 0) + step
            if count > 0:
                table[feature] = count
            else:
                table.pop(feature, None)
        if liked:
            self.n_kept += step
        else:
            self.n_dismissed += step

    def _grow(self, n: int) -> None:
        """Extend the table of log(k + 0.5) so every weight is four look-ups."""
        logs = self._logs
        while len(logs) <= n:
            logs.append(math.log(len(logs) + 0.5))

    def weight(self, feature: str) -> float:
        """The centred relevance weight of one feature (0 for a feature never decided on)."""
        p = self.kept.get(feature, 0)
        q = self.dismissed.get(feature, 0)
        if not (p or q):
            return 0.0
        logs, kept, dismissed = self._logs, self.n_kept, self.n_dismissed
        return logs[p] - logs[kept - p] - logs[q] + logs[dismissed - q] + logs[kept] - logs[dismissed]


class FeatureCache:
    """Features of recently seen papers, keyed by id and text, dropped oldest first when full."""

    def __init__(self, size: int = FEATURE_CACHE) -> None:
        self.size = size
        self._items: dict[tuple[str, str, str], Features] = {}

    def get(self, paper: Paper) -> Features:
        """The paper's features, extracted once while it stays among the recent ones."""
        key = (paper.id, paper.title, paper.abstract)
        found = self._items.get(key)
        if found is None:
            found = extract(paper)
            if len(self._items) >= self.size:
                del self._items[next(iter(self._items))]
            self._items[key] = found
        return found


def text_norm(counts: Counts, features: Features) -> float:
    """How many text features (title ones counted again) the model has seen decided on.

    The text score is the mean weight over these, not the sum over all words: a long abstract
    neither wins by length nor loses by the many words nobody has decided on yet.
    """
    kept, dismissed = counts.kept, counts.dismissed
    known = sum(1 for f in features.text if f in kept or f in dismissed)
    known += TITLE_GAIN * sum(1 for f in features.title if f in kept or f in dismissed)
    return known or 1


def score_features(counts: Counts, features: Features) -> float:
    """Mean text weight, plus authors' and categories' sums divided by the root of their count."""
    weight = counts.weight
    text = sum(map(weight, features.text)) + TITLE_GAIN * sum(map(weight, features.title))
    total = text / text_norm(counts, features)
    if features.authors:
        total += AUTHOR_GAIN * sum(map(weight, features.authors)) / math.sqrt(len(features.authors))
    if features.categories:
        total += CATEGORY_GAIN * sum(map(weight, features.categories)) / math.sqrt(len(features.categories))
    return total
