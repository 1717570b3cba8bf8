"""Candidate programs of each target specialty, read once per catalog and reused by every plan.

What does not depend on the applicant is kept per specialty: the catalog's programs of the
specialty, their requirements (what the rules read) and their model arrays (facts at the
nodes of their priors). Plans, and the what-ifs of a plan, take their candidates from here,
so the catalog is read, requirements are parsed and arrays are built once per specialty.
Verdicts depend on the applicant and the season; the pool keeps those of the last few
applicants, so a plan whose applicant facts are unchanged (another budget or target, an added
specialty) reuses them.

A pool lives as long as its catalog object (:func:`pool_for`), which it does not keep alive;
after `smartpick db build` a new :class:`~smartpick.catalog.store.Catalog` gives a new pool.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from dataclasses import dataclass, replace

from smartpick.applicant.profile import Profile
from smartpick.applicant.seasons import Season
from smartpick.catalog.program import Program
from smartpick.catalog.search import ProgramQuery
from smartpick.catalog.store import Catalog
from smartpick.errors import DataError
from smartpick.model import load_model
from smartpick.model.program_arrays import ProgramArrays
from smartpick.rules.check import check_requirements
from smartpick.rules.context import ApplicantContext, applicant_context
from smartpick.rules.requirements import Requirements, requirements_of
from smartpick.rules.verdict import Verdict

KEPT_APPLICANTS = 8  # verdict sets kept per pool (most recent first out)
_LIMITS = {"targets", "budget_usd", "target_p_match"}  # profile fields verdicts never read


@dataclass(frozen=True)
class SpecialtyCandidates:
    """Every catalog program of one specialty, with what the rules and the model read.

    ``same_rules[i]`` is the first program whose requirements read exactly like program
    ``i``'s (itself if none before): programs stating the same requirements get the same
    verdict, so each distinct set is checked once.
    """

    name: str
    programs: tuple[Program, ...]
    requirements: tuple[Requirements, ...]
    arrays: ProgramArrays
    same_rules: tuple[int, ...]


def _same_rules(requirements: tuple[Requirements, ...]) -> tuple[int, ...]:
    first: dict[str, int] = {}
    return tuple(first.setdefault(repr((r.items, r.unreadable)), i)
                 for i, r in enumerate(requirements))


def applicant_key(profile: Profile) -> str:
    """The profile's applicant facts and preferences (not its targets or limits), as text."""
    return profile.model_dump_json(exclude=_LIMITS)


class CandidatePool:
    """Candidates per specialty and verdicts per applicant, for one catalog."""

    def __init__(self, catalog: Catalog):
        self._catalog = weakref.ref(catalog)  # the pool must not keep its catalog alive
        self._specialties: dict[str, SpecialtyCandidates] = {}
        self._verdicts: OrderedDict[tuple[str, str, int], tuple[Verdict, ...]] = OrderedDict()

    @property
    def catalog(self) -> Catalog:
        catalog = self._catalog()
        if catalog is None:
            raise DataError("the catalog of these candidates is closed; open it again")
        return catalog

    def specialty(self, name: str) -> SpecialtyCandidates:
        """The candidates of canonical specialty ``name`` (read on first use)."""
        found = self._specialties.get(name)
        if found is None:
            programs = tuple(self.catalog.search(ProgramQuery(specialty=name)))
            requirements = tuple(requirements_of(p) for p in programs)
            found = SpecialtyCandidates(name, programs, requirements,
                                        load_model().arrays(programs, name),
                                        _same_rules(requirements))
            self._specialties[name] = found
        return found

    def verdicts(self, profile: Profile, name: str, season: Season) -> tuple[Verdict, ...]:
        """The verdict of every candidate of ``name`` for this applicant in ``season``."""
        key = (applicant_key(profile), name, season.year)
        found = self._verdicts.get(key)
        if found is None:
            found = _check(applicant_context(profile, season), self.specialty(name))
            self._verdicts[key] = found
            while len(self._verdicts) > KEPT_APPLICANTS:
                self._verdicts.popitem(last=False)
        self._verdicts.move_to_end(key)
        return found


def _check(ctx: ApplicantContext, found: SpecialtyCandidates) -> tuple[Verdict, ...]:
    """Verdicts of every candidate: one check per distinct set of requirements."""
    checked: dict[int, Verdict] = {}
    out = []
    for reqs, first in zip(found.requirements, found.same_rules, strict=True):
        verdict = checked.get(first)
        if verdict is None:
            verdict = checked[first] = check_requirements(ctx, reqs)
        out.append(verdict if verdict.program_id == reqs.program_id
                   else replace(verdict, program_id=reqs.program_id))
    return tuple(out)


_POOLS: weakref.WeakKeyDictionary[Catalog, CandidatePool] = weakref.WeakKeyDictionary()


def pool_for(catalog: Catalog) -> CandidatePool:
    """The pool of ``catalog`` (one per catalog object, made on first use)."""
    pool = _POOLS.get(catalog)
    if pool is None:
        pool = _POOLS[catalog] = CandidatePool(catalog)
    return pool
