"""Which stored paper an entry is: arXiv id first, else normalised title; versions, replacements, clashes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


from tui.library.store import Library
from tui.records import Paper, ParseResult, normalise_title, paper_id


def digest(name: str, *papers: Paper, date: str = "2026-04-27", label: str | None = None) -> ParseResult:
    result = ParseResult(name, "arxiv-rss", date, tuple(papers), (), content_hash=f"hash-{name}")
    if label:
        object.__setattr__(result, "label", label)  # the parse room adds `label`; stand in for it
    return result


TITLE = "Attention Is Not All You Need Any More"
HF = Paper(TITLE, "From the page.", upvotes=12)
RSS_NEW = Paper(TITLE.upper(), "", arxiv_id="2604.01234", version=1, announce="new", categories=("cs.LG", "stat.ML"))
CROSS = Paper(TITLE, "", arxiv_id="2604.01234", version=1, announce="cross", categories=("cs.LG", "stat.ML"))
REPLACED = Paper("Attention is not all you need anymore (revised title)", "", arxiv_id="2604.01234", version=3,
                 announce="replace", date="2026-05-02")


def test_a_paper_met_first_without_id_and_then_with_one_is_one_paper(library: Library) -> None:
    library.import_result(digest("hf.txt", HF))
    report = library.import_result(digest("rss.xml", RSS_NEW))
    assert (report.added, report.known) == (0, 1) and library.count() == 1
    paper = library.get(HF.id)
    assert paper.arxiv_id == "2604.01234" and paper.categories == ("cs.LG", "stat.ML")
    assert paper.abstract == "From the page." and paper.upvotes == 12
    assert library.stored_id(CROSS) == HF.id


def test_new_in_one_mailing_and_cross_list_in_another_is_one_paper_seen_twice(library: Library) -> None:
    library.import_result(digest("cs.LG.eml", RSS_NEW, label="arXiv cs.LG · 2026-04-27"))
    library.import_result(digest("stat.ML.eml", CROSS, label="arXiv stat.ML · 2026-04-27"))
    library.import_result(digest("cs.eml", CROSS, label="arXiv cs · 2026-04-27"))  # archive mailing, same day
    assert library.count() == 1
    paper = library.get(library.stored_id(CROSS))
    assert [(s.digest, s.announce) for s in paper.seen] == [
        ("arXiv cs.LG · 2026-04-27", "new"), ("arXiv stat.ML · 2026-04-27", "cross"), ("arXiv cs · 2026-04-27", "cross")]
    assert paper.announce == "new"


def test_a_replacement_records_version_and_date_keeps_abstract_and_state(library: Library) -> None:
    library.import_result(digest("a.xml", Paper(TITLE, "The original abstract.", arxiv_id="2604.01234", version=1,
                                                announce="new", date="2026-04-27")))
    pid = library.stored_id(RSS_NEW)
    library.set_status(pid, "kept")
    report = library.import_result(digest("b.xml", REPLACED, date="2026-05-02"))
    assert report.known == 1 and library.count() == 1
    paper = library.get(pid)
    assert (paper.version, paper.date, paper.announce) == (3, "2026-05-02", "replace")
    assert paper.abstract == "The original abstract." and paper.status == "kept" and paper.title == TITLE


def test_a_replacement_does_not_bring_a_triaged_paper_back_to_the_inbox(library: Library) -> None:
    library.import_result(digest("a.xml", RSS_NEW))
    pid = library.stored_id(RSS_NEW)
    library.set_status(pid, "dismissed")
    library.import_result(digest("b.xml", REPLACED))
    assert library.list_ids(("is:new",), "inbox") == [] and library.get(pid).status == "dismissed"


def test_a_replacement_of_a_paper_never_seen_is_stored_but_not_in_the_inbox(library: Library) -> None:
    report = library.import_result(digest("b.xml", REPLACED))
    assert report.added == 1
    pid = library.stored_id(REPLACED)
    assert library.list_ids() == [pid] and library.list_ids(("is:new",), "inbox") == []
    assert library.get(pid).version == 3


def test_an_older_version_seen_later_changes_nothing(library: Library) -> None:
    library.import_result(digest("b.xml", REPLACED))
    library.import_result(digest("a.xml", Paper(TITLE, "Abstract v1.", arxiv_id="2604.01234", version=1,
                                                announce="new", date="2026-04-27")))
    paper = library.get(library.stored_id(REPLACED))
    assert (paper.version, paper.date) == (3, "2026-05-02") and paper.abstract == "Abstract v1."


def test_two_arxiv_papers_with_the_same_title_stay_two(library: Library) -> None:
    library.import_result(digest("a.xml", Paper("Introduction", "one", arxiv_id="2601.00001"),
                                 Paper("Introduction", "two", arxiv_id="2601.00002")))
    assert library.count() == 2
    first, second = (library.get(library.stored_id(Paper("Introduction", arxiv_id=i))) for i in ("2601.00001", "2601.00002"))
    assert (first.abstract, second.abstract) == ("one", "two") and first.id != second.id


def test_titles_that_clashed_in_48_bits_are_two_papers_and_both_import(library: Library) -> None:
    a, b = "Sparse Graph Study 3951914", "Sparse Graph Study 20382507"
    old = [hashlib.sha1(normalise_title(t).encode()).hexdigest()[:12] for t in (a, b)]
    assert old[0] == old[1]  # the clash found against the old 12-digit ids
    assert paper_id(a) != paper_id(b)
    library.import_result(digest("one.txt", Paper(a)))
    report = library.import_result(digest("two.txt", Paper(b)))
    assert not report.already_imported and report.added == 1 and library.count() == 2


def test_a_clash_with_a_stored_id_gets_a_longer_id_instead_of_dropping_the_digest(library: Library) -> None:
    library.import_result(digest("one.txt", Paper("First paper", id="aaaaaaaaaaaa")))
    report = library.import_result(digest("two.txt", Paper("Second paper", id="aaaaaaaaaaaa"), Paper("Third")))
    assert (report.added, report.known, report.already_imported) == (2, 0, False)
    second = library.stored_id(Paper("Second paper"))
    assert second != "aaaaaaaaaaaa" and library.get(second).title == "Second paper"
    assert library.get("aaaaaaaaaaaa").title == "First paper"


def test_only_the_same_content_hash_means_already_imported(library: Library) -> None:
    library.import_result(digest("one.txt", Paper("First paper")))
    again = library.import_result(ParseResult("renamed.txt", "A", None, (Paper("First paper"),), (), "hash-one.txt"))
    other = library.import_result(ParseResult("one.txt", "A", None, (Paper("First paper"),), (), "another-hash"))
    assert again.already_imported and not other.already_imported and other.known == 1


@dataclass
class _Stream:
    source: str = "feed.xml"
    format: str = "arxiv-rss"
    digest_date: str = "2026-04-27"
    content_hash: str = "stream-hash"
    label: str = "arXiv cs.LG · 2026-04-27"
    skipped: tuple = ()

    def entries(self):
        yield RSS_NEW


def test_digests_are_listed_by_label_newest_first_with_new_counts(library: Library) -> None:
    library.import_result(digest("old.txt", HF, date="2026-04-20"))
    library.import_stream(_Stream())
    listed = library.digests()
    assert [(d.label, d.entries, d.new) for d in listed] == [("arXiv cs.LG · 2026-04-27", 1, 1), ("old.txt", 1, 1)]
