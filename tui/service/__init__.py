"""The service: what the CLI and the app share, the one place where library and search meet."""

from tui.service.facade import Backend, make_backend

__all__ = ["Backend", "make_backend"]
