"""The state commands scripts and cron use: `mark` (star, triage, note, tag, undo), `tags` and `digests`.

A QUERY marks every paper it finds as ONE undoable step, so `paper-reader mark --undo` takes
back the whole of it. Every line printed passes through textsafe.
"""

from __future__ import annotations

import argparse
import sys

from tui.cli.commands import _err, _json, _service, _update_index
from tui.describe import short_title
from tui.textsafe import one_line

#: A query that finds more papers than this asks first (a terminal) or wants --all / --yes.
ASK_ABOVE = 50
#: Commands whose free words are a query, so a word like `-is:read` is a query word, not an option.
QUERY_COMMANDS = {"mark": "target", "search": "query"}
STATUS_FLAGS = {"read": "read", "dismiss": "dismissed", "keep": "kept", "new": "new"}
#: Options of `mark` and `search` that take a value (`--note -x` is kept together as `--note=-x`).
VALUED_MARK_OPTIONS = {"--note", "--tag", "--untag", "--limit", "--sort", "--view"}


def add_parsers(sub) -> None:
    """Register `mark`, `tags` and `digests` on the sub-command parsers."""
    p = sub.add_parser("mark", help="star, triage, note or tag papers by id or query (one undoable step)",
                       description="Mark one paper (by id) or every paper a query finds, as one undoable step. "
                                   "Query words that start with '-' (-is:read) are query words.")
    p.add_argument("target", nargs="*", metavar="ID|QUERY", help="a paper id, or a query (see `search`)")
    star = p.add_mutually_exclusive_group()
    star.add_argument("--star", dest="starred", action="store_const", const=True, help="star (the reading list)")
    star.add_argument("--unstar", dest="starred", action="store_const", const=False, help="take the star off")
    status = p.add_mutually_exclusive_group()
    for flag, value in STATUS_FLAGS.items():
        status.add_argument(f"--{flag}", dest="status", action="store_const", const=value,
                            help=f"triage: {value}" if value != "new" else "back to new (the Inbox)")
    p.add_argument("--note", metavar="TEXT", help="replace the note ('' removes it)")
    p.add_argument("--tag", metavar="NAME", action="append", default=[], help="add a tag (repeatable)")
    p.add_argument("--untag", metavar="NAME", action="append", default=[], help="remove a tag (repeatable)")
    p.add_argument("--all", action="store_true", help=f"mark every match of a query, even above {ASK_ABOVE}")
    p.add_argument("--yes", action="store_true", help="do not ask, whatever the number of matches")
    p.add_argument("--undo", action="store_true", help="take back the last change (any command's, or the app's)")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("tags", help="list tags with their counts; rename or delete one across the library")
    p.add_argument("--json", action="store_true")
    actions = p.add_subparsers(dest="tags_action", metavar="ACTION")
    rename = actions.add_parser("rename", help="rename (or merge into) a tag on every paper, one undoable step")
    rename.add_argument("old")
    rename.add_argument("new")
    delete = actions.add_parser("delete", help="take a tag off every paper, one undoable step")
    delete.add_argument("name")
    p = sub.add_parser("digests", help="list the imported digests, newest first, with what is still new")
    p.add_argument("--json", action="store_true")


def take_query_words(args: argparse.Namespace, extra: list[str]) -> list[str]:
    """Give a query command the words argparse did not know (`-is:read`); returns what is still unknown."""
    name = QUERY_COMMANDS.get(getattr(args, "command", None) or "")
    if name is None:
        return extra
    words = [word for word in extra if not word.startswith("--")]
    getattr(args, name).extend(words)
    return [word for word in extra if word.startswith("--")]


def shield_query_words(argv: list[str], command_at: int, options: set[str]) -> list[str]:
    """`-is:read`, `-survey`: a single-dash word after a query command that is not one of its
    options is a negated query word; argparse would take it for an option (`-has:note` for `-h`).

    Such words get a leading space (the query language ignores it); a valued option followed by
    one (`--note -x`) becomes `--note=-x`.
    """
    out = argv[: command_at + 1]
    words = iter(argv[command_at + 1:])
    for word in words:
        if word == "--":
            out += [word, *words]
            break
        if word in VALUED_MARK_OPTIONS:
            value = next(words, None)
            out.append(word if value is None else f"{word}={value}")
        elif word.startswith("-") and not word.startswith("--") and len(word) > 1 and word not in options:
            out.append(" " + word)
        else:
            out.append(word)
    return out


# -- mark -----------------------------------------------------------------------------------------
def cmd_mark(args: argparse.Namespace) -> int:
    """Mark one paper or every match of a query; or undo the last change."""
    marks = _marks(args)
    if args.undo:
        if marks or args.target:
            _err("mark: --undo takes no paper and no other mark")
            return 2
        return _undo(args)
    target = " ".join(word.strip() for word in args.target).strip()
    if not target:
        _err("mark: give a paper id or a query (or --undo)")
        return 2
    if not marks:
        _err("mark: nothing to do: give --star, --unstar, --read, --dismiss, --keep, --new, --note, --tag or --untag")
        return 2
    with _service(args) as service:
        ids = _resolve(service, target, args)
        if ids is None:
            return 1
        try:
            papers, changed = service.mark(ids, **marks)
        except ValueError as exc:
            _err(f"mark: {exc}")
            return 1
        if service.upkeep.ready:
            service.upkeep.catch_up()
    _report_marks(args, papers, changed, marks)
    return 0


