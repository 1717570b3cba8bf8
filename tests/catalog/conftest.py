"""A catalog data folder ingested from the small raw fixtures, shared by the catalog tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartpick.catalog.ingest.pipeline import ingest, write_outputs

RAW = Path(__file__).parent.parent / "fixtures" / "raw"


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The catalog files the ingest writes from the raw fixtures (once per test module)."""
    data_dir = tmp_path_factory.mktemp("data")
    write_outputs(ingest(RAW), data_dir / "catalog")
    return data_dir
