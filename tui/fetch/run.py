"""fetch_all(): ask every subscribed source, archive each answer, import it, and say what happened per source."""

from __future__ import annotations

import dataclasses
import datetime as dt
import ssl
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from tui.fetch import archive
from tui.fetch.check import Checked, check_body
from tui.fetch.clock import Clock, Pacer
from tui.fetch.errors import Cancelled, FetchFailed
from tui.fetch.http import Download, HttpClient, origin
from tui.fetch.report import FetchReport, Outcome, SourceReport, announce_detail, papers_detail
from tui.fetch.sources import Kind, Source, api_source, hf_days, hf_source, rss_source, select
from tui.fetch.state import FetchState
from tui.settings.model import Settings

#: arXiv asks API clients for at most one request every 3 seconds.
API_INTERVAL = 3.0
LOCK_NAME = "fetch.lock"
#: `progress(source_name, done, total)`: called before each source and once at the end (name "").
FetchProgress = Callable[[str, int, int], None]


def fetch_all(settings: Settings, backend, names: Sequence[str] | None = None,
              progress: FetchProgress | None = None, cancelled: Callable[[], bool] | None = None,
              today: dt.date | None = None, *, clock: Clock | None = None,
              ssl_context: ssl.SSLContext | None = None, index: bool = True) -> FetchReport:
    """Fetch the subscribed sources (or those `names` pick) into `backend`'s library.

    Safe to run from a worker thread: `cancelled()` is looked at throughout (a blocked read is cut
    within a tenth of a second) and a cancelled run leaves no temp file. Raises UnknownSource for a
    name that is no subscription; every other failure is a line in the report.
    """
    cancelled = cancelled or (lambda: False)
    today = today or dt.datetime.now(dt.timezone.utc).date()
    chosen = select(settings, names)
    with _fetch_lock(Path(backend.data_dir)) as locked:
        if not locked:
            return FetchReport((SourceReport("fetch", Outcome.FAILED,
                                             "another paper-reader is fetching into this library; try again later"),))
        run = _Run(settings, backend, HttpClient(settings.fetch, cancelled, clock, ssl_context), today)
        sources, notes = _plan(settings, chosen, run.state.hf_last_day, today)
        report = run.all(sources, progress, notes)
        if index and report.added and not report.cancelled:
            report = dataclasses.replace(report, index_notice=run.update_index(cancelled))
        return report


def _plan(settings: Settings, chosen: tuple[list[str], list[str], bool], hf_last_day: str | None,
          today: dt.date) -> tuple[list[Source], list[str]]:
    """The sources to ask, in order (RSS, API, then every HF day to catch up), and a note if the cap cut days."""
    categories, queries, hf = chosen
    sources = [rss_source(settings, c, today) for c in categories] + [api_source(settings, q, today) for q in queries]
    if not hf:
        return sources, []
    days, note = hf_days(hf_last_day, today, settings.fetch.catch_up_days)
    return sources + [hf_source(settings, day) for day in days], [note] if note else []


