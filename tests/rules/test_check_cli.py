"""`smartpick check` and `smartpick usce` against the real, built catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import US_MD, WEAK, run_cli

from smartpick.catalog.search import ProgramQuery
from smartpick.catalog.store import open_catalog
from smartpick.settings import Settings


def test_us_md_is_eligible_at_every_internal_medicine_program(built_catalog: Settings) -> None:
    result = run_cli(built_catalog, "check", US_MD, "--format", "json")
    assert result.exit_code == 0, result.output
    verdicts = json.loads(result.output)
    assert len(verdicts) > 500
    closed = [v for v in verdicts if v["verdict"] != "eligible"]
    assert len(closed) < 50
    for v in closed:  # only programs closed to everyone
        assert {r["rule"] for r in v["reasons"] if r["outcome"] == "missed"} <= {
            "not_accepting", "no_positions"}
    assert {v["specialty"] for v in verdicts} == {"Internal Medicine"}


def test_program_refusing_j1_excludes_a_j1_applicant_with_its_source(
        built_catalog: Settings) -> None:
    programs = open_catalog(built_catalog).search(ProgramQuery(specialty="Internal Medicine"))
    refusing = next(p for p in programs if p.value("visa_j1") is False)
    result = run_cli(built_catalog, "check", WEAK, "--program", refusing.program_id)
    assert result.exit_code == 0, result.output
    assert "INELIGIBLE" in result.output
    visa_line = next(line for line in result.output.splitlines() if line.startswith("Visa"))
    assert "missed (strict)" in visa_line and "J-1 not accepted" in visa_line
    assert refusing.fact("visa_j1").source[:20] in visa_line


def test_listing_counts_each_verdict(built_catalog: Settings) -> None:
    result = run_cli(built_catalog, "check", WEAK, "--specialty", "IM")
    assert result.exit_code == 0, result.output
    last = next(line for line in result.output.splitlines() if " programs: " in line)
    assert "eligible" in last and "ineligible" in last and "unverified" in last


def test_unknown_program_and_missing_specialty_exit_2(built_catalog: Settings,
                                                     tmp_path: Path) -> None:
    result = run_cli(built_catalog, "check", WEAK, "--program", "0000000000")
    assert result.exit_code == 2 and "no program" in result.output
    bare = tmp_path / "bare.yaml"
    bare.write_text("applicant_type: us_md\ngraduation_year: 2026\n", encoding="utf-8")
    result = run_cli(built_catalog, "check", str(bare))
    assert result.exit_code == 2 and "--specialty" in result.output


def test_usce_gaps_and_timeline_as_json(built_catalog: Settings) -> None:
    result = run_cli(built_catalog, "usce", WEAK, "--gaps", "--timeline", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["metrics"]["hands_on_months"] == 0 and data["metrics"]["total_months"] == 2
    (gap,) = data["gaps"]
    assert gap["specialty"] == "Internal Medicine" and gap["programs_checked"] > 500
    assert data["timeline"]["new_rotation_must_end_by"] == "2025-09-24"


@pytest.mark.parametrize("season", ["2025", "2026"])
def test_usce_table_with_reference_date_and_season(built_catalog: Settings,
                                                   season: str) -> None:
    result = run_cli(built_catalog, "usce", WEAK, "--timeline", "--season", season,
                 "--reference-date", "2024-09-01")
    assert result.exit_code == 0, result.output
    assert "As of 2024-09-01" in result.output and "Match Day" in result.output
