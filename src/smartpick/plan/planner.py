"""The plan for one profile: candidates, verdicts, chances, scenarios, the list and its reasons.

Flow: for every target specialty, the candidates and their verdicts come from the catalog's
:class:`~smartpick.plan.candidates.CandidatePool` (read once per catalog); programs in an
avoided state or failing a strict rule are excluded, with the rule named, and the model gives
the rest their scenario chances (:mod:`smartpick.plan.chances`). The list search
(``placement.search``) then picks programs under the season's ERAS fees, the budget and the
target, on the exact expected best utility of each scenario. The target and the figures shown
are always P(match).

:func:`plan_problem` stops before the search (the benchmarks use it); :func:`build_plan` goes
on to the plan, a plain :class:`~smartpick.plan.result.PlanResult`. Plans made with the same
:class:`PlanContext` (one per :class:`~smartpick.services.planner.Planner`) share its pool and
its latest specialty parts, so what-ifs that leave the applicant's facts unchanged (budget,
target, an added specialty) plan again without reading, checking or drawing anything twice.

The budget is the applicant's total for the season: the once-a-season fees (USMLE transcript,
ECFMG token for IMGs, NRMP registration) come out of it first, and the list search spends what
is left on ERAS application fees. A budget below the once-a-season fees is refused, naming
``budget_usd``.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from smartpick.applicant.profile import Profile, Target
from smartpick.applicant.seasons import Season, check_graduation, default_season, load_season
from smartpick.catalog.program import Program
from smartpick.catalog.specialties import canonical
from smartpick.errors import InputError, ValidationProblem
from smartpick.model import Model
from smartpick.model.match import shock_nodes
from smartpick.model.program_arrays import take
from smartpick.model.strength import extrapolation_notes
from smartpick.plan.advice import plan_warnings, relative_tiers
from smartpick.plan.candidates import CandidatePool, applicant_key
from smartpick.plan.chances import (
    SpecialtyChances,
    Subset,
    chance_factors,
    plan_instance,
    specialty_chances,
)
from smartpick.plan.curve import curve, diminishing_point, tier
from smartpick.plan.fees import FeeTable, fee_table
from smartpick.plan.optimize import LEVEL_NAMES, GreedyResult, Instance, Limits
from smartpick.plan.placement import search
from smartpick.plan.provenance import (
    deciding_facts,
    facts_line,
    oldest,
    plan_sources,
    source_name,
)
from smartpick.plan.recommend import is_low, recommend
from smartpick.plan.result import Excluded, PlannedProgram, PlanResult, Source, rounded
from smartpick.rules.verdict import Verdict

__all__ = ["Excluded", "PlanContext", "PlanOptions", "PlanProblem", "PlanResult",
           "PlannedProgram", "build_plan", "list_interval", "plan_problem"]

DEFAULT_MAX_PROGRAMS = 100  # when neither a budget nor a length is given
CURVE_BEYOND = 25  # picks shown past the chosen list
INTERVAL_LEVEL = 0.8  # the list's P(match) interval: 10th to 90th percentile over draws


@dataclass(frozen=True)
class PlanOptions:
    season: int = field(default_factory=default_season)  # the one default: default_season()
    budget_usd: float | None = None  # default: the profile's
    target_p_match: float | None = None  # default: the profile's
    max_programs: int | None = None
    n_scenarios: int = 2000
    seed: int = 1
    profile_limits: bool = True  # fall back on the profile's budget and target
    data_dir: Path | None = None  # season calendars and fee tables (set by the Planner)


_PartKey = tuple[str, str, str, int, int, int]
KEPT_PARTS = 8  # specialty parts kept (a part of 600 programs x 2,000 scenarios is ~30 MB)
KEPT_INSTANCES = 2  # stacked search problems kept (several parts: a copy of their chances)


class PlanContext:
    """What plans on one catalog share: the candidate pool and the latest specialty parts.

    ``parts`` are keyed by the applicant's facts, the specialty and its role, the season and
    the scenario settings, so a part is reused only where it would come out the same; the
    ``kept_parts`` most recently used are kept. Safe to share between threads.
    """

    def __init__(self, pool: CandidatePool, data_dir: Path, kept_parts: int = KEPT_PARTS):
        self.pool = pool
        self.data_dir = data_dir
        self.kept_parts = kept_parts
        self._lock = threading.Lock()
        self._parts: OrderedDict[_PartKey, SpecialtyChances] = OrderedDict()
        self._instances: OrderedDict[tuple[tuple[int, ...], int],
                                     tuple[tuple[SpecialtyChances, ...], Instance]] = OrderedDict()

    def part(self, key: _PartKey, make: Callable[[], SpecialtyChances]) -> SpecialtyChances:
        with self._lock:
            found = self._parts.get(key)
            if found is not None:
                self._parts.move_to_end(key)
                return found
        made = make()
        with self._lock:
            found = self._parts.setdefault(key, made)
            self._parts.move_to_end(key)
            while len(self._parts) > self.kept_parts:
                self._parts.popitem(last=False)
        return found

    def kept_part(self, key: _PartKey) -> SpecialtyChances | None:
        """The part kept under ``key``, if any (nothing is made)."""
        with self._lock:
            return self._parts.get(key)

    def parts(self) -> list[SpecialtyChances]:
        with self._lock:
            return list(self._parts.values())

    def instance(self, parts: list[SpecialtyChances], fees: FeeTable, season: int) -> Instance:
        """The search problem of these parts, shared by the plans and what-ifs that have
        them (several parts are stacked into arrays of their own: made once, not per plan)."""
        key = (tuple(id(p) for p in parts), season)
        with self._lock:
            found = self._instances.get(key)
            if found is not None and all(a is b for a, b in zip(found[0], parts, strict=True)):
                self._instances.move_to_end(key)
                return found[1]
        made = plan_instance(parts, fees)
        with self._lock:
            self._instances[key] = (tuple(parts), made)
            while len(self._instances) > KEPT_INSTANCES:
                self._instances.popitem(last=False)
        return made


@dataclass
class PlanProblem:
    """Everything the search needs, before it runs."""

    parts: list[SpecialtyChances]
    instance: Instance
    limits: Limits
    fees: FeeTable
    excluded: list[Excluded]
    season: Season


def plan_problem(profile: Profile, options: PlanOptions, context: PlanContext,
                 only: Mapping[str, Subset] | None = None) -> PlanProblem:
    """Candidates, verdicts, chances and limits of the plan for ``profile``.

    ``only`` maps a specialty to the pool's candidates to plan with: where the applicant's
    part is not kept already, its chances are drawn for those alone and not kept (what-ifs use
    this; the search problem is then not kept either)."""
    season = load_season(options.season, context.data_dir)
    check_graduation(profile, season)
    fees = fee_table(options.season, context.data_dir)
    parts = [_part(profile, t, season, options, context, only) for t in _targets(profile)]
    excluded = [e for p in parts for e in p.excluded]
    parts = [p for p in parts if p.programs]
    if not parts:
        raise InputError("no program of the target specialties is open to this profile",
                         [ValidationProblem("targets", "every candidate was excluded")])
    kept = only is None or all(context.kept_part(_key(profile, p.name, p.role, season, options))
                               is p for p in parts)
    instance = (context.instance(parts, fees, season.year) if kept
                else plan_instance(parts, fees))
    return PlanProblem(parts, instance, _limits(profile, options, fees), fees, excluded, season)


def build_plan(profile: Profile, options: PlanOptions, context: PlanContext) -> PlanResult:
    """The plan for ``profile``, without what-ifs (see the module docstring)."""
    return solve_plan(profile, options, context)[0]


def solve_plan(profile: Profile, options: PlanOptions,
               context: PlanContext) -> tuple[PlanResult, PlanProblem, GreedyResult]:
    """The plan, with the search problem and the search's result it was made from (what-ifs
    start from those)."""
    problem = plan_problem(profile, options, context)
    result = search(problem.instance, problem.limits)
    return _assemble(profile, options, problem, result, context), problem, result


def _key(profile: Profile, specialty: str, role: str, season: Season,
         opts: PlanOptions) -> _PartKey:
    return (applicant_key(profile), specialty, role, season.year, opts.n_scenarios, opts.seed)


def _part(profile: Profile, target: Target, season: Season, opts: PlanOptions,
          context: PlanContext,
          only: Mapping[str, Subset] | None = None) -> SpecialtyChances:
    specialty = canonical(target.specialty, "targets.specialty")
    key = _key(profile, specialty, target.role, season, opts)

    def make(subset: Subset | None = None) -> SpecialtyChances:
        return specialty_chances(profile, specialty, target.role, season, opts.n_scenarios,
                                 opts.seed, context.pool, context.pool.model, context.data_dir,
                                 subset)

    if only is not None and specialty in only:
        found = context.kept_part(key)
        return found if found is not None else make(only[specialty])
    return context.part(key, make)


def _targets(profile: Profile) -> list[Target]:
    if not profile.targets:
        raise InputError("the profile names no target specialty",
                         [ValidationProblem("targets", "add at least one specialty")])
    return list(profile.targets)


def total_budget(profile: Profile, opts: PlanOptions) -> float | None:
    """The applicant's budget for the season (the options', else the profile's)."""
    if opts.budget_usd is not None or not opts.profile_limits:
        return opts.budget_usd
    return profile.budget_usd


