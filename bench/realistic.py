"""A realistic vocabulary for the bench corpus: a Zipf-like long tail of word forms grown from real text.

The seed corpus reuses ~3,200 sentences, so 100k papers hold only ~43k distinct words; real
abstracts hold hundreds of thousands (rare technical terms, model names, hyphenated compounds,
numbers, people). Here every paper is first made as in `corpus.make_paper`, then a share of its
words is replaced by words drawn from an unbounded, Zipf-ranked lexicon: rank r is turned into
a word form by `word_form(r)`, so frequent ranks recur across papers and most large ranks occur
once, the way hapaxes do in real text. Real words come from `seeds/` and, when present, the
parsed real digests in the shared samples folder (read only).
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from corpus import DEFAULT_SEED, SEED_DIR, SYLLABLES, load_vocabulary, make_paper

from tui.records import Paper

SAMPLES_DIR = Path(os.environ.get("PAPER_READER_SAMPLES", "/work/shared/samples"))
#: Zipf exponent of the tail: P(rank >= k) ~ k^-(S-1). 1.22 gives ~0.4M distinct words at 100k.
ZIPF_S = 1.22
#: Share of abstract words replaced by tail words (real abstracts: roughly one word in six is rare).
ABSTRACT_SHARE = 0.16
#: Tail words per title (titles carry model names and coined terms too).
TITLE_TAIL = (0, 1, 1, 2)
PREFIXES = ("re", "pre", "multi", "co", "sub", "hyper", "meta", "semi", "inter", "cross", "non", "self")
SUFFIXES = ("s", "ed", "ing", "ly", "ness", "ization", "al", "ity", "er", "ive", "ism", "wise")
TECH_ENDINGS = ("former", "net", "gan", "bert", "flow", "mix", "diff", "rag", "llm", "vit", "nerf", "seg")
_WORD = re.compile(r"[A-Za-z][a-z]{2,}")
_NAME = re.compile(r"^[A-Z][a-z]{2,}$")


@lru_cache(maxsize=1)
def real_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(lower-case words, surnames) from the seeds and the parsed real samples, sorted for stability."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SEED_DIR.glob("*.txt"))]
    names: set[str] = set()
    for path in sorted(SAMPLES_DIR.glob("*/*.expected.json")) if SAMPLES_DIR.is_dir() else ():
        for entry in json.loads(path.read_text(encoding="utf-8")):
            texts.append(f"{entry.get('title', '')} {entry.get('abstract', '')}")
            names.update(a.split()[-1] for a in entry.get("authors", ()) if a.split())
    words = {w.lower() for text in texts for w in _WORD.findall(text)}
    return tuple(sorted(words)), tuple(sorted(n for n in names if _NAME.match(n)))


def _coin(number: int, syllables: int = 2) -> str:
    """A pronounceable coinage that is different for every number."""
    parts = []
    while number or len(parts) < syllables:
        number, digit = divmod(number, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
    return "".join(parts)


def word_form(rank: int) -> str:
    """The tail word of one rank: variants of real words, compounds, coined terms, names, numbers."""
    words, names = real_words()
    kind, n = rank % 8, rank // 8
    if kind in (0, 1, 2):  # a real word with a prefix and/or suffix: "multi-grounding", "tokenization"
        word = words[n % len(words)]
        n //= len(words)
        prefix, suffix = PREFIXES[n % len(PREFIXES)], SUFFIXES[(n // len(PREFIXES)) % len(SUFFIXES)]
        return (f"{prefix}{word}" if kind == 0 else f"{word}{suffix}") + (_coin(n // 144, 1) if n >= 144 else "")
    if kind == 3:  # a hyphenated compound of two real words: "token-level", "graph-aware"
        a, b = divmod(n, len(words))
        return f"{words[a % len(words)]}-{words[b]}" + (f"-{_coin(a // len(words), 1)}" if a >= len(words) else "")
    if kind == 4:  # a coined technical term or model name: "karoformer", "Velmi-7B"
        ending = TECH_ENDINGS[n % len(TECH_ENDINGS)]
        return f"{_coin(n // len(TECH_ENDINGS))}{ending}"
    if kind == 5:
        return f"{_coin(n).capitalize()}-{n % 70 + 1}B"
    if kind == 6:  # a person's name, real or coined: "Okafor", "Ravelkin"
        return names[n] if n < len(names) else _coin(n, 3).capitalize()
    return f"{n % 997}k{_coin(n // 997, 1)}" if n % 3 else f"v{n % 9 + 1}{_coin(n // 9, 1)}"


def tail_rank(rng: random.Random) -> int:
    """A rank from a Zipf-like law with exponent ZIPF_S (inverse transform of its continuous form)."""
    return int((1.0 - rng.random()) ** (-1.0 / (ZIPF_S - 1.0))) % 2**40  # folded: ranks beyond 2^40 are rare


def realistic_paper(rng: random.Random, number: int) -> Paper:
    """A corpus paper with part of its title and abstract replaced by long-tail words."""
    paper = make_paper(rng, load_vocabulary(), number)
    words = paper.abstract.split()
    for i in range(len(words)):
        if rng.random() < ABSTRACT_SHARE:
            words[i] = word_form(tail_rank(rng))
    head, _, rest = paper.title.partition(": ")
    title_words = rest.split()
    for _ in range(rng.choice(TITLE_TAIL)):
        title_words[rng.randrange(len(title_words))] = word_form(tail_rank(rng)).capitalize()
    return replace(paper, title=f"{head}: {' '.join(title_words)}", abstract=" ".join(words), id="")


def iter_realistic(n: int, seed: int = DEFAULT_SEED) -> Iterator[Paper]:
    """The first `n` papers of the realistic library for `seed` (smaller libraries are prefixes)."""
    rng = random.Random(seed)
    for number in range(n):
        yield realistic_paper(rng, number)


def distinct_words(papers: Iterator[Paper]) -> int:
    """How many distinct lower-case words (letters, digits, hyphens) titles and abstracts hold."""
    seen: set[str] = set()
    for paper in papers:
        seen.update(re.findall(r"[a-z0-9][a-z0-9\-]*", f"{paper.title} {paper.abstract}".lower()))
    return len(seen)
