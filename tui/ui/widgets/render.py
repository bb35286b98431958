"""Content builders for papers: list rows, the abstract pane and the triage card (never markup)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from textual.content import Content

from tui.describe import arxiv_line, paper_date, sightings, who
from tui.records import Paper, SearchHit, Span
from tui.tex import readable
from tui.textsafe import one_line, printable

HIGHLIGHT = "bold reverse"
MARK_NEW, MARK_STAR, MARK_NOTE = "●", "★", "✎"
#: The column where detail values start (after `Authors  `).
LABEL_WIDTH = 10
#: A row picked for a bulk decision.
MARK_SELECTED = "▌"


def styled(text: str, spans: Iterable[Span], style: str = HIGHLIGHT) -> Content:
    """Plain text with the given character ranges styled (the text is never parsed as markup)."""
    parts: list[str | tuple[str, str]] = []
    position = 0
    for span in sorted(spans, key=lambda s: s.start):
        start, end = max(span.start, position), min(span.end, len(text))
        if start >= end:
            continue
        parts += [text[position:start], (text[start:end], style)]
        position = end
    parts.append(text[position:])
    return Content.assemble(*parts)


def readable_content(text: str, spans: Iterable[Span] = (), single_line: bool = False,
                     style: str = HIGHLIGHT) -> Content:
    """Digest text made readable (LaTeX, control characters) with its highlights carried over."""
    shown, moved = readable(text, spans, single_line=single_line)
    return styled(shown, moved, style)








def meta_line(paper: Paper) -> str:
    """Date, upvotes, category and authors on one line."""
    parts = [paper_date(paper)]
    if paper.upvotes is not None:
        parts.append(f"▲ {paper.upvotes}")
    if paper.category:
        parts.append(one_line(paper.category))
    parts.append(who(paper, limit=2) or (f"submitted by {one_line(paper.submitter)}" if paper.submitter else ""))
    return " · ".join(part for part in parts if part)


TAG_STYLE = "bold $text-accent"


def tag_marks(paper: Paper) -> list[tuple[str, str]]:
    """`#gnn #to-read ` for a row's second line (empty when the paper has no tags)."""
    return [(f"#{one_line(tag)} ", TAG_STYLE) for tag in paper.tags]


def row(paper: Paper, hit: SearchHit | None = None, show_note: bool = False, selected: bool = False) -> Content:
    """Two lines for the results list: markers and title; then date, votes and an excerpt or note."""
    chosen = (MARK_SELECTED, "bold $success") if selected else " "
    new = (MARK_NEW, "bold $accent") if paper.status == "new" else ("✕", "dim") if paper.status == "dismissed" else " "
    star = (MARK_STAR, "bold $warning") if paper.starred else " "
    note = (MARK_NOTE, "$text-secondary") if paper.note.strip() else " "
    title = readable_content(paper.title, hit.title_spans if hit else (), single_line=True)
    if paper.status in ("read", "dismissed"):
        title = title.stylize_before("dim")
    second: list[Content | str | tuple[str, str]] = [*tag_marks(paper), (meta_line(paper), "dim")]
    if show_note and paper.note.strip():
        second += [("  ✎ ", "$text-secondary"), (one_line(paper.note), "italic")]
    elif hit and hit.excerpt:
        second += ["  ", readable_content(hit.excerpt, hit.excerpt_spans, single_line=True).stylize_before("dim")]
    elif paper.abstract:
        second += ["  ", readable_content(paper.abstract[:300], single_line=True).stylize_before("dim italic")]
    return Content.assemble(chosen, new, star, note, " ", title, "\n     ", *second)










def field_lines(paper: Paper) -> list[tuple[str, str]]:
    """Label/value pairs shown under a paper's title (empty values left out)."""
    status = paper.status + (", starred" if paper.starred else "")
    pairs = [
        ("Authors", who(paper)),
        ("Submitter", one_line(paper.submitter or "")),
        ("Orgs", ", ".join(one_line(org) for org in paper.orgs)),
        ("arXiv", arxiv_line(paper)),
        ("Category", one_line(paper.category or "") if not paper.arxiv_id else ""),
        ("Journal", one_line(paper.journal_ref or "")),
        ("DOI", one_line(paper.doi or "")),
        ("Comments", one_line(paper.comments or "")),
        ("Date", paper_date(paper)),
        ("Upvotes", "" if paper.upvotes is None else str(paper.upvotes)),
        ("Seen in", sightings(paper)),
        ("Links", "  ".join(one_line(link) for link in paper.links)),
        ("State", status),
        ("Tags", "  ".join(f"#{one_line(tag)}" for tag in paper.tags)),
    ]
    return [(label, value) for label, value in pairs if value]


def hanging(value: str, width: int | None, indent: int = LABEL_WIDTH) -> str:
    """A detail value wrapped to hang under its own column (`Seen in  Apr 22 #2 (...),` / `         Jan 6 ...`)."""
    room = (width or 0) - indent
    if room < 20 or len(value) <= room:
        return value
    lines = textwrap.wrap(value, room, break_long_words=True, break_on_hyphens=False)
    return ("\n" + " " * indent).join(lines)


def paper_card(paper: Paper, title_spans: Iterable[Span] = (), abstract_spans: Iterable[Span] = (),
               note_hint: str = "n: add a note", width: int | None = None, reason: str = "") -> Content:
    """The full paper: title, details, the note, then the abstract with highlights and readable LaTeX.

    With `width` (the pane's), a long detail value wraps under its value column, not under the labels.
    `reason` is the "for you" order's one line on this paper, shown under the title.
    """
    parts: list[Content | str | tuple[str, str]] = [
        readable_content(paper.title, title_spans, single_line=True).stylize_before("bold $text-accent"), "\n\n",
    ]
    if reason:
        parts += [(one_line(reason), "italic $text-success"), "\n\n"]
    for label, value in field_lines(paper):
        parts += [(f"{label:<{LABEL_WIDTH}}", "dim"), hanging(value, width), "\n"]
    if paper.note.strip():
        parts += ["\n", ("✎ Note  ", "bold $text-secondary"), printable(paper.note.strip()), "\n"]
    else:
        parts += ["\n", (note_hint, "dim italic"), "\n"]
    parts += ["\n", readable_content(paper.abstract or "(no abstract)", abstract_spans)]
    return Content.assemble(*parts)