def _limits(profile: Profile, opts: PlanOptions, fees: FeeTable) -> Limits:
    budget, target = total_budget(profile, opts), opts.target_p_match
    if opts.profile_limits:
        target = target if target is not None else profile.target_p_match
    if budget is not None:
        budget = budget - _fixed_fees(profile, fees, budget)
    max_programs = opts.max_programs
    if budget is None and target is None and max_programs is None:
        max_programs = DEFAULT_MAX_PROGRAMS
    return Limits(budget_usd=budget, target_p_match=target, max_programs=max_programs,
                  extend=CURVE_BEYOND)


def _is_img(profile: Profile) -> bool:
    return profile.applicant_type in ("non_us_img", "us_img")


def _fixed_fees(profile: Profile, fees: FeeTable, budget: float) -> int:
    """The once-a-season fees, which come out of ``budget`` first (refused if they do not fit)."""
    fixed = fees.fixed_total(img=_is_img(profile))
    if budget < fixed:
        items = ", ".join(f"{f.item} ${f.fee_usd}" for f in fees.fixed
                          if _is_img(profile) or not f.img_only)
        first = fees.schedule.marginal(1)
        raise InputError(
            f"a budget of ${budget:,.0f} does not cover the once-a-season fees (${fixed})",
            [ValidationProblem("budget_usd", f"the budget is everything you spend this season; "
                               f"${fixed} of it goes to fees paid once ({items}), so a budget "
                               f"of at least ${fixed + first} is needed to apply to one "
                               f"program")])
    return fixed


