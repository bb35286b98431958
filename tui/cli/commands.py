"""What each `paper-reader` sub-command does; every line printed passes through textsafe."""

from __future__ import annotations

import argparse
import json
import sys

from tui.describe import who
from tui.textsafe import one_line, printable


def _err(message: str) -> None:
    print(printable(message), file=sys.stderr)


def _service(args: argparse.Namespace, reading: bool = False):
    """The service for the command's data directory (a context manager that closes it).

    `reading`: the command only reads, so the library's integrity check is left out (see
    `open_service`); any write still checks first, and damage SQLite finds is set aside.
    """
    from tui.service import open_service

    service = open_service(args.data_dir, on_wait=_err, reading=reading)
    for warning in service.warnings:
        _err(f"warning: {warning}")
    return service


def _json(data: object) -> None:
    # ensure_ascii keeps every control character escaped (\u001b), so JSON output is inert too.
    print(json.dumps(data, ensure_ascii=True, indent=2))


def cmd_parse(args: argparse.Namespace) -> int:
    """Print a digest's entries (text or JSON) and a one-line report on stderr."""
    from tui.parsing.digest import parse_digest
    from tui.records import DigestError

    try:
        result = parse_digest(args.file, reference_date=args.today)
    except DigestError as exc:
        _err(str(exc))
        return 1
    if args.json:
        _json([paper.to_json() for paper in result.entries])
    else:
        for number, paper in enumerate(result.entries, start=1):
            print(f"{number:3}. {one_line(paper.title)}")
            byline = who(paper) or (f"submitted by {paper.submitter}" if paper.submitter else "")
            details = one_line(" · ".join(x for x in (byline, paper.date or "", paper.category or "") if x))
            if details:  # a listing that prints no authors or dates gets no empty line
                print(f"     {details}")
    _err(result.report())
    return 0 if result.entries or result.note else 1


def expand_digest_args(names: list[str]) -> list[str]:
    """Each argument, with a folder replaced by every file in it and its subfolders (sorted).

    Hidden files and folders (`.git`, `.DS_Store`) are left out; `-` (standard input) stays.
    """
    from pathlib import Path

    files: list[str] = []
    for name in names:
        path = Path(name)
        if name != "-" and path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
            # an empty folder stays as it is, so its report line says "is a directory"
            files.extend([str(p) for p in found] or [name])
        else:
            files.append(name)
    return files


def _hidden(relative) -> bool:
    """True when any part of a path inside a folder starts with a dot."""
    return any(part.startswith(".") for part in relative.parts)


def cmd_import(args: argparse.Namespace) -> int:
    """Import digests; exit 1 when nothing at all could be imported."""
    with _service(args) as service:
        reports = service.import_files(expand_digest_args(args.files), reference_date=args.today,
                                       progress=_import_progress)
        if sys.stderr.isatty():
            print("\r\x1b[K", end="", file=sys.stderr, flush=True)  # clear the progress line
        for report in reports:
            if report.error:
                _err(one_line(report.line()))
            else:
                print(one_line(report.line()), flush=True)
        if any(r.added or r.known for r in reports) and not args.no_index:
            _update_index(service)
    return 0 if any(not r.error for r in reports) else 1


def _import_progress(name: str, done: int, _total: int) -> None:
    """A live count on a terminal (redrawn in place); every 10,000 entries otherwise."""
    if sys.stderr.isatty():
        print(f"\r{printable(name)}: {done} entries stored…", end="\x1b[K", file=sys.stderr, flush=True)
    elif done % 10000 == 0:
        _err(f"{name}: {done} entries stored…")


def _update_index(service) -> None:
    """Bring the index up to date; the library already holds the import whatever happens here."""
    from tui.search import IndexBusy

    try:
        notice = service.upkeep.ensure()
    except IndexBusy as exc:
        _err(f"search index not updated yet ({exc}); it catches up at the next start")
        return
    if notice:
        _err(notice)


def cmd_stats(args: argparse.Namespace) -> int:
    """Summarise the library."""
    with _service(args, reading=True) as service:
        stats = service.stats()
    if args.json:
        _json(stats.to_json())
    else:
        print(f"{stats.papers} papers from {stats.digests} digests; {stats.new} new, {stats.kept} kept, "
              f"{stats.read} read, {stats.dismissed} dismissed; {stats.starred} starred, {stats.notes} with notes")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    """Search the library and print ranked results."""
    from tui.records import SearchRequest

    with _service(args, reading=True) as service:
        query, sort = " ".join(args.query), args.sort
        if getattr(args, "saved", None):
            from tui.cli.lists import saved_request
            found = saved_request(service, args.saved)
            if found is None:
                return 1
            query, saved_sort = found
            sort = saved_sort if args.sort == "relevance" else sort
        elif not query.strip():
            _err("search: give a QUERY or --saved NAME")
            return 2
        _update_index(service)
        page = service.page(SearchRequest(query, args.view, sort, args.limit))
    if args.json:
        _json([_hit_json(hit, paper) for hit, paper in page.rows])
    else:
        for hit, paper in page.rows:
            tags = "".join(f"  #{one_line(tag)}" for tag in paper.tags)
            print(f"{hit.score:7.2f}  {one_line(paper.date or ''):10}  {'*' if paper.starred else ' '} "
                  f"{one_line(paper.title)}{tags}")
        total = f"{page.total}" if page.exact else f"about {page.total}"
        print(f"{len(page.rows)} of {total} results", file=sys.stderr)
    if page.hint:
        _err(one_line(page.hint))
    return 0


def _hit_json(hit, paper) -> dict:
    return {
        "id": paper.id, "title": paper.title, "date": paper.date, "upvotes": paper.upvotes,
        "score": round(hit.score, 4), "starred": paper.starred, "status": paper.status, "tags": list(paper.tags),
        "title_spans": [[s.start, s.end] for s in hit.title_spans],
        "excerpt": hit.excerpt,
        "excerpt_spans": [[s.start, s.end] for s in hit.excerpt_spans],
    }


def cmd_reindex(args: argparse.Namespace) -> int:
    """Rebuild the search index from the library."""
    with _service(args) as service:
        service.upkeep.index.open()
        print(service.upkeep.rebuild())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export papers with notes as Markdown, BibTeX, CSV or a full JSON backup (streamed)."""
    from tui.library import ExportError

    with _service(args) as service:
        try:
            if args.output:
                service.write_export(args.format, args.output, starred_only=args.starred)
                _err(f"wrote {args.output}")
            else:
                for piece in service.export_chunks(args.format, starred_only=args.starred):
                    sys.stdout.write(piece)
        except ExportError as exc:
            _err(f"export: {exc}")
            return 1
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Load a JSON backup into an empty library."""
    from tui.library import RestoreError

    with _service(args) as service:
        try:
            summary = service.restore(args.file)
        except RestoreError as exc:
            _err(str(exc))
            return 1
    print(summary)
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    """Open the reader; import FILEs first (then it opens on the Inbox)."""
    from tui.ui import run_app

    return run_app(args.data_dir, args.files, args.config)
