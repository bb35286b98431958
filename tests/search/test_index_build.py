"""The bulk segment writer writes exactly what Whoosh's own writer writes (it is only faster)."""

from __future__ import annotations

import dataclasses
import random

from whoosh import index as whoosh_index

from tui.search.bulk import BulkSegmentWriter
from tui.search.schema import build_schema, paper_document

try:
    from test_index_library import PAPERS
except ImportError:  # tests collected as a package
    from tests.test_index_library import PAPERS


def _many_papers(count: int = 420) -> list:
    """Variations of the library: common words get several postings blocks, rare ones one posting."""
    rnd = random.Random(3)
    words = " ".join(p.title + " " + p.abstract for p in PAPERS).split()
    out = list(PAPERS)
    for i in range(count - len(PAPERS)):
        base = PAPERS[i % len(PAPERS)]
        out.append(dataclasses.replace(
            base, id=f"x{i}", title=" ".join(rnd.sample(words, 6)) + f" unique{i}",
            abstract=" ".join(rnd.choice(words) for _ in range(60)), upvotes=rnd.randrange(0, 500),
            starred=rnd.random() < 0.2, note=rnd.choice(["", "reread", "ablation ablation study"])))
    return out


def _build(directory, papers, bulk: bool):
    directory.mkdir()
    ix = whoosh_index.create_in(str(directory), build_schema())
    writer = BulkSegmentWriter(ix) if bulk else ix.writer()
    for paper in papers:
        writer.add_document(**paper_document(paper))
    writer.commit()
    return ix.reader()


def _term_stats(reader, fieldname, term):
    info = reader.term_info(fieldname, term)
    return (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(), info.max_weight(),
            info.min_id(), info.max_id())


def test_bulk_writer_matches_whoosh_writer(tmp_path):
    papers = _many_papers()
    stock, bulk = _build(tmp_path / "stock", papers, False), _build(tmp_path / "bulk", papers, True)
    terms = list(stock.all_terms())
    assert terms == list(bulk.all_terms())
    for fieldname, term in terms:
        assert list(stock.postings(fieldname, term).items_as("weight")) == \
            list(bulk.postings(fieldname, term).items_as("weight")), (fieldname, term)
        assert _term_stats(stock, fieldname, term) == _term_stats(bulk, fieldname, term), (fieldname, term)
        if fieldname in ("title", "abstract", "authors", "note"):
            assert list(stock.postings(fieldname, term).items_as("positions")) == \
                list(bulk.postings(fieldname, term).items_as("positions"))
    for docnum in range(len(papers)):
        assert stock.stored_fields(docnum) == bulk.stored_fields(docnum)
        for fieldname in ("title", "abstract", "prefixes", "authors", "note"):
            assert stock.doc_field_length(docnum, fieldname) == bulk.doc_field_length(docnum, fieldname)
    for column in ("title", "abstract", "date", "upvotes"):
        assert list(stock.column_reader(column)) == list(bulk.column_reader(column))
    assert {f: stock.field_length(f) for f in ("title", "abstract")} == \
        {f: bulk.field_length(f) for f in ("title", "abstract")}


def test_bulk_segments_survive_a_merge(tmp_path):
    papers = _many_papers(60)
    _build(tmp_path / "ix", papers, True)
    ix = whoosh_index.open_dir(str(tmp_path / "ix"))
    writer = ix.writer()
    writer.update_document(**paper_document(dataclasses.replace(papers[0], note="merged")))
    writer.commit(optimize=True)
    reader = ix.reader()
    assert reader.doc_count() == len(papers) and len(reader.leaf_readers()) == 1
    assert [reader.stored_fields(d)["id"] for d in reader.postings("note", "merg").all_ids()] == [papers[0].id]
    assert {reader.stored_fields(d)["id"] for d in reader.postings("id", b"x5").all_ids()} == {"x5"}
