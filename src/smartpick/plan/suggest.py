"""Changes worth trying when the chance of matching is very low.

When a plan's P(match) is under :data:`~smartpick.plan.recommend.LOW_CHANCE` and the request
asked for no what-ifs of its own, a small fixed set of changes is planned automatically, each
at the plan's own cost (as every profile what-if, :mod:`smartpick.plan.whatif`), and returned
best first:

- three more months of hands-on US clinical experience in the primary specialty;
- ten more points on Step 2 CK (when the profile has a score under 290);
- a Step 3 pass (when the profile has no Step 3 result);
- Family Medicine as a backup specialty (when it is not a target already).

The set is bounded in time: changes are tried in that order until :data:`SUGGEST_SECONDS`
have passed, so a slow machine shows fewer changes, never a slower page by much.
"""

from __future__ import annotations

import time

from smartpick.applicant.profile import Profile
from smartpick.errors import InputError
from smartpick.plan.planner import PlanContext, PlanOptions
from smartpick.plan.recommend import is_low
from smartpick.plan.result import PlanResult, WhatIf
from smartpick.plan.whatif import Solved, what_ifs

SUGGEST_SECONDS = 10.0
BACKUP = "Family Medicine"


def changes_to_try(profile: Profile) -> list[str]:
    """The fixed set of changes that apply to this profile, in the order they are tried."""
    out = ["usce:+3m-hands-on"]
    score = profile.exams.step2ck
    if isinstance(score, int) and score < 290:
        out.append("step2ck:+10")
    if profile.exams.step3 is None:
        out.append("step3:pass")
    if BACKUP not in profile.target_specialties():
        out.append(f'add-specialty:"{BACKUP}"')
    return out


def with_suggestions(profile: Profile, opts: PlanOptions, plan: PlanResult,
                     context: PlanContext, asked: list[str], solved: Solved,
                     seconds: float = SUGGEST_SECONDS) -> PlanResult:
    """``plan`` with ``suggestions`` filled when its chance is very low and nothing was asked;
    ``solved``: the plan's problem and search result (the changes start there)."""
    if asked or not plan.programs or not is_low(plan.p_match):
        return plan
    found: list[WhatIf] = []
    deadline = time.monotonic() + seconds
    for change in changes_to_try(profile):
        if time.monotonic() > deadline:
            break
        try:
            found += what_ifs(profile, [change], opts, plan, context, solved)
        except InputError:
            continue  # a change this profile cannot take
    found.sort(key=lambda w: -w.delta_p_match)
    return plan.model_copy(update={"suggestions": found})
