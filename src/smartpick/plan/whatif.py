"""What-ifs: the plan again after one change to the profile or the limits.

Changes are written ``kind:value``:

- ``usce:+3m-hands-on`` (or ``+2m``, ``+6w-externship``, ``+3m-observership``): a rotation
  of that kind (hands-on when none is named) in the primary specialty, of that length (at
  most 24 months or 104 weeks), ending the day before programs receive applications in the
  plan's season, with a US letter;
- ``step3:pass`` or ``step3:230``; ``step2ck:+5`` or ``step2ck:250`` (scores as in a
  profile);
- ``budget:+1000`` or ``budget:2500`` (between 0 and the planner's budget bound, as
  ``--budget``); ``target:0.9`` (between 0 and 1, as ``--target``);
- ``add-specialty:"Family Medicine"`` (as a backup);
- ``visa:none``.

Every what-if is planned with the same scenario seed as the plan itself, so differences come
from the change, not from sampling. Profile changes are planned at the plan's own cost (its
ERAS fees and once-a-season fees as the budget, no target), so the P(match) they show is bought
with the same money; ``budget`` and ``target`` changes replace the plan's limits.

What-ifs start from what the plan computed. They plan with the programs that can matter: per
specialty, those the plan listed or would add next, the best by their chance (twice as many
as the plan listed, and 40 more) and those the plan excluded by a rule the change may lift.
Where the applicant's facts are unchanged (``budget``, ``target``, the plan's own specialties
under ``add-specialty``) the plan's verdicts and scenario chances are reused; otherwise the
verdicts and chances of those programs alone are made (on the same scenario draws of the
model's parameters and the applicant shock). The plan's own list is the warm start: when it
fits the changed limits, a what-if never shows less than that list gives under the change.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import numpy as np

from smartpick.applicant.profile import Profile
from smartpick.applicant.seasons import load_season
from smartpick.errors import InputError, ValidationProblem
from smartpick.plan.chances import Subset
from smartpick.plan.optimize import GreedyResult, Instance, evaluate, list_cost, sub_instance
from smartpick.plan.placement import place_signals, quick_search
from smartpick.plan.planner import PlanContext, PlanOptions, PlanProblem, solve_plan
from smartpick.plan.result import PlanResult, WhatIf, rounded

_DAYS_PER_MONTH = 30.4375
MAX_BUDGET_USD = 20_000  # as the planner's bound on a plan request (PlanBounds)
_MAX_LENGTH = {"m": 24, "w": 104}  # longest rotation a what-if may add
_USCE = re.compile(r"\+?(\d{1,12}(?:\.\d{1,3})?)([mw])(?:-([a-z-]+))?")
_USCE_KINDS = ("hands-on", "externship", "observership", "research", "volunteer", "telehealth")


@dataclass(frozen=True)
class Change:
    text: str
    kind: str
    value: str


def parse_change(text: str) -> Change:
    kind, sep, value = text.partition(":")
    kind = kind.strip().lower()
    if not sep or kind not in _APPLY:
        raise _bad(text, f"expected one of {', '.join(sorted(_APPLY))} followed by ':value'")
    return Change(text, kind, value.strip().strip('"').strip("'"))


def _bad(text: str, why: str) -> InputError:
    return InputError(f"cannot read the what-if {text!r}", [ValidationProblem("what_if", why)])


def _number(change: Change, base: float | None, expected: str = "a number") -> float:
    try:
        amount = float(change.value)
    except ValueError:
        raise _bad(change.text, f"expected {expected}, or +N / -N") from None
    if not math.isfinite(amount) or abs(amount) > 1e7:
        raise _bad(change.text, "the number is out of range")
    relative = change.value.startswith(("+", "-"))
    return (base or 0.0) + amount if relative else amount


def _usce(profile: Profile, change: Change, opts: PlanOptions) -> tuple[Profile, PlanOptions]:
    if not profile.targets:
        raise _bad(change.text, "a USCE what-if needs a target specialty in the profile")
    found = _USCE.fullmatch(change.value.lower())
    if not found or (found.group(3) and found.group(3) not in _USCE_KINDS):
        raise _bad(change.text, "expected a length and a kind, e.g. +3m-hands-on, +6w, "
                   f"+2m-observership (kinds: {', '.join(_USCE_KINDS)})")
    length, unit = float(found.group(1)), found.group(2)
    if not 0 < length <= _MAX_LENGTH[unit]:
        raise _bad(change.text, f"a rotation lasts more than 0 and at most {_MAX_LENGTH[unit]} "
                   f"{'months' if unit == 'm' else 'weeks'}")
    days = length * (_DAYS_PER_MONTH if unit == "m" else 7.0)
    end = load_season(opts.season, opts.data_dir).application_date - timedelta(days=1)
    kind = (found.group(3) or "hands-on").replace("-", "_")
    entry = {"kind": kind, "specialty": profile.targets[0].specialty,
             "start": end - timedelta(days=round(days)), "end": end, "us_letter": True}
    data = profile.model_dump()
    data["usce"] = [*data["usce"], entry]
    return Profile.model_validate(data), opts


def _exam(name: str) -> Any:
    def apply(profile: Profile, change: Change, opts: PlanOptions) -> tuple[Profile, PlanOptions]:
        data = profile.model_dump()
        current = data["exams"].get(name)
        value: Any = change.value.lower()
        if value == "fail":
            raise _bad(change.text, "a what-if tries a result you could get: 'pass' or a "
                       "score (e.g. 230, +5); record a failed attempt in the profile's exams")
        if value != "pass":
            value = round(_number(change, current if isinstance(current, int) else None,
                                  "'pass' or a score"))
        data["exams"][name] = value
        return Profile.model_validate(data), opts
    return apply


def _budget(profile: Profile, change: Change, opts: PlanOptions) -> tuple[Profile, PlanOptions]:
    base = opts.budget_usd if opts.budget_usd is not None else profile.budget_usd
    budget = _number(change, base, "dollars")
    if not 0 <= budget <= MAX_BUDGET_USD:
        raise _bad(change.text, f"the budget would be ${budget:,.0f}; it must be between $0 "
                   f"and ${MAX_BUDGET_USD:,}")
    return profile, replace(opts, budget_usd=budget)


def _target(profile: Profile, change: Change, opts: PlanOptions) -> tuple[Profile, PlanOptions]:
    target = _number(change, None, "a chance between 0 and 1")
    if not 0 < target < 1:
        raise _bad(change.text, "the target P(match) must be between 0 and 1, e.g. 0.9")
    return profile, replace(opts, target_p_match=target)


def _add_specialty(profile: Profile, change: Change,
                   opts: PlanOptions) -> tuple[Profile, PlanOptions]:
    data = profile.model_dump()
    data["targets"] = [*data["targets"], {"specialty": change.value, "role": "backup"}]
    return Profile.model_validate(data), opts


def _visa(profile: Profile, change: Change, opts: PlanOptions) -> tuple[Profile, PlanOptions]:
    data = profile.model_dump()
    data["visa"] = change.value.lower()
    return Profile.model_validate(data), opts


_APPLY: dict[str, Any] = {
    "usce": _usce, "step3": _exam("step3"), "step2ck": _exam("step2ck"), "budget": _budget,
    "target": _target, "add-specialty": _add_specialty, "visa": _visa,
}


def apply_change(profile: Profile, change: Change,
                 opts: PlanOptions) -> tuple[Profile, PlanOptions]:
    """The profile and options after ``change`` (pydantic checks the changed profile)."""
    from pydantic import ValidationError

    try:
        result: tuple[Profile, PlanOptions] = _APPLY[change.kind](profile, change, opts)
    except ValidationError as err:
        raise _bad(change.text, str(err.errors()[0]["msg"]).removeprefix("Value error, ")) \
            from None
    return result


def check_changes(profile: Profile, changes: list[str], opts: PlanOptions) -> None:
    """Refuse a bad what-if, its value included, before any planning."""
    for text in changes:
        apply_change(profile, parse_change(text), opts)


KEEP_EXTRA = 40  # programs kept per specialty beyond twice the plan's own there


@dataclass(frozen=True)
class Solved:
    """A plan with the search problem and result it came from (what-ifs start there)."""

    plan: PlanResult
    problem: PlanProblem
    result: GreedyResult


def solve(profile: Profile, opts: PlanOptions, context: PlanContext) -> Solved:
    return Solved(*solve_plan(profile, opts, context))


def what_ifs(profile: Profile, changes: list[str], opts: PlanOptions, base: PlanResult,
             context: PlanContext, solved: Solved | None = None) -> list[WhatIf]:
    """P(match), cost and list length under each change, next to the plan's own.

    ``solved``: the plan's problem and search result (made again when not given)."""
    if solved is None:
        solved = solve(profile, opts, context)
    keep = _kept_candidates(solved, context)
    out = []
    same_cost = replace(opts, budget_usd=float(base.cost_usd + base.fixed_fees_usd),
                        target_p_match=None,
                        max_programs=None, profile_limits=False)
    for text in changes:
        change = parse_change(text)
        start = opts if change.kind in ("budget", "target") else same_cost
        changed, changed_opts = apply_change(profile, change, start)
        try:
            p_match, cost, n = _quick_plan(changed, changed_opts, context, keep, solved)
        except InputError as err:  # e.g. a budget below the once-a-season fees
            raise InputError(f"cannot plan the what-if {text!r}: {err.message}",
                             [replace(p, field="what_if") for p in err.problems]) from None
        out.append(WhatIf(
            change=text, p_match=rounded(p_match), cost_usd=cost, programs=n,
            delta_p_match=rounded(rounded(p_match) - base.p_match),
            delta_cost_usd=cost - base.cost_usd))
    return out


