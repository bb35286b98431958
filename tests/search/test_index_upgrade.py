"""An index made by an earlier release is rebuilt with a notice, never reported as damaged."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from tui.service import open_service
from tui.search.schema import SCHEMA_VERSION

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture()
def release_v01(tmp_path):
    """A data directory holding the library and the index-v1/ that version 0.1 made."""
    with tarfile.open(DATA / "library-v0.1.tar.gz") as archive:
        archive.extractall(tmp_path, filter="data")
    return tmp_path


def test_the_previous_schema_is_rebuilt_with_a_notice(release_v01):
    old = json.loads((release_v01 / "index-v1" / "index_meta.json").read_text())
    assert old["schema_version"] < SCHEMA_VERSION
    backend = open_service(release_v01, backup=False)
    try:
        notice = backend.upkeep.ensure()
        assert notice.startswith("index schema changed: rebuilt the search index")
        assert "damaged" not in notice
        expected = json.loads((DATA / "library-v0.1.expected.json").read_text())
        starred = {hit.id for hit in backend.upkeep.index.search("is:starred").hits}
        assert starred == set(expected["starred"])
        assert backend.upkeep.ensure() is None  # and from then on it simply opens
    finally:
        backend.close()


def test_the_readme_example_offers_a_correction_on_the_seed_library(tmp_path):
    backend = open_service(tmp_path, backup=False)
    try:
        backend.import_seeds_if_empty()
        backend.upkeep.ensure()
        result = backend.upkeep.index.search("atention transfromers")
        assert result.suggestion is not None and result.suggestion.startswith("attention transform")
        assert "did you mean" in result.hint
    finally:
        backend.close()
