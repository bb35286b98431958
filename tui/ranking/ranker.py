"""Ranker: learns from the reader's keep/dismiss decisions one at a time and orders papers by them."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from tui.ranking.explain import explanation_line
from tui.ranking.model import Counts, FeatureCache, score_features
from tui.records import Paper

# Below five of each the weights are mostly noise: one kept paper about "diffusion" would lift
# every diffusion paper above everything else. Five kept and five dismissed is one short triage.
MIN_KEPT = 5
MIN_DISMISSED = 5
#: Bump when features or counts change meaning: a snapshot of another version is never loaded.
MODEL_VERSION = 1
#: Entries per line of a snapshot, so loading one gives way between lines (see `from_snapshot`).
SNAPSHOT_CHUNK = 2_000


class SnapshotError(ValueError):
    """A model snapshot that is not this version's, or not whole: train from the decisions instead."""


@dataclass(frozen=True)
class RankStatus:
    """Whether the "for you" order is usable yet, what it has learned from, and one line to show."""

    ready: bool
    kept: int
    dismissed: int
    needed: int
    message: str


class Ranker:
    """The "for you" order, learned offline from the reader's own decisions.

    `liked` is True for a kept, starred or tagged paper and False for a dismissed one (papers
    merely read are best left out: reading is not choosing). `learn` and `unlearn` cost
    O(features of one paper), so the service may call them after each triage key; `train`
    rebuilds from the whole history (at start-up, in a worker). One decision per paper id:
    learning a paper again with the other verdict replaces the first (to undo that, `unlearn`
    the new verdict and `learn` the old one). Safe to call from a worker and the UI thread at
    once.
    """

    def __init__(self) -> None:
        self._counts = Counts()
        self._decisions: dict[str, bool] = {}
        self._cache = FeatureCache()
        self._lock = threading.Lock()

    def learn(self, paper: Paper, liked: bool) -> None:
        """Count one decision: kept or starred (`liked`) or dismissed."""
        features = self._cache.get(paper).all
        with self._lock:
            earlier = self._decisions.get(paper.id)
            if earlier == liked:
                return
            if earlier is not None:
                self._counts.add(features, earlier, -1)
            self._counts.add(features, liked, 1)
            self._decisions[paper.id] = liked

    def unlearn(self, paper: Paper, liked: bool) -> None:
        """Take back a decision learned with `learn(paper, liked)` (undo); anything else is a no-op."""
        features = self._cache.get(paper).all
        with self._lock:
            if self._decisions.get(paper.id) != liked:
                return
            self._counts.add(features, liked, -1)
            del self._decisions[paper.id]

    def decided(self, paper_id: str) -> bool | None:
        """The verdict learned for this paper (True kept, False dismissed), or None."""
        with self._lock:
            return self._decisions.get(paper_id)

    def train(self, decisions: Iterable[tuple[Paper, bool]]) -> None:
        """Forget everything and learn these decisions in order (a later one on a paper wins)."""
        with self._lock:
            self._counts = Counts()
            self._decisions = {}
        for paper, liked in decisions:
            self.learn(paper, liked)

    def snapshot(self, **about: object) -> Iterator[str]:
        """The learned counts and decisions as JSON lines (features are not kept: they are
        extracted again from the papers). `about` (the library, its change number) goes in the
        first line and comes back from `from_snapshot`."""
        with self._lock:
            counts = self._counts
            kept, dismissed, decisions = dict(counts.kept), dict(counts.dismissed), dict(self._decisions)
            head = {"version": MODEL_VERSION, "n_kept": counts.n_kept, "n_dismissed": counts.n_dismissed,
                    "sizes": [len(kept), len(dismissed), len(decisions)], **about}
        yield json.dumps(head, ensure_ascii=True) + "\n"
        for name, table in (("kept", kept), ("dismissed", dismissed), ("decisions", decisions)):
            items = list(table.items())
            for start in range(0, len(items), SNAPSHOT_CHUNK):
                yield json.dumps({name: dict(items[start:start + SNAPSHOT_CHUNK])}, ensure_ascii=True) + "\n"

    @classmethod
    def from_snapshot(cls, lines: Iterable[str], pause: Callable[[], object] = lambda: None
                      ) -> tuple[Ranker, dict]:
        """A ranker with the counts of `snapshot`, and the snapshot's first line; `pause()` runs
        between lines. Raises SnapshotError for another version, a cut-off file or counts that
        do not add up (then nothing is trusted)."""
        lines = iter(lines)
        try:
            head = json.loads(next(lines))
            if not isinstance(head, dict) or head.get("version") != MODEL_VERSION:
                raise SnapshotError("another model version")
            tables: dict[str, dict] = {"kept": {}, "dismissed": {}, "decisions": {}}
            for line in lines:
                pause()
                part = json.loads(line)
                for name, values in part.items():
                    tables[name].update(values)
        except SnapshotError:
            raise
        except (StopIteration, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise SnapshotError(f"unreadable ({type(exc).__name__})") from None
        kept, dismissed, decisions = tables["kept"], tables["dismissed"], tables["decisions"]
        liked = sum(1 for value in decisions.values() if value is True)
        if (head.get("sizes") != [len(kept), len(dismissed), len(decisions)]
                or liked != head.get("n_kept") or len(decisions) - liked != head.get("n_dismissed")
                or not all(isinstance(v, bool) for v in decisions.values())
                or not all(type(v) is int and v > 0 for table in (kept, dismissed) for v in table.values())):
            raise SnapshotError("counts that do not add up")
        ranker = cls()
        counts = ranker._counts
        counts.kept, counts.dismissed = kept, dismissed
        counts.n_kept, counts.n_dismissed = liked, len(decisions) - liked
        counts._grow(max(counts.n_kept, counts.n_dismissed) + 1)
        ranker._decisions = decisions
        return ranker, head

    def prepare(self, papers: Iterable[Paper]) -> None:
        """Extract and keep the features of papers about to be ranked (a new digest, the triage
        queue), in a worker, so the first `rank` on the UI thread only sums weights."""
        for paper in papers:
            self._cache.get(paper)

    @property
    def status(self) -> RankStatus:
        """How many decisions it has, and whether that is enough to rank by."""
        kept, dismissed = self._counts.n_kept, self._counts.n_dismissed
        ready = kept >= MIN_KEPT and dismissed >= MIN_DISMISSED
        have = min(kept, MIN_KEPT) + min(dismissed, MIN_DISMISSED)
        needed = MIN_KEPT + MIN_DISMISSED
        if ready:
            message = f"for you: learned from {kept} kept and {dismissed} dismissed papers"
        else:
            message = (f"for you: {have} of the {needed} decisions it needs "
                       f"({MIN_KEPT} kept and {MIN_DISMISSED} dismissed); showing digest order")
        return RankStatus(ready, kept, dismissed, needed, message)

    def score(self, paper: Paper) -> float:
        """How much this reader would want the paper: above 0 leans kept, below leans dismissed."""
        features = self._cache.get(paper)
        with self._lock:
            return score_features(self._counts, features)

    def rank(self, papers: Iterable[Paper]) -> list[tuple[Paper, float]]:
        """Papers with their scores, best first; ties, and everything before `ready`, keep order."""
        papers = list(papers)
        if not self.status.ready:
            return [(paper, 0.0) for paper in papers]
        features = [self._cache.get(paper) for paper in papers]
        with self._lock:
            scored = [(paper, score_features(self._counts, f)) for paper, f in zip(papers, features)]
        return sorted(scored, key=lambda pair: -pair[1])

    def explain(self, paper: Paper) -> str:
        """One line for the card: the phrases, authors and categories that moved this paper."""
        status = self.status
        if not status.ready:
            return status.message
        features = self._cache.get(paper)
        with self._lock:
            return explanation_line(self._counts, features)