def _kept_candidates(solved: Solved, context: PlanContext) -> dict[str, Subset]:
    """Per specialty of the plan, the indices (in the candidate pool) of the programs a
    what-if plans with: listed or next, the best by chance, and those excluded by a rule."""
    instance, result = solved.problem.instance, solved.result
    score = instance.top_means() * instance.utilities()
    chosen = set(result.chosen_programs())
    seen = set(result.order.tolist())
    keep: dict[str, Subset] = {}
    offset = 0
    for part in solved.problem.parts:
        n = len(part.programs)
        local = range(offset, offset + n)
        listed = sum(j in chosen for j in local)
        top = offset + np.argsort(-score[offset:offset + n], kind="stable")[:2 * listed
                                                                           + KEEP_EXTRA]
        picked = {j for j in local if j in seen} | set(top.tolist())
        ids = {part.programs[j - offset].program_id for j in picked}
        ids |= {e.program_id for e in part.excluded if e.rule != "avoid_states"}
        found = context.pool.specialty(part.name)
        keep[part.name] = Subset(
            tuple(i for i, p in enumerate(found.programs) if p.program_id in ids),
            tuple(p.program_id for p in part.programs))
        offset += n
    return keep


def _quick_plan(profile: Profile, opts: PlanOptions, context: PlanContext,
                keep: dict[str, Subset], solved: Solved) -> tuple[float, int, int]:
    """P(match), cost and length of the changed plan's list, over the kept programs."""
    from smartpick.plan.planner import plan_problem

    problem = plan_problem(profile, opts, context, only=keep)
    ids: list[str] = []
    columns: list[int] = []
    offset = 0
    for part in problem.parts:
        wanted = keep.get(part.name)
        allowed = (None if wanted is None else
                   {context.pool.specialty(part.name).programs[i].program_id
                    for i in wanted.index})
        for j, program in enumerate(part.programs):
            if allowed is None or program.program_id in allowed:
                columns.append(offset + j)
                ids.append(program.program_id)
        offset += len(part.programs)
    instance = sub_instance(problem.instance, np.array(columns, dtype=np.int64))
    limits = problem.limits
    if limits.target_p_match is None and _same_problem(instance, ids, solved):
        # The change moves no chance, fee or signal rule of the programs that can matter
        # (say, USCE for a US graduate): the plan itself is the answer.
        plan = solved.plan
        return plan.p_match, plan.cost_usd, len(plan.programs)
    best = quick_search(instance, limits)
    position = {pid: k for k, pid in enumerate(ids)}
    base_ids = [_id(solved, j) for j in solved.result.chosen_programs()]
    if limits.target_p_match is None and all(pid in position for pid in base_ids):
        warm = [position[pid] for pid in base_ids]
        cost = list_cost(instance, warm)
        fits = (limits.budget_usd is None or cost <= limits.budget_usd) and (
            limits.max_programs is None or len(warm) <= limits.max_programs)
        if fits:
            kept_levels = [int(level) for level in solved.result.level[:len(warm)]]
            for levels in (kept_levels, place_signals(instance, warm).tolist()):
                value, p_match = evaluate(instance, warm, levels)
                if value > best[0]:
                    best = (value, p_match, cost, len(warm))
    return best[1], best[2], best[3]


