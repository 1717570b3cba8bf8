"""Season calendars as data, and the ledger laid against them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from smartpick.applicant import load_season, parse_profile
from smartpick.applicant.seasons import MILESTONES, available_seasons
from smartpick.applicant.timeline import AS_UPDATE, IN_APPLICATION, TOO_LATE, build_timeline
from smartpick.errors import DataError, NotFoundError


@pytest.mark.parametrize("year", [2025, 2026])
def test_each_date_is_sourced_or_marked_estimated(year: int) -> None:
    season = load_season(year)
    assert [m.name for m in season.milestones] == list(MILESTONES)
    dates = [m.date for m in season.milestones]
    assert dates == sorted(dates), "milestones run in calendar order"
    for m in season.milestones:
        assert (m.status == "reported" and m.source) or (m.status == "estimated" and m.method)


def test_2026_season_dates() -> None:
    season = load_season(2026)
    assert season.application_date == date(2025, 9, 24)
    assert season.date("match_day") == date(2026, 3, 20)
    assert season.application_year == 2025
    assert 2025 in available_seasons() and 2026 in available_seasons()


def test_unknown_season_names_the_known_ones() -> None:
    with pytest.raises(NotFoundError) as err:
        load_season(1999)
    assert "2026" in err.value.problems[0].message


def test_reported_date_without_source_is_a_data_error(tmp_path: Path) -> None:
    folder = tmp_path / "seasons"
    folder.mkdir()
    items = "\n".join(f"  {n}: {{date: 2030-0{i + 1}-01, status: reported}}"
                      for i, n in enumerate(MILESTONES))
    (folder / "2031.yaml").write_text(f"season: 2031\nmilestones:\n{items}\n", encoding="utf-8")
    with pytest.raises(DataError):
        load_season(2031, data_dir=tmp_path)


def test_timeline_places_each_rotation_by_its_end_date() -> None:
    def rotation(end: str) -> dict[str, str | bool]:
        return {"kind": "hands_on", "specialty": "IM", "start": "2025-08-01", "end": end,
                "us_letter": True}

    profile = parse_profile({
        "applicant_type": "non_us_img", "graduation_year": 2022, "visa": "j1",
        "usce": [rotation("2025-09-24"), rotation("2025-09-25"), rotation("2026-03-05")]})
    line = build_timeline(profile, load_season(2026))
    lands = [r.lands for r in line.rows if r.lands]
    assert lands == [IN_APPLICATION, AS_UPDATE, TOO_LATE]
    notes = [r.detail for r in line.rows if r.lands]
    assert notes[0] == "US letter in time" and notes[1] == "US letter comes late"
    assert line.end_by == date(2025, 9, 24)
    assert "2025-09-24" in line.advice()
