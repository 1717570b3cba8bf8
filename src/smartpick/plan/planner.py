"""The plan for one profile: candidates, verdicts, chances, scenarios, the list and its reasons.

Flow: for every target specialty, the catalog's programs of that specialty are checked
(``smartpick.rules.check``); programs in an avoided state or failing a strict rule are
excluded, with the rule named. The model gives, for the rest, P(interview) with its interval
and correlated scenarios: in each, one parameter draw, one applicant shock and one value of
every unknown program fact, and given those each program's chance of success (interview and
match) with no signal, a silver and a gold signal (the same draws, so a signal never lowers a
chance; the same seed in every specialty, so one applicant shock runs through the whole
plan). The list search (``placement.search``) then picks programs under the season's ERAS
fees, the budget and the target, on the exact expected best utility of each scenario.

Utility (what a match is worth to the applicant) is 1 for a program that meets every stated
preference; 0.9 for each of: a state not among the liked states (when some are listed), a
program type not among the liked types (when some are listed); times 0.8 for a backup
specialty. With no preferences the objective is plain P(match). The target and the figures
shown are always P(match).

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
from smartpick.catalog.search import ProgramQuery
from smartpick.catalog.specialties import canonical
from smartpick.catalog.store import Catalog, open_catalog
from smartpick.errors import InputError, ValidationProblem
from smartpick.model import ApplicantFeatures, features_from_profile, load_model
from smartpick.model.match import shock_nodes
from smartpick.model.program_arrays import ProgramArrays, take
from smartpick.model.scenarios import draw_signal_scenarios
from smartpick.plan.curve import CurvePoint, curve, tier
from smartpick.plan.fees import FeeTable, fee_table
from smartpick.plan.optimize import LEVEL_NAMES, Group, Instance, Limits
from smartpick.plan.placement import search
from smartpick.plan.signals import SignalRule, signal_rule
from smartpick.rules.check import check_all
from smartpick.rules.verdict import Verdict, VerdictStatus

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


@dataclass(frozen=True)
class Excluded:
    program_id: str
    name: str
    specialty: str
    rule: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"program_id": self.program_id, "name": self.name, "specialty": self.specialty,
                "rule": self.rule, "reason": self.reason}


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
            "excluded": [e.to_dict() for e in self.excluded],
            "what_if": self.what_if,
            "notes": self.notes,
        }


@dataclass
class _Specialty:
    """One target specialty's candidates and everything the model says about them."""

    name: str
    role: str
    rule: SignalRule
    programs: list[Program]
    verdicts: list[Verdict]
    features: ApplicantFeatures
    arrays: ProgramArrays
    misses: NDArray[np.int64]
    utility: NDArray[np.float64]
    scenarios: dict[str, NDArray[Any]]


def build_plan(profile: Profile, options: PlanOptions | None = None,
               catalog: Catalog | None = None) -> Plan:
    """The plan for ``profile`` (see the module docstring)."""
    opts = options or PlanOptions()
    season = load_season(opts.season)
    fees = fee_table(opts.season)
    catalog = catalog or open_catalog()
    catalog.ensure_built()
    excluded: list[Excluded] = []
    parts = [_specialty(profile, t.specialty, t.role, season, opts, catalog, excluded)
             for t in _targets(profile)]
    parts = [p for p in parts if p.programs]
    if not parts:
        raise InputError("no program of the target specialties is open to this profile",
                         [ValidationProblem("targets", "every candidate was excluded")])
    limits = _limits(profile, opts)
    instance = _instance(parts, fees)
    result = search(instance, limits)
    return _assemble(profile, opts, fees, parts, instance, result, limits, excluded)


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


def _specialty(profile: Profile, name: str, role: str, season: Season, opts: PlanOptions,
               catalog: Catalog, excluded: list[Excluded]) -> _Specialty:
    specialty = canonical(name, "targets.specialty")
    found = catalog.search(ProgramQuery(specialty=specialty))
    verdicts = check_all(profile, found, season)
    keep: list[int] = []
    for i, (program, verdict) in enumerate(zip(found, verdicts, strict=True)):
        out = _exclusion(profile, program, verdict, specialty)
        if out:
            excluded.append(out)
        else:
            keep.append(i)
    programs = [found[i] for i in keep]
    kept = [verdicts[i] for i in keep]
    model = load_model()
    features = features_from_profile(profile, specialty, season.application_date)
    arrays = model.arrays(programs, specialty)
    misses = np.array([len(v.preferred_misses) for v in kept], dtype=np.int64)
    scen = draw_signal_scenarios(features, arrays, opts.n_scenarios, opts.seed, misses,
                                 model.params, outcome="prob") if programs else {}
    return _Specialty(specialty, role, signal_rule(specialty, opts.season), programs, kept,
                      features, arrays, misses, _utility(profile, programs, role), scen)


def _exclusion(profile: Profile, program: Program, verdict: Verdict,
               specialty: str) -> Excluded | None:
    name = str(program.value("name") or "")
    state = program.value("state")
    if state and state in set(profile.preferences.avoid_states):
        return Excluded(program.program_id, name, specialty, "avoid_states",
                        f"in {state}, a state you avoid")
    if verdict.status is VerdictStatus.INELIGIBLE:
        first = verdict.exclusions[0]
        return Excluded(program.program_id, name, specialty, first.rule, first.text())
    return None


def _utility(profile: Profile, programs: list[Program], role: str) -> NDArray[np.float64]:
    prefs = profile.preferences
    states, types = set(prefs.states), set(prefs.program_types)
    u = np.full(len(programs), 0.8 if role == "backup" else 1.0)
    for i, p in enumerate(programs):
        if states and p.value("state") not in states:
            u[i] *= 0.9
        if types and p.value("program_type") not in types:
            u[i] *= 0.9
    return u


def _instance(parts: list[_Specialty], fees: FeeTable) -> Instance:
    def stack(kind: str) -> NDArray[np.float64]:
        cols = [np.asarray(p.scenarios[kind], dtype=np.float64).T for p in parts]
        return np.ascontiguousarray(np.vstack(cols)).T  # (S, J) view of program-major data

    group = np.concatenate([np.full(len(p.programs), g) for g, p in enumerate(parts)])
    groups = tuple(Group(p.name, fees.schedule, p.rule.gold, p.rule.silver) for p in parts)
    return Instance(stack("none"), group.astype(np.int64), groups,
                    silver_prob=stack("silver"), gold_prob=stack("gold"),
                    utility=np.concatenate([p.utility for p in parts]))


def _assemble(profile: Profile, opts: PlanOptions, fees: FeeTable, parts: list[_Specialty],
              instance: Instance, result: Any, limits: Limits,
              excluded: list[Excluded]) -> Plan:
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
        programs=[r[1] for r in rows], curve=curve(result), excluded=excluded,
        notes=_notes(fees, parts, result, limits), stop_reason=result.stop_reason,
        budget_usd=limits.budget_usd, target_p_match=limits.target_p_match,
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


def _planned(part: _Specialty, i: int, level: int, q: float, interval: tuple[float, float],
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


def _notes(fees: FeeTable, parts: list[_Specialty], result: Any, limits: Limits) -> list[str]:
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
