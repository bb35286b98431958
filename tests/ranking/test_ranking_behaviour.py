"""What a reader notices about the "for you" order: kept topics and authors rise, dismissed sink."""

from __future__ import annotations

import pytest

from tui.ranking import MIN_DISMISSED, MIN_KEPT, Ranker

from conftest import make_paper


def titles(ranked) -> list[str]:
    """The titles of a ranking, in order."""
    return [paper.title for paper, _ in ranked]


def test_new_papers_on_a_kept_topic_rank_first(graph_reader: Ranker) -> None:
    digest = [
        make_paper("Robust speech recognition", "Acoustic models for speech recognition."),
        make_paper("A study of sorting", "Sorting networks and their depth."),
        make_paper("Sparse graph transformer", "A graph transformer that scales to large molecules."),
    ]
    assert titles(graph_reader.rank(digest))[0] == "Sparse graph transformer"


def test_a_dismissed_topic_ranks_last(graph_reader: Ranker) -> None:
    digest = [
        make_paper("Protein folding at scale", "Protein folding with structure priors, again."),
        make_paper("A study of sorting", "Sorting networks and their depth."),
        make_paper("Graph transformer pretraining", "Pretraining a graph transformer."),
    ]
    assert titles(graph_reader.rank(digest))[-1] == "Protein folding at scale"


def test_a_kept_author_ranks_up_on_a_neutral_topic() -> None:
    ranker = Ranker()
    for i in range(6):
        ranker.learn(make_paper(f"Topic {i} kept", f"Subject number {i} optimisation.", ["Stefanie Jegelka"]), True)
        ranker.learn(make_paper(f"Topic {i} dismissed", f"Subject number {i} optimisation.", [f"Other Person{i}"]), False)
    digest = [make_paper("Convex bounds", "Bounds for convex losses.", ["Wei Chen"]),
              make_paper("Convex limits", "Bounds for convex losses.", ["Stefanie Jegelka"])]
    assert titles(ranker.rank(digest)) == ["Convex limits", "Convex bounds"]
    assert "author Jegelka" in ranker.explain(digest[1])


def test_unlearn_restores_every_score_exactly(graph_reader: Ranker) -> None:
    digest = [make_paper(f"Paper {i}", f"graph transformer speech protein variant {i}") for i in range(5)]
    before = [graph_reader.score(p) for p in digest]
    decision = make_paper("Speech graph", "speech graph transformer molecules recognition")
    graph_reader.learn(decision, False)
    assert [graph_reader.score(p) for p in digest] != before
    graph_reader.unlearn(decision, False)
    assert [graph_reader.score(p) for p in digest] == before


def test_unlearn_of_a_decision_never_made_changes_nothing(graph_reader: Ranker) -> None:
    probe = make_paper("Probe", "graph transformer")
    before, status = graph_reader.score(probe), graph_reader.status
    graph_reader.unlearn(make_paper("Never decided", "graph"), True)
    graph_reader.unlearn(make_paper("Graph transformer study 0"), False)  # decided, but as kept
    assert (graph_reader.score(probe), graph_reader.status) == (before, status)


def test_changing_a_verdict_replaces_the_first_one(graph_reader: Ranker) -> None:
    decision = make_paper("Graph transformer study 0",
                          "A graph transformer for molecules, variant 0, with message passing.")
    graph_reader.learn(decision, True)  # the same verdict again: counted once
    assert (graph_reader.status.kept, graph_reader.status.dismissed) == (6, 6)
    graph_reader.learn(decision, False)
    assert (graph_reader.status.kept, graph_reader.status.dismissed) == (5, 7)


def test_a_full_train_equals_the_same_decisions_learned_one_by_one(graph_reader: Ranker) -> None:
    decisions = [(make_paper(f"Kept {i}", "graph transformer"), True) for i in range(5)]
    decisions += [(make_paper(f"Dismissed {i}", "speech recognition"), False) for i in range(5)]
    one_by_one = Ranker()
    for paper, liked in decisions:
        one_by_one.learn(paper, liked)
    graph_reader.train(decisions)
    probe = make_paper("Probe", "graph transformer for speech")
    assert graph_reader.score(probe) == one_by_one.score(probe)
    assert graph_reader.status == one_by_one.status


