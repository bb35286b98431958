"""A small hand-written library for the search index tests, and tests of building it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.search.index import SearchIndex
from tui.records import Paper, Sighting

TODAY = __import__("datetime").date(2025, 3, 20)

PAPERS = (
    Paper(id="gnn", title="Graph Neural Networks for Molecules",
          abstract="We study message passing on molecular graphs. Graph neural networks learn atom "
                   "representations and predict chemical properties of molecules.",
          authors=("Stefanie Jegelka", "Ching-Yao Chuang"), author_count=2, orgs=("mit",),
          date="2024-03-05", upvotes=42, category="LG", has_code=True, status="new",
          seen=(Sighting("2024-03-06.txt", 1, "2024-03-06"),)),
    Paper(id="attn", title="Attention Is All You Need",
          abstract="The dominant sequence transduction models are based on recurrent networks. We propose "
                   "the Transformer, based solely on attention mechanisms.",
          authors=("Ashish Vaswani", "Noam Shazeer"), author_count=8, orgs=("google",),
          date="2017-06-12", upvotes=100, category="CL", status="read", starred=True,
          note="classic; reread the positional encoding part"),
    Paper(id="diff", title="Diffusion Models Beat GANs on Image Synthesis",
          abstract="We show that diffusion models can achieve image sample quality superior to generative "
                   "adversarial networks.",
          authors=("Prafulla Dhariwal", "Alex Nichol"), author_count=2, orgs=("openai",),
          date="2021-05-11", upvotes=7, category="CV", has_code=True, status="kept"),
    Paper(id="gtsurvey", title="A Survey of Graph Transformers",
          abstract="Graph transformers combine attention with structural encodings. This survey reviews them.",
          authors=tuple(f"Author {i}" for i in range(12)), author_count=12,
          date="2023-01-20", upvotes=3, category="LG", status="dismissed"),
    Paper(id="scaling", title="Scaling Laws for Neural Language Models",
          abstract="We study empirical scaling laws for language model performance; larger transformer "
                   "models are more sample efficient.",
          authors=("Jared Kaplan", "Sam McCandlish"), author_count=10, orgs=("openai",),
          date="2020-01-23", upvotes=55, category="CL", status="new"),
    Paper(id="contrast", title="Contrastive Learning of Visual Representations",
          abstract="A simple framework for learning visual representations with a contrastive objective "
                   "and strong data augmentation.",
          authors=("Ting Chen",), author_count=4, orgs=("google",), date="2020-02-13", upvotes=30,
          category="CV", status="new"),
    Paper(id="selfsup", title="Self-Supervised Pretraining at Scale",
          abstract="Pretraining on large uncurated image collections; we compare with a contrastive "
                   "baseline and clustering methods.",
          authors=("Mathilde Caron",), author_count=6, orgs=("meta",), date="2021-04-29", upvotes=12,
          category="CV", status="new"),
    Paper(id="burgin", title="Linear Mode Connectivity via Neuron Identifiability",
          abstract="Striking phenomena in deep learning such as linear mode connectivity are tied to "
                   "parameter symmetries.",
          authors=("Vincent Bürgin", "Daniel Herbst"), author_count=3, orgs=("eth zurich",),
          date="2025-06-03", upvotes=None, category="LG", status="new",
          seen=(Sighting("2025-03-01.txt", 4, "2025-03-01"),)),
    Paper(id="nodate", title="Sparse Spiking Recurrent Networks",
          abstract="Recurrent spiking neural networks emerged as efficient brain-inspired models.",
          authors=("Ada Lovelace",), author_count=1, date=None, upvotes=1, category="NE", status="new",
          seen=(Sighting("2025-02-01.txt", 2, "2025-02-01"),)),
    Paper(id="noted", title="Tree Mover's Distance for Graphs",
          abstract="Understanding generalization of machine learning models relies on a metric between inputs.",
          authors=("Ching-Yao Chuang", "Stefanie Jegelka"), author_count=2, orgs=("mit",),
          date="2022-10-04", upvotes=18, category="LG", status="kept", starred=True,
          note="interesting baseline for ablations"),
    Paper(id="efftr", title="Efficient Transformers: A Survey",
          abstract="Transformer model architectures have garnered immense interest; this survey covers "
                   "efficient variants.",
          authors=("Yi Tay",), author_count=4, orgs=("google",), date="2020-09-14", upvotes=25,
          category="LG", status="new"),
    Paper(id="apart", title="Learning Long Sequences",
          abstract="Networks that are neural in name only can still learn long sequences efficiently, "
                   "as Jegelka suggested.",
          authors=("Grace Hopper",), author_count=1, date="2019-11-30", upvotes=2, category="LG",
          status="new"),
    Paper(id="protein", title="Protein Folding with Geometric Deep Learning",
          abstract="Protein structure prediction with equivariant networks and attention over residues.",
          authors=("John Jumper",), author_count=20, orgs=("deepmind",), date="2024-12-24", upvotes=80,
          category="LG", has_code=True, status="new"),
    Paper(id="grafting", title="Model Grafting for Continual Learning",
          abstract="We graft pretrained modules onto new tasks to avoid catastrophic forgetting.",
          authors=("Ivy Chen",), author_count=3, date="2024-11-02", upvotes=5, category="LG", status="new"),
)
IDS = {p.id for p in PAPERS}


def build_library(directory: Path, papers=PAPERS) -> SearchIndex:
    """A fresh, open index of `papers` in `directory / 'index-v1'`."""
    index = SearchIndex(directory / "index-v1")
    assert index.open() == "index missing"
    assert index.rebuild(papers, len(papers), seq=7) == len(papers)
    return index


def ids(result) -> list[str]:
    return [hit.id for hit in result.hits]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    index = build_library(tmp_path_factory.mktemp("library"))
    yield index
    index.close()


def test_rebuild_indexes_every_paper_and_records_meta(library):
    assert library.doc_count() == len(PAPERS)
    assert not library.needs_rebuild
    assert library.applied_seq == 7
    meta = json.loads((library.directory / "index_meta.json").read_text())
    assert meta["doc_count"] == len(PAPERS) and meta["applied_seq"] == 7 and meta["schema_version"] >= 1


def test_rebuild_leaves_no_temporary_directories(library):
    siblings = sorted(p.name for p in library.directory.parent.iterdir() if p.is_dir())
    assert siblings == ["index-v1"]


def test_reopening_a_healthy_index_reports_nothing(library):
    again = SearchIndex(library.directory)
    assert again.open() is None
    assert again.doc_count() == len(PAPERS) and again.applied_seq == 7
    again.close()


def test_empty_query_lists_everything_newest_first(library):
    result = library.search("", today=TODAY)
    assert result.total == len(PAPERS)
    assert ids(result)[:3] == ["burgin", "nodate", "protein"]
