"""An arXiv paper opens on its abstract page (o) or its PDF (O), and its detail pane says what arXiv said."""

from __future__ import annotations

import pytest
from hostile_text import dangerous

from tui.describe import arxiv_line, open_target, pdf_target
from tui.records import Paper
from tui.ui.widgets.render import field_lines

ARXIV = Paper(title="Sparse Graphs", arxiv_id="2303.00763", version=3, announce="replace",
              categories=("cs.LG", "cs.AI"), doi="10.1000/xyz", journal_ref="NeurIPS 2023",
              links=("https://github.com/x/y",))


def test_o_opens_the_arxiv_page_at_its_version_and_capital_o_the_pdf() -> None:
    assert open_target(ARXIV) == "https://arxiv.org/abs/2303.00763v3"
    assert pdf_target(ARXIV) == "https://arxiv.org/pdf/2303.00763v3"
    old_style = Paper(title="Old", arxiv_id="math/0601001")
    assert open_target(old_style) == "https://arxiv.org/abs/math/0601001"


def test_without_arxiv_o_opens_the_code_and_capital_o_a_pdf_link_if_any() -> None:
    hf = Paper(title="HF", links=("https://github.com/a/b", "https://example.org/paper.pdf"))
    assert open_target(hf) == "https://github.com/a/b" and pdf_target(hf) == "https://example.org/paper.pdf"
    assert pdf_target(Paper(title="none")) is None


def test_the_detail_pane_names_the_arxiv_id_announce_type_and_categories() -> None:
    fields = dict(field_lines(ARXIV))
    assert fields["arXiv"] == "2303.00763v3 · replaced · cs.LG, cs.AI"
    assert fields["DOI"] == "10.1000/xyz" and fields["Journal"] == "NeurIPS 2023"
    assert arxiv_line(Paper(title="HF")) == ""


@pytest.mark.parametrize("bad", ["\x1b]52;c;SEFDS0VF\x07", "\u202e", "\r\n"])
def test_a_hostile_arxiv_id_never_reaches_a_url_or_the_pane_raw(bad: str) -> None:
    paper = Paper(title="T", arxiv_id=f"2303.{bad}00763", categories=(f"cs{bad}",))
    for url in (open_target(paper), pdf_target(paper)):
        assert url.startswith("https://arxiv.org/") and not dangerous(url) and " " not in url
    assert not dangerous(arxiv_line(paper))
