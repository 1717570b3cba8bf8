"""One target specialty of a plan: its open candidates and the model's chances at each.

Candidates come from the :class:`~smartpick.plan.candidates.CandidatePool`, with their
verdicts. A program in a state the profile avoids, or failing a strict rule, is excluded with
the rule named. For the rest the model draws correlated scenarios: in each, one parameter
draw, one applicant shock and one value of every unknown program fact, and given those each
program's chance of success (interview and match) with no signal, a silver and a gold signal.
The same seed in every specialty means one applicant shock runs through the whole plan.

Utility (what a match is worth to the applicant) is 1 for a program that meets every stated
preference; 0.9 for each of: a state not among the liked states (when some are listed), a
program type not among the liked types (when some are listed); times 0.8 for a backup
specialty. With no preferences the objective is plain P(match).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from smartpick.applicant.profile import Profile
from smartpick.applicant.seasons import Season
from smartpick.catalog.program import Program
from smartpick.model import ApplicantFeatures, Model, features_from_profile
from smartpick.model.program_arrays import ProgramArrays, take
from smartpick.model.scenarios import draw_signal_scenarios
from smartpick.plan.candidates import CandidatePool
from smartpick.plan.fees import FeeTable
from smartpick.plan.optimize import Group, Instance
from smartpick.plan.result import Excluded
from smartpick.plan.signals import SignalRule, signal_rule
from smartpick.rules.verdict import Verdict, VerdictStatus


@dataclass(frozen=True)
class Subset:
    """The candidates a what-if plans with: their indices in the pool's specialty, and the
    ids (in order) of the plan's own part, whose scenario draws they share."""

    index: tuple[int, ...]
    drawn_with: tuple[str, ...]


@dataclass(frozen=True)
class SpecialtyChances:
    """One target specialty's open candidates and everything the model says about them.

    ``scenarios`` maps none / silver / gold to (S, J) chances (transposes of program-major
    arrays). A part is shared by every plan of the same applicant, so nothing here changes
    after it is made.
    """

    name: str
    role: str
    rule: SignalRule
    programs: list[Program]
    verdicts: list[Verdict]
    excluded: list[Excluded]
    features: ApplicantFeatures
    arrays: ProgramArrays
    misses: NDArray[np.int64]
    utility: NDArray[np.float64]
    scenarios: dict[str, NDArray[np.float64]]


def specialty_chances(profile: Profile, specialty: str, role: str, season: Season,
                      n_scenarios: int, seed: int, pool: CandidatePool, model: Model,
                      data_dir: Path, only: Subset | None = None) -> SpecialtyChances:
    """The open candidates of canonical ``specialty`` and their scenario chances.

    ``only``: those candidates alone (a what-if plans with the programs that can matter to
    it, and draws chances for those alone, on the plan's own draws)."""
    found = pool.specialty(specialty)
    index = list(range(len(found.programs))) if only is None else sorted(set(only.index))
    verdicts = (pool.verdicts(profile, specialty, season) if only is None
                else pool.verdicts_at(profile, specialty, season, index))
    excluded: list[Excluded] = []
    keep: list[int] = []
    for i, verdict in zip(index, verdicts, strict=True):
        program = found.programs[i]
        out = _exclusion(profile, program, verdict, specialty)
        if out:
            excluded.append(out)
        else:
            keep.append(i)
    programs = [found.programs[i] for i in keep]
    verdict_of = dict(zip(index, verdicts, strict=True))
    kept = [verdict_of[i] for i in keep]
    features = features_from_profile(profile, specialty, season.application_date)
    arrays = take(found.arrays, np.array(keep, dtype=np.int64))
    misses = np.array([len(v.preferred_misses) for v in kept], dtype=np.int64)
    among = None
    if only is not None:
        at = {pid: k for k, pid in enumerate(only.drawn_with)}
        among = (len(only.drawn_with), np.array([at.get(p.program_id, -1) for p in programs],
                                                dtype=np.int64))
    drawn = draw_signal_scenarios(features, arrays, n_scenarios, seed, misses, model.params,
                                  outcome="prob", among=among) if programs else {}
    scen = {kind: np.asarray(chances, dtype=np.float64) for kind, chances in drawn.items()}
    factor = chance_factors(kept)
    if np.any(factor < 1.0):  # doubtful strict rules: a risk to the chance, not an exclusion
        scen = {kind: chances * factor[None, :] for kind, chances in scen.items()}
    return SpecialtyChances(specialty, role, signal_rule(specialty, season.year, data_dir),
                            programs,
                            kept, excluded, features, arrays, misses,
                            _utility(profile, programs, role), scen)


def chance_factors(verdicts: list[Verdict]) -> NDArray[np.float64]:
    """Per program, the share of its chance kept after rules that may apply but are unconfirmed.

    A strict rule the applicant misses on a fact that cannot exclude (read by the automatic
    reader, inferred, estimated or disputed) is counted as the chance that the rule holds
    (:attr:`~smartpick.rules.verdict.Verdict.chance_factor`), independent of the rest.
    """
    return np.array([v.chance_factor for v in verdicts], dtype=np.float64)


def _exclusion(profile: Profile, program: Program, verdict: Verdict,
               specialty: str) -> Excluded | None:
    name = str(program.value("name") or "")
    state = program.value("state")
    if state and state in set(profile.preferences.avoid_states):
        return Excluded(program_id=program.program_id, name=name, specialty=specialty,
                        rule="avoid_states", reason=f"in {state}, a state you avoid")
    if verdict.status is VerdictStatus.INELIGIBLE:
        first = verdict.exclusions[0]
        return Excluded(program_id=program.program_id, name=name, specialty=specialty,
                        rule=first.rule, reason=first.text())
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


def plan_instance(parts: list[SpecialtyChances], fees: FeeTable) -> Instance:
    """The search problem of a plan: every part's programs, one group (fee tiers) each.

    With one part the instance reads the part's arrays (no copy); with several their chances
    are stacked into one program-major array per signal level, owned by this instance. The
    parts are left as they are: other plans share them.
    """

    def stack(kind: str) -> NDArray[np.float64]:
        if len(parts) == 1:
            return parts[0].scenarios[kind]
        joined = np.vstack([np.asarray(p.scenarios[kind], dtype=np.float64).T for p in parts])
        return joined.T  # (S, J) view of program-major data

    group = np.concatenate([np.full(len(p.programs), g) for g, p in enumerate(parts)])
    groups = tuple(Group(p.name, fees.schedule, p.rule.gold, p.rule.silver) for p in parts)
    return Instance(stack("none"), group.astype(np.int64), groups,
                    silver_prob=stack("silver"), gold_prob=stack("gold"),
                    utility=np.concatenate([p.utility for p in parts]))
