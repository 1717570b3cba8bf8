"""`smartpick plan` advises the list up to the point of diminishing returns, says what the rest
of the budget would add, and for a very low chance tries the changes that help most."""

from __future__ import annotations

import json
import re

import pytest
from tests.conftest import EXAMPLES, STRONG, WEAK, run_cli

from smartpick.cli.plan import _advice
from smartpick.plan.result import PlanResult, Recommendation
from smartpick.settings import Settings


def _json_and_table(settings: Settings, profile: str) -> tuple[dict, str]:
    data = run_cli(settings, "plan", profile, "--format", "json")
    text = run_cli(settings, "plan", profile)
    assert data.exit_code == 0 and text.exit_code == 0, data.output + text.output
    return json.loads(data.output), text.output


@pytest.fixture(scope="module")
def strong(built_catalog: Settings) -> tuple[dict, str]:
    return _json_and_table(built_catalog, STRONG)


@pytest.fixture(scope="module")
def weak(built_catalog: Settings) -> tuple[dict, str]:
    return _json_and_table(built_catalog, WEAK)


def test_a_strong_list_is_advised_up_to_its_point_of_diminishing_returns(strong) -> None:
    plan, text = strong
    rec = plan["recommendation"]
    assert rec["n"] == plan["diminishing_returns"]["n"] < len(plan["programs"])
    assert rec["rest_programs"] == len(plan["programs"]) - rec["n"]
    assert rec["rest_cost_usd"] == plan["cost_usd"] - rec["cost_usd"]
    assert rec["rest_adds"] == pytest.approx(plan["p_match"] - rec["p_match"], abs=1e-6)
    assert f"Our advice: apply to the first {rec['n']} programs (${rec['cost_usd']:,}" in text
    left = plan["program_budget_usd"] - rec["cost_usd"]
    assert f"Spending the remaining ${left:,.0f} of your budget on the other " \
           f"{rec['rest_programs']} programs of the list would add" in text
    assert not plan["low_chance"] and plan["suggestions"] == []


def test_a_very_low_chance_is_said_plainly_with_the_changes_that_help_most(weak) -> None:
    plan, text = weak
    assert plan["low_chance"] and plan["p_match"] < 0.2
    assert "Your chance of matching is very low" in text
    gains = [w["delta_p_match"] for w in plan["suggestions"]]
    assert len(gains) >= 3 and gains == sorted(gains, reverse=True)
    assert {w["change"] for w in plan["suggestions"]} >= {"usce:+3m-hands-on", "step3:pass"}
    assert "Changes that help most" in text
    assert "P(match) 0%" not in text  # a small chance keeps its decimal
    advice = next(line for line in text.splitlines() if line.startswith("Our advice"))
    assert plan["recommendation"]["n"] > 1 and "first program only" not in advice
    assert "holds 80% of its chance of matching" in advice
    assert "already give" not in text  # no second rule beside the low-chance one


def test_counts_are_never_written_1_programs(weak, strong) -> None:
    for _, text in (weak, strong):
        assert not re.search(r"\b1 programs\b", text)
    rec = Recommendation(n=1, cost_usd=11, p_match=0.001, rest_programs=1, rest_cost_usd=11,
                         rest_adds=0.0005, rule="a rule")
    plan = PlanResult.model_validate({**strong[0], "recommendation": rec.model_dump(),
                                      "program_budget_usd": 22.0})
    lines = "\n".join(_advice(plan))
    assert "apply to the first program only" in lines
    assert "on the last program of the list would add" in lines


def test_asked_what_ifs_replace_the_automatic_ones(built_catalog: Settings) -> None:
    result = run_cli(built_catalog, "plan", WEAK, "--format", "json", "--what-if", "step3:pass")
    plan = json.loads(result.output)
    assert [w["change"] for w in plan["what_if"]] == ["step3:pass"]
    assert plan["suggestions"] == []


def test_the_table_has_a_visa_column_and_a_place_for_every_program(
        built_catalog: Settings) -> None:
    result = run_cli(built_catalog, "plan", str(EXAMPLES / "us_img_fm.yaml"), "--budget", "600")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = next(line for line in lines if line.startswith("#  "))
    assert "visa" in header.split()
    rows = [line for line in lines if re.match(r"^\d+\s", line)]
    assert rows and all(re.search(r"J-1 (yes|no|\?), H-1B (yes|no|\?)", r) for r in rows)
    assert not any(re.search(r"\s\?\s+[A-Z]{2}\s", r) for r in rows)  # no bare "?" city
