"""Whoosh loaded without urllib.request and asyncio: the stand-ins answer as the real modules do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_search_room_loads_neither_urllib_request_nor_asyncio() -> None:
    out = _run("import sys, tui.search, tui.service; "
               "print(sorted(m for m in ('asyncio', 'urllib.request', 'http.client', 'ssl') if m in sys.modules))")
    assert out == "[]"


def test_both_are_the_real_modules_when_imported_later() -> None:
    out = _run(
        "import tui.search, urllib, urllib.request, asyncio, whoosh.compat, cached_property\n"
        "assert urllib.request.urlopen and urllib.request.Request and urllib.request is urllib.__dict__['request']\n"
        "assert asyncio.run(asyncio.sleep(0, 'ran')) == 'ran'\n"
        "async def coroutine(): pass\n"
        "def plain(): pass\n"
        "lazy = cached_property.asyncio\n"
        "assert lazy.iscoroutinefunction(coroutine) and not lazy.iscoroutinefunction(plain)\n"
        "assert lazy.ensure_future is asyncio.ensure_future\n"
        "assert whoosh.compat.urlretrieve.__module__ == 'tui.search.lean_whoosh'\n"
        "print('ok')")
    assert out == "ok"


def test_a_cached_property_still_caches_and_a_coroutine_one_still_gives_a_future() -> None:
    out = _run(
        "import tui.search, asyncio\n"
        "from cached_property import cached_property\n"
        "class Box:\n"
        "    calls = 0\n"
        "    @cached_property\n"
        "    def value(self):\n"
        "        Box.calls += 1\n"
        "        return 42\n"
        "    @cached_property\n"
        "    async def later(self):\n"
        "        return 7\n"
        "box = Box()\n"
        "assert (box.value, box.value, Box.calls) == (42, 42, 1)\n"
        "async def main():\n"
        "    return await box.later\n"
        "assert asyncio.run(main()) == 7\n"
        "print('ok')")
    assert out == "ok"


def test_nothing_is_stood_in_for_once_asyncio_is_loaded() -> None:
    out = _run("import asyncio, tui.search, cached_property; print(cached_property.asyncio is asyncio)")
    assert out == "True"
