"""The "for you" order: a ranking learned offline from the reader's own keep and dismiss decisions."""

from tui.ranking.features import Features, extract
from tui.ranking.ranker import MIN_DISMISSED, MIN_KEPT, Ranker, RankStatus, SnapshotError

__all__ = ["MIN_DISMISSED", "MIN_KEPT", "Features", "RankStatus", "Ranker", "SnapshotError", "extract"]
