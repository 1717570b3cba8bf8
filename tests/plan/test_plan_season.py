"""Plans for the coming season, with the age of their facts, and the advice around the list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from tests.conftest import cli_env

from smartpick.cli import cli
from smartpick.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STRONG = str(EXAMPLES / "strong_non_us_img_im.yaml")
ON_2026_11_30 = {"SMARTPICK_TODAY": "2026-11-30"}


def run(settings: Settings, *args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), env={**cli_env(settings), **(env or {})})
    assert result.exit_code == 0, result.output
    return result


def plan_json(settings: Settings, *args: str, env: dict[str, str] | None = None) -> dict:
    return json.loads(run(settings, "plan", *args, "--format", "json", env=env).output)


@pytest.fixture(scope="module")
def plan_2028(built_catalog: Settings) -> dict:
    return plan_json(built_catalog, STRONG, "--budget", "615", env=ON_2026_11_30)


def test_on_2026_11_30_the_plan_is_for_match_2028(plan_2028: dict) -> None:
    assert plan_2028["season"] == 2028
    assert not any("passed" in w for w in plan_2028["warnings"])
    assert "fees of season 2028 (carried forward from 2026, not yet published" \
        in " ".join(plan_2028["notes"])


def test_every_program_says_how_old_its_facts_are(plan_2028: dict) -> None:
    assert plan_2028["programs"]
    for program in plan_2028["programs"]:
        assert program["data_as_of"] and program["data_as_of"][:2] == "20"
    names = {s["name"] for s in plan_2028["sources"]}
    assert any(n.startswith("AMA FREIDA program survey") for n in names)
    assert any(n.startswith("NRMP Charting Outcomes") for n in names)
    assert all({"name", "as_of"} <= set(s) for s in plan_2028["sources"])
    oldest_program = min(p["data_as_of"] for p in plan_2028["programs"])
    assert min(s["as_of"] for s in plan_2028["sources"] if s["as_of"]) <= oldest_program
    assert plan_2028["facts_as_of"].startswith("Facts as of: ")
    assert "AMA FREIDA program survey 2025-" in plan_2028["facts_as_of"]


def test_a_season_whose_window_passed_says_so_at_the_top(built_catalog: Settings) -> None:
    text = run(built_catalog, "plan", STRONG, "--budget", "515", "--season", "2027",
               env=ON_2026_11_30).output
    first = text.splitlines()[0]
    assert first.startswith("WARNING: Match 2027") and "2026-09-23" in first
    assert "window has passed" in first
    assert "Facts as of: " in text.splitlines()[3]  # after the fees line
    data = plan_json(built_catalog, STRONG, "--budget", "515", "--season", "2027",
                     env=ON_2026_11_30)
    assert data["season"] == 2027 and "window has passed" in data["warnings"][0]


def test_the_today_option_matches_the_environment(built_catalog: Settings) -> None:
    data = json.loads(run(built_catalog, "--today", "2026-11-30", "plan", STRONG, "--budget",
                          "415", "--format", "json").output)
    assert data["season"] == 2028


def test_max_programs_holds_under_a_budget(built_catalog: Settings) -> None:
    data = plan_json(built_catalog, STRONG, "--max-programs", "20")
    assert data["budget_usd"] == 3000  # the profile's budget applies
    assert len(data["programs"]) == 20 and data["stop_reason"] == "max_programs"


def test_a_zero_budget_explains_itself(built_catalog: Settings) -> None:
    refused = CliRunner().invoke(cli, ["plan", STRONG, "--budget", "0"],
                                 env=cli_env(built_catalog))
    assert refused.exit_code == 2
    assert "a budget of $0 does not cover the once-a-season fees ($315)" in refused.output
    text = run(built_catalog, "plan", STRONG, "--budget", "320").output
    assert text.startswith("WARNING: After the once-a-season fees ($315), your budget leaves $5")
    assert "(no program in the list)" in text


def test_us_md_plan_has_no_img_fee(built_catalog: Settings) -> None:
    data = plan_json(built_catalog, str(EXAMPLES / "us_md_im.yaml"), "--budget", "200")
    assert not any("ECFMG" in note for note in data["notes"])


def test_one_kind_of_signal_is_not_called_gold(built_catalog: Settings, tmp_path: Path) -> None:
    profile = tmp_path / "fm.yaml"
    profile.write_text("applicant_type: us_img\ngraduation_year: 2023\nexams: {step1: pass, "
                       "step2ck: 235}\ntargets: [{specialty: Family Medicine}]\n",
                       encoding="utf-8")
    data = plan_json(built_catalog, str(profile), "--budget", "615")
    signals = {p["signal"] for p in data["programs"]}
    assert "signal" in signals and not signals & {"gold", "silver"}


def test_h1b_without_step3_is_warned(built_catalog: Settings, tmp_path: Path) -> None:
    profile = tmp_path / "h1b.yaml"
    profile.write_text("applicant_type: non_us_img\ngraduation_year: 2022\nvisa: h1b\n"
                       "exams: {step1: pass, step2ck: 245}\n"
                       "targets: [{specialty: Internal Medicine}]\n", encoding="utf-8")
    data = plan_json(built_catalog, str(profile), "--budget", "515")
    assert any("H-1B" in w and "Step 3" in w for w in data["warnings"])


def test_an_all_reach_list_gets_tiers_relative_to_the_applicant(built_catalog: Settings) -> None:
    data = plan_json(built_catalog, str(EXAMPLES / "weak_non_us_img_im.yaml"))
    tiers = {p["tier"] for p in data["programs"]}
    assert tiers == {"reach: best odds", "reach: middle", "reach: long shot"}
    assert any("Every program on this list is a reach" in w for w in data["warnings"])


def test_rules_line_counts_only_rules_that_apply(plan_2028: dict) -> None:
    line = plan_2028["programs"][0]["reasons"][0]
    assert line.startswith("rules that apply: ") and "not stated by the program" in line
