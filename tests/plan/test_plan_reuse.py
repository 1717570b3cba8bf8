"""Candidates, verdicts and chances are read once and reused, without changing any answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartpick.applicant.load import load_profile
from smartpick.applicant.seasons import load_season
from smartpick.catalog.store import Catalog, open_catalog
from smartpick.plan.candidates import pool_for
from smartpick.plan.planner import PlanOptions, build_plan
from smartpick.plan.whatif import what_ifs
from smartpick.rules.check import check_all
from smartpick.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def catalog(built_catalog: Settings) -> Catalog:
    return open_catalog(built_catalog)


@pytest.mark.parametrize("name", ["strong_non_us_img_im", "weak_non_us_img_im", "us_md_im",
                                  "us_img_fm"])
def test_pooled_verdicts_equal_checking_every_program(catalog, name):
    profile = load_profile(EXAMPLES / f"{name}.yaml")
    season = load_season(2026)
    pool = pool_for(catalog)
    for specialty in ("Internal Medicine", "Family Medicine"):
        found = pool.specialty(specialty)
        assert list(pool.verdicts(profile, specialty, season)) == check_all(
            profile, list(found.programs), season)


def test_budget_what_if_reuses_the_plan_and_matches_a_fresh_plan(catalog):
    profile = load_profile(EXAMPLES / "us_md_im.yaml")
    opts = PlanOptions(max_programs=15)
    base = build_plan(profile, opts, catalog)
    [row] = what_ifs(profile, ["budget:250"], opts, base)
    fresh = build_plan(profile, PlanOptions(max_programs=15, budget_usd=250), catalog)
    assert row["p_match"] == pytest.approx(round(fresh.p_match, 4))
    assert row["cost_usd"] == fresh.cost_usd
    again = build_plan(profile, PlanOptions(max_programs=15, budget_usd=250), reuse=base.context)
    assert base.context is not None and again.context is not None
    shared = {id(part) for part in base.context.parts.values()}
    assert all(id(part) in shared for part in again.context.parts.values())
    assert again.p_match == pytest.approx(fresh.p_match)
