"""A small HTTPS client on urllib: timeouts, a total deadline, a size cap, retries, and cancellation."""

from __future__ import annotations

import errno
import http.client
import os
import select
import socket
import ssl
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from tui import __version__
from tui.fetch.clock import Clock, Pacer, Watch
from tui.fetch.errors import Cancelled, FetchFailed
from tui.settings.model import FetchSettings

USER_AGENT = f"paper-reader/{__version__} (terminal reader for paper digests; Python urllib)"
#: Bytes read from the socket at a time: small enough to notice a cancel or the size cap quickly.
CHUNK = 64 * 1024
#: Seconds before the first retry; each further retry waits twice as long, up to BACKOFF_CAP.
BACKOFF = 1.0
BACKOFF_CAP = 30.0
#: A server's Retry-After is honoured up to this many seconds; beyond it we wait BACKOFF_CAP.
RETRY_AFTER_CAP = 60.0
#: How often a blocked connect looks whether the fetch was cancelled or ran out of time.
CONNECT_SLICE = 0.1


@dataclass(frozen=True)
class Download:
    """One answer: 200 with its body in a temp file (the caller keeps or deletes it), or 304 Not Modified."""

    url: str
    status: int
    path: Path | None = None
    size: int = 0
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None


class _Retryable(Exception):
    """A failure worth another attempt (5xx, a timeout, a dropped connection)."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class RedirectRefused(urllib.error.URLError):
    """A redirect that would leave https (or the one plain-http address the settings allow)."""


class HttpClient:
    """GETs URLs with the settings' limits; one instance serves one fetch run (it holds the pacing)."""

    def __init__(self, config: FetchSettings, cancelled: Callable[[], bool] | None = None,
                 clock: Clock | None = None, context: ssl.SSLContext | None = None) -> None:
        self.config = config
        self.cancelled = cancelled or (lambda: False)
        self.clock = clock or Clock()
        self.context = context
        #: Plain http is allowed only for the origins of base URLs written with http:// in the settings.
        self.plain_http = {origin(base) for base in (config.arxiv_rss_base, config.arxiv_api_base, config.hf_base)
                           if base.startswith("http://")}

    def get(self, url: str, temp_dir: Path, headers: dict[str, str] | None = None,
            accept: str = "*/*", pacer: Pacer | None = None) -> Download:
        """Fetch `url`, retrying 5xx answers and timeouts with backoff; raises FetchFailed or Cancelled.

        With a `pacer`, every attempt (retries too) waits its turn, as arXiv's API asks.
        """
        self.check_allowed(url)
        for attempt in range(self.config.retries + 1):
            if pacer:
                pacer.pace(self.cancelled)
            try:
                return self._once(url, temp_dir, {"Accept": accept, **(headers or {})})
            except _Retryable as exc:
                if attempt == self.config.retries:
                    raise FetchFailed(str(exc), host_down=True) from None
                self.clock.wait(self._backoff(attempt, exc.retry_after), self.cancelled)
        raise AssertionError("unreachable")

    def check_allowed(self, url: str) -> None:
        """Refuse anything but https, except an http origin the settings name on purpose."""
        scheme = urllib.parse.urlsplit(url).scheme
        if scheme != "https" and not (scheme == "http" and origin(url) in self.plain_http):
            raise FetchFailed(f"refused {scheme or 'an'}:// address {url} (only https, or http written in the settings)")

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before attempt `attempt + 1`: the server's Retry-After if sane, else doubling."""
        if retry_after is not None and 0 <= retry_after <= RETRY_AFTER_CAP:
            return retry_after
        return min(BACKOFF * 2**attempt, BACKOFF_CAP)

    def _once(self, url: str, temp_dir: Path, headers: dict[str, str]) -> Download:
        """One attempt, watched by a thread that cuts the socket on cancel or past the deadline."""
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity",
                                                       **headers})
        with Watch(self.config.deadline, self.cancelled) as watch:
            opener = urllib.request.build_opener(_WatchedHTTPHandler(watch), _WatchedHTTPSHandler(watch, self.context),
                                                 _SafeRedirects(self))
            try:
                with opener.open(request, timeout=self.config.timeout) as response:
                    return self._save(response, temp_dir, watch)
            except BaseException as exc:
                watch.raise_if_cut()
                failure = self._translate(exc)
        if isinstance(failure, _NotModified):
            return Download(url, 304, etag=failure.headers.get("ETag"),
                            last_modified=failure.headers.get("Last-Modified"))
        raise failure from None

    def _translate(self, exc: BaseException) -> BaseException:
        """urllib's many exceptions as FetchFailed (final) or _Retryable (worth another attempt)."""
        if isinstance(exc, (FetchFailed, Cancelled, _Retryable, _NotModified)):
            return exc
        if isinstance(exc, urllib.error.HTTPError):
            return _http_error(exc)
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(exc, RedirectRefused):
            return FetchFailed(str(reason))
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return _Retryable(f"no network (timed out after {self.config.timeout:g} s)")
        if isinstance(reason, ConnectionRefusedError):
            return FetchFailed("no network (connection refused)", host_down=True)
        if isinstance(reason, socket.gaierror):
            return FetchFailed("no network (the host name does not resolve)", host_down=True)
        if isinstance(reason, ssl.SSLError):
            return FetchFailed(f"secure connection failed ({reason.reason or reason})")
        if isinstance(reason, (ConnectionError, http.client.HTTPException, OSError)):
            return _Retryable(f"connection dropped ({type(reason).__name__})")
        return exc

    def _save(self, response, temp_dir: Path, watch: Watch) -> Download:
        """Stream the body into a temp file, stopping at the size cap; the temp file never outlives a failure."""
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > self.config.max_bytes:
            raise FetchFailed(self._too_big(int(length)))
        temp_dir.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".fetch-", suffix=".part", dir=temp_dir)
        try:
            size = self._copy(response, handle, watch)
        except BaseException:
            os.close(handle)
            Path(name).unlink(missing_ok=True)
            raise
        os.close(handle)
        headers = response.headers
        return Download(response.geturl(), response.status, Path(name), size, headers.get("Content-Type", ""),
                        headers.get("ETag"), headers.get("Last-Modified"))

    def _copy(self, response, handle: int, watch: Watch) -> int:
        """Copy the body chunk by chunk into `handle` (fsynced); returns its size."""
        size = 0
        while chunk := response.read1(CHUNK):
            size += len(chunk)
            if size > self.config.max_bytes:
                raise FetchFailed(self._too_big(None))
            os.write(handle, chunk)
            watch.raise_if_cut()
        watch.raise_if_cut()  # a socket cut by the watch reads as a clean end: make sure it was not
        os.fsync(handle)
        return size

    def _too_big(self, size: int | None) -> str:
        """The failure line for a body over the cap (its size when the server declared it)."""
        said = f"{size:,} bytes" if size else "more"
        return f"response too big ({said}; max_bytes is {self.config.max_bytes:,})"


