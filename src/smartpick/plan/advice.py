"""Plain advice around a plan: warnings for the top of every face, and tiers that still say
something when every program is a reach.

Warnings: the season's application window has passed; an H-1B applicant without Step 3
(most programs sponsoring H-1B require it passed before the visa can be filed); a budget
that, after the once-a-season fees, is too small to buy a single application.
"""

from __future__ import annotations

from smartpick.applicant.profile import Profile
from smartpick.applicant.seasons import Season, season_warning
from smartpick.plan.fees import FeeTable
from smartpick.plan.optimize import Limits
from smartpick.plan.result import PlannedProgram

RELATIVE_TIERS = ("best odds", "middle", "long shot")  # thirds of an all-reach list


def plan_warnings(profile: Profile, season: Season, programs: list[PlannedProgram],
                  fees: FeeTable, limits: Limits) -> list[str]:
    """What the applicant must see before the list."""
    out = [w for w in (season_warning(season),) if w]
    if profile.visa == "h1b" and profile.exams.step3 is None:
        out.append("You need an H-1B visa but have no Step 3 result: programs that sponsor "
                   "H-1B need Step 3 passed before they can file the visa. Take Step 3 "
                   "before the rank list deadline, or consider J-1 sponsoring programs too.")
    first = fees.schedule.marginal(1)
    if not programs and limits.budget_usd is not None and limits.budget_usd < first:
        fixed = fees.fixed_total(img=profile.applicant_type in ("non_us_img", "us_img"))
        out.append(f"After the once-a-season fees (${fixed}), your budget leaves "
                   f"${limits.budget_usd:,.0f} for programs, which buys no application: ERAS "
                   f"charges ${first} for the first program of a specialty. Raise the budget "
                   f"to at least ${fixed + first}.")
    if programs and all(p.tier.startswith("reach") for p in programs):
        out.append("Every program on this list is a reach for this profile (P(interview) "
                   "under the reach threshold). Tiers compare the programs with each other: "
                   + ", ".join(RELATIVE_TIERS) + ".")
    return out


def relative_tiers(programs: list[PlannedProgram]) -> list[PlannedProgram]:
    """When every program is a reach, tiers by thirds of P(interview) within the list."""
    if not programs or any(p.tier != "reach" for p in programs):
        return programs
    ranked = sorted(range(len(programs)), key=lambda i: -programs[i].p_interview)
    out = list(programs)
    for rank, i in enumerate(ranked):
        label = RELATIVE_TIERS[min(2, rank * 3 // len(programs))]
        out[i] = programs[i].model_copy(update={"tier": f"reach: {label}"})
    return out