def _assemble(profile: Profile, opts: PlanOptions, problem: PlanProblem,
              result: GreedyResult, context: PlanContext) -> PlanResult:
    parts, fees, limits = problem.parts, problem.fees, problem.limits
    model = context.pool.model
    offsets = np.cumsum([0, *[len(p.programs) for p in parts]])
    chosen = result.chosen_programs()
    levels = [int(x) for x in result.level[: result.chosen]]
    rows: list[tuple[int, PlannedProgram]] = []
    interviews, log_miss, deciding = 0.0, [], []
    sources: dict[tuple[str, str], None] = {}
    for g, part in enumerate(parts):
        picks = [(k, j - int(offsets[g]), lv) for k, (j, lv) in enumerate(zip(chosen, levels,
                 strict=True)) if offsets[g] <= j < offsets[g + 1]]
        if not picks:
            continue
        local = np.array([i for _, i, _ in picks])
        signals = [LEVEL_NAMES[lv] for _, _, lv in picks]
        sub = take(part.arrays, local)
        q, lo, hi = model.interview.predict_proba(part.features, sub, signals, part.misses[local])
        q0, _, _ = model.interview.predict_proba(part.features, sub, None, part.misses[local])
        factor = chance_factors([part.verdicts[i] for i in local])
        q, lo, hi, q0 = q * factor, lo * factor, hi * factor, q0 * factor
        interviews += float(q.sum())
        log_miss.append(_log_miss(model, part, local, signals, factor))
        for n, (k, i, lv) in enumerate(picks):
            decided = deciding_facts(part.programs[i], part.verdicts[i])
            rows.append((k, _planned(part, i, lv, float(q[n]), (float(lo[n]), float(hi[n])),
                                     float(q0[n]), float(result.gain[k]), profile, decided)))
            deciding += decided
            for fact in part.programs[i].facts.values():
                if fact.source:
                    sources[(fact.source, fact.as_of or "")] = None
    rows.sort(key=lambda r: r[0])
    planned = relative_tiers([r[1] for r in rows])
    img = _is_img(profile)
    listed = [Source(source=s, as_of=d, name=source_name(s)) for s, d in sorted(sources)]
    grouped = plan_sources(deciding, fees, [p.rule for p in parts])  # what decided the list
    plan_wide = [Source(source=g.name, as_of=g.as_of or "", name=g.name) for g in grouped
                 if g.name not in {s.name for s in listed}]
    p_match = result.chosen_p_match
    points = curve(result)
    low, high = list_interval(p_match, log_miss)
    return PlanResult(
        season=opts.season, p_match=rounded(p_match), p_match_interval=(rounded(low),
                                                                         rounded(high)),
        expected_interviews=round(interviews, 2), cost_usd=result.chosen_cost,
        fixed_fees_usd=fees.fixed_total(img=img),
        programs=planned, curve=points, diminishing_returns=diminishing_point(points),
        recommendation=recommend(points, len(planned), p_match, limits.target_p_match),
        low_chance=bool(planned) and is_low(p_match),
        excluded=problem.excluded, notes=_notes(fees, parts, result, limits, img),
        stop_reason=result.stop_reason, budget_usd=total_budget(profile, opts),
        program_budget_usd=limits.budget_usd,
        target_p_match=limits.target_p_match,
        sources=listed + plan_wide, facts_as_of=facts_line(grouped),
        warnings=plan_warnings(profile, problem.season, planned, fees, limits),
    )


