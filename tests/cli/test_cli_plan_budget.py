"""`smartpick plan --budget` is the applicant's whole budget: the once-a-season fees come out
of it first, and a budget that does not cover them is refused in words."""

from __future__ import annotations

import json

import pytest
from tests.conftest import STRONG, US_MD, run_cli

from smartpick.settings import Settings


def test_program_fees_and_once_a_season_fees_fit_the_budget_together(strong_plan: dict) -> None:
    # ECFMG token $165 + USMLE transcript $80 + NRMP registration $70
    assert strong_plan["fixed_fees_usd"] == 315
    assert strong_plan["budget_usd"] == 1000 and strong_plan["program_budget_usd"] == 685
    assert strong_plan["cost_usd"] + strong_plan["fixed_fees_usd"] <= 1000
    assert strong_plan["cost_usd"] > 685 - 30  # the money left is spent, to one program's fee


def test_the_table_says_how_the_budget_is_split(built_catalog: Settings) -> None:
    result = run_cli(built_catalog, "plan", STRONG, "--budget", "1000")
    assert result.exit_code == 0, result.output
    assert "of your $1,000 budget, $315 goes to once-a-season fees" in result.output
    assert "$685 is for programs" in result.output


def test_a_us_graduate_pays_no_ecfmg_token(built_catalog: Settings) -> None:
    result = run_cli(built_catalog, "plan", US_MD, "--budget", "500", "--format", "json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    assert plan["fixed_fees_usd"] == 150 and plan["program_budget_usd"] == 350
    assert plan["cost_usd"] + 150 <= 500
    assert not any("ECFMG" in n for n in plan["notes"])


@pytest.mark.parametrize("budget", ["0", "200", "314"])
def test_a_budget_below_the_once_a_season_fees_is_refused_in_words(built_catalog: Settings,
                                                                   budget: str) -> None:
    result = run_cli(built_catalog, "plan", STRONG, "--budget", budget)
    assert result.exit_code != 0
    assert "does not cover the once-a-season fees ($315)" in result.output
    assert "at least $326" in result.output  # $315 + the first program's $11
    assert "Traceback" not in result.output


def test_a_budget_that_leaves_too_little_for_one_program_says_so(built_catalog: Settings) -> None:
    result = run_cli(built_catalog, "plan", STRONG, "--budget", "320")
    assert result.exit_code == 0, result.output
    assert "leaves $5 for programs, which buys no application" in result.output
