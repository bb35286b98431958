"""Content builders for papers: list rows, the abstract pane and the triage card (never markup)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from textual.content import Content

from tui.describe import arxiv_line, paper_date, sightings, who
from tui.records import Paper, SearchHit, Span, WatchMarks
from tui.tex import readable
from tui.textsafe import one_line, printable

HIGHLIGHT = "bold reverse"
#: Where a watched author or keyword matches: distinct from a search's highlight.
WATCHED = "bold underline $warning"
MARK_NEW, MARK_STAR, MARK_NOTE, MARK_WATCHED = "●", "★", "✎", "◆"
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
                     style: str = HIGHLIGHT, watched: Iterable[Span] = ()) -> Content:
    """Digest text made readable (LaTeX, control characters) with its highlights carried over.

    `watched` spans (where a watch matches) get their own style under the search's highlights.
    """
    shown, moved = readable(text, spans, single_line=single_line)
    content = styled(shown, moved, style)
    watched = tuple(watched)
    if watched:
        # Text shown as it is (most of it) keeps its offsets: no second pass over it.
        moved_watched = watched if shown is text else readable(text, watched, single_line=single_line)[1]
        for span in moved_watched:
            content = content.stylize_before(WATCHED, span.start, span.end)
    return content


def authors_content(paper: Paper, watched: Iterable[int] = (), limit: int = 0) -> Content:
    """The authors line (`who`), with watched authors styled and never cut off by "et al."."""
    marked = set(watched)
    if not marked or not paper.authors:
        return Content(who(paper, limit=limit))
    shown = [i for i in range(len(paper.authors)) if not limit or i < limit or i in marked]
    parts: list[str | tuple[str, str]] = []
    for n, index in enumerate(shown):
        if n:
            parts.append(", " if index == shown[n - 1] + 1 else ", … ")
        name = one_line(paper.authors[index])
        parts.append((name, WATCHED) if index in marked else name)
    if shown[-1] < len(paper.authors) - 1:
        parts.append(" et al.")
    return Content.assemble(*parts)








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


class RowContent(Content):
    """A list row: its lines are cut at the list's width, never wrapped, so its height is its line count.

    The results list measures every loaded row whenever its rows change; Content would wrap and
    format each one to learn what is known already (about 0.2 ms a row, 20 ms a page).
    """

    def get_height(self, rules, width: int) -> int:
        if rules.get("text_wrap", "wrap") == "nowrap":
            return self.plain.count("\n") + 1
        return super().get_height(rules, width)


def row(paper: Paper, hit: SearchHit | None = None, show_note: bool = False, selected: bool = False,
        watch: WatchMarks | None = None) -> Content:
    """Two lines for the results list: markers and title; then date, votes and an excerpt or note.

    With `watch` (a watch matches the paper) its words and authors are marked in their own style.
    """
    chosen = (MARK_SELECTED, "bold $success") if selected else " "
    new = (MARK_NEW, "bold $accent") if paper.status == "new" else ("✕", "dim") if paper.status == "dismissed" else " "
    star = (MARK_STAR, "bold $warning") if paper.starred else " "
    note = (MARK_NOTE, "$text-secondary") if paper.note.strip() else " "
    title = readable_content(paper.title, hit.title_spans if hit else (), single_line=True,
                             watched=watch.title_spans if watch else ())
    if paper.status in ("read", "dismissed"):
        title = title.stylize_before("dim")
    second: list[Content | str | tuple[str, str]] = [*tag_marks(paper), (meta_line(paper), "dim")]
    if watch is not None and watch.authors:
        second = [*tag_marks(paper), watched_meta_line(paper, watch).stylize_before("dim")]
    excerpt_marks = watch.excerpt_spans if watch else ()
    if show_note and paper.note.strip():
        second += [("  ✎ ", "$text-secondary"), (one_line(paper.note), "italic")]
    elif hit and hit.excerpt:
        second += ["  ", readable_content(hit.excerpt, hit.excerpt_spans, single_line=True,
                                          watched=excerpt_marks).stylize_before("dim")]
    elif paper.abstract:
        second += ["  ", readable_content(paper.abstract[:300], single_line=True,
                                          watched=excerpt_marks).stylize_before("dim italic")]
    gap = (MARK_WATCHED, WATCHED) if watch is not None else " "
    return RowContent.assemble(chosen, new, star, note, gap, title, "\n     ", *second)


def watched_meta_line(paper: Paper, watch: WatchMarks) -> Content:
    """`meta_line` with the watched authors marked (and shown even past the first two)."""
    parts = [paper_date(paper)]
    if paper.upvotes is not None:
        parts.append(f"▲ {paper.upvotes}")
    if paper.category:
        parts.append(one_line(paper.category))
    head = " · ".join(part for part in parts if part)
    authors = authors_content(paper, watch.authors, limit=2)
    return Content.assemble(head, " · " if head and authors.plain else "", authors)


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
               note_hint: str = "n: add a note", width: int | None = None, reason: str = "",
               watch: WatchMarks | None = None) -> Content:
    """The full paper: title, details, the note, then the abstract with highlights and readable LaTeX.

    With `width` (the pane's), a long detail value wraps under its value column, not under the labels.
    `reason` is the "for you" order's one line on this paper, shown under the title. With `watch`,
    the watched authors and keywords are marked, and a line names the watches.
    """
    parts: list[Content | str | tuple[str, str]] = [
        readable_content(paper.title, title_spans, single_line=True,
                         watched=watch.title_spans if watch else ()).stylize_before("bold $text-accent"), "\n\n",
    ]
    if reason:
        parts += [(one_line(reason), "italic $text-success"), "\n\n"]
    for label, value in field_lines(paper):
        watched_authors = watch is not None and watch.authors and label == "Authors"
        shown = authors_content(paper, watch.authors) if watched_authors else hanging(value, width)
        parts += [(f"{label:<{LABEL_WIDTH}}", "dim"), shown, "\n"]
    if watch is not None:
        names = hanging("◆ " + ", ".join(one_line(name) for name in watch.labels), width)
        parts += [(f"{'Watching':<{LABEL_WIDTH}}", "dim"), (names, WATCHED), "\n"]
    if paper.note.strip():
        parts += ["\n", ("✎ Note  ", "bold $text-secondary"), printable(paper.note.strip()), "\n"]
    else:
        parts += ["\n", (note_hint, "dim italic"), "\n"]
    parts += ["\n", readable_content(paper.abstract or "(no abstract)", abstract_spans,
                                     watched=watch.abstract_spans if watch else ())]
    return Content.assemble(*parts)
