"""Candidates, verdicts and chances are read once and reused, without changing any answer."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from smartpick.applicant.load import load_profile
from smartpick.applicant.seasons import load_season
from smartpick.plan.candidates import CandidatePool
from smartpick.plan.planner import PlanContext, PlanOptions, build_plan
from smartpick.plan.whatif import what_ifs
from smartpick.rules.check import check_all
from smartpick.services import Planner, PlanRequest
from smartpick.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("name", ["strong_non_us_img_im", "weak_non_us_img_im", "us_md_im",
                                  "us_img_fm"])
def test_pooled_verdicts_equal_checking_every_program(context: PlanContext, name):
    profile = load_profile(EXAMPLES / f"{name}.yaml")
    season = load_season(2026, context.data_dir)
    pool = context.pool
    for specialty in ("Internal Medicine", "Family Medicine"):
        found = pool.specialty(specialty)
        assert list(pool.verdicts(profile, specialty, season)) == check_all(
            profile, list(found.programs), season)


def test_budget_what_if_reuses_the_plan_and_matches_a_fresh_plan(built_catalog: Settings):
    planner = Planner(built_catalog)
    context = planner.context
    profile = load_profile(EXAMPLES / "us_md_im.yaml")
    opts = PlanOptions(max_programs=15)
    base = build_plan(profile, opts, context)
    parts = {id(p) for p in context.parts()}
    [row] = what_ifs(profile, ["budget:250"], opts, base, context)
    assert {id(p) for p in context.parts()} == parts  # nothing drawn again
    fresh = build_plan(profile, PlanOptions(max_programs=15, budget_usd=250),
                       Planner(built_catalog).context)
    assert row.p_match == fresh.p_match
    assert row.cost_usd == fresh.cost_usd


def test_the_pool_keeps_a_bounded_number_of_verdict_sets(context: PlanContext):
    pool = CandidatePool(context.pool.catalog, context.pool.model, kept_applicants=2)
    season = load_season(2026, context.data_dir)
    for name in ("strong_non_us_img_im", "weak_non_us_img_im", "us_md_im"):
        pool.verdicts(load_profile(EXAMPLES / f"{name}.yaml"), "Internal Medicine", season)
    assert len(pool._verdicts) == 2


def test_plans_in_parallel_threads_agree_with_a_plan_alone(built_catalog: Settings):
    planner = Planner(built_catalog, kept_plans=0)
    names = ["us_md_im", "weak_non_us_img_im", "us_md_im", "weak_non_us_img_im"]
    requests = [PlanRequest(profile=load_profile(EXAMPLES / f"{n}.yaml"), max_programs=10)
                for n in names]
    results: list[object] = [None] * len(requests)

    def run(i: int) -> None:
        results[i] = planner.plan(requests[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    alone = Planner(built_catalog).plan(requests[0])
    assert results[0] == alone and results[2] == alone
    assert results[1] == results[3]


def test_prepared_candidates_on_disk_equal_a_fresh_read(built_catalog: Settings, tmp_path):
    from dataclasses import replace as with_home

    settings = with_home(built_catalog, home=tmp_path)
    first = Planner(settings).context.pool
    made = first.specialty("Family Medicine")
    assert first.disk is not None and first.disk.path("Family Medicine").is_file()
    again = Planner(settings).context.pool  # a new process would start like this
    kept = again.specialty("Family Medicine")
    assert again._catalog is not None and callable(again._catalog)  # catalog never opened
    assert kept.programs == made.programs and kept.requirements == made.requirements
    assert kept.same_rules == made.same_rules
    for name in ("img", "ipp", "pos", "fill", "j1", "h1b", "alpha", "gamma"):
        assert (getattr(kept.arrays, name) == getattr(made.arrays, name)).all()
