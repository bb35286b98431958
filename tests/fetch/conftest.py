"""Fixtures of the fetch tests (the server ones live in fetch_support, beside the test support they use)."""

import pytest

from fetch_support import backend, server, tls_server  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def no_config_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fetch tests never see a PAPER_READER_CONFIG or a proxy from the environment they run in."""
    for name in ("PAPER_READER_CONFIG", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)