def _http_error(exc: urllib.error.HTTPError) -> BaseException:
    """304 is a normal answer; 5xx is retried; every other status is final."""
    exc.close()  # the error carries the open response; its body is not wanted
    if exc.code == 304:
        return _NotModified(exc.headers)
    if exc.code >= 500:
        return _Retryable(f"server error (HTTP {exc.code} {exc.reason})", _retry_after(exc.headers))
    said = f"HTTP {exc.code} {exc.reason}"
    if exc.code == 404:
        return FetchFailed(f"not found on the server ({said}); is the name in the settings right?")
    if exc.code == 429:
        return FetchFailed(f"rate limited by the server ({said}); try again later")
    return FetchFailed(f"refused by the server ({said})")


class _NotModified(Exception):
    """Carried out of urllib (which treats 304 as an error) to become a Download with status 304."""

    def __init__(self, headers) -> None:
        super().__init__("not modified")
        self.headers = headers


def _retry_after(headers) -> float | None:
    """Retry-After in seconds when given as a number (the date form is rare and ignored)."""
    value = (headers.get("Retry-After") or "").strip() if headers else ""
    return float(value) if value.isdigit() else None


def origin(url: str) -> str:
    """scheme://host:port, the unit that plain-http permission is given to."""
    parts = urllib.parse.urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme, 0)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to https, or to http on an origin the settings allow, never https -> http."""

    def __init__(self, client: HttpClient) -> None:
        self.client = client

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        """Check the target before urllib follows it."""
        newurl = urllib.parse.urljoin(req.full_url, newurl)
        old, new = urllib.parse.urlsplit(req.full_url).scheme, urllib.parse.urlsplit(newurl).scheme
        if old == "https" and new != "https":
            raise RedirectRefused(f"refused a redirect from https to {new}:// ({newurl})")
        try:
            self.client.check_allowed(newurl)
        except FetchFailed as exc:
            raise RedirectRefused(f"refused a redirect: {exc}") from None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _watched_connection(base: type, watch: Watch) -> type:
    """A subclass of an http.client connection whose socket the watch can cut at any moment."""

    class Watched(base):
        """The same connection, connecting through `_connect` so the watch holds its socket."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = partial(_connect, watch)

    return Watched


def _connect(watch: Watch, address: tuple[str, int], timeout: float, source_address=None) -> socket.socket:
    """Like socket.create_connection, but connecting in slices so a cancel or the deadline interrupts it."""
    host, port = address
    last: OSError | None = None
    for family, kind, proto, _name, target in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        sock = socket.socket(family, kind, proto)
        try:
            watch.attach(sock)
            _connect_in_slices(sock, target, timeout, watch)
            sock.settimeout(timeout)
            return sock
        except OSError as exc:
            sock.close()
            last = exc
    raise last or OSError(f"cannot connect to {host}")


def _connect_in_slices(sock: socket.socket, target, timeout: float, watch: Watch) -> None:
    """Connect without blocking, giving up after `timeout` s and looking at the watch every CONNECT_SLICE."""
    sock.setblocking(False)
    error = sock.connect_ex(target)
    if error not in (0, errno.EINPROGRESS, errno.EWOULDBLOCK):
        raise OSError(error, os.strerror(error))  # OSError picks the subclass, e.g. ConnectionRefusedError
    end = time.monotonic() + timeout
    while not select.select([], [sock], [], CONNECT_SLICE)[1]:
        if watch.reason:
            raise OSError("connection cut")
        if time.monotonic() > end:
            raise TimeoutError("connect timed out")
    if error := sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
        raise OSError(error, os.strerror(error))


class _WatchedHTTPHandler(urllib.request.HTTPHandler):
    """urllib's http handler, opening connections the watch can cut."""

    def __init__(self, watch: Watch) -> None:
        super().__init__()
        self.watch = watch

    def http_open(self, req):
        """Open `req` over a watched connection."""
        return self.do_open(_watched_connection(http.client.HTTPConnection, self.watch), req)


class _WatchedHTTPSHandler(urllib.request.HTTPSHandler):
    """urllib's https handler (certificates verified as usual), opening connections the watch can cut."""

    def __init__(self, watch: Watch, context: ssl.SSLContext | None) -> None:
        super().__init__(context=context)
        self.watch = watch

    def https_open(self, req):
        """Open `req` over a watched TLS connection."""
        return self.do_open(_watched_connection(http.client.HTTPSConnection, self.watch), req,
                            context=self._context)
