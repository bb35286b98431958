"""Fixtures of the fetch tests (defined in fetch_support, beside the helpers they use)."""

from fetch_support import backend, server, tls_server  # noqa: F401  (fixtures)