def _log_miss(model: Model, part: SpecialtyChances, local: NDArray[np.int64],
              signals: list[str], factor: NDArray[np.float64]) -> NDArray[np.float64]:
    """log P(no match on this part of the list) per draw, doubtful programs discounted."""
    sure = factor >= 1.0
    total = model.match.log_miss_by_draw(part.features, take(part.arrays, local[sure]),
                                         [s for s, ok in zip(signals, sure, strict=True) if ok],
                                         part.misses[local[sure]]) if sure.any() else None
    for n in np.flatnonzero(~sure):
        one = model.match.log_miss_by_draw(part.features, take(part.arrays, local[n:n + 1]),
                                           [signals[n]], part.misses[local[n:n + 1]])
        kept = np.log1p(-factor[n] * -np.expm1(one))  # matched only where the rule holds
        total = kept if total is None else total + kept
    assert total is not None
    return total


def list_interval(p: float, log_miss: list[NDArray[np.float64]],
                  level: float = INTERVAL_LEVEL) -> tuple[float, float]:
    """The central ``level`` interval of the list's P(match) over the model's parameter draws.

    ``log_miss`` holds, per specialty, log P(no match on its part of the list) per draw and
    shock node (:meth:`~smartpick.model.match.MatchModel.log_miss_by_draw`); the parts add up.
    """
    if not log_miss:
        return (p, p)
    per_draw = 1.0 - np.exp(np.sum(log_miss, axis=0)) @ shock_nodes()[1]
    tail = (1.0 - level) / 2.0
    lo, hi = np.quantile(per_draw, [tail, 1.0 - tail])
    return (min(float(lo), p), max(float(hi), p))


def _planned(part: SpecialtyChances, i: int, level: int, q: float, interval: tuple[float, float],
             q0: float, gain: float, profile: Profile,
             decided: list[tuple[str, str]]) -> PlannedProgram:
    program, verdict = part.programs[i], part.verdicts[i]
    signal = LEVEL_NAMES[level]
    if signal == "gold" and not part.rule.tiered:
        signal = "signal"  # a specialty with one kind of signal
    return PlannedProgram(
        program_id=program.program_id, name=str(program.value("name") or ""),
        specialty=part.name, track=_text(program.value("track")),
        city=_text(program.value("city")), state=_text(program.value("state")), tier=tier(q),
        p_interview=rounded(q), p_interview_interval=(rounded(interval[0]),
                                                      rounded(interval[1])),
        marginal_p_match=rounded(gain), signal=signal, verdict=verdict.status.value,
        reasons=_reasons(program, verdict, signal, q, q0, profile),
        latitude=_number(program.value("latitude")),
        longitude=_number(program.value("longitude")),
        visa_j1=_flag(program.value("visa_j1")), visa_h1b=_flag(program.value("visa_h1b")),
        data_as_of=oldest(decided),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _reasons(program: Program, verdict: Verdict, signal: str, q: float, q0: float,
             profile: Profile) -> list[str]:
    outcomes = Counter(r.outcome.value for r in verdict.reasons)
    summary = verdict.summary()
    out = [f"rules that apply: {outcomes['met']} met, {outcomes['missed']} missed, "
           f"{outcomes['unknown']} not stated by the program"
           + (f"; {summary}" if summary else "")]
    prefs = profile.preferences
    if program.value("state") in set(prefs.states):
        out.append(f"in a preferred state ({program.value('state')})")
    if program.value("program_type") in set(prefs.program_types):
        out.append(f"preferred program type ({program.value('program_type')})")
    img = program.value("pct_img")
    if img is not None:
        out.append(f"IMG share of residents {img:.0f}%")
    if signal != "none":
        out.append(f"{signal} signal raises P(interview) from {q0:.0%} to {q:.0%}")
    if verdict.chance_factor < 1.0:
        out.append(f"chance counted at {verdict.chance_factor:.0%} of its value: a rule it may "
                   "apply is not confirmed (check the program's page)")
    return out


def _notes(fees: FeeTable, parts: list[SpecialtyChances], result: GreedyResult,
           limits: Limits, img: bool) -> list[str]:
    notes = [fees.rule_season_note]
    notes += [f"once-a-season fee (in the budget, not in the list's cost): {f.item} "
              f"${f.fee_usd} ({f.confidence})"
              + (" for IMGs" if f.img_only else "") for f in fees.fixed
              if img or not f.img_only]
    notes += [p.rule.label for p in parts]
    notes += list(dict.fromkeys(n for p in parts for n in extrapolation_notes(p.features)))
    if result.stop_reason == "budget" and limits.target_p_match is not None \
            and result.chosen_p_match < limits.target_p_match:
        notes.append("your target chance of matching is not reached within the budget")
    if result.stop_reason == "no_gain":
        notes.append("no further program adds to P(match)")
    return notes
