"""The plan for one profile: candidates, verdicts, chances, scenarios, the list and its reasons.

Flow: for every target specialty, the candidates and their verdicts come from the catalog's
:class:`~smartpick.plan.candidates.CandidatePool` (read once per catalog); programs in an
avoided state or failing a strict rule are excluded, with the rule named, and the model gives
the rest their scenario chances (:mod:`smartpick.plan.chances`). The list search
(``placement.search``) then picks programs under the season's ERAS fees, the budget and the
target, on the exact expected best utility of each scenario. The target and the figures shown
are always P(match).

:func:`plan_problem` stops before the search (the benchmarks use it); :func:`build_plan` goes
on to the plan. A plan keeps its specialty parts (``Plan.context``), so what-ifs that leave
the applicant's facts unchanged (budget, target, an added specialty) plan again without
reading, checking or drawing anything twice.

The budget covers the ERAS application fees of the list; the once-a-season fees (USMLE
transcript, ECFMG token for IMGs, NRMP registration) are shown apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smartpick.applicant.profile import Profile
from smartpick.applicant.seasons import Season, load_season
from smartpick.catalog.program import Program
from smartpick.catalog.specialties import canonical
from smartpick.catalog.store import Catalog, open_catalog
from smartpick.errors import InputError, ValidationProblem
from smartpick.model import load_model
from smartpick.model.match import shock_nodes
from smartpick.model.program_arrays import take
from smartpick.plan.candidates import CandidatePool, applicant_key, pool_for
from smartpick.plan.chances import Excluded, SpecialtyChances, plan_instance, specialty_chances
from smartpick.plan.curve import CurvePoint, curve, diminishing_point, tier
from smartpick.plan.fees import FeeTable, fee_table
from smartpick.plan.optimize import LEVEL_NAMES, GreedyResult, Instance, Limits
from smartpick.plan.placement import search
from smartpick.rules.verdict import Verdict

__all__ = ["Excluded", "Plan", "PlanContext", "PlanOptions", "PlanProblem", "PlannedProgram",
           "build_plan", "context_for", "list_interval", "plan_problem"]

DEFAULT_MAX_PROGRAMS = 100  # when neither a budget nor a length is given
CURVE_BEYOND = 25  # picks shown past the chosen list
INTERVAL_LEVEL = 0.8  # the list's P(match) interval: 10th to 90th percentile over draws


@dataclass(frozen=True)
class PlanOptions:
    season: int = 2026
    budget_usd: float | None = None  # default: the profile's
    target_p_match: float | None = None  # default: the profile's
    max_programs: int | None = None
    n_scenarios: int = 2000
    seed: int = 1
    profile_limits: bool = True  # fall back on the profile's budget and target


@dataclass
class PlannedProgram:
    program_id: str
    name: str
    specialty: str
    track: str | None
    city: str | None
    state: str | None
    tier: str
    p_interview: float
    p_interview_interval: tuple[float, float]
    marginal_p_match: float
    signal: str
    verdict: str
    reasons: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "program_id": self.program_id, "name": self.name, "specialty": self.specialty,
            "track": self.track, "city": self.city, "state": self.state, "tier": self.tier,
            "p_interview": round(self.p_interview, 4),
            "p_interview_interval": [round(x, 4) for x in self.p_interview_interval],
            "marginal_p_match": round(self.marginal_p_match, 4), "signal": self.signal,
            "verdict": self.verdict, "reasons": self.reasons,
        }


_PartKey = tuple[str, str, str, int, int, int]


@dataclass
class PlanContext:
    """What plans of the same applicant can share: the candidate pool and specialty parts.

    ``parts`` are keyed by the applicant's facts, the specialty and its role, the season and
    the scenario settings, so a part is reused only where it would come out the same.
    """

    pool: CandidatePool
    catalog: Catalog  # kept open while the context lives
    parts: dict[_PartKey, SpecialtyChances] = field(default_factory=dict)


@dataclass
class Plan:
    season: int
    p_match: float
    p_match_interval: tuple[float, float]
    expected_interviews: float
    cost_usd: int
    fixed_fees_usd: int
    programs: list[PlannedProgram]
    curve: list[CurvePoint]
    excluded: list[Excluded]
    notes: list[str]
    stop_reason: str
    budget_usd: float | None = None
    target_p_match: float | None = None
    what_if: list[dict[str, Any]] = field(default_factory=list)
    context: PlanContext | None = field(default=None, repr=False, compare=False)

    @property
    def diminishing(self) -> CurvePoint | None:
        """Where each further $100 of fees starts to buy less than half a point."""
        return diminishing_point(self.curve)

    def to_dict(self) -> dict[str, Any]:
        return {
            "season": self.season,
            "p_match": round(self.p_match, 4),
            "p_match_interval": [round(x, 4) for x in self.p_match_interval],
            "expected_interviews": round(self.expected_interviews, 2),
            "cost_usd": self.cost_usd,
            "fixed_fees_usd": self.fixed_fees_usd,
            "budget_usd": self.budget_usd,
            "target_p_match": self.target_p_match,
            "stop_reason": self.stop_reason,
            "programs": [p.to_dict() for p in self.programs],
            "curve": [c.to_dict() for c in self.curve],
            "diminishing_returns": self.diminishing.to_dict() if self.diminishing else None,
            "excluded": [e.to_dict() for e in self.excluded],
            "what_if": self.what_if,
            "notes": self.notes,
        }


@dataclass
class PlanProblem:
    """Everything the search needs, before it runs."""

    parts: list[SpecialtyChances]
    instance: Instance
    limits: Limits
    fees: FeeTable
    excluded: list[Excluded]
    context: PlanContext


def context_for(catalog: Catalog | None = None) -> PlanContext:
    """A fresh context on ``catalog`` (default: the configured one), sharing its pool."""
    catalog = catalog or open_catalog()
    catalog.ensure_built()
    return PlanContext(pool_for(catalog), catalog)


def plan_problem(profile: Profile, options: PlanOptions | None = None,
                 catalog: Catalog | None = None, reuse: PlanContext | None = None
                 ) -> PlanProblem:
    """Candidates, verdicts, chances and limits of the plan for ``profile``.

    ``reuse`` (another plan's context) lends its pool and any part that would come out the
    same; otherwise the pool of ``catalog`` (default: the configured catalog) is used.
    """
    opts = options or PlanOptions()
    season = load_season(opts.season)
    fees = fee_table(opts.season)
    own = context_for(catalog) if reuse is None else PlanContext(reuse.pool, reuse.catalog)
    parts = [_part(profile, t.specialty, t.role, season, opts, own, reuse)
             for t in _targets(profile)]
    excluded = [e for p in parts for e in p.excluded]
    parts = [p for p in parts if p.programs]
    if not parts:
        raise InputError("no program of the target specialties is open to this profile",
                         [ValidationProblem("targets", "every candidate was excluded")])
    return PlanProblem(parts, plan_instance(parts, fees), _limits(profile, opts), fees,
                       excluded, own)


def build_plan(profile: Profile, options: PlanOptions | None = None,
               catalog: Catalog | None = None, reuse: PlanContext | None = None) -> Plan:
    """The plan for ``profile`` (see the module docstring)."""
    opts = options or PlanOptions()
    problem = plan_problem(profile, opts, catalog, reuse)
    result = search(problem.instance, problem.limits)
    return _assemble(profile, opts, problem, result)


def _part(profile: Profile, name: str, role: str, season: Season, opts: PlanOptions,
          own: PlanContext, reuse: PlanContext | None) -> SpecialtyChances:
    specialty = canonical(name, "targets.specialty")
    key = (applicant_key(profile), specialty, role, season.year, opts.n_scenarios, opts.seed)
    part = reuse.parts.get(key) if reuse is not None else None
    if part is None:
        part = specialty_chances(profile, specialty, role, season, opts.n_scenarios,
                                 opts.seed, own.pool)
    own.parts[key] = part
    return part


def _targets(profile: Profile) -> list[Any]:
    if not profile.targets:
        raise InputError("the profile names no target specialty",
                         [ValidationProblem("targets", "add at least one specialty")])
    return list(profile.targets)


def _limits(profile: Profile, opts: PlanOptions) -> Limits:
    budget, target = opts.budget_usd, opts.target_p_match
    if opts.profile_limits:
        budget = budget if budget is not None else profile.budget_usd
        target = target if target is not None else profile.target_p_match
    max_programs = opts.max_programs
    if budget is None and target is None and max_programs is None:
        max_programs = DEFAULT_MAX_PROGRAMS
    return Limits(budget_usd=budget, target_p_match=target, max_programs=max_programs,
                  extend=CURVE_BEYOND)


def _assemble(profile: Profile, opts: PlanOptions, problem: PlanProblem,
              result: GreedyResult) -> Plan:
    parts, fees, limits = problem.parts, problem.fees, problem.limits
    offsets = np.cumsum([0, *[len(p.programs) for p in parts]])
    chosen = result.chosen_programs()
    levels = [int(x) for x in result.level[: result.chosen]]
    rows, interviews, log_miss = [], 0.0, []
    for g, part in enumerate(parts):
        picks = [(k, j - int(offsets[g]), lv) for k, (j, lv) in enumerate(zip(chosen, levels,
                 strict=True)) if offsets[g] <= j < offsets[g + 1]]
        if not picks:
            continue
        local = np.array([i for _, i, _ in picks])
        signals = [LEVEL_NAMES[lv] for _, _, lv in picks]
        sub = take(part.arrays, local)
        model = load_model()
        q, lo, hi = model.interview.predict_proba(part.features, sub, signals, part.misses[local])
        q0, _, _ = model.interview.predict_proba(part.features, sub, None, part.misses[local])
        interviews += float(q.sum())
        log_miss.append(model.match.log_miss_by_draw(part.features, sub, signals,
                                                     part.misses[local]))
        for n, (k, i, lv) in enumerate(picks):
            rows.append((k, _planned(part, i, lv, float(q[n]), (float(lo[n]), float(hi[n])),
                                     float(q0[n]), float(result.gain[k]), profile)))
    rows.sort(key=lambda r: r[0])
    p_match = result.chosen_p_match
    return Plan(
        season=opts.season, p_match=p_match, p_match_interval=list_interval(p_match, log_miss),
        expected_interviews=interviews, cost_usd=result.chosen_cost,
        fixed_fees_usd=fees.fixed_total(img=profile.applicant_type in ("non_us_img", "us_img")),
        programs=[r[1] for r in rows], curve=curve(result), excluded=problem.excluded,
        notes=_notes(fees, parts, result, limits), stop_reason=result.stop_reason,
        budget_usd=limits.budget_usd, target_p_match=limits.target_p_match,
        context=problem.context,
    )


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
             q0: float, gain: float, profile: Profile) -> PlannedProgram:
    program, verdict = part.programs[i], part.verdicts[i]
    signal = LEVEL_NAMES[level]
    return PlannedProgram(
        program_id=program.program_id, name=str(program.value("name") or ""),
        specialty=part.name, track=program.value("track"), city=program.value("city"),
        state=program.value("state"), tier=tier(q), p_interview=q,
        p_interview_interval=interval, marginal_p_match=gain, signal=signal,
        verdict=verdict.status.value, reasons=_reasons(program, verdict, signal, q, q0, profile),
    )


def _reasons(program: Program, verdict: Verdict, signal: str, q: float, q0: float,
             profile: Profile) -> list[str]:
    met = [r for r in verdict.reasons if r.outcome.value == "met"]
    out = [f"rules: {len(met)} of {len(verdict.reasons)} checked are met"
           + (f"; {verdict.summary()}" if verdict.summary() else "")]
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
    return out


def _notes(fees: FeeTable, parts: list[SpecialtyChances], result: GreedyResult,
           limits: Limits) -> list[str]:
    notes = [fees.rule_season_note]
    notes += [f"fee (not in the list's cost): {f.item} ${f.fee_usd} ({f.confidence})"
              + (" for IMGs" if f.img_only else "") for f in fees.fixed]
    notes += [p.rule.label for p in parts]
    if result.stop_reason == "budget" and limits.target_p_match is not None \
            and result.chosen_p_match < limits.target_p_match:
        notes.append("the target P(match) is not reached within the budget")
    if result.stop_reason == "no_gain":
        notes.append("no further program adds to P(match)")
    return notes
