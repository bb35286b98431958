"""What each `paper-reader` sub-command does; every line printed passes through textsafe."""

from __future__ import annotations

import argparse
import json
import sys

from tui.describe import who
from tui.textsafe import one_line, printable


def _err(message: str) -> None:
    print(printable(message), file=sys.stderr)


def _backend(args: argparse.Namespace):
    from tui.service.facade import make_backend

    return make_backend(args.data_dir)


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
            print(f"     {one_line(' · '.join(x for x in (who(paper), paper.date or '', paper.category or '') if x))}")
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
    backend = _backend(args)
    try:
        reports = backend.import_files(expand_digest_args(args.files), reference_date=args.today, index=False,
                                       progress=_import_progress)
        if sys.stderr.isatty():
            print("\r\x1b[K", end="", file=sys.stderr, flush=True)  # clear the progress line
        for report in reports:
            if report.error:
                _err(one_line(report.line()))
            else:
                print(one_line(report.line()), flush=True)
        if any(r.added or r.known for r in reports) and not args.no_index:
            _update_index(backend)
    finally:
        backend.close()
    return 0 if any(not r.error for r in reports) else 1


def _import_progress(name: str, done: int, _total: int) -> None:
    """A live count on a terminal (redrawn in place); every 10,000 entries otherwise."""
    if sys.stderr.isatty():
        print(f"\r{printable(name)}: {done} entries stored…", end="\x1b[K", file=sys.stderr, flush=True)
    elif done % 10000 == 0:
        _err(f"{name}: {done} entries stored…")


def _update_index(backend) -> None:
    """Bring the index up to date; the library already holds the import whatever happens here."""
    from tui.search.index import IndexBusy

    try:
        notice = backend.ensure_index()
    except IndexBusy as exc:
        _err(f"search index not updated yet ({exc}); it catches up at the next start")
        return
    if notice:
        _err(notice)


def cmd_stats(args: argparse.Namespace) -> int:
    """Summarise the library."""
    backend = _backend(args)
    try:
        stats = backend.library.stats()
    finally:
        backend.close()
    if args.json:
        _json(stats.to_json())
    else:
        print(f"{stats.papers} papers from {stats.digests} digests; {stats.new} new, {stats.kept} kept, "
              f"{stats.read} read, {stats.dismissed} dismissed; {stats.starred} starred, {stats.notes} with notes")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    """Search the library and print ranked results."""
    backend = _backend(args)
    try:
        notice = backend.ensure_index()
        if notice:
            _err(notice)
        result = backend.search(" ".join(args.query), view=args.view, sort=args.sort, limit=args.limit)
        papers = backend.papers(hit.id for hit in result.hits)
    finally:
        backend.close()
    if args.json:
        _json([_hit_json(hit, papers[hit.id]) for hit in result.hits if hit.id in papers])
    else:
        for hit in result.hits:
            paper = papers.get(hit.id)
            if paper:
                print(f"{hit.score:7.2f}  {paper.date or '          '}  {'*' if paper.starred else ' '} {one_line(paper.title)}")
        print(f"{len(result.hits)} of {result.total} results", file=sys.stderr)
    if result.hint:
        _err(one_line(result.hint))
    return 0


def _hit_json(hit, paper) -> dict:
    return {
        "id": paper.id, "title": paper.title, "date": paper.date, "upvotes": paper.upvotes,
        "score": round(hit.score, 4), "starred": paper.starred, "status": paper.status,
        "title_spans": [[s.start, s.end] for s in hit.title_spans],
        "excerpt": hit.excerpt,
        "excerpt_spans": [[s.start, s.end] for s in hit.excerpt_spans],
    }


def cmd_reindex(args: argparse.Namespace) -> int:
    """Rebuild the search index from the library."""
    backend = _backend(args)
    try:
        backend.index.open()
        print(backend.rebuild_index())
    finally:
        backend.close()
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export papers with notes as Markdown, BibTeX, CSV or a full JSON backup."""
    from tui.library.export import export_library

    backend = _backend(args)
    try:
        text = export_library(backend.library, args.format, starred_only=args.starred)
    finally:
        backend.close()
    if args.output:
        from tui.library.export import write_atomically

        write_atomically(args.output, text)
        _err(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Load a JSON backup into an empty library."""
    from tui.library.export import RestoreError, restore_library

    backend = _backend(args)
    try:
        summary = restore_library(backend.library, args.file)
    except RestoreError as exc:
        _err(str(exc))
        return 1
    finally:
        backend.close()
    print(summary)
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    """Open the reader; import FILEs first (then it opens on the Inbox)."""
    from tui.ui.app import run_app

    return run_app(args.data_dir, args.files)
