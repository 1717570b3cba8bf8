"""Candidates, verdicts and chances are read once and reused, without changing any answer."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from smartpick.applicant.load import load_profile
from smartpick.applicant.seasons import load_season
from smartpick.plan.candidates import CandidatePool
from smartpick.plan.planner import PlanContext, PlanOptions, build_plan
from smartpick.plan.whatif import _kept_candidates, apply_change, parse_change, solve, what_ifs
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


def test_budget_what_if_reuses_the_plan_and_agrees_with_a_fresh_plan(built_catalog: Settings):
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
    assert abs(row.p_match - fresh.p_match) <= 0.005
    assert row.cost_usd <= 250 and row.programs <= 15


@pytest.mark.parametrize("name", ["strong_non_us_img_im", "weak_non_us_img_im", "us_img_fm"])
def test_profile_what_ifs_agree_with_fresh_plans_at_the_same_cost(context: PlanContext, name):
    profile = load_profile(EXAMPLES / f"{name}.yaml")
    opts = PlanOptions()
    base = build_plan(profile, opts, context)
    changes = ["usce:+3m-hands-on", "step2ck:+10", "visa:none"]
    rows = what_ifs(profile, changes, opts, base, context)
    same_cost = replace(opts, budget_usd=float(base.cost_usd + base.fixed_fees_usd),
                        target_p_match=None, profile_limits=False)  # the budget holds both
    for text, row in zip(changes, rows, strict=True):
        changed, changed_opts = apply_change(profile, parse_change(text), same_cost)
        fresh = build_plan(changed, changed_opts, context)
        assert row.cost_usd <= base.cost_usd
        assert abs(row.p_match - fresh.p_match) <= 0.01, (text, row.p_match, fresh.p_match)


def test_a_profile_what_if_draws_chances_for_a_few_programs_and_keeps_none(
        context: PlanContext):
    profile = load_profile(EXAMPLES / "strong_non_us_img_im.yaml")
    solved = solve(profile, PlanOptions(), context)
    kept = [id(p) for p in context.parts()]
    [row] = what_ifs(profile, ["step2ck:+10"], PlanOptions(), solved.plan, context, solved)
    assert [id(p) for p in context.parts()] == kept  # the changed applicant's parts not kept
    planned = sum(len(p.programs) for p in solved.problem.parts)
    keep = _kept_candidates(solved, context)
    assert sum(len(s.index) for s in keep.values()) < planned  # chances for fewer programs
    assert row.delta_p_match > 0


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


@pytest.mark.parametrize("name", ["strong_non_us_img_im", "weak_non_us_img_im", "us_md_im",
                                  "us_img_fm"])
def test_more_usce_or_a_step3_pass_never_shows_a_lower_chance(context: PlanContext, name):
    profile = load_profile(EXAMPLES / f"{name}.yaml")
    base = build_plan(profile, PlanOptions(), context)
    rows = what_ifs(profile, ["usce:+3m-hands-on", "step3:pass"], PlanOptions(), base, context)
    for row in rows:  # the plan's own list is still there, on the same scenario draws
        assert row.delta_p_match >= 0, (row.change, row.delta_p_match)
        assert row.cost_usd <= base.cost_usd


def test_a_change_the_model_ignores_shows_exactly_the_plan(context: PlanContext):
    # USCE and Step 3 move no chance of a US MD senior: the what-if is the plan itself
    profile = load_profile(EXAMPLES / "us_md_im.yaml")
    base = build_plan(profile, PlanOptions(), context)
    rows = what_ifs(profile, ["usce:+3m-hands-on", "step3:pass"], PlanOptions(), base, context)
    for row in rows:
        assert (row.p_match, row.delta_p_match, row.cost_usd, row.programs) == \
            (base.p_match, 0.0, base.cost_usd, len(base.programs)), row.change
