"""Candidate programs of each target specialty, read once per catalog and reused by every plan.

What does not depend on the applicant is kept per specialty: the catalog's programs of the
specialty, their requirements (what the rules read) and their model arrays (facts at the
nodes of their priors). Plans, and the what-ifs of a plan, take their candidates from here,
so the catalog is read, requirements are parsed and arrays are built once per specialty.
Verdicts depend on the applicant and the season; the pool keeps those of the last few
applicants, so a plan whose applicant facts are unchanged (another budget or target, an added
specialty) reuses them.

A pool belongs to one :class:`~smartpick.services.planner.Planner` (one catalog, one model);
plans running in parallel threads share it under its lock. Work is done outside the lock, so
two threads may both compute the same entry; the first one stored wins.

Given a :class:`DiskCache` (a folder and a stamp naming the catalog's version and the model's
parameters), the prepared candidates of each specialty are also kept on disk, so a new
process (a CLI command) reads them in one go instead of reading the catalog and building
arrays; the catalog itself is then not even opened. A rebuilt catalog or refitted model has
another stamp, so stale files are never read. The folder is the user's own ``$SMARTPICK_HOME``.
"""

from __future__ import annotations

import os
import pickle
import re
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from smartpick.applicant.profile import Profile
from smartpick.applicant.seasons import Season
from smartpick.catalog.program import Program
from smartpick.model import Model
from smartpick.model.program_arrays import ProgramArrays
from smartpick.rules.check import check_requirements
from smartpick.rules.context import ApplicantContext, applicant_context
from smartpick.rules.requirements import Requirements, requirements_of
from smartpick.rules.verdict import Verdict

if TYPE_CHECKING:
    from smartpick.catalog.store import Catalog

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


@dataclass(frozen=True)
class DiskCache:
    """Where prepared candidates are kept, and the stamp of what they were made from."""

    folder: Path
    stamp: str

    def path(self, specialty: str) -> Path:
        slug = re.sub(r"[^a-z0-9]+", "-", specialty.lower()).strip("-")
        return self.folder / f"candidates-{self.stamp}-{slug}.pickle"

    def load(self, specialty: str) -> SpecialtyCandidates | None:
        try:
            found = pickle.loads(self.path(specialty).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            return None
        return found if isinstance(found, SpecialtyCandidates) else None

    def store(self, found: SpecialtyCandidates) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                pickle.dump(found, out, protocol=pickle.HIGHEST_PROTOCOL)
            target = self.path(found.name)
            os.replace(tmp, target)
            same_specialty = target.name.split("-", 2)[2]
            for old in self.folder.glob("candidates-*.pickle"):
                if old != target and old.name.split("-", 2)[2] == same_specialty:
                    old.unlink(missing_ok=True)  # made from an older catalog or model
        except OSError:
            pass  # a cache that cannot be written is only slower


class CandidatePool:
    """Candidates per specialty and verdicts per applicant, for one catalog and model.

    ``catalog`` is the catalog or a function opening it (called on the first read that the
    disk cache does not answer).
    """

    def __init__(self, catalog: Catalog | Callable[[], Catalog], model: Model,
                 kept_applicants: int = KEPT_APPLICANTS, disk: DiskCache | None = None):
        self._catalog = catalog
        self.model = model
        self.kept_applicants = kept_applicants
        self.disk = disk
        self._lock = threading.Lock()
        self._specialties: dict[str, SpecialtyCandidates] = {}
        self._verdicts: OrderedDict[tuple[str, str, int], tuple[Verdict, ...]] = OrderedDict()

    @property
    def catalog(self) -> Catalog:
        if callable(self._catalog):
            self._catalog = self._catalog()
        return self._catalog

    def specialty(self, name: str) -> SpecialtyCandidates:
        """The candidates of canonical specialty ``name`` (read on first use)."""
        with self._lock:
            found = self._specialties.get(name)
        if found is None:
            made = self.disk.load(name) if self.disk is not None else None
            if made is None:
                made = self._read(name)
                if self.disk is not None:
                    self.disk.store(made)
            with self._lock:
                found = self._specialties.setdefault(name, made)
        return found

    def _read(self, name: str) -> SpecialtyCandidates:
        from smartpick.catalog.search import ProgramQuery

        programs = tuple(self.catalog.search(ProgramQuery(specialty=name)))
        requirements = tuple(requirements_of(p) for p in programs)
        return SpecialtyCandidates(name, programs, requirements,
                                   self.model.arrays(programs, name), _same_rules(requirements))

    def verdicts(self, profile: Profile, name: str, season: Season) -> tuple[Verdict, ...]:
        """The verdict of every candidate of ``name`` for this applicant in ``season``."""
        key = (applicant_key(profile), name, season.year)
        with self._lock:
            found = self._verdicts.get(key)
            if found is not None:
                self._verdicts.move_to_end(key)
                return found
        made = _check(applicant_context(profile, season), self.specialty(name))
        with self._lock:
            found = self._verdicts.setdefault(key, made)
            self._verdicts.move_to_end(key)
            while len(self._verdicts) > self.kept_applicants:
                self._verdicts.popitem(last=False)
        return found

    def verdicts_at(self, profile: Profile, name: str, season: Season,
                    index: list[int]) -> tuple[Verdict, ...]:
        """The verdicts of the candidates at ``index`` only (checked now, not kept): a
        what-if needs those of the few programs it plans with."""
        found = self.specialty(name)
        return _check(applicant_context(profile, season), found, index)


def _check(ctx: ApplicantContext, found: SpecialtyCandidates,
           index: list[int] | None = None) -> tuple[Verdict, ...]:
    """Verdicts of every candidate (or of those at ``index``): one check per distinct set of
    requirements."""
    checked: dict[int, Verdict] = {}
    out = []
    rows = range(len(found.requirements)) if index is None else index
    for i in rows:
        reqs, first = found.requirements[i], found.same_rules[i]
        verdict = checked.get(first)
        if verdict is None:
            verdict = checked[first] = check_requirements(ctx, reqs)
        out.append(verdict if verdict.program_id == reqs.program_id
                   else replace(verdict, program_id=reqs.program_id))
    return tuple(out)
