"""arXiv e-mail listings: saved bodies, whole messages (.eml) and mboxes, crafted edge cases."""

from __future__ import annotations

import datetime as dt
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

from arxiv_builders import CROSS, END, REPLACE, block, listing

from tui.parsing.digest import parse_digest, parse_text

REF = dt.date(2026, 11, 21)


def parse(text: str):
    """Parse a listing text held in memory."""
    return parse_text(text, "mail.txt", reference_date=REF)


def test_blocks_fields_and_sections() -> None:
    text = listing(block("2303.00001"), CROSS, block("2303.00002", cross=True), REPLACE,
                   block("2011.00552", replaced=True), END)
    result = parse(text)
    assert result.format == "arxiv-mail"
    assert [p.announce for p in result.entries] == ["new", "cross", "replace"]
    first, _, replaced = result.entries
    assert first.authors == ("Ann Lee", "Bo Chen") and first.categories == ("cs.LG", "stat.ML")
    assert first.category == "cs.LG" and first.date == "2023-03-15" and first.version is None
    assert first.abstract == "We study things. They are good."
    assert replaced.to_json()["abstract"] is None and replaced.arxiv_id == "2011.00552"
    assert result.label == "arXiv cs · 2023-03-17"


def test_crlf_gives_the_same_entries() -> None:
    text = listing(block("2303.00001"), block("2303.00002"))
    assert parse(text.replace("\n", "\r\n")).entries == parse(text).entries


def test_old_style_ids_and_tex_names_are_kept_as_printed() -> None:
    result = parse(listing(block("hep-th/9901001", authors="Ad\\`ele Dupont, D\\k{a}browski and Pawe{\\l} Nowak")))
    (paper,) = result.entries
    assert paper.arxiv_id == "hep-th/9901001"
    assert paper.authors == ("Ad\\`ele Dupont", "D\\k{a}browski", "Pawe{\\l} Nowak")


def test_markers_back_to_back_or_missing() -> None:
    assert len(parse(listing(block("2303.00001"), CROSS, REPLACE, END)).entries) == 1
    assert len(parse(listing(block("2303.00001"), block("2303.00002"))).entries) == 2


def test_abstract_lines_that_look_like_fields_stay_in_the_abstract() -> None:
    (paper,) = parse(listing(block("2303.00001", abstract="  We study.\nResults: they hold.\nTitle: no"))).entries
    assert paper.title == "A Study of Things" and paper.abstract == "We study. Results: they hold. Title: no"


def test_wrapped_fields_and_optional_ones() -> None:
    extra = "Comments: 12 pages,\n  3 figures\nJournal-ref: J. Things 1 (2023)\nDOI: 10.1/abc"
    (paper,) = parse(listing(block("2303.00001", title="A Long\n  Title", extra=extra))).entries
    assert (paper.title, paper.comments) == ("A Long Title", "12 pages, 3 figures")
    assert (paper.journal_ref, paper.doi) == ("J. Things 1 (2023)", "10.1/abc")


def test_a_block_cut_off_at_the_end_is_a_skip() -> None:
    text = listing(block("2303.00001")) + "\\\\\narXiv:2303.00002\nDate: Wed, 15 Mar 2023 18:34:08 GMT\nTitle: Cut"
    result = parse(text)
    assert len(result.entries) == 1 and "cut off" in result.skipped[0].reason


def _mail(body: MIMEText | MIMEMultipart, subject: str = "q-fin daily 1 new") -> bytes:
    """A whole message as a mail client saves it (CRLF line ends)."""
    body["From"] = "no-reply@arxiv.org"
    body["To"] = "reader@example.org"
    body["Subject"] = subject
    body["Date"] = "Fri, 17 Mar 2023 00:31:14 -0000"
    return body.as_bytes().replace(b"\n", b"\r\n")


def test_quoted_printable_latin1_eml(tmp_path: Path) -> None:
    text = listing(block("2303.00001", authors="Ad\u00e8le Dupont and Bo Chen", abstract="  " + "long words " * 20))
    part = MIMEText(text, "plain", "iso-8859-1")
    assert part["Content-Transfer-Encoding"] == "quoted-printable"
    path = tmp_path / "mail.eml"
    path.write_bytes(_mail(part))
    result = parse_digest(path, reference_date=REF)
    assert result.entries[0].authors == ("Ad\u00e8le Dupont", "Bo Chen")
    assert result.label == "arXiv q-fin · 2023-03-17"


def test_multipart_base64_eml(tmp_path: Path) -> None:
    outer = MIMEMultipart("alternative")
    outer.attach(MIMEText(listing(block("2303.00001"), block("2303.00002")), "plain", "utf-8"))
    outer.attach(MIMEText("<p>html copy</p>", "html", "utf-8"))
    path = tmp_path / "digest"
    path.write_bytes(_mail(outer))
    assert [p.arxiv_id for p in parse_digest(path, reference_date=REF).entries] == ["2303.00001", "2303.00002"]


def test_mbox_of_several_mails(tmp_path: Path) -> None:
    mails = []
    for day in range(3):
        message = MIMEText(listing(block(f"2303.0000{day}"), block(f"2303.0001{day}")), "plain", "utf-8")
        mails.append(b"From arxiv@arxiv.org Fri Mar 17 00:31:14 2023\n" + _mail(message).replace(b"\r\n", b"\n"))
    path = tmp_path / "arxiv.mbox"
    path.write_bytes(b"\n".join(mails))
    result = parse_digest(path, reference_date=REF)
    assert len(result.entries) == 6 and result.format == "arxiv-mail"
    assert [s.position for p in result.entries for s in p.seen] == [1, 2, 3, 4, 5, 6]
    assert result.label.startswith("arXiv q-fin · 2023-03-17")


def test_latin1_saved_body_is_not_mojibake(tmp_path: Path) -> None:
    path = tmp_path / "saved.txt"
    path.write_bytes(listing(block("2303.00001", authors="Ren\u00e9 Thom")).encode("latin-1"))
    assert parse_digest(path, reference_date=REF).entries[0].authors == ("Ren\u00e9 Thom",)


def test_saved_body_after_many_blank_lines() -> None:
    assert len(parse("\n" * 6000 + listing(block("2303.00001"))).entries) == 1


def test_mailings_before_2007_open_blocks_with_paper() -> None:
    text = listing(block("hep-th/9901001").replace("arXiv:hep-th/9901001", "Paper: hep-th/9901001\nFrom: Ann Lee <a@b.edu>"))
    (paper,) = parse(text).entries
    assert (paper.arxiv_id, paper.title, paper.date) == ("hep-th/9901001", "A Study of Things", "2023-03-15")
