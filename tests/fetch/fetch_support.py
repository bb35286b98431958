"""Test support for fetching: a programmable HTTP server on 127.0.0.1, settings that point at it, a fake clock."""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tui.fetch.clock import Clock
from tui.settings.model import FetchSettings, Settings, Subscriptions

#: The real samples, in the shared folder beside the checkout (tests that need them skip without it).
SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
RSS_SAMPLE = SAMPLES / "arxiv-rss" / "rss2_2026-04-27_cs.AI_3-items_reserialized.xml"
HF_SAMPLE = SAMPLES / "hf-daily-json" / "hf_daily_2026-06-12_compact.json"
API_SAMPLE = SAMPLES / "arxiv-api" / "api_2026-06_all-transformer-cs.LG_5-entries.xml"


@dataclass
class Reply:
    """One answer the server gives: status, headers, body, and how slowly."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    #: Seconds to wait before answering at all.
    delay: float = 0.0
    #: Seconds between single bytes of the body (a server that drips).
    drip: float = 0.0
    #: Send this many zero bytes instead of `body`, without a Content-Length (a runaway response).
    flood: int = 0
    #: Send a Content-Length header (off for floods, so the client must count).
    length: bool = True


class LocalServer:
    """Replies per path (the last one repeats); every request's path and headers are logged."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)  # 0.02 s: quick shutdown

    @property
    def base_url(self) -> str:
        """http(s)://127.0.0.1:PORT"""
        scheme = "https" if hasattr(self.httpd.socket, "context") else "http"
        return f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}"

    def serve(self, path: str, *replies: Reply) -> None:
        """Answer GET `path` with these replies in turn; a `path?query` route wins over the bare path."""
        self.routes[path] = list(replies)

    def next_reply(self, target: str) -> Reply:
        replies = self.routes.get(target) or self.routes.get(urllib.parse.urlsplit(target).path)
        if not replies:
            return Reply(404, b"not found")
        return replies.pop(0) if len(replies) > 1 else replies[0]

    def hits(self, path: str) -> int:
        """How many requests asked for `path` (with exactly that query, if it has one)."""
        return sum(1 for p, _ in self.requests if p == path or ("?" not in path and p.split("?")[0] == path))


def _handler_for(server: LocalServer) -> type:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            server.requests.append((self.path, dict(self.headers)))
            reply = server.next_reply(self.path)
            time.sleep(reply.delay)
            etag = reply.headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            try:
                self._answer(reply)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _answer(self, reply: Reply) -> None:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.length and not reply.flood:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.flood:
                block = b"\0" * 2**20  # 1 MiB writes
                for _ in range(reply.flood // len(block)):
                    self.wfile.write(block)
            elif reply.drip:
                for byte in reply.body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(reply.drip)
            else:
                self.wfile.write(reply.body)

    return Handler


@pytest.fixture
def server():
    """A LocalServer running for the test."""
    local = LocalServer()
    local.thread.start()
    yield local
    local.httpd.shutdown()
    local.httpd.server_close()


@pytest.fixture
def backend(tmp_path):
    """A library in the test's data directory, closed afterwards."""
    from tui.service import open_service

    opened = open_service(tmp_path / "data")
    yield opened
    opened.close()


def settings_for(base_url: str, *, arxiv=("cs.AI",), api=(), hf=False, **fetch) -> Settings:
    """Settings whose three base URLs point at a local server (written http://, so plain http is allowed)."""
    config = dataclasses.replace(FetchSettings(), arxiv_rss_base=base_url, arxiv_api_base=base_url,
                                 hf_base=base_url, **fetch)
    return Settings(subscriptions=Subscriptions(arxiv=tuple(arxiv), arxiv_api=tuple(api), hf_daily=hf),
                    fetch=config)


class FakeClock(Clock):
    """Time that moves only when slept, so backoff and pacing cost the tests nothing."""

    def __init__(self) -> None:
        self.time = 1000.0
        self.slept: list[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.time += seconds

    def total(self) -> float:
        """Seconds slept in all."""
        return sum(self.slept)


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def part_files(root: Path) -> list[Path]:
    """Temp files left anywhere under `root`."""
    return [p for p in root.rglob("*") if p.name.endswith(".part")]


@pytest.fixture
def tls_server(tmp_path):
    """A LocalServer speaking https with a throw-away certificate, and an SSL context that trusts it."""
    import shutil
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    local = LocalServer()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    local.httpd.socket = context.wrap_socket(local.httpd.socket, server_side=True)
    local.thread.start()
    yield local, ssl.create_default_context(cafile=str(cert))
    local.httpd.shutdown()
    local.httpd.server_close()
