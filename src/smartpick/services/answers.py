"""Eligibility, USCE and program answers: thin calls into the library, shared by both faces.

Each function takes validated input (a :class:`Profile`, ids, text); none holds a rule of its
own. Verdicts are typed (:class:`ProgramVerdict`): ``POST /api/check`` answers them and
``smartpick check`` prints them, as a table or as the same JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from smartpick.applicant.profile import Profile
from smartpick.applicant.seasons import Season
from smartpick.applicant.usce import usce_metrics
from smartpick.catalog.program import Program, track_summary
from smartpick.catalog.search import ProgramQuery
from smartpick.catalog.store import Catalog
from smartpick.errors import NotFoundError, ValidationProblem
from smartpick.rules.check import check_all
from smartpick.rules.extract import extract_requirements
from smartpick.rules.gaps import GapReport, usce_gaps
from smartpick.rules.verdict import Reason, Verdict

MAX_CHECK_IDS = 200


class CheckAnswer(BaseModel):
    """What ``POST /api/check`` answers."""

    season: int
    verdicts: list[ProgramVerdict]


class RuleReason(BaseModel):
    """One rule of one program, checked against the applicant."""

    model_config = ConfigDict(frozen=True)

    rule: str
    label: str
    outcome: str  # met | missed | unknown
    applicant: str
    program: Any = None
    strictness: str | None = None
    source: str | None = None
    as_of: str | None = None
    status: str
    might_fail: bool
    note: str | None = None
    text: str  # the reason in one line
    excludes: bool = False  # a strict rule missed on a fact that can exclude
    open_question: bool = False  # a rule the program does not state, which might fail

    @classmethod
    def of(cls, reason: Reason) -> RuleReason:
        return cls(**reason.to_dict(), text=reason.text(), excludes=reason.excludes,
                   open_question=reason.open_question)


class ProgramVerdict(BaseModel):
    """Eligible, ineligible or unverified for one program, with one reason per rule."""

    model_config = ConfigDict(frozen=True)

    program_id: str
    name: str | None = None
    specialty: str | None = None
    city: str | None = None
    state: str | None = None
    verdict: str  # eligible | ineligible | unverified
    summary: str
    reasons: list[RuleReason]

    @classmethod
    def of(cls, program: Program, verdict: Verdict) -> ProgramVerdict:
        return cls(program_id=program.program_id, name=program.value("name"),
                   specialty=program.value("specialty"), city=program.value("city"),
                   state=program.value("state"),
                   verdict=verdict.status.value, summary=verdict.summary(),
                   reasons=[RuleReason.of(r) for r in verdict.reasons])


def verdicts_for(profile: Profile, programs: Iterable[Program], season: Season,
                 reference_date: date | None = None) -> list[ProgramVerdict]:
    """The typed verdict of each program, in order."""
    programs = list(programs)
    verdicts = check_all(profile, programs, season, reference_date)
    return [ProgramVerdict.of(p, v) for p, v in zip(programs, verdicts, strict=True)]


def check_programs(catalog: Catalog, profile: Profile, program_ids: list[str],
                   season: Season, reference_date: date | None = None) -> list[ProgramVerdict]:
    """The verdict, with one reason per rule, for each program id (in the order given)."""
    wanted = [p.strip() for p in program_ids]
    found = {p.program_id: p for p in catalog.get_many(wanted)}
    missing = [p for p in wanted if p not in found]
    if missing:
        raise NotFoundError("unknown program ids", [
            ValidationProblem("program_ids", f"no program with id {m!r}") for m in missing])
    return verdicts_for(profile, [found[p] for p in wanted], season, reference_date)


def check_specialties(catalog: Catalog, profile: Profile, specialties: list[str],
                      season: Season, reference_date: date | None = None
                      ) -> list[ProgramVerdict]:
    """The verdict of every catalog program of each specialty (canonical names)."""
    programs = [p for name in specialties for p in catalog.search(ProgramQuery(specialty=name))]
    return verdicts_for(profile, programs, season, reference_date)


def usce_report(catalog: Catalog, profile: Profile, season: Season,
                specialties: list[str] | None = None,
                reference_date: date | None = None) -> dict[str, Any]:
    """The ledger's metrics and, per target specialty, the USCE gap report."""
    reference = reference_date or season.application_date
    gaps = gap_reports(catalog, profile, season, reference, specialties)
    return {"season": season.year, "reference_date": reference.isoformat(),
            "metrics": usce_metrics(profile, reference).to_dict(),
            "gaps": [g.to_dict() for g in gaps]}


def gap_reports(catalog: Catalog, profile: Profile, season: Season, reference: date,
                specialties: list[str] | None = None) -> list[GapReport]:
    """Per specialty (canonical names; default: the profile's targets), the programs closed
    to the applicant only by USCE rules and the USCE that opens them."""
    gaps: list[GapReport] = []
    for name in specialties or profile.target_specialties():
        programs = catalog.search(ProgramQuery(specialty=name))
        gaps += usce_gaps(profile, programs, season, reference)
    return gaps


def extracted(text: str, time_limit: float | None = None) -> dict[str, Any]:
    """The requirements read from ``text``; past ``time_limit`` seconds, a 422 naming it."""
    return {"requirements": [r.to_dict() for r in extract_requirements(text, time_limit)]}


def program_detail(catalog: Catalog, program_id: str) -> dict[str, Any]:
    """Every field with its provenance, plus the NRMP quota history of its codes and the
    NRMP tracks the program holds (code, type, title, positions and year, link rule)."""
    program = catalog.get(program_id)
    data = program.to_dict()
    codes = str(program.value("nrmp_codes") or "").split()
    data["quota_history"] = [{"program_code": code, "year": y, "quota": q, "matched": m}
                             for code in codes for y, q, m in catalog.quota_history(code)]
    data["tracks"] = [track_summary(t) for t in catalog.tracks_of(program.program_id)]
    return data


CheckAnswer.model_rebuild()
