"""The `paper-reader` command: open the app, or parse, import, search, export and restore digests."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence

from tui.cli import marking
from tui.textsafe import one_line, printable
from tui.vocabulary import Sort, View

COMMANDS = ("parse", "import", "stats", "search", "reindex", "export", "restore", "fetch", "config", "app", "mark",
            "tags", "digests")
#: Global options that take a value (the word after them is not a sub-command).
VALUED = ("--data-dir", "--config")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = argparse.ArgumentParser(prog="paper-reader", description="Read, search and triage paper digests.")
    parser.add_argument("--data-dir", help="library folder (default: $PAPER_READER_HOME or the user data dir)")
    parser.add_argument("--config", help="settings file (default: $PAPER_READER_CONFIG or the user config dir)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("parse", help="print the entries of a digest without touching the library")
    p.add_argument("file", help="a digest file, or - for standard input")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.add_argument("--today", type=_date, help="reference day for dates without a year")
    p = sub.add_parser("import", help="import digest files into the library")
    p.add_argument("files", nargs="+", help="digest files or folders (searched with their subfolders); - is standard input")
    p.add_argument("--no-index", action="store_true", help="leave the search index to catch up later")
    p.add_argument("--today", type=_date, help="reference day for dates without a year")
    p = sub.add_parser("stats", help="summarise the library")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("search", help="search the library (see the README for the query language)")
    p.add_argument("query", nargs="+")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--sort", choices=[s.value for s in Sort], default="relevance")
    p.add_argument("--view", choices=[v.value for v in View], default="all")
    sub.add_parser("reindex", help="rebuild the search index from the library")
    p = sub.add_parser("export", help="export the reading list or the whole library")
    p.add_argument("--starred", action="store_true", help="only starred papers")
    p.add_argument("--format", choices=("markdown", "bibtex", "json", "csv"), default="markdown")
    p.add_argument("-o", "--output", help="write to this file instead of standard output")
    p = sub.add_parser("restore", help="load a JSON backup into an empty library")
    p.add_argument("file")
    p = sub.add_parser("fetch", help="fetch the subscribed arXiv feeds and Hugging Face daily papers")
    p.add_argument("names", nargs="*", metavar="NAME", help="only these subscriptions (cs.LG, hf, arxiv, api...)")
    p.add_argument("--today", type=_date, help="the day to fetch for (default: today, UTC)")
    p = sub.add_parser("config", help="write an example settings file, or show the settings in effect")
    p.add_argument("--init", action="store_true", help="write a commented example settings file")
    p.add_argument("--force", action="store_true", help="with --init: replace an existing file")
    p.add_argument("--show", action="store_true", help="print the effective settings and where they came from")
    marking.add_parsers(sub)
    p = sub.add_parser("app", help="open the reader (the default)")
    p.add_argument("files", nargs="*", help="digests to import first; the app then opens the Inbox")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if _first_positional(argv) not in COMMANDS and not ({"-h", "--help"} & set(argv)):
        argv = _insert_app(argv)
    parser = build_parser()
    args = _parse(parser, argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: one line, never a traceback
        from tui.library import LibraryError

        if isinstance(exc, LibraryError):
            print(f"paper-reader: {printable(str(exc))}", file=sys.stderr)
        else:
            print(f"paper-reader: error: {type(exc).__name__}: {one_line(str(exc))}", file=sys.stderr)
        return 1


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse, letting `mark` and `search` take query words that start with '-' (`-is:read`)."""
    command = _first_positional(argv)
    if command in marking.QUERY_COMMANDS:
        sub = parser._subparsers._group_actions[0].choices[command]  # its own option strings
        argv = marking.shield_query_words(argv, argv.index(command), set(sub._option_string_actions))
    args, extra = parser.parse_known_args(argv)
    extra = marking.take_query_words(args, extra)
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def _first_positional(argv: list[str]) -> str | None:
    """The first word that is neither an option nor the value of `--data-dir` or `--config`."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in VALUED:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def _insert_app(argv: list[str]) -> list[str]:
    """`paper-reader [--data-dir D] [--config F] FILE...` means `paper-reader [...] app FILE...`."""
    cut = 0
    while cut < len(argv):
        if argv[cut] in VALUED:
            cut += 2
        elif argv[cut].startswith(tuple(f"{name}=" for name in VALUED)):
            cut += 1
        else:
            break
    return argv[:cut] + ["app"] + argv[cut:]


def _dispatch(args: argparse.Namespace) -> int:
    from tui.cli import commands as cli_commands, fetching

    name = f"cmd_{args.command}"
    handler = getattr(fetching, name, None) or getattr(marking, name, None) or getattr(cli_commands, name)
    return handler(args)

