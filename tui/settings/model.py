"""The settings as plain frozen records, each field with the default used when the file is silent."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Subscriptions:
    """What `paper-reader fetch` brings in: arXiv categories (RSS), arXiv API queries, HF daily papers."""

    arxiv: tuple[str, ...] = ("cs.LG", "cs.CL")
    arxiv_api: tuple[str, ...] = ()
    hf_daily: bool = True


@dataclass(frozen=True)
class FetchSettings:
    """Where the sources live and how patiently and how much is fetched from them."""

    arxiv_rss_base: str = "https://rss.arxiv.org"
    arxiv_api_base: str = "https://export.arxiv.org"
    hf_base: str = "https://huggingface.co"
    #: Seconds a connection may stay silent (connecting, or between two reads) before it counts as a timeout.
    timeout: float = 10.0
    #: Seconds one response may take in all; a server that drips bytes cannot hold a fetch for ever.
    deadline: float = 120.0
    #: A cs.LG feed is about 2 MB and a day of HF papers about 0.3 MB; 32 MiB refuses only runaways.
    max_bytes: int = 32 * 2**20
    #: Further attempts after a 5xx answer or a timeout (never after a 4xx).
    retries: int = 3
    #: At most this many missed days of Hugging Face daily papers are fetched in one run.
    catch_up_days: int = 7
    #: Entries asked of the arXiv API per query (its documentation asks for at most 2,000 per call).
    api_max_results: int = 100


@dataclass(frozen=True)
class UiSettings:
    """How the reader looks and opens links; empty strings mean the built-in choice."""

    theme: str = ""
    #: A command line to open a paper's link with, `{url}` standing for the link; "" = the system browser.
    browser: str = ""


@dataclass(frozen=True)
class Settings:
    """Everything the settings file can say; `keys` maps a binding id to the key(s) it should use."""

    subscriptions: Subscriptions = field(default_factory=Subscriptions)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    keys: tuple[tuple[str, str], ...] = ()

    def keymap(self) -> dict[str, str]:
        """The `[keys]` table in the shape Textual's `App.set_keymap` takes."""
        return dict(self.keys)


#: The file's tables, in the order they are written, and the record each one fills.
SECTIONS = {"subscriptions": Subscriptions, "fetch": FetchSettings, "ui": UiSettings}


def section_defaults(name: str) -> dict[str, object]:
    """The default value of every key of one table, by key name."""
    record = SECTIONS[name]()
    return {f.name: getattr(record, f.name) for f in fields(record)}
