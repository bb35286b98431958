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
  and no dependency: in pure Python one decision costs well under a millisecond and re-ranking
  a 500-paper digest tens of milliseconds (bench/foryou_speed.py), so numpy would buy nothing
  worth its install;
- with a handful of decisions naive Bayes is known to beat discriminative models (Ng and Jordan,
  2002), and a Rocchio centroid would need the whole library's idf to be good;
- its weights are readable, so `explain` names the very words and authors that moved a paper.
"""

from __future__ import annotations

import math
import threading
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


    def total(self, features: Iterable[str]) -> tuple[float, int]:
        """Sum of the weights of `features` and how many of them were ever decided on.

        The same arithmetic as `weight`, inlined: ranking a digest runs this over every word
        of every paper, and a function call per feature would double its cost.
        """
        kept, dismissed = self.kept.get, self.dismissed.get
        logs, n_kept, n_dismissed = self._logs, self.n_kept, self.n_dismissed
        centre = logs[n_kept] - logs[n_dismissed]
        total, known = 0.0, 0
        for feature in features:
            p = kept(feature, 0)
            q = dismissed(feature, 0)
            if p or q:
                total += logs[p] - logs[n_kept - p] - logs[q] + logs[n_dismissed - q] + centre
                known += 1
        return total, known


class FeatureCache:
    """Features of recently seen papers, keyed by id and text, dropped oldest first when full."""

    def __init__(self, size: int = FEATURE_CACHE) -> None:
        self.size = size
        self._items: dict[tuple[str, str, str], Features] = {}
        self._lock = threading.Lock()

    def get(self, paper: Paper) -> Features:
        """The paper's features, extracted once while it stays among the recent ones."""
        key = (paper.id, paper.title, paper.abstract)
        found = self._items.get(key)
        if found is None:
            found = extract(paper)
            with self._lock:  # a worker preparing a digest and the UI thread may both add
                if len(self._items) >= self.size:
                    del self._items[next(iter(self._items))]
                self._items[key] = found
        return found


def text_norm(counts: Counts, features: Features) -> float:
    """How many text features (title ones counted again) the model has seen decided on.

    The text score is the mean weight over these, not the sum over all words: a long abstract
    neither wins by length nor loses by the many words nobody has decided on yet.
    """
    return (counts.total(features.text)[1] + TITLE_GAIN * counts.total(features.title)[1]) or 1


def score_features(counts: Counts, features: Features) -> float:
    """Mean text weight, plus authors' and categories' sums divided by the root of their count."""
    text, known = counts.total(features.text)
    title, known_title = counts.total(features.title)
    score = (text + TITLE_GAIN * title) / ((known + TITLE_GAIN * known_title) or 1)
    if features.authors:
        score += AUTHOR_GAIN * counts.total(features.authors)[0] / math.sqrt(len(features.authors))
    if features.categories:
        score += CATEGORY_GAIN * counts.total(features.categories)[0] / math.sqrt(len(features.categories))
    return score