def _marks(args: argparse.Namespace) -> dict:
    marks = {"starred": args.starred, "status": args.status, "note": args.note}
    marks = {key: value for key, value in marks.items() if value is not None}
    if args.tag:
        marks["tag"] = args.tag
    if args.untag:
        marks["untag"] = args.untag
    return marks


def _resolve(service, target: str, args: argparse.Namespace) -> list[str] | None:
    """The ids to mark: the papers with those ids, else every match of the query (asking above ASK_ABOVE)."""
    from tui.service import listing_flags

    words = target.split()
    if len(service.papers(words)) == len(set(words)):  # ids (one or several), not a query
        return list(dict.fromkeys(words))
    if listing_flags(target) is None:
        _update_index(service)
    ids = service.query_ids(target)[0]  # every match, so the number said is exact
    if not ids:
        _err(f'mark: no paper matches "{one_line(target)}"')
        return None
    if len(ids) > ASK_ABOVE and not (args.all or args.yes):
        many = f'"{one_line(target)}" matches {len(ids)} papers'
        if not _confirm(f"{many}. Mark them all? [y/N] ", args):
            _err(f"mark: {many}; add --all to mark every one (nothing changed)")
            return None
    return ids


def _confirm(question: str, args: argparse.Namespace) -> bool:
    """Ask on a terminal; a script (no terminal, or --json) is never asked, only refused."""
    if args.json or not sys.stdin.isatty() or not sys.stderr.isatty():
        return False
    print(question, end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def _what(marks: dict) -> str:
    words = []
    if "starred" in marks:
        words.append("star" if marks["starred"] else "unstar")
    if "status" in marks:
        words.append(marks["status"])
    if "note" in marks:
        words.append("note" if marks["note"] else "note removed")
    words += [f'tag "{one_line(name.strip().lower())}"' for name in marks.get("tag", ())]
    words += [f'untag "{one_line(name.strip().lower())}"' for name in marks.get("untag", ())]
    return ", ".join(words)


def _report_marks(args: argparse.Namespace, papers: list, changed: int, marks: dict) -> None:
    if args.json:
        _json({"matched": len(papers), "changed": changed, "papers": [_paper_json(p) for p in papers]})
        return
    whom = f'"{short_title(papers[0].title)}"' if len(papers) == 1 else f"{len(papers)} papers"
    if not changed:
        print(f"nothing changed: {whom} already had {_what(marks)}")
        return
    print(f"marked {whom}: {_what(marks)}" + (f" ({changed} changed)" if len(papers) > 1 else ""))
    _err("undo with: paper-reader mark --undo")


def _paper_json(paper) -> dict:
    return {"id": paper.id, "title": paper.title, "starred": paper.starred, "status": paper.status,
            "note": paper.note, "tags": list(paper.tags)}


def _undo(args: argparse.Namespace) -> int:
    with _service(args) as service:
        done = service.undo()
        if done is not None and service.upkeep.ready:
            service.upkeep.catch_up()
    if done is None:
        if args.json:
            _json({"undone": None, "papers": []})
        _err("mark: nothing to undo")
        return 1
    said, papers = done
    if args.json:
        _json({"undone": said, "papers": [_paper_json(p) for p in papers.values()]})
    else:
        print(one_line(said))
    return 0


# -- tags -----------------------------------------------------------------------------------------
def cmd_tags(args: argparse.Namespace) -> int:
    """List tags with their counts, or rename / delete one across the library."""
    if args.tags_action == "rename":
        return _tag_change(args, lambda s: s.rename_tag(args.old, args.new), args.old,
                           f'renamed tag "{one_line(args.old)}" to "{one_line(args.new)}"')
    if args.tags_action == "delete":
        return _tag_change(args, lambda s: s.delete_tag(args.name), args.name, f'deleted tag "{one_line(args.name)}"')
    with _service(args, reading=True) as service:
        tags = service.tags()
    if args.json:
        _json([{"tag": tag, "papers": count} for tag, count in tags])
    elif not tags:
        _err("no tags yet: paper-reader mark ID|QUERY --tag NAME")
    else:
        width = len(str(tags[0][1]))
        for tag, count in tags:
            print(f"{count:>{width}}  {one_line(tag)}")
    return 0


def _tag_change(args: argparse.Namespace, change, name: str, done: str) -> int:
    with _service(args) as service:
        try:
            moved = change(service)
        except ValueError as exc:
            _err(f"tags: {exc}")
            return 1
        if moved and service.upkeep.ready:
            service.upkeep.catch_up()
    if not moved:
        _err(f'tags: no paper is tagged "{one_line(name)}" (nothing changed)')
        return 1
    print(f"{done} on {moved} paper{'s' if moved != 1 else ''}")
    return 0


# -- digests --------------------------------------------------------------------------------------
def cmd_digests(args: argparse.Namespace) -> int:
    """The imported digests, newest first: label, date, papers and how many are still new."""
    with _service(args, reading=True) as service:
        digests = service.digests()
    if args.json:
        _json([{"label": d.label, "date": d.digest_date, "papers": d.entries, "new": d.new, "format": d.format,
                "file": d.name, "imported_at": d.imported_at} for d in digests])
        return 0
    if not digests:
        _err("no digests yet: paper-reader import FILE")
    for d in digests:
        print(f"{one_line(d.digest_date or 'no date'):10}  {one_line(d.label)}  ·  {d.entries} papers, {d.new} still new")
    return 0