class _Run:
    """One fetch run: the client (with its pacing), the remembered state, and the library to import into."""

    def __init__(self, settings: Settings, backend, client: HttpClient, today: dt.date) -> None:
        self.settings = settings
        self.backend = backend
        self.client = client
        self.today = today
        self.data_dir = Path(backend.data_dir)
        self.pacer = Pacer(API_INTERVAL, client.clock)
        #: Origins that failed as a whole in this run, with the host name to say.
        self.down: dict[str, str] = {}
        archive.clear_incoming(self.data_dir)
        self.state = FetchState.of(self.data_dir)

    def all(self, sources: list[Source], progress: FetchProgress | None, notes: list[str]) -> FetchReport:
        """Each source in turn; a cancel stops the run and says which sources were not fetched."""
        reports: list[SourceReport] = []
        for number, source in enumerate(sources):
            if progress:
                progress(source.name, number, len(sources))
            try:
                reports.append(self.one(source))
            except Cancelled:
                reports += [SourceReport(s.name, Outcome.CANCELLED, "not fetched (cancelled)") for s in sources[number:]]
                return FetchReport(tuple(reports), tuple(notes), cancelled=True)
        if progress:
            progress("", len(sources), len(sources))
        return FetchReport(tuple(reports), tuple(notes))

    def one(self, source: Source) -> SourceReport:
        """Fetch one source, then archive and import its answer (not tried if its host failed already)."""
        if host := self.down.get(origin(source.url)):
            return SourceReport(source.name, Outcome.FAILED, f"not tried ({host} failed above)")
        try:
            download = self.client.get(source.url, archive.incoming_dir(self.data_dir),
                                       self.state.conditional_headers(source.key), source.kind.accept,
                                       self.pacer if source.paced else None)
        except FetchFailed as exc:
            if exc.host_down:
                self.down[origin(source.url)] = urllib.parse.urlsplit(source.url).netloc
            return SourceReport(source.name, Outcome.FAILED, str(exc))
        if download.status == 304:
            self._remember(source, download)
            return SourceReport(source.name, Outcome.UNCHANGED, "nothing new since the last fetch (304 Not Modified)")
        try:
            return self._keep(source, download)
        finally:
            if download.path:
                download.path.unlink(missing_ok=True)  # still there only if keeping it failed

    def _keep(self, source: Source, download: Download) -> SourceReport:
        """Check the body; keep it aside if it is not what was asked for, else archive and import it."""
        checked = check_body(download.path, source.kind, download.content_type)
        if not checked.ok:
            kept = archive.reject(download.path, self.data_dir, source.day, source.file_name)
            return SourceReport(source.name, Outcome.REJECTED,
                                f"{checked.reason}; kept aside as {self._shown(kept)}, not imported",
                                rejected=self._shown(kept))
        path = archive.keep(download.path, self.data_dir, source.day, source.file_name)
        if self.client.cancelled():
            raise Cancelled()
        if checked.items == 0:
            return self._empty(source, download, path)
        return self._import(source, download, path)

    def _empty(self, source: Source, download: Download, path: Path) -> SourceReport:
        """A valid answer without papers; an HF day not published yet is asked again next time."""
        if source.kind is Kind.JSON:  # not remembered: while no later day arrives, the next fetch asks again
            what = "not published yet" if source.day >= self.today.isoformat() else "no papers listed that day"
            return SourceReport(source.name, Outcome.EMPTY, what, archived=self._shown(path))
        self._remember(source, download)
        what = "no results" if source.paced else "no announcements (a weekend or holiday feed)"
        return SourceReport(source.name, Outcome.EMPTY, what, archived=self._shown(path))

    def _import(self, source: Source, download: Download, path: Path) -> SourceReport:
        """Import the archived file through the same parser as `paper-reader import`."""
        result = self.backend.import_files([path], reference_date=self.today)[0]
        if result.error:
            kept = archive.reject(path, self.data_dir, source.day, source.file_name)
            archive.drop_if_empty(path.parent)
            return SourceReport(source.name, Outcome.REJECTED,
                                f"not readable as a digest ({_after_name(result.error)}); "
                                f"kept aside as {self._shown(kept)}, not imported", rejected=self._shown(kept))
        self._remember(source, download)
        if result.already_imported:
            return SourceReport(source.name, Outcome.UNCHANGED, f"already imported ({self._shown(path)})",
                                archived=self._shown(path))
        counts = _announce_counts(path, self.today)
        detail = (announce_detail(counts, result.known) if counts
                  else papers_detail(result.added + result.known, result.known))
        return SourceReport(source.name, Outcome.IMPORTED, detail, archived=self._shown(path),
                            added=result.added, known=result.known)

    def _remember(self, source: Source, download: Download) -> None:
        """Keep the validators (and the HF catch-up mark) once the answer is safely in the library."""
        when = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self.state.remember(source.key, download.etag, download.last_modified, when)
        if source.kind is Kind.JSON:
            self.state.hf_fetched(source.day)
        self.state.save()

    def update_index(self, cancelled: Callable[[], bool]) -> str | None:
        """Bring the search index up to date; the library already holds the papers whatever happens here."""
        try:
            return self.backend.upkeep.ensure(cancelled=cancelled)
        except Exception as exc:  # the import is done; an index problem must not hide it
            return f"search index not updated yet ({type(exc).__name__}); it catches up at the next start"

    def _shown(self, path: Path) -> str:
        """A path as the report shows it: relative to the data directory."""
        try:
            return str(path.relative_to(self.data_dir))
        except ValueError:
            return str(path)


def _announce_counts(path: Path, today: dt.date) -> Counter:
    """How many entries of each arXiv announce type (new, cross, replace...) a digest holds; empty if none say."""
    from tui.parsing.stream import open_digest
    from tui.records import DigestError

    try:
        stream = open_digest(path, reference_date=today)
        return Counter(paper.announce for paper in stream.entries() if paper.announce)
    except DigestError:
        return Counter()


def _after_name(error: str) -> str:
    """A DigestError line without the file name in front (the report names the source already)."""
    return error.split(": ", 1)[-1]


@contextmanager
def _fetch_lock(data_dir: Path) -> Iterator[bool]:
    """One fetch per data directory at a time (yields False at once if another holds it)."""
    import fcntl

    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / LOCK_NAME, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
