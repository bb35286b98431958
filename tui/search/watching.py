"""Queries kept by the user (watches, saved searches) run against one searcher: which of some
papers each one matches, exact counts, and the highlight terms of each, all cached.

A `ListQueries` is made per searcher (the index replaces its searcher after every write), so
a compiled query never outlives the documents it was compiled against. Matching a page of
papers walks each query's matcher to those papers' document numbers only, so its cost
follows the page, not the library.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import lru_cache

from whoosh import query

from tui.search.analysis import name_terms
from tui.search.compile import Compiler, Highlights
from tui.search.query import Phrase, parse

#: Compiled queries kept per searcher.
_CACHE_LIMIT = 256


class ListQueries:
    """The user's queries compiled for one searcher; call only while holding the index lock."""

    def __init__(self, searcher, expansions: dict[str, tuple[str, ...]] | None = None) -> None:
        self.searcher = searcher
        self.expansions = expansions if expansions is not None else {}
        self._compiled: dict[str, object] = {}
        self._docnums: dict[str, int | None] = {}
        self._id_map: dict[int, str] | None = None

    def compiled(self, text: str):
        """The Whoosh query of `text` (NullQuery when it asks nothing), compiled once."""
        q = self._compiled.get(text)
        if q is None:
            found = Compiler(datetime.date.today(), self.searcher.reader(), expansions=self.expansions).compile(
                parse(text)).query
            q = found if found is not None else query.NullQuery
            if len(self._compiled) > _CACHE_LIMIT:
                self._compiled.clear()
            self._compiled[text] = q
        return q

    def count(self, text: str) -> int:
        """How many papers `text` matches, exactly."""
        q = self.compiled(text)
        if q is query.NullQuery:
            return 0
        if isinstance(q, query.Every):
            return self.searcher.doc_count()
        return sum(1 for _ in self.searcher.docs_for_query(q))

    def paper_ids(self, text: str) -> set[str]:
        """The ids of every paper `text` matches."""
        q = self.compiled(text)
        if q is query.NullQuery:
            return set()
        ids = self._ids()
        return {ids[docnum] for docnum in self.searcher.docs_for_query(q) if docnum in ids}

    def _ids(self) -> dict[int, str]:
        """Document number -> paper id for the whole index, read from the id terms (one pass over
        the term list, much faster than reading every document's stored fields)."""
        if self._id_map is None:
            ids: dict[int, str] = {}
            for leaf, offset in _leaf_readers(self.searcher):
                for text, info in leaf.iter_field("id"):
                    ids[info.min_id() + offset] = text.decode("utf-8") if isinstance(text, bytes) else text
            self._id_map = ids
        return self._id_map

    def docnum(self, paper_id: str) -> int | None:
        """The document number of a paper (None when it is not indexed)."""
        if paper_id not in self._docnums:
            if len(self._docnums) > 50_000:
                self._docnums.clear()
            self._docnums[paper_id] = self.searcher.document_number(id=paper_id)
        return self._docnums[paper_id]

    def matching(self, ids: Iterable[str], texts: dict[object, str]) -> dict[object, set[str]]:
        """For each key of `texts`, which of the papers `ids` its query matches."""
        by_docnum = {}
        for paper_id in ids:
            docnum = self.docnum(paper_id)
            if docnum is not None:
                by_docnum[docnum] = paper_id
        docnums = sorted(by_docnum)
        out: dict[object, set[str]] = {}
        for key, text in texts.items():
            found = self._matched(self.compiled(text), docnums) if docnums else set()
            out[key] = {by_docnum[d] for d in found}
        return out

    def _matched(self, q, docnums: list[int]) -> set[int]:
        """The documents among `docnums` (sorted) that `q` matches.

        Each segment's matcher is moved straight to those documents; a compound matcher
        whose `skip_to` Whoosh gets wrong (AND NOT over an exhausted union raises) falls back
        to every match of the query, intersected.
        """
        if q is query.NullQuery:
            return set()
        try:
            return self._walked(q, docnums)
        except Exception:
            return set(self.searcher.docs_for_query(q)) & set(docnums)

    def _walked(self, q, docnums: list[int]) -> set[int]:
        out: set[int] = set()
        for leaf, offset in _leaves(self.searcher):
            end = offset + leaf.doc_count_all()
            local = [d - offset for d in docnums if offset <= d < end]
            if not local:
                continue
            matcher = q.matcher(leaf)
            for docnum in local:
                if not matcher.is_active():
                    break
                if matcher.id() < docnum:
                    matcher.skip_to(docnum)
                    if not matcher.is_active():
                        break
                if matcher.id() == docnum:
                    out.add(docnum + offset)
        return out


def _leaf_readers(searcher) -> list[tuple[object, int]]:
    reader = searcher.reader()
    return list(reader.leaf_readers()) if hasattr(reader, "leaf_readers") else [(reader, 0)]


def _leaves(searcher) -> list[tuple[object, int]]:
    leaves = searcher.leaf_searchers()
    return list(leaves) if leaves else [(searcher, 0)]


@lru_cache(maxsize=512)
def marks_of(text: str) -> Highlights:
    """The highlight terms of one query (compiled without an index, as `SearchIndex.spans` does)."""
    try:
        return Compiler(datetime.date.today()).compile(parse(text)).highlights
    except Exception:  # highlighting is decoration; a query that cannot compile marks nothing
        return Highlights()


def merged_marks(texts: tuple[str, ...]) -> Highlights:
    """The highlight terms of several queries together."""
    return _merged(tuple(sorted(set(texts))))


@lru_cache(maxsize=512)
def _merged(texts: tuple[str, ...]) -> Highlights:
    out = Highlights()
    for text in texts:
        marks = marks_of(text)
        out.stems |= marks.stems
        out.prefixes |= marks.prefixes
        out.fuzzy |= marks.fuzzy
    return out


@lru_cache(maxsize=512)
def _author_terms(text: str) -> tuple[str, ...]:
    """The name terms of an author query (`author:"Stefanie Jegelka"`, `author:jegelka`)."""
    root = parse(text).root
    node = root.children[0] if len(root.children) == 1 else None
    if isinstance(node, Phrase) and node.field == "authors":
        return tuple(name_terms(node.text))
    if node is not None and getattr(node, "field", None) == "authors":
        return tuple(name_terms(node.text))
    return ()


def watched_authors(authors: tuple[str, ...], texts: Iterable[str]) -> tuple[int, ...]:
    """Indexes of the authors an author query names (its words in a row, in one name)."""
    wanted = [terms for terms in map(_author_terms, texts) if terms]
    if not wanted:
        return ()
    found = []
    for index, author in enumerate(authors):
        terms = name_terms(author)
        if any(_contains(terms, want) for want in wanted):
            found.append(index)
    return tuple(found)


def _contains(terms: list[str], run: tuple[str, ...]) -> bool:
    width = len(run)
    return any(tuple(terms[i:i + width]) == run for i in range(len(terms) - width + 1))
