"""The `paper-reader` command line: argument parsing in `main`, one function per sub-command."""

from tui.cli.main import main

__all__ = ["main"]
