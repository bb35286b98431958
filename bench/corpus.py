"""Synthetic paper libraries for the benchmark, resampled from the seed digests' vocabulary."""

from __future__ import annotations

import datetime as dt
import random
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tui.records import Paper

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "seeds"
DEFAULT_SEED = 20261121

FIRST_NAMES = (
    "Wei Ana Liam Yuki Omar Sara Ivan Mei Noah Lena Ravi Chloe Diego Hana Tomas Aisha Felix Nora "
    "Jun Elena Marco Priya Kenji Sofia Ahmed Lucia Pavel Ines Daniel Zoe Hugo Amara Min Oscar Leila "
    "Arjun Clara Mateo Yara Emil Tara Jonas Kira Samir Eva Luca Nadia Owen Rin Victor Maya Theo Alina"
).split()
LAST_NAMES = (
    "Chen Wang Li Zhang Liu Kim Park Nguyen Singh Patel Kumar Smith Garcia Martinez Rossi Muller "
    "Schmidt Novak Ivanova Tanaka Sato Suzuki Cohen Levi Haddad Okafor Mensah Silva Santos Costa "
    "Moreau Dubois Larsen Nielsen Berg Kowalski Horvat Popescu Yilmaz Demir Ahmadi Rahman Khan Ali "
    "Ferreira Lopez Brown Taylor Wilson Evans Murphy Kelly Walsh Fischer Weber Becker Wagner Hoffmann "
    "Zhou Huang Zhao Wu Xu Sun Ma Hu Guo Lin He Gao Luo Zheng Liang Song Tang Han Feng Deng Cao Peng"
).split()
ORGS = (
    "Tsinghua University", "Stanford University", "MIT", "Google DeepMind", "Meta AI", "Microsoft Research",
    "ETH Zurich", "University of Oxford", "Carnegie Mellon University", "Peking University", "NVIDIA",
    "University of Toronto", "Mila", "KAIST", "University of Tokyo", "EPFL", "Alibaba Group", "ByteDance",
    "Allen Institute for AI", "UC Berkeley", "Max Planck Institute", "INRIA", "Shanghai AI Lab",
    "University of Cambridge", "Hugging Face", "Apple", "Amazon", "Seoul National University",
)
CATEGORIES = ("cs.CL", "cs.CV", "cs.LG", "cs.AI", "cs.RO", "stat.ML", "cs.IR", "cs.CR", "eess.AS", "q-bio.NC")
STATUSES = ("new",) * 14 + ("kept", "kept", "read", "dismissed", "dismissed", "dismissed")
SYLLABLES = (
    "ka ro mi na te lu vo si da re po ne ki ta zu mo fa li be go ru sa ve ni to ma de bo xi la pe "
    "qua dri vel tor gan zor mel thi pra kes lon vin dar sol mir cal fen gor hal jun kor lim nar osk pil "
    "rin sev tal ul var wen yor zel"
).split()

FIRST_DAY = dt.date(2019, 1, 1)
DAYS = (dt.date(2026, 12, 31) - FIRST_DAY).days
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'\-]*")
# "...Contrastive LearningSharut Gupta, Joshua Robinson": a title glued to its author list.
_GLUED_AUTHORS = re.compile(r"(?<=[a-z?)])(?=[A-Z][\w\-]+ [A-Z][\w\-]+(?:,| ·| et al|$))")


@dataclass(frozen=True)
class Vocabulary:
    """Title words (with repeats, so sampling follows their frequency) and abstract sentences."""

    title_words: tuple[str, ...]
    sentences: tuple[str, ...]


@lru_cache(maxsize=1)
def load_vocabulary(seed_dir: Path = SEED_DIR) -> Vocabulary:
    """Read every seed digest: lines over 300 characters are abstracts, the line before a title."""
    titles: list[str] = []
    sentences: list[str] = []
    for path in sorted(seed_dir.glob("*.txt")):
        previous = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line) > 300:
                sentences.extend(s for s in _SENTENCE.split(line) if len(s.split()) >= 4)
                titles.append(_GLUED_AUTHORS.split(previous.removeprefix("Subscribe"))[0])
            elif line:
                previous = line
    words = [w for t in titles for w in _WORD.findall(t) if len(w) > 1 or w in ("A", "a")]
    return Vocabulary(tuple(words), tuple(sentences))


