"""Settings tests never see a PAPER_READER_CONFIG from the environment they run in."""

import pytest


@pytest.fixture(autouse=True)
def no_config_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAPER_READER_CONFIG", raising=False)
