"""A strict rule the applicant misses on a fact that cannot exclude (inferred, estimated,
disputed or read by the automatic reader) keeps the program in the plan but lowers its chance:
the planner counts it as the chance that the rule holds, and says so in the program's reasons."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from smartpick.applicant.load import load_profile
from smartpick.model.scenarios import draw_signal_scenarios
from smartpick.plan.chances import chance_factors
from smartpick.plan.planner import PlanOptions, build_plan, plan_problem
from smartpick.services import Planner
from smartpick.settings import Settings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "strong_non_us_img_im.yaml"


@pytest.fixture(scope="module")
def h1b_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8").replace("visa: j1_or_h1b", "visa: h1b")
    assert "visa: h1b" in text
    path = tmp_path_factory.mktemp("profiles") / "h1b.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_doubtful_programs_are_kept_with_a_lower_chance(built_catalog: Settings,
                                                         h1b_profile: Path) -> None:
    planner = Planner(built_catalog)
    profile, options = load_profile(h1b_profile), PlanOptions()
    problem = plan_problem(profile, options, planner.context)
    doubtful = 0
    for part in problem.parts:
        factor = chance_factors(part.verdicts)
        assert np.all((factor > 0.0) & (factor <= 1.0))
        doubtful += int(np.sum(factor < 1.0))
        raw = draw_signal_scenarios(part.features, part.arrays, options.n_scenarios,
                                    options.seed, part.misses, planner.context.pool.model.params,
                                    outcome="prob")
        for kind in ("none", "silver", "gold"):
            assert np.allclose(part.scenarios[kind], np.asarray(raw[kind]) * factor[None, :])
    assert doubtful > 0, "the H-1B profile meets programs whose H-1B 'no' is only inferred"
    excluded = {e.program_id for e in problem.excluded}
    kept = {p.program_id for part in problem.parts for p, f in
            zip(part.programs, chance_factors(part.verdicts), strict=True) if f < 1.0}
    assert not kept & excluded

    plan = build_plan(profile, options, planner.context)
    marked = [p for p in plan.programs if any("counted at" in r for r in p.reasons)]
    for p in marked:
        assert p.verdict == "unverified"
        assert p.p_interview_interval[1] <= 1.0
    assert {p.program_id for p in marked} <= kept
