"""Pictures of the main screens, so a change to the UI shows up as a picture diff.

Rendered at 120x36 and 80x24 from the seed library; update with
`pytest tests/ui/test_snapshots.py --snapshot-update` after looking at the report.
"""

from __future__ import annotations

import pytest

from test_app_support import fresh_backend, settle  # noqa: F401
from test_app_support import seeded_home, seeded_template  # noqa: F401  (fixtures)
from tui.ui.app import PaperReaderApp


async def _settled(pilot) -> None:
    await settle(pilot)
    pilot.app.screen.focused.blur() if pilot.app.screen.focused is not None else None
    await pilot.pause()


def _keys_then_settle(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
        await _settled(pilot)
    return run_before


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
@pytest.mark.parametrize(("name", "keys"), [
    ("inbox", ()),
    ("search", ("slash", *"graph neural", "enter")),
    ("abstract", ("j", "enter")),
    ("help", ("question_mark",)),
])
def test_main_screens_look_as_recorded(snap_compare, seeded_home, name, keys, size) -> None:
    app = PaperReaderApp(fresh_backend(seeded_home))
    assert snap_compare(app, terminal_size=size, run_before=_keys_then_settle(*keys))
