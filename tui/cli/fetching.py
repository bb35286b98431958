"""The `fetch` and `config` sub-commands: subscriptions in, settings file out; lines pass through textsafe."""

from __future__ import annotations

import argparse
import sys

from tui.textsafe import one_line, printable


def _err(message: str) -> None:
    """Print one printable line on standard error."""
    print(printable(message), file=sys.stderr)


def _settings(args: argparse.Namespace):
    """The effective settings; a broken file is said in one line and the defaults are used."""
    from tui.settings import load_settings

    loaded = load_settings(args.config)
    if notice := loaded.notice():
        _err(one_line(notice))
    return loaded


def cmd_fetch(args: argparse.Namespace) -> int:
    """Fetch the subscriptions (or the NAMEs given); exit 0 if any source answered, 1 if all failed."""
    from tui.fetch import UnknownSource, fetch_all
    from tui.service import open_service

    settings = _settings(args).settings
    backend = open_service(args.data_dir)
    try:
        report = fetch_all(settings, backend, args.names or None, progress=_progress, today=args.today)
    except UnknownSource as exc:
        _err(f"paper-reader fetch: {exc}")
        return 2
    finally:
        backend.close()
    if sys.stderr.isatty():
        print("\r\x1b[K", end="", file=sys.stderr, flush=True)  # clear the progress line
    for note in report.notes:
        _err(one_line(note))
    for source in report.sources:
        print(one_line(source.line()), file=sys.stdout if source.outcome.ok else sys.stderr, flush=True)
    if report.index_notice:
        _err(one_line(report.index_notice))
    print(one_line(report.summary()))
    return 0 if report.ok else 1


def _progress(name: str, done: int, total: int) -> None:
    """`fetching cs.LG (2/5)…`, redrawn in place on a terminal; silent otherwise (cron mails stay short)."""
    if name and sys.stderr.isatty():
        print(f"\rfetching {printable(name)} ({done + 1}/{total})…", end="\x1b[K", file=sys.stderr, flush=True)


def cmd_config(args: argparse.Namespace) -> int:
    """`--init` writes the commented example (never over a file unless --force); `--show` prints the effect."""
    from tui.settings import config_path, render_settings, write_example

    if args.init:
        path, origin = config_path(args.config)
        try:
            write_example(path, force=args.force)
        except FileExistsError:
            _err(f"{path} already exists; not overwritten (add --force to replace it with the example)")
            return 1
        except OSError as exc:
            _err(f"cannot write {path}: {exc.strerror or exc}")
            return 1
        _err(f"wrote {path} (chosen by {origin})")
    if args.show or not args.init:
        sys.stdout.write(printable(render_settings(_settings(args), _built_in_keys(), _remembered_theme(args))))
    return 0


def _built_in_keys() -> dict[str, str]:
    """Every binding id of the app with its built-in key (loads the UI's key tables, not a terminal)."""
    from tui.ui.keys import binding_table

    return {binding_id: binding.key for binding_id, binding in binding_table().items()}


def _remembered_theme(args: argparse.Namespace) -> tuple[str, str] | None:
    """The theme last picked in the app for this data directory, and the file that keeps it."""
    from tui import paths
    from tui.settings.remembered import load_remembered, remembered_path

    folder = paths.data_dir_location(args.data_dir)
    theme = load_remembered(folder).get("theme")
    return (theme, str(remembered_path(folder))) if theme else None
