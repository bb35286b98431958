"""The "for you" order for the service: a Ranker trained from the library's decisions and kept in step.

What counts as a decision is read off the paper as the library holds it now (so an undone
step is simply no longer there): kept, starred or tagged is a keep, dismissed a dismissal,
anything else (new, read, later) no decision at all. The papers to look at are those the
events name, plus any kept, starred, dismissed or tagged paper (a restored backup has state
without history). Training runs once, in a worker at start-up; after that every write the
service makes moves the model by exactly that paper (`follow`), which costs O(its features).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from dataclasses import replace
from itertools import groupby

from tui.library import Library
from tui.service.priority import BATCH, every
from tui.ranking import MIN_DISMISSED, MIN_KEPT, Ranker, RankStatus, SnapshotError
from tui.records import Page, Paper, SearchHit, SearchRequest
from tui.vocabulary import Sort, Status, View

#: A listing in the "for you" order ranks this many of its papers (in digest order, so the
#: oldest waiting digests first) and lists the rest after them in digest order. A digest of
#: 500 is ranked whole; an Inbox of 100,000 new papers does not cost 100,000 feature extractions.
RANKED_LISTING = 1_000
#: Papers whose text is kept for re-ranking: a ranked listing, the triage queue's next digests.
PAPER_CACHE = 4_096
#: A search in the "for you" order re-ranks this many of its most relevant hits.
RANKED_HITS = 200
#: Weight of the search relevance (scaled to 0..1 of the best hit) added to the model's score:
#: enough to order papers the model has no opinion on, small against a clear keep or dismiss.
RELEVANCE_WEIGHT = 1.0
#: Said while the start-up training runs (a page never waits for it).
LEARNING = "for you: still learning from your decisions; digest order for now"
#: After loading the saved model, catching up with more papers than this saves it again.
RESAVE_AFTER = 200
#: Event kinds that are decisions (notes and "later" say nothing about wanting a paper).
DECISION_KINDS = ("starred", "status", "tag+", "tag-")


def verdict(paper: Paper) -> bool | None:
    """True for a paper the reader wants (kept, starred, tagged), False if dismissed, else None."""
    if paper.starred or paper.status == Status.KEPT or paper.tags:
        return True
    if paper.status == Status.DISMISSED:
        return False
    return None


class ForYou:
    """The service's Ranker: trained once, moved by each write, asked to order pages and explain."""

    def __init__(self, library: Library, pause: Callable[[], float] | None = None,
                 snapshot: Path | None = None) -> None:
        self._library = library
        #: Where the learned counts are kept between sessions (derived data, like the index):
        #: start-up loads them and learns only what changed since, instead of every decision.
        self.snapshot = snapshot
        #: Called between batches of training and feature extraction: sleeps while a search the
        #: user waits for runs (see `priority.Foreground`), so start-up training never slows typing.
        self.pause = pause or (lambda: 0.0)
        self.ranker = Ranker()
        self.trained = False
        self._train_lock = threading.Lock()
        self._lock = threading.Lock()
        #: Writes seen while a training runs; replayed on the new model (learning is idempotent).
        self._pending: list[tuple[dict[str, Paper], dict[str, Paper]]] | None = None
        #: The library change the model has caught up with (see `catch_up`).
        self._seq = 0
        #: Bumped whenever the model changes, so a cached order is never stale.
        self.version = 0
        self._order_cache: tuple[object, list[str]] | None = None
        #: Recently ranked papers by id (see `_texts`).
        self._papers: dict[str, Paper] = {}

    # -- learning --------------------------------------------------------------------------
    def train(self) -> RankStatus:
        """Learn every decision in the library from scratch (writes meanwhile are not lost)."""
        with self._train_lock:
            return self._train(fresh=True)

    def _train_here(self) -> bool:
        """Train in this thread unless a training already runs elsewhere; True once trained.

        Never waits for another thread's training: that one gives way to this thread's search
        (`pause`), so waiting for it here would leave both waiting."""
        if self.trained:
            return True
        if not self._train_lock.acquire(blocking=False):
            return False
        try:
            if not self.trained:
                self._train()
        finally:
            self._train_lock.release()
        return self.trained

    def ensure_trained(self) -> RankStatus:
        """Train unless trained: the app's start-up worker, the CLI, or a page asked for first."""
        if not self.trained:
            with self._train_lock:
                if not self.trained:
                    return self._train()
        return self.status

    def start(self) -> RankStatus:
        """At start-up, in a worker: train, then read and extract the papers a "for you" page would
        rank first (the Inbox's oldest waiting ones, and the newest digest), so it never waits."""
        status = self.ensure_trained()
        self.warm()
        return status

    def warm(self) -> None:
        """Read and extract the papers a "for you" page ranks first (after start-up or an import)."""
        new = View.INBOX.flags
        ids = self._library.list_ids(new, View.INBOX, limit=RANKED_LISTING)
        digests = self._library.digests()
        if digests:
            ids += self._library.list_ids(new, View.INBOX, limit=RANKED_LISTING, digest=digests[0].id)
        self.ranker.prepare(every(self._texts(list(dict.fromkeys(ids)), paused=True).values(), self.pause))

    def catch_up(self) -> int:
        """Learn what another process decided or undid since the model last looked; returns how
        many papers moved. Reads only the papers written since then (undo rewrites its papers too)."""
        if not self.trained:
            return 0
        seq = self._library.current_seq()
        papers = self._changed_decisions(self._seq) if seq > self._seq else []
        moved = 0
        with self._lock:
            for paper in papers:
                old, new = self.ranker.decided(paper.id), verdict(paper)
                if old == new:
                    continue
                if old is not None:
                    self.ranker.unlearn(paper, old)
                if new is not None:
                    self.ranker.learn(paper, new)
                moved += 1
            self._seq = max(self._seq, seq)
            self.version += moved > 0
        return moved

    def _changed_decisions(self, seq: int) -> list[Paper]:
        """Papers written after `seq` that are decided now or were learned as decided: the only
        ones that can move the model (an import of 10,000 new papers reads none of them)."""
        changed = self._library.changed_ids_since(seq)
        if not changed:
            return []
        stated = {i for flag in ("is:starred", "is:kept", "is:dismissed", "is:tagged")
                  for i in self._library.list_ids((flag,))}
        wanted = [i for i in changed if i in stated or self.ranker.decided(i) is not None]
        return list(self._library.get_many(wanted).values())  # never pauses: the UI thread calls this too

    def _train(self, fresh: bool = False) -> RankStatus:
        """Load the saved model and catch up with what changed since (unless `fresh`), or learn
        every decision; either way writes made meanwhile are replayed on the new model."""
        with self._lock:
            self._pending = []
            self._papers = {}  # texts may have changed too (another process imported)
        loaded = None if fresh else self._load()
        if loaded is not None:
            model, seq = loaded
        else:
            seq = self._library.current_seq()
            model = Ranker()
            model.train(every(self.decisions(), self.pause))
        with self._lock:
            for before, after in self._pending:
                _move(model, before, after)
            self._pending = None
            self.ranker, self.trained, self._seq = model, True, seq
            self.version += 1
        moved = self.catch_up() if loaded is not None else 0
        if loaded is None or moved > RESAVE_AFTER:
            self.save()
        return model.status

    def _load(self) -> tuple[Ranker, int] | None:
        """The saved model and the library change it had learned up to; None if there is none
        this library can trust (another library, another version, a damaged file, a newer seq)."""
        if self.snapshot is None:
            return None
        try:
            with open(self.snapshot, encoding="utf-8") as lines:
                model, head = Ranker.from_snapshot(lines, self.pause)
        except (OSError, SnapshotError, UnicodeDecodeError):
            return None
        seq = head.get("seq")
        if head.get("library") != self._library.uuid or type(seq) is not int or seq > self._library.current_seq():
            return None
        return model, seq

    def save(self) -> bool:
        """Keep the learned counts for the next start (atomically; a cache, so a failure is no error)."""
        if self.snapshot is None or not self.trained:
            return False
        with self._lock:  # the counts and the change they include, taken together
            lines = list(self.ranker.snapshot(library=self._library.uuid, seq=self._seq))
        part = self.snapshot.with_name(f".{self.snapshot.name}.{os.getpid()}.tmp")
        try:
            with open(part, "w", encoding="utf-8") as out:
                for line in lines:
                    self.pause()
                    out.write(line)
            os.replace(part, self.snapshot)
            return True
        except OSError:
            part.unlink(missing_ok=True)
            return False

    def decisions(self) -> list[tuple[Paper, bool]]:
        """Every decided paper with its verdict, in the order the reader last decided them."""
        order: dict[str, None] = {}
        for event in self._library.events():
            if event["kind"] in DECISION_KINDS and not event["undone"]:
                order.pop(event["paper_id"], None)
                order[event["paper_id"]] = None
        stated = [i for flag in ("is:starred", "is:kept", "is:dismissed") for i in self._library.list_ids((flag,))]
        stated += [i for tag, _ in self._library.tags() for i in self._library.tagged(tag)]
        ids = _by_recency(list(dict.fromkeys([*stated, *order])), order)
        papers = self._read(ids)
        out = []
        for paper_id in ids:
            paper = papers.get(paper_id)
            liked = verdict(paper) if paper is not None else None
            if liked is not None:
                out.append((paper, liked))
        return out

    def follow(self, before: dict[str, Paper], after: dict[str, Paper]) -> None:
        """A write changed these papers: unlearn what they were, learn what they are now."""
        with self._lock:
            if self._pending is not None:
                self._pending.append((before, after))
            changed = _move(self.ranker, before, after)
            if changed:
                self.version += 1

    # -- asking ----------------------------------------------------------------------------
    @property
    def status(self) -> RankStatus:
        """Whether the order is usable yet, and the line that says so."""
        return self.ranker.status

    @property
    def label(self) -> str:
        """The order's name in the view bar: `for you`, or what it waits for (`for you (4/10
        decisions: digest order)`)."""
        if not self.trained:
            return "for you (learning: digest order)"
        status = self.status
        if status.ready:
            return "for you"
        have = min(status.kept, MIN_KEPT) + min(status.dismissed, MIN_DISMISSED)
        return f"for you ({have}/{status.needed} decisions: digest order)"

    def explain(self, paper: Paper) -> str:
        """One line: why the order put this paper where it is (or what it still needs)."""
        return self.ranker.explain(paper)

    def order_ids(self, ids: Iterable[str]) -> list[str]:
        """Paper ids in the "for you" order (unchanged while the model is not ready); ids of
        papers no longer in the library are left out."""
        ids = list(ids)
        papers = self._texts(ids)
        return [paper.id for paper, _ in self.ranker.rank(papers[i] for i in ids if i in papers)]

    def _read(self, ids: list[str]) -> dict[str, Paper]:
        """Papers by id, read in batches with a `pause` before each (this runs in background work)."""
        found: dict[str, Paper] = {}
        step = BATCH * 16
        for start in range(0, len(ids), step):
            self.pause()
            found.update(self._library.get_many(ids[start:start + step]))
        return found

    def _texts(self, ids: list[str], paused: bool = False) -> dict[str, Paper]:
        """The papers to rank, from a cache of recently ranked ones (their text is all the model
        reads; the rows shown are read fresh), so re-ranking after a decision reads nothing.
        `paused`: background work, reading in batches that give way to a waiting search."""
        missing = [i for i in ids if i not in self._papers]
        if missing:
            found = self._read(missing) if paused else self._library.get_many(missing)
            with self._lock:
                for paper_id, paper in found.items():
                    if len(self._papers) >= PAPER_CACHE:
                        del self._papers[next(iter(self._papers))]
                    self._papers[paper_id] = paper
        papers = self._papers
        return {i: papers[i] for i in ids if i in papers}

    def order_queue(self, queue: list[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
        """The triage queue with each digest's run of papers in the "for you" order, runs kept in turn.

        A run is a stretch of one digest's papers: papers put off with "later" wait at the end in
        runs of their own, so ranking never brings them back to the front. Only the runs within
        the first RANKED_LISTING papers are ranked (the rest come long after, and are ranked when
        the queue is loaded again), so a queue of the whole 100,000-paper Inbox stays cheap.
        """
        self.ensure_trained()
        if not self.status.ready:
            return list(queue)
        out: list[tuple[str, int | None]] = []
        for digest, run in groupby(queue, key=lambda entry: entry[1]):
            ids = [paper_id for paper_id, _ in run]
            ranked = self.order_ids(ids) if len(out) < RANKED_LISTING else ids
            out += [(paper_id, digest) for paper_id in ranked]
        return out

    def page(self, request: SearchRequest, plain: Callable[[SearchRequest], Page],
             listed: Callable[[SearchRequest, int], list[str]],
             rows: Callable[[list[str]], tuple[tuple[SearchHit, Paper], ...]]) -> Page:
        """One page of a listing or search in the "for you" order.

        `plain(request)` is the page in its own order, `listed(request, n)` the first n ids of a
        listing in its own order and `rows(ids)` those papers as rows, as they are now. Not ready
        yet: the own order (digest order, or relevance for a search) with a hint that says how
        many decisions are still needed.
        """
        own = replace(request, sort=Sort.RELEVANCE)
        learning = not self.trained and not self._train_here()
        status = self.status
        if learning or not status.ready:
            page = plain(own)
            said = LEARNING if learning else status.message
            if not request.is_listing:  # a search falls back to its own order, not the digests'
                said = said.replace("digest order", "relevance order")
            return replace(page, request=request, hint=" · ".join(part for part in (page.hint, said) if part))
        if request.is_listing:
            return self._listing_page(request, own, plain, listed, rows)
        if request.offset >= RANKED_HITS:
            return replace(plain(own), request=request)
        first = plain(replace(own, offset=0, limit=RANKED_HITS))
        ranked = self._ranked_hits(first)
        return replace(first, request=request, rows=tuple(ranked[request.offset:request.offset + request.limit]))

    def _listing_page(self, request: SearchRequest, own: SearchRequest, plain, listed, rows) -> Page:
        """The first RANKED_LISTING papers of the listing best first, the rest in digest order."""
        ids = listed(own, RANKED_LISTING)
        # A listing shorter than the window is all here; a longer one is counted by an empty page
        # (LIMIT 0: the library counts, and sorts nothing).
        head = plain(replace(own, offset=0, limit=0)) if len(ids) >= RANKED_LISTING else Page(request, (), len(ids))
        key = (hash(tuple(ids)), len(ids), self.version)
        if self._order_cache is None or self._order_cache[0] != key:
            self._order_cache = (key, self.order_ids(ids))
        order = self._order_cache[1]
        shown = list(rows(order[request.offset:request.offset + request.limit]))
        end = request.offset + request.limit
        if end > len(ids) == RANKED_LISTING:
            after = max(request.offset, len(ids))
            shown += list(plain(replace(own, offset=after, limit=end - after)).rows)
        return replace(head, request=request, rows=tuple(shown))

    def _ranked_hits(self, page: Page) -> list[tuple[SearchHit, Paper]]:
        """Search hits ordered by the model's score plus their relevance scaled to the best hit's."""
        hits = {paper.id: hit for hit, paper in page.rows}
        best = max((hit.score for hit in hits.values()), default=0.0) or 1.0
        scored = self.ranker.rank(paper for _, paper in page.rows)
        scored = sorted(scored, key=lambda pair: -(pair[1] + RELEVANCE_WEIGHT * hits[pair[0].id].score / best))
        return [(hits[paper.id], paper) for paper, _ in scored]


def _by_recency(ids: list[str], order: dict[str, None]) -> list[str]:
    """Papers without events first (their time is unknown), then by their last decision event."""
    rank = {paper_id: n for n, paper_id in enumerate(order)}
    return sorted(ids, key=lambda i: rank.get(i, -1))


def _move(model: Ranker, before: dict[str, Paper], after: dict[str, Paper]) -> bool:
    """Unlearn each paper's old verdict and learn its new one; True if any verdict changed."""
    changed = False
    for paper_id, now in after.items():
        then = before.get(paper_id)
        old, new = (verdict(then) if then is not None else None), verdict(now)
        if old == new:
            continue
        if old is not None:
            model.unlearn(then, old)
        if new is not None:
            model.learn(now, new)
        changed = True
    return changed