def _same_problem(instance: Instance, ids: list[str], solved: Solved) -> bool:
    """Whether ``instance`` (over the programs ``ids``) is the plan's own problem over
    the same programs: same chances at every signal level, utilities, fees and signals."""
    base = solved.problem.instance
    where = {_id(solved, j): j for j in range(base.n_programs)}
    if any(pid not in where for pid in ids) or instance.groups != base.groups:
        return False
    if ids and not np.array_equal(instance.columns()[0][0], base.columns()[0][where[ids[0]]]):
        return False  # most changes move every chance: the first program shows it
    mine = sub_instance(base, np.array([where[pid] for pid in ids], dtype=np.int64))
    if instance.has_signals != mine.has_signals or not np.array_equal(
            np.asarray(instance.group), np.asarray(mine.group)):
        return False
    return np.array_equal(instance.scenario_weights(), mine.scenario_weights()) \
        and np.array_equal(instance.utilities(), mine.utilities()) and all(
        np.array_equal(a, b) for a, b in zip(instance.columns(), mine.columns(), strict=True))


def _id(solved: Solved, j: int) -> str:
    offset = 0
    for part in solved.problem.parts:
        if j < offset + len(part.programs):
            return part.programs[j - offset].program_id
        offset += len(part.programs)
    raise IndexError(j)


def plan_with_what_ifs(profile: Profile, opts: PlanOptions, changes: list[str],
                       context: PlanContext) -> tuple[PlanResult, Solved]:
    """The plan for ``profile`` with each change's P(match) and cost beside it, and the
    problem and search result it came from (further what-ifs start there).

    Every change is checked before any planning, so a bad one fails fast."""
    check_changes(profile, changes, opts)
    solved = solve(profile, opts, context)
    return solved.plan.with_what_ifs(what_ifs(profile, changes, opts, solved.plan, context,
                                              solved)), solved
