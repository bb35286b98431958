"""Whoosh imported without the two standard-library packages it loads and never uses.

`whoosh.compat` imports `urllib.request` for a `urlretrieve` that no Whoosh code calls,
and Whoosh's `cached_property` package imports `asyncio` to check, on first access, whether
the function it wraps is a coroutine (Whoosh's one use, `deleted_docs_set`, never is).
Together they pulled in http.client, ssl, email and the asyncio event loop: about 25 ms of
every `paper-reader search` (a 0.3-0.4 s process).

`load()`, called by `tui/search/__init__.py` before any Whoosh import, imports those two
modules once with a stand-in for each package, then takes the stand-ins out of
`sys.modules`, so any later `import urllib.request` or `import asyncio` gets the real one:

* `whoosh.compat.urlretrieve` is a function that imports `urllib.request` and calls its own.
* `cached_property`'s `asyncio` answers `iscoroutinefunction` exactly as asyncio does
  (`inspect` says coroutine, or the function carries asyncio's `_is_coroutine` mark) and
  imports the real asyncio only when that could be true, or for any other name.

Nothing is done when a module is already loaded (the app imports asyncio before the
search room) or already imported by someone else; it runs at import time, before any
thread of this program starts. `tests/search/test_lean_whoosh.py` checks both stand-ins.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types


def urlretrieve(*args, **kwargs):
    """`urllib.request.urlretrieve`, imported when called."""
    from urllib.request import urlretrieve as real

    return real(*args, **kwargs)


class _LazyAsyncio(types.ModuleType):
    """Stands for asyncio inside `cached_property`: exact answers, the real module only when needed."""

    def __init__(self) -> None:
        super().__init__("asyncio")

    @staticmethod
    def iscoroutinefunction(func) -> bool:
        if not inspect.iscoroutinefunction(func) and getattr(func, "_is_coroutine", None) is None:
            return False  # what asyncio.iscoroutinefunction says too, without loading it
        return importlib.import_module("asyncio").iscoroutinefunction(func)

    def __getattr__(self, name: str):
        return getattr(importlib.import_module("asyncio"), name)


def load() -> None:
    """Import `whoosh.compat` and `cached_property` without `urllib.request` and `asyncio` (once)."""
    _with_stand_in("whoosh.compat", "urllib.request", _url_stand_in)
    _with_stand_in("cached_property", "asyncio", _LazyAsyncio)


def _url_stand_in() -> types.ModuleType:
    module = types.ModuleType("urllib.request")
    module.urlretrieve = urlretrieve
    return module


def _with_stand_in(target: str, package: str, make) -> None:
    """Import `target` while `package` is a stand-in in `sys.modules`; then take the stand-in out."""
    if target in sys.modules or package in sys.modules:
        return
    stand_in = make()
    sys.modules[package] = stand_in
    try:
        importlib.import_module(target)
    finally:
        if sys.modules.get(package) is stand_in:
            del sys.modules[package]
        parent, _, child = package.rpartition(".")
        if parent and getattr(sys.modules.get(parent), child, None) is stand_in:
            delattr(sys.modules[parent], child)
