"""The HTTP client against a real server on 127.0.0.1: retries, timeouts, caps, redirects, cancellation."""

from __future__ import annotations

import dataclasses
import threading
import time
import urllib.request

import pytest

from fetch_support import FakeClock, Reply, free_port, part_files, settings_for
from tui import __version__
from tui.fetch.clock import Pacer
from tui.fetch.errors import Cancelled, FetchFailed
from tui.fetch.http import HttpClient, RedirectRefused, _SafeRedirects

FEED = b'<rss version="2.0"><channel><title>t</title><item><title>x</title></item></channel></rss>'


def client_for(server, clock=None, cancelled=None, **fetch) -> HttpClient:
    return HttpClient(settings_for(server.base_url, **fetch).fetch, cancelled=cancelled, clock=clock or FakeClock())


def test_a_500_then_success_is_retried_after_a_backoff(server, tmp_path):
    server.serve("/rss/cs.AI", Reply(500, b"oops"), Reply(200, FEED))
    clock = FakeClock()
    download = client_for(server, clock).get(f"{server.base_url}/rss/cs.AI", tmp_path)
    assert download.status == 200 and download.path.read_bytes() == FEED
    assert server.hits("/rss/cs.AI") == 2
    assert clock.slept and clock.total() == pytest.approx(1.0)  # the first backoff is one second


def test_server_errors_that_stay_fail_after_every_retry_with_doubling_waits(server, tmp_path):
    server.serve("/rss/cs.AI", Reply(503, b"busy"))
    clock = FakeClock()
    with pytest.raises(FetchFailed, match=r"server error \(HTTP 503"):
        client_for(server, clock, retries=2).get(f"{server.base_url}/rss/cs.AI", tmp_path)
    assert server.hits("/rss/cs.AI") == 3
    assert clock.total() == pytest.approx(1.0 + 2.0)


def test_retry_after_is_honoured(server, tmp_path):
    server.serve("/rss/cs.AI", Reply(503, b"busy", {"Retry-After": "7"}), Reply(200, FEED))
    clock = FakeClock()
    client_for(server, clock).get(f"{server.base_url}/rss/cs.AI", tmp_path)
    assert clock.total() == pytest.approx(7.0)


def test_a_4xx_is_never_retried(server, tmp_path):
    server.serve("/rss/cs.XX", Reply(404, b"no such feed"))
    with pytest.raises(FetchFailed, match=r"not found on the server \(HTTP 404 Not Found\)"):
        client_for(server).get(f"{server.base_url}/rss/cs.XX", tmp_path)
    assert server.hits("/rss/cs.XX") == 1


def test_a_timeout_is_retried_then_reported_in_seconds(server, tmp_path):
    server.serve("/slow", Reply(200, FEED, delay=1.5))
    started = time.monotonic()
    with pytest.raises(FetchFailed, match=r"no network \(timed out after 0.5 s\)"):
        client_for(server, timeout=0.5, retries=1).get(f"{server.base_url}/slow", tmp_path)
    assert server.hits("/slow") == 2
    assert time.monotonic() - started < 3


def test_a_server_that_drips_one_byte_a_second_meets_the_total_deadline(server, tmp_path):
    server.serve("/drip", Reply(200, FEED, drip=1.0))
    started = time.monotonic()
    with pytest.raises(FetchFailed, match=r"too slow .*2 s deadline"):
        client_for(server, timeout=5, deadline=2).get(f"{server.base_url}/drip", tmp_path)
    assert time.monotonic() - started < 3.5
    assert part_files(tmp_path) == []


def test_304_not_modified_comes_back_as_a_download_without_a_body(server, tmp_path):
    server.serve("/rss/cs.AI", Reply(200, FEED, {"ETag": '"v1"'}))
    client = client_for(server)
    first = client.get(f"{server.base_url}/rss/cs.AI", tmp_path)
    again = client.get(f"{server.base_url}/rss/cs.AI", tmp_path, {"If-None-Match": first.etag})
    assert (first.status, first.etag) == (200, '"v1"')
    assert again.status == 304 and again.path is None


def test_a_redirect_to_plain_http_elsewhere_is_refused(server, tmp_path):
    target = f"http://localhost:{free_port()}/rss/cs.AI"
    server.serve("/rss/cs.AI", Reply(302, b"", {"Location": target}))
    with pytest.raises(FetchFailed, match=r"refused a redirect.*http://localhost"):
        client_for(server).get(f"{server.base_url}/rss/cs.AI", tmp_path)


def test_a_redirect_within_the_allowed_origin_is_followed(server, tmp_path):
    server.serve("/old", Reply(301, b"", {"Location": "/rss/cs.AI"}))
    server.serve("/rss/cs.AI", Reply(200, FEED))
    assert client_for(server).get(f"{server.base_url}/old", tmp_path).path.read_bytes() == FEED


