"""`paper-reader saved ...` and `paper-reader watch ...`: saved searches and watch lists from the shell."""

from __future__ import annotations

import argparse

from tui.cli.commands import _err, _json, _service, _update_index
from tui.textsafe import one_line
from tui.vocabulary import Sort


def add_parsers(sub) -> None:
    """The `saved` and `watch` sub-commands (called by `tui.cli.main.build_parser`)."""
    p = sub.add_parser("saved", help="list, add, change or delete saved searches")
    p.add_argument("--json", action="store_true", help="print a JSON list (name, query, sort, count, new)")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    a = actions.add_parser("add", help="save a query under a name")
    a.add_argument("name")
    a.add_argument("query", nargs="+")
    a.add_argument("--sort", choices=[s.value for s in Sort], default="relevance")
    a = actions.add_parser("edit", help="change the query (and sort) of a saved search")
    a.add_argument("name")
    a.add_argument("query", nargs="+")
    a.add_argument("--sort", choices=[s.value for s in Sort])
    a = actions.add_parser("rename", help="rename a saved search")
    a.add_argument("name")
    a.add_argument("new_name")
    a = actions.add_parser("delete", help="delete a saved search")
    a.add_argument("name")
    p = sub.add_parser("watch", help="list, add or delete watched authors and keywords")
    p.add_argument("--json", action="store_true", help="print a JSON list (id, kind, name, query)")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    for action, words in (("add", "watch"), ("delete", "stop watching")):
        a = actions.add_parser(action, help=f"{words} an author or a keyword")
        a.add_argument("kind", help="author or keyword (delete also takes a watch's number)")
        a.add_argument("text", nargs="*", help="the author's name, or the keyword (any query)")


def cmd_saved(args: argparse.Namespace) -> int:
    """List saved searches with their counts, or add, edit, rename or delete one."""
    from tui.library.lists import ListError

    with _service(args, reading=args.action is None) as service:
        try:
            if args.action is None:
                return _list_saved(service, args.json)
            if args.action == "add":
                found = service.add_saved_search(args.name, " ".join(args.query), args.sort)
                print(f"saved {one_line(found.name)!r}: {one_line(found.query)}")
            elif args.action == "edit":
                found = service.update_saved_search(args.name, query=" ".join(args.query), sort=args.sort)
                print(f"changed {one_line(found.name)!r}: {one_line(found.query)}")
            elif args.action == "rename":
                found = service.update_saved_search(args.name, new_name=args.new_name)
                print(f"renamed {one_line(args.name)!r} to {one_line(found.name)!r}")
            else:
                found = service.delete_saved_search(args.name)
                print(f"deleted {one_line(found.name)!r}")
        except ListError as exc:
            _err(f"saved: {exc}")
            return 1
    return 0


def _list_saved(service, as_json: bool) -> int:
    _update_index(service)
    searches = service.saved_searches(counted=True)
    if as_json:
        _json([search.to_json() for search in searches])
        return 0
    if not searches:
        _err("no saved searches (paper-reader saved add NAME QUERY)")
    for key, search in enumerate(searches, start=4):
        new = f" (+{search.new})" if search.new else ""
        number = f"{key}" if key <= 9 else " "
        print(f"{number} {one_line(search.name):20} {search.count:6}{new:8}  {one_line(search.query)}"
              + (f"  [sort: {search.sort}]" if search.sort != "relevance" else ""))
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    """List watched authors and keywords, or add or delete one."""
    from tui.library.lists import ListError

    with _service(args, reading=args.action is None) as service:
        try:
            if args.action is None:
                watches = service.watches()
                if args.json:
                    _json([watch.to_json() for watch in watches])
                elif not watches:
                    _err("watching nothing (paper-reader watch add author NAME | keyword TEXT)")
                for watch in watches if not args.json else ():
                    print(f"{watch.id:4}  {watch.kind:8} {one_line(watch.label)}")
                return 0
            text = " ".join(args.text)
            if args.action == "add":
                watch, new = service.add_watch(args.kind, text)
                print(f"{'watching' if new else 'already watching'} {watch.kind} {one_line(watch.label)!r}")
            else:
                kind = None if args.kind.isdigit() and not text else args.kind
                watch = service.delete_watch(kind, text or args.kind)
                print(f"stopped watching {watch.kind} {one_line(watch.label)!r}")
        except ListError as exc:
            _err(f"watch: {exc}")
            return 1
    return 0


def saved_request(service, name: str) -> tuple[str, str] | None:
    """The query and sort of a saved search, for `search --saved NAME`; None (said on stderr) when there is none."""
    found = service.saved_search(name)
    if found is None:
        _err(f"search: no saved search called {one_line(name)!r} (paper-reader saved lists them)")
        return None
    return found.query, found.sort
