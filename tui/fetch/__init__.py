"""Fetching subscriptions: arXiv RSS and API, Hugging Face daily papers, archived and then imported.

The front door: `fetch_all(settings, backend, names, progress, cancelled, today) -> FetchReport`,
safe to call from a worker thread; `subscription_names` lists what `paper-reader fetch NAME` takes.
"""

from tui.fetch.errors import Cancelled, FetchFailed
from tui.fetch.report import FetchReport, Outcome, SourceReport
from tui.fetch.run import fetch_all
from tui.fetch.sources import UnknownSource, subscription_names

__all__ = [
    "Cancelled",
    "FetchFailed",
    "FetchReport",
    "Outcome",
    "SourceReport",
    "UnknownSource",
    "fetch_all",
    "subscription_names",
]
