"""A market with the NRMP's extensions: supplemental lists and couples (named input).

- **Supplemental list.** A single applicant whose primary list holds advanced (PGY-2)
  tracks may give a second list of PGY-1 tracks. It is used only while the applicant is
  tentatively matched to an advanced track, and it is dropped again if that match is lost.
- **Couple.** Two applicants submit one joint list of pairs of programs, either side of a
  pair possibly ``None`` ("no position for this partner"). A couple matches a pair only
  if both programs take their partner; programs rank partners as individuals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from smartpick.errors import InputError, ValidationProblem

Pair = tuple[str | None, str | None]


@dataclass(frozen=True)
class ExtendedMarket:
    capacities: Mapping[str, int]
    program_prefs: Mapping[str, Sequence[str]]
    singles: Mapping[str, Sequence[str]]
    supplemental: Mapping[str, Sequence[str]] = field(default_factory=dict)
    advanced: frozenset[str] = frozenset()
    couples: Mapping[tuple[str, str], Sequence[Pair]] = field(default_factory=dict)

    def applicants(self) -> list[str]:
        members = [m for couple in self.couples for m in couple]
        return [*self.singles, *members]

    def validate(self) -> None:
        """Raise :class:`InputError` naming the first problem found."""
        for name, cap in self.capacities.items():
            if cap < 0:
                _fail("capacities", f"program {name!r} has negative capacity {cap}")
        self._check_people()
        programs = set(self.capacities)
        people = set(self.applicants())
        for p, ranked in self.program_prefs.items():
            _known(p, programs, "program_prefs", "program")
            _distinct(f"program {p!r}", ranked, people, "applicant", "program_prefs")
        for a, ranked in self.singles.items():
            _distinct(f"applicant {a!r}", ranked, programs, "program", "singles")
        self._check_supplemental(programs)
        for couple, pairs in self.couples.items():
            self._check_couple(couple, pairs, programs)

    def _check_people(self) -> None:
        seen: set[str] = set()
        for person in self.applicants():
            if person in seen:
                _fail("couples", f"applicant {person!r} appears twice (single or in a couple)")
            seen.add(person)

    def _check_supplemental(self, programs: set[str]) -> None:
        for p in self.advanced:
            _known(p, programs, "advanced", "program")
        for a, ranked in self.supplemental.items():
            _known(a, set(self.singles), "supplemental", "single applicant")
            _distinct(f"supplemental list of {a!r}", ranked, programs, "program", "supplemental")
            for p in ranked:
                if p in self.advanced:
                    message = f"supplemental list of {a!r} names advanced program {p!r}"
                    _fail("supplemental", message)

    def _check_couple(
        self, couple: tuple[str, str], pairs: Sequence[Pair], programs: set[str]
    ) -> None:
        if len(set(pairs)) != len(pairs):
            _fail("couples", f"couple {couple!r} ranks the same pair twice")
        for pair in pairs:
            for p in pair:
                if p is not None:
                    _known(p, programs, "couples", "program", owner=f"couple {couple!r}")


def _distinct(owner: str, ranked: Sequence[str], known: set[str], kind: str, where: str) -> None:
    seen: set[str] = set()
    for item in ranked:
        _known(item, known, where, kind, owner=owner)
        if item in seen:
            _fail(where, f"{owner} ranks {kind} {item!r} twice")
        seen.add(item)


def _known(item: str, known: set[str], where: str, kind: str, owner: str = "") -> None:
    if item not in known:
        prefix = f"{owner} ranks " if owner else ""
        _fail(where, f"{prefix}unknown {kind} {item!r}")


def _fail(where: str, message: str) -> None:
    raise InputError(message, [ValidationProblem(where, message)])
