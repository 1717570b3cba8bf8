"""The program answer lists the program's NRMP tracks on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from smartpick.catalog.build import build
from smartpick.catalog.store import open_catalog
from smartpick.services.answers import program_detail
from smartpick.settings import Settings


def test_a_program_answer_holds_its_tracks(database_url: str, fixture_data: Path,
                                           tmp_path: Path) -> None:
    settings = Settings(database_url=database_url, data_dir=fixture_data, home=tmp_path)
    build(settings)
    detail = program_detail(open_catalog(settings), "1401621130")  # Advocate Lutheran General
    tracks = {t["program_id"]: t for t in detail["tracks"]}
    assert set(tracks) == {"2117140C1", "2117140P1"}
    assert tracks["2117140C1"]["track_type"] == "Categorical"
    assert tracks["2117140P1"]["track_type"] == "Preliminary"
    assert tracks["2117140C1"]["title"] == "Internal Medicine/ALGH"
    assert "acronym ALGH" in tracks["2117140C1"]["link_method"]
    assert detail["fields"]["positions"]["value"] == tracks["2117140C1"]["positions"]
