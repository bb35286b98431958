"""The commented example settings file that `paper-reader config --init` writes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

EXAMPLE = '''\
# paper-reader settings (TOML). Every key is optional: a missing key keeps the default shown.
# `paper-reader config --show` prints what is in effect and where each value came from.

[subscriptions]
# arXiv categories, fetched from their RSS feeds: <arxiv_rss_base>/rss/<category>
arxiv = ["cs.LG", "cs.CL"]
# arXiv API queries (export.arxiv.org/api/query?search_query=...), newest first, e.g.
# arxiv_api = ["cat:cs.LG AND ti:transformer", "au:Jegelka"]
arxiv_api = []
# Hugging Face daily papers: <hf_base>/api/daily_papers?date=YYYY-MM-DD, with catch-up for missed days
hf_daily = true

[fetch]
# Base addresses. Plain http:// is used only when written here (say, a local mirror);
# a redirect from https to http is always refused.
arxiv_rss_base = "https://rss.arxiv.org"
arxiv_api_base = "https://export.arxiv.org"
hf_base = "https://huggingface.co"
# seconds a connection may stay silent before it counts as timed out
timeout = 10.0
# seconds one response may take in all
deadline = 120.0
# largest response accepted, in bytes (32 MiB)
max_bytes = 33554432
# further attempts after a server error (5xx) or a timeout; never after 4xx
retries = 3
# at most this many missed days of Hugging Face daily papers are fetched in one run
catch_up_days = 7
# entries asked of the arXiv API per query
api_max_results = 100

[ui]
# a Textual theme name, e.g. "textual-dark", "nord", "gruvbox"; "" = the theme last picked
# in the app (ctrl+p, then theme), else the built-in default
theme = ""
# command that opens a paper's link, {url} standing for it, e.g. "firefox --new-tab {url}"
# (run without a shell; the link is one argument); "" = the system browser. When none can
# open it, the link is copied to the clipboard instead.
browser = ""

[keys]
# binding id = key(s), comma-separated for several; the ids are listed in the app's help (?)
# triage = "T"
# search = "slash,ctrl+f"
'''


def write_example(path: Path, force: bool = False) -> None:
    """Write EXAMPLE to `path` atomically; FileExistsError unless `force`, so a user's file is never lost."""
    if path.exists() and not force:
        raise FileExistsError(str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(EXAMPLE)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