def unique_name(number: int) -> str:
    """A pronounceable, capitalised name that is different for every number (at least 3 syllables)."""
    parts = []
    while True:
        number, digit = divmod(number, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
        if number == 0 and len(parts) >= 3:
            return "".join(parts).capitalize()


def make_paper(rng: random.Random, vocab: Vocabulary, number: int) -> Paper:
    """One synthetic paper; `number` makes its title (and so its id) unique."""
    words = rng.choices(vocab.title_words, k=rng.randint(6, 12))
    title = f"{unique_name(number)}: {' '.join(words)}"
    abstract_words: list[str] = []
    target = rng.randint(120, 250)
    while len(abstract_words) < target:
        abstract_words.extend(rng.choice(vocab.sentences).split())
    shown = rng.randint(1, 6)
    authors = tuple(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(shown))
    day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    added = day + dt.timedelta(days=rng.randint(0, 30))
    noted = rng.random() < 0.02
    return Paper(
        title=title,
        abstract=" ".join(abstract_words),
        authors=authors,
        author_count=shown + (rng.randint(1, 20) if shown == 6 else 0),
        orgs=tuple(rng.sample(ORGS, rng.choice((0, 1, 1, 2)))),
        date=day.isoformat(),
        upvotes=min(int(rng.paretovariate(1.1)) - 1, 3000),
        category=rng.choice(CATEGORIES),
        has_code=rng.random() < 0.4,
        links=(f"https://arxiv.org/abs/{day:%y%m}.{number % 100000:05d}",),
        starred=rng.random() < 0.03,
        note=rng.choice(vocab.sentences) if noted else "",
        status=rng.choice(STATUSES),
        added_at=f"{added.isoformat()}T09:00:00Z",
    )


def iter_library(n: int, seed: int = DEFAULT_SEED, vocabulary: str = "seed") -> Iterator[Paper]:
    """The first `n` papers of the library for `seed` (a smaller library is a prefix of a larger one).

    `vocabulary` is "seed" (resampled seed sentences) or "realistic" (see `realistic.py`).
    """
    if vocabulary == "realistic":
        from realistic import iter_realistic

        yield from iter_realistic(n, seed)
        return
    rng = random.Random(seed)
    vocab = load_vocabulary()
    for number in range(n):
        yield make_paper(rng, vocab, number)


def make_digest(n: int = 50, seed: int = DEFAULT_SEED) -> list[Paper]:
    """One digest of `n` fresh papers: titles that no library of under a million papers contains."""
    rng = random.Random(seed + 1)
    vocab = load_vocabulary()
    return [make_paper(rng, vocab, 1_000_000 + i) for i in range(n)]


# --- the library as the app would hold it: a SQLite file the index is (re)built from ---

_COLUMNS = ("id", "title", "abstract", "authors", "author_count", "orgs", "date", "upvotes",
            "category", "has_code", "links", "starred", "note", "status", "added_at")
_SEP = "\x1f"


def write_library(path: Path, papers: Iterable[Paper]) -> int:
    """Store papers in a plain SQLite table so each benchmark process can stream them back."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(f"CREATE TABLE papers (n INTEGER PRIMARY KEY, {', '.join(_COLUMNS)})")
        conn.execute("CREATE UNIQUE INDEX papers_id ON papers (id)")
        rows = (_to_row(p) for p in papers)
        conn.executemany(f"INSERT INTO papers ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})", rows)
    count = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
    conn.close()
    return count


def _to_row(p: Paper) -> tuple:
    return (p.id, p.title, p.abstract, _SEP.join(p.authors), p.author_count, _SEP.join(p.orgs), p.date,
            p.upvotes, p.category, p.has_code, _SEP.join(p.links), p.starred, p.note, p.status, p.added_at)


def _from_row(row: tuple) -> Paper:
    (pid, title, abstract, authors, author_count, orgs, date, upvotes, category, has_code, links,
     starred, note, status, added_at) = row
    return Paper(title=title, abstract=abstract, authors=_split(authors), author_count=author_count,
                 orgs=_split(orgs), date=date, upvotes=upvotes, category=category, has_code=bool(has_code),
                 links=_split(links), starred=bool(starred), note=note, status=status, added_at=added_at, id=pid)


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split(_SEP)) if text else ()


class Library:
    """Read access to a library file: stream every paper, or fetch the texts of a few."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)

    def __len__(self) -> int:
        return self.conn.execute("SELECT count(*) FROM papers").fetchone()[0]

    def papers(self, batch: int = 1000) -> Iterator[Paper]:
        """Every paper in insertion order, read in batches (the whole library is never in memory)."""
        cursor = self.conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM papers ORDER BY n")
        while rows := cursor.fetchmany(batch):
            yield from map(_from_row, rows)

    def texts(self, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """id -> (title, abstract) for the given ids (those not in the library are left out)."""
        ids = list(ids)
        sql = f"SELECT id, title, abstract FROM papers WHERE id IN ({', '.join('?' * len(ids))})"
        return {pid: (title, abstract) for pid, title, abstract in self.conn.execute(sql, ids)}

    def sample_ids(self, k: int, seed: int = DEFAULT_SEED) -> list[str]:
        """`k` paper ids spread over the library, the same ones for the same size and seed."""
        total = len(self)
        picks = random.Random(seed).sample(range(1, total + 1), min(k, total))
        sql = f"SELECT id FROM papers WHERE n IN ({', '.join('?' * len(picks))}) ORDER BY n"
        return [pid for (pid,) in self.conn.execute(sql, picks)]

    def close(self) -> None:
        self.conn.close()
