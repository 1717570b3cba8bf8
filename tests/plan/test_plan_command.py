"""`smartpick plan` on the bundled example profiles, against the shipped catalog."""

from __future__ import annotations

import json

import pytest
from tests.conftest import STRONG, run_cli

from smartpick.plan.fees import fee_table
from smartpick.plan.signals import signal_rule
from smartpick.settings import Settings


def test_plan_json_keeps_the_contract(strong_plan):
    for key in ("season", "p_match", "p_match_interval", "expected_interviews", "cost_usd",
                "programs", "curve", "excluded", "what_if"):
        assert key in strong_plan
    first = strong_plan["programs"][0]
    for key in ("program_id", "name", "specialty", "state", "tier", "p_interview",
                "p_interview_interval", "marginal_p_match", "signal", "verdict", "reasons"):
        assert key in first
    lo, hi = strong_plan["p_match_interval"]
    assert lo <= strong_plan["p_match"] <= hi
    point = strong_plan["diminishing_returns"]
    assert point is not None and point in strong_plan["curve"]


def test_plan_respects_budget_fees_signals_and_verdicts(strong_plan):
    programs = strong_plan["programs"]
    assert strong_plan["cost_usd"] <= 1000
    counts: dict[str, int] = {}
    for p in programs:
        counts[p["specialty"]] = counts.get(p["specialty"], 0) + 1
    assert strong_plan["cost_usd"] == fee_table(2026).schedule.list_cost(counts)
    for specialty in counts:
        rule = signal_rule(specialty, 2026)
        signals = [p["signal"] for p in programs if p["specialty"] == specialty]
        assert signals.count("gold") <= rule.gold and signals.count("silver") <= rule.silver
    assert {p["verdict"] for p in programs} <= {"eligible", "unverified"}
    excluded = {e["program_id"] for e in strong_plan["excluded"]}
    assert not excluded & {p["program_id"] for p in programs}
    chosen = [c for c in strong_plan["curve"] if c["chosen"]]
    assert len(chosen) == len(programs)
    assert chosen[-1]["p_match"] == pytest.approx(strong_plan["p_match"], abs=1e-4)
    curve = [c["p_match"] for c in strong_plan["curve"]]
    assert curve == sorted(curve)


def test_bad_options_and_what_ifs_give_a_clear_error(built_catalog: Settings):
    bad = run_cli(built_catalog, "plan", STRONG, "--target", "1.5")
    assert bad.exit_code == 2 and "--target" in bad.output
    wrong = run_cli(built_catalog, "plan", STRONG, "--what-if", "usce:lots")
    assert wrong.exit_code == 2 and "what_if" in wrong.output
    assert "Traceback" not in wrong.output


def test_programs_in_an_avoided_state_never_appear(built_catalog: Settings, tmp_path):
    import yaml

    with open(STRONG, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    data["preferences"]["avoid_states"] = ["NY"]
    data["preferences"]["states"] = [s for s in data["preferences"]["states"] if s != "NY"]
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = run_cli(built_catalog, "plan", str(path), "--max-programs", "30", "--format", "json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    assert plan["programs"] and all(p["state"] != "NY" for p in plan["programs"])
    assert any(e["rule"] == "avoid_states" for e in plan["excluded"])