def test_a_redirect_from_https_to_http_is_always_refused(server):
    """Even to an origin the settings allow: leaving https is never followed."""
    handler = _SafeRedirects(client_for(server))
    request = urllib.request.Request("https://rss.arxiv.org/rss/cs.LG")
    with pytest.raises(RedirectRefused, match="from https to http"):
        handler.redirect_request(request, None, 302, "Found", {}, f"{server.base_url}/rss/cs.LG")


def test_plain_http_is_refused_unless_the_settings_write_it(server, tmp_path):
    client = HttpClient(settings_for("https://rss.arxiv.org").fetch, clock=FakeClock())
    with pytest.raises(FetchFailed, match=r"refused http:// address"):
        client.get(f"{server.base_url}/rss/cs.AI", tmp_path)
    assert server.requests == []


def test_a_60_mb_response_stops_at_the_size_cap_and_leaves_nothing(server, tmp_path):
    server.serve("/huge", Reply(200, flood=60 * 2**20, length=False))
    with pytest.raises(FetchFailed, match=r"response too big \(more; max_bytes is 33,554,432\)"):
        client_for(server).get(f"{server.base_url}/huge", tmp_path)
    assert part_files(tmp_path) == []


def test_a_declared_60_mb_response_is_refused_before_reading(server, tmp_path):
    server.serve("/huge", Reply(200, b"x" * 10, {"Content-Length": str(60 * 2**20)}, length=False))
    with pytest.raises(FetchFailed, match=r"too big \(62,914,560 bytes"):
        client_for(server).get(f"{server.base_url}/huge", tmp_path)


def test_connection_refused_fails_at_once_without_retries(tmp_path):
    base = f"http://127.0.0.1:{free_port()}"
    clock = FakeClock()
    with pytest.raises(FetchFailed, match=r"no network \(connection refused\)"):
        HttpClient(settings_for(base).fetch, clock=clock).get(f"{base}/rss/cs.AI", tmp_path)
    assert clock.slept == []


def test_cancelling_mid_download_returns_promptly_and_leaves_no_temp_file(server, tmp_path):
    server.serve("/drip", Reply(200, FEED * 10, drip=0.2))
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        client_for(server, cancelled=stop.is_set).get(f"{server.base_url}/drip", tmp_path)
    assert time.monotonic() - started < 1.5
    assert part_files(tmp_path) == []


def test_cancelling_while_waiting_to_retry_stops_the_wait(server, tmp_path):
    server.serve("/busy", Reply(503, b"busy", {"Retry-After": "50"}))
    calls = iter([False, False, True])
    with pytest.raises(Cancelled):
        client_for(server, cancelled=lambda: next(calls, True)).get(f"{server.base_url}/busy", tmp_path)


def test_every_request_names_paper_reader_and_its_version(server, tmp_path):
    server.serve("/rss/cs.AI", Reply(200, FEED))
    client_for(server).get(f"{server.base_url}/rss/cs.AI", tmp_path)
    assert server.requests[0][1]["User-Agent"].startswith(f"paper-reader/{__version__} ")


def test_the_pacer_spaces_calls_three_seconds_apart():
    clock = FakeClock()
    pacer = Pacer(3.0, clock)
    for _ in range(3):
        pacer.pace(lambda: False)
        clock.time += 0.5  # each call itself takes half a second
    assert clock.total() == pytest.approx(2 * 2.5)


def test_https_works_and_a_live_redirect_from_https_to_http_is_refused(tls_server, server, tmp_path):
    secure, context = tls_server
    secure.serve("/rss/cs.AI", Reply(200, FEED))
    secure.serve("/moved", Reply(302, b"", {"Location": f"{server.base_url}/rss/cs.AI"}))
    server.serve("/rss/cs.AI", Reply(200, FEED))
    # the plain-http server is even written in the settings: leaving https is refused all the same
    config = dataclasses.replace(settings_for(secure.base_url).fetch, hf_base=server.base_url)
    client = HttpClient(config, clock=FakeClock(), context=context)
    assert client.get(f"{secure.base_url}/rss/cs.AI", tmp_path).path.read_bytes() == FEED
    with pytest.raises(FetchFailed, match=r"refused a redirect from https to http://"):
        client.get(f"{secure.base_url}/moved", tmp_path)
    assert server.requests == []


def test_an_untrusted_certificate_is_a_one_line_failure(tls_server, tmp_path):
    secure, _context = tls_server
    secure.serve("/rss/cs.AI", Reply(200, FEED))
    client = HttpClient(settings_for(secure.base_url).fetch, clock=FakeClock())
    with pytest.raises(FetchFailed, match=r"secure connection failed \(CERTIFICATE_VERIFY_FAILED\)"):
        client.get(f"{secure.base_url}/rss/cs.AI", tmp_path)