def test_too_few_decisions_keep_digest_order_and_say_so(paper) -> None:
    ranker = Ranker()
    for i in range(3):
        ranker.learn(paper(f"Kept {i}", "graph transformer"), True)
    ranker.learn(paper("Dismissed", "speech"), False)
    digest = [paper("Speech again", "speech"), paper("Graph transformer again", "graph transformer")]
    status = ranker.status
    assert not status.ready and (status.kept, status.dismissed) == (3, 1)
    assert "4 of the 10 decisions" in status.message and "digest order" in status.message
    assert ranker.rank(digest) == [(digest[0], 0.0), (digest[1], 0.0)]
    assert ranker.explain(digest[1]) == status.message


def test_it_becomes_ready_at_the_threshold(paper) -> None:
    ranker = Ranker()
    ranker.train([(paper(f"K{i}", "a"), True) for i in range(MIN_KEPT)]
                 + [(paper(f"D{i}", "b"), False) for i in range(MIN_DISMISSED - 1)])
    assert not ranker.status.ready
    ranker.learn(paper("D last", "b"), False)
    assert ranker.status.ready and "learned from 5 kept and 5 dismissed" in ranker.status.message


def test_ties_keep_the_given_order(graph_reader: Ranker) -> None:
    digest = [make_paper(f"Unrelated {name}", "Quasar lensing maps.") for name in "abcdef"]
    assert titles(graph_reader.rank(digest)) == [p.title for p in digest]


def test_rank_accepts_any_iterable_and_keeps_every_paper(graph_reader: Ranker) -> None:
    digest = [make_paper(f"Paper {i}", "graph" if i % 2 else "speech") for i in range(20)]
    ranked = graph_reader.rank(iter(digest))
    assert sorted(titles(ranked)) == sorted(p.title for p in digest)
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True)


def test_explain_names_a_phrase_the_paper_really_has(graph_reader: Ranker) -> None:
    target = make_paper("Graph transformer for crystals", "A graph transformer with message passing.")
    line = graph_reader.explain(target)
    assert line.startswith("for you: matches ") and '"graph transformer"' in line
    assert "like 6 papers you kept" in line


def test_explain_says_why_a_paper_was_ranked_down(graph_reader: Ranker) -> None:
    line = graph_reader.explain(make_paper("Speech recognition", "Acoustic models for speech recognition."))
    assert line.startswith("for you: ranked down for ") and "speech" in line and "dismissed" in line


def test_explain_with_nothing_decided_on_says_so(graph_reader: Ranker) -> None:
    line = graph_reader.explain(make_paper("Quasar", "Lensing maps of quasars.", authors=()))
    assert line.startswith("for you: ") and "\n" not in line


@pytest.mark.parametrize(("kept", "probe"), [("LG", "cs.LG"), ("cs.CV", "CV")])
def test_a_bare_category_and_its_cs_form_are_one(kept: str, probe: str, paper) -> None:
    ranker = Ranker()
    ranker.train([(paper(f"K{i}", "x", category=kept), True) for i in range(5)]
                 + [(paper(f"D{i}", "x", category="q-fin.ST"), False) for i in range(5)])
    same, other = paper("Same", "x", category=probe), paper("Other", "x", category="econ.GN")
    assert titles(ranker.rank([other, same])) == ["Same", "Other"]


def test_a_tex_accented_author_is_the_same_author(paper) -> None:
    ranker = Ranker()
    ranker.train([(paper(f"K{i}", "x", ["Ad\\`ele Dupont"]), True) for i in range(5)]
                 + [(paper(f"D{i}", "x", [f"Someone Else{i}"]), False) for i in range(5)])
    unicode_name = paper("Probe", "x", ["Adèle Dupont"])
    assert ranker.score(unicode_name) > ranker.score(paper("Probe 2", "x", ["Nobody Known"]))
    assert "author Dupont" in ranker.explain(unicode_name)


def test_plural_and_singular_are_one_word(graph_reader: Ranker) -> None:
    plural = make_paper("Graph transformers", "Graph transformers everywhere.")
    assert graph_reader.score(plural) > 0 and '"graph transformer"' in graph_reader.explain(plural)
