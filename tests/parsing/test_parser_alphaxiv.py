"""Format B: the title/author cut of every seed entry, and of synthetic bylines it has never seen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tui.parsing.formats.alphaxiv import name_size, parse_head, split_byline
from tui.parsing.digest import parse_digest

SEED = next((Path(__file__).resolve().parents[2] / "seeds").glob("003_*.txt"))
REF = dt.date(2026, 11, 21)

# Read off the second line of each entry of seed 003, in order: (title, shown authors).
EXPECTED = [
    ("Structuring Representation Geometry with Rotationally Equivariant Contrastive Learning", "Sharut Gupta; Joshua Robinson; Derek Lim"),
    ("InfoOT: Information Maximizing Optimal Transport", "Ching-Yao Chuang; Stefanie Jegelka; David Alvarez-Melis"),
    ("Debiasing Vision-Language Models via Biased Prompts", "Ching-Yao Chuang; Varun Jampani; Yuanzhen Li"),
    ("Beyond Structural Symmetries: Linear Mode Connectivity via Neuron Identifiability", "Vincent Bürgin; Daniel Herbst; Ya-Wei Eileen Lin"),
    ("On the Stability of Expressive Positional Encodings for Graphs", "Yinan Huang; William Lu; Joshua Robinson"),
    ("Theory of Graph Neural Networks: Representation and Learning", "Stefanie Jegelka"),
    ("Tree Mover's Distance: Bridging Graph Metrics and Stability of Graph Neural Networks", "Ching-Yao Chuang; Stefanie Jegelka"),
    ("A projection-based framework for gradient-free and parallel learning", "Andreas Bergmeister; Manish Krishan Lal; Stefanie Jegelka"),
    ("Efficiently predicting high resolution mass spectra with graph neural networks", "Michael Murphy; Stefanie Jegelka; Ernest Fraenkel"),
    ("The Exact Sample Complexity Gain from Invariances for Kernel Regression", "Behrooz Tahmasebi; Stefanie Jegelka"),
    ("Limits, approximation and size transferability for GNNs on sparse graphs via graphops", "Thien Le; Stefanie Jegelka"),
    ("Near-Optimal Algorithms for Group Distributionally Robust Optimization and Beyond", "Tasuku Soma; Khashayar Gatmiry; Sharut Gupta"),
    ("Neural Set Function Extensions: Learning with Discrete Functions in High Dimensions", "Nikolaos Karalias; Joshua Robinson; Andreas Loukas"),
    ("The Inductive Bias of Flatness Regularization for Deep Matrix Factorization", "Khashayar Gatmiry; Zhiyuan Li; Ching-Yao Chuang"),
    ("Sample Complexity Bounds for Estimating Probability Divergences under Invariances", "Behrooz Tahmasebi; Stefanie Jegelka"),
    ("On the generalization of learning algorithms that do not converge", "Nisha Chandramoorthy; Andreas Loukas; Khashayar Gatmiry"),
    ("The Heterophilic Graph Learning Handbook: Benchmarks, Models, Theoretical Analysis, Applications and Challenges", "Sitao Luan; Chenqing Hua; Qincheng Lu"),
    ("No More K-means:Single-Stage Sparse Coding for Efficient Multi-Vector Retrieval", "Lixuan Guo; Yifei Wang; Tiansheng Wen"),
    ("Scaling Attention via Feature Sparsity", "Yan Xie; Tiansheng Wen; Tangda Huang"),
    ("A Poincaré Inequality and Consistency Results for Signal Sampling on Large Graphs", "Thien Le; Luana Ruiz; Stefanie Jegelka"),
    ("Route Experts by Sequence, not by Token", "Tiansheng Wen; Yifei Wang; Aosong Feng"),
    ("Tetris-inspired detector with neural network for radiation mapping", "Ryotaro Okabe; Shangjie Xue; Jiankai Yu"),
    ("ReasonCACHE: Teaching LLMs To Reason Without Weight Updates", "Sharut Gupta; Phillip Isola; Stefanie Jegelka"),
    ("Context is Environment", "Sharut Gupta; Stefanie Jegelka; David Lopez-Paz"),
    ("Are Graph Neural Networks Optimal Approximation Algorithms?", "Morris Yau; Nikolaos Karalias; Eric Lu"),
    ("What is Wrong with Perplexity for Long-context Language Modeling?", "Lizhe Fang; Yifei Wang; Zhaoyang Liu"),
    ("Dense Neural Networks are not Universal Approximators", "Levi Rauchwerger; Stefanie Jegelka; Ron Levie"),
    ("Expressive Sign Equivariant Networks for Spectral Geometric Learning", "Derek Lim; Joshua Robinson; Stefanie Jegelka"),
    ("Beyond Matryoshka: Revisiting Sparse Coding for Adaptive Representation", "Tiansheng Wen; Yifei Wang; Zequn Zeng"),
    ("An Information Criterion for Controlled Disentanglement of Multimodal Data", "Chenyu Wang; Sharut Gupta; Xinyi Zhang"),
    ("Understanding the Role of Equivariance in Self-supervised Learning", "Yifei Wang; Kaiwen Hu; Sharut Gupta"),
    ("Any-Subgroup Equivariant Networks via Symmetry Breaking", "Abhinav Goel; Derek Lim; Hannah Lawrence"),
    ("Learning to Approximate Uniform Facility Location via Graph Neural Networks", "Chendi Qian; Christopher Morris; Stefanie Jegelka"),
    ("Learning Diffusion Models with Flexible Representation Guidance", "Chenyu Wang; Cai Zhou; Sharut Gupta"),
    ("G1: Teaching LLMs to Reason on Graphs with Reinforcement Learning", "Xiaojun Guo; Ang Li; Yifei Wang"),
    ("Beyond Interpretability: The Gains of Feature Monosemanticity on Model Robustness", "Qi Zhang; Yifei Wang; Jingyi Cui"),
    ("CSRv2: Unlocking Ultra-Sparse Embeddings", "Lixuan Guo; Yifei Wang; Tiansheng Wen"),
    ("Canonicalizing Multimodal Contrastive Representation Learning", "Sharut Gupta; Sanyam Kansal; Stefanie Jegelka"),
    ("Reinforce Adjoint Matching: Scaling RL Post-Training of Diffusion and Flow-Matching Models", "Andreas Bergmeister; Stefanie Jegelka; Nikolas Nüsken"),
    ("How to Craft Backdoors with Unlabeled Data Alone?", "Yifei Wang; Wenhan Ma; Stefanie Jegelka"),
    ("Sign and Basis Invariant Networks for Spectral Graph Representation Learning", "Derek Lim; Joshua Robinson; Lingxiao Zhao"),
    ("Can contrastive learning avoid shortcut solutions?", "Joshua Robinson; Li Sun; Ke Yu"),
    ("Measuring Generalization with Optimal Transport", "Ching-Yao Chuang; Youssef Mroueh; Kristjan Greenewald"),
    ("Graph-Sparse Logistic Regression", "Alexander LeNail; Ludwig Schmidt; Johnathan Li"),
    ("When More is Less: Understanding Chain-of-Thought Length in LLMs", "Yuyang Wu; Yifei Wang; Ziyu Ye"),
    ("On the Emergence of Position Bias in Transformers", "Xinyi Wu; Yifei Wang; Stefanie Jegelka"),
    ("On the hardness of learning under symmetries", "Bobak T. Kiani; Thien Le; Hannah Lawrence"),
    ("Survey on Generalization Theory for Graph Neural Networks", "Antonis Vasileiou; Stefanie Jegelka; Ron Levie"),
    ("Future Directions in the Theory of Graph Machine Learning", "Christopher Morris; Fabrizio Frasca; Nadav Dym"),
    ("Generalization, Expressivity, and Universality of Graph Neural Networks on Attributed Graphs", "Levi Rauchwerger; Stefanie Jegelka; Ron Levie"),
]
ORGS = {0: ("mit",), 1: ("harvard", "microsoft-research"), 27: ("nvidia",), 48: ("nvidia",)}
#: Entries whose byline ends in "et al." (so the real number of authors is unknown).
ET_AL = {0, 2, 3, 4, 7, 8, 11, 12, 13, 15, 16, 17, 18, 20, 21, 22, 23, 24, 25, 27, 28, 29, 30, 31, 32, 33,
         34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48}


def test_expected_table_covers_the_seed() -> None:
    assert len(EXPECTED) == len(parse_digest(SEED, reference_date=REF).entries) == 50


@pytest.mark.parametrize("index", range(len(EXPECTED)))
def test_seed_title_and_authors(index: int) -> None:
    paper = parse_digest(SEED, reference_date=REF).entries[index]
    title, authors = EXPECTED[index]
    assert paper.title == title
    assert paper.authors == tuple(authors.split("; "))
    assert paper.orgs == ORGS.get(index, ())
    assert paper.author_count == (None if index in ET_AL else len(paper.authors))


SYNTHETIC = [
    # acronyms and digits at the end of the title
    ("Message Passing for GNNsAlex Smith, Jane Doe", "Message Passing for GNNs", "Alex Smith; Jane Doe"),
    ("Reasoning with LLMAlex Smith", "Reasoning with LLM", "Alex Smith"),
    ("Reasoning with LLMJ. Smith, K. Lee et al.", "Reasoning with LLM", "J. Smith; K. Lee"),
    ("Paper on Vitamin DJohn Smith", "Paper on Vitamin D", "John Smith"),
    ("GPT-4 at 100Wei Zhang", "GPT-4 at 100", "Wei Zhang"),
    ("Learning the ABCsJJ Abrams", "Learning the ABCs", "JJ Abrams"),
    ("MLPsMixer: All-MLPJohn Smith", "MLPsMixer: All-MLP", "John Smith"),
    ("On 3D VisionXiaojun Guo, Ang Li, Yifei Wang et al.", "On 3D Vision", "Xiaojun Guo; Ang Li; Yifei Wang"),
    # particles, apostrophes, accents, camel case, hyphens, initials, suffixes
    ("On Fluids and SolidsJan van der Waals, Maria de la Cruz", "On Fluids and Solids", "Jan van der Waals; Maria de la Cruz"),
    ("Irish NetworksMary O'Brien, Seán Ó Briain", "Irish Networks", "Mary O'Brien; Seán Ó Briain"),
    ("Deep Learning, Neural Nets and MoreJosé Müller", "Deep Learning, Neural Nets and More", "José Müller"),
    ("Fast Food ModelsRonald McDonald, Alexander LeNail, Jean-Luc Picard et al.", "Fast Food Models",
     "Ronald McDonald; Alexander LeNail; Jean-Luc Picard"),
    ("Models of the 1990sDeAndre Jordan", "Models of the 1990s", "DeAndre Jordan"),
    ("Ideas from DiCaprioJohn DiCaprio", "Ideas from DiCaprio", "John DiCaprio"),
    ("A Study (Revisited)Anne-Marie Smith-Jones", "A Study (Revisited)", "Anne-Marie Smith-Jones"),
    ("Is Attention Enough?J.R.R. Tolkien, C. S. Lewis", "Is Attention Enough?", "J.R.R. Tolkien; C. S. Lewis"),
    ("Graph Learning via DeepWalkMartin Luther King Jr., Ann Lee", "Graph Learning via DeepWalk", "Martin Luther King Jr.; Ann Lee"),
    ("Ünïcode TitlesÅsa Ærø, Øyvind Ågren", "Ünïcode Titles", "Åsa Ærø; Øyvind Ågren"),
    ("Learning with One NameMausam", "Learning with One Name", "Mausam"),
    # commas inside the title
    ("Cats, Dogs and MiceJohn Smith, Jane Doe", "Cats, Dogs and Mice", "John Smith; Jane Doe"),
    ("Evaluating GPT, LLaMA, and Mistral on MathJohn Smith, Jane Doe", "Evaluating GPT, LLaMA, and Mistral on Math",
     "John Smith; Jane Doe"),
    # punctuation at the end of the title
    ('Quoted "Title"Ana Lima', 'Quoted "Title"', "Ana Lima"),
    ("Study of the 'Thing'Ana Lima", "Study of the 'Thing'", "Ana Lima"),
    ("Sentence ending.John Smith", "Sentence ending.", "John Smith"),
]


@pytest.mark.parametrize(("line", "title", "authors"), SYNTHETIC)
def test_synthetic_bylines(line: str, title: str, authors: str) -> None:
    byline = split_byline(line)
    assert (byline.title, byline.authors) == (title, tuple(authors.split("; ")))


@pytest.mark.parametrize(
    ("line", "title", "orgs"),
    [
        ("A TitleAnn Lee et al. · mit, eth-zurich", "A Title", ("mit", "eth-zurich")),
        ("A TitleAnn Lee · google-deepmind", "A Title", ("google-deepmind",)),
        ("Why Not? · A Title With DotsJohn Smith", "Why Not? · A Title With Dots", ()),
    ],
)
def test_orgs_after_the_middle_dot(line: str, title: str, orgs: tuple[str, ...]) -> None:
    byline = split_byline(line)
    assert (byline.title, byline.orgs) == (title, orgs)


def test_byline_without_recognisable_names_stays_the_title() -> None:
    assert split_byline("a title by bell hooks").title == "a title by bell hooks"
    assert split_byline("a title by bell hooks").authors == ()


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("Stefanie Jegelka", 2), ("Bobak T. Kiani", 3), ("Jan van der Waals", 4), ("Mary O'Brien", 2),
        ("Alexander LeNail", 2), ("Ya-Wei Eileen Lin", 3), ("José Müller", 2), ("Mausam", 1),
        ("and Universality", None), ("TransportChing-Yao Chuang", None), ("Graphs via", None),
        ("MAlex Smith", None), ("Jan van der", None), ("OT: Information Maximizing", None),
    ],
)
def test_name_shape(name: str, size: int | None) -> None:
    assert name_size(name) == size


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("LGJun 24, 2023Code", ("LG", "2023-06-24", True)),
        ("INS-DETFeb 7, 2023", ("INS-DET", "2023-02-07", False)),
        ("IRMay 28", ("IR", "2026-05-28", False)),
        ("LGDec 3Code", ("LG", "2025-12-03", True)),
        ("MAMar 3, 2020", ("MA", "2020-03-03", False)),
        ("stat.MLSep 30, 2021", ("stat.ML", "2021-09-30", False)),
        ("LGFeb 30, 2023", ("LG", None, False)),
        ("Structuring Representation Geometry", None),
        ("We study Jun 24, 2023", None),
    ],
)
def test_head_line(line: str, expected) -> None:
    assert parse_head(line, REF) == expected
