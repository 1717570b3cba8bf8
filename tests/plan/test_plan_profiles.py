"""Plans of the bundled example profiles: budgets spent where programs add, honest intervals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from smartpick.applicant.load import load_profile
from smartpick.plan.planner import PlanContext, PlanOptions, build_plan, list_interval
from smartpick.plan.result import PlanResult

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def weak_plan(context: PlanContext) -> PlanResult:
    return build_plan(load_profile(EXAMPLES / "weak_non_us_img_im.yaml"), PlanOptions(), context)


@pytest.fixture(scope="module")
def strong_plan(context: PlanContext) -> PlanResult:
    profile = load_profile(EXAMPLES / "strong_non_us_img_im.yaml")
    return build_plan(profile, PlanOptions(), context)


def test_weak_applicant_spends_the_budget_and_every_program_adds(weak_plan):
    assert weak_plan.stop_reason == "budget"
    assert weak_plan.budget_usd is not None and weak_plan.program_budget_usd is not None
    assert weak_plan.program_budget_usd == weak_plan.budget_usd - weak_plan.fixed_fees_usd
    assert weak_plan.program_budget_usd - 30 < weak_plan.cost_usd <= weak_plan.program_budget_usd
    p = np.array([c.p_match for c in weak_plan.curve])
    assert np.all(np.diff(p) > 0)
    assert all(row.marginal_p_match > 0 for row in weak_plan.programs)


def test_interval_of_a_two_specialty_plan_is_tight_and_below_certainty(strong_plan):
    assert {p.specialty for p in strong_plan.programs} >= {"Internal Medicine"}
    lo, hi = strong_plan.p_match_interval
    assert lo <= strong_plan.p_match <= hi
    assert hi < 0.99 and hi - lo < 0.4


def test_weak_interval_stays_near_its_small_estimate(weak_plan):
    lo, hi = weak_plan.p_match_interval
    assert 0.0 < lo <= weak_plan.p_match <= hi < 0.2


def test_a_backup_part_of_the_list_raises_both_bounds():
    rng = np.random.default_rng(3)
    primary = np.log1p(-rng.uniform(0.2, 0.6, size=(16, 9)))
    backup = np.log1p(-rng.uniform(0.1, 0.3, size=(16, 9)))
    alone = list_interval(1 - float(np.exp(primary).mean()), [primary])
    both = list_interval(1 - float(np.exp(primary + backup).mean()), [primary, backup])
    assert both[0] > alone[0] and both[1] > alone[1]
    assert both[1] < 1.0
