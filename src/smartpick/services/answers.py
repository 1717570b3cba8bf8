"""Eligibility, USCE and program answers: thin calls into the library, shared by both faces.

Each function takes validated input (a :class:`Profile`, ids, text) and returns JSON-ready
data; none holds a rule of its own.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from smartpick.applicant.profile import Profile
from smartpick.applicant.seasons import Season
from smartpick.applicant.usce import usce_metrics
from smartpick.catalog.search import ProgramQuery
from smartpick.catalog.store import Catalog
from smartpick.errors import NotFoundError, ValidationProblem
from smartpick.rules.check import check_all
from smartpick.rules.extract import extract_requirements
from smartpick.rules.gaps import usce_gaps

MAX_CHECK_IDS = 200


def check_programs(catalog: Catalog, profile: Profile, program_ids: list[str],
                   season: Season) -> list[dict[str, Any]]:
    """The verdict, with one reason per rule, for each program id (in the order given)."""
    wanted = [p.strip() for p in program_ids]
    found = {p.program_id: p for p in catalog.get_many(wanted)}
    missing = [p for p in wanted if p not in found]
    if missing:
        raise NotFoundError("unknown program ids", [
            ValidationProblem("program_ids", f"no program with id {m!r}") for m in missing])
    programs = [found[p] for p in wanted]
    verdicts = check_all(profile, programs, season)
    return [{**v.to_dict(), "name": p.value("name"), "summary": v.summary()}
            for p, v in zip(programs, verdicts, strict=True)]


def usce_report(catalog: Catalog, profile: Profile, season: Season,
                specialties: list[str] | None = None,
                reference_date: date | None = None) -> dict[str, Any]:
    """The ledger's metrics and, per target specialty, the USCE gap report."""
    reference = reference_date or season.application_date
    names = specialties or profile.target_specialties()
    gaps = []
    for name in names:
        programs = catalog.search(ProgramQuery(specialty=name))
        gaps += usce_gaps(profile, programs, season, reference)
    return {"season": season.year, "reference_date": reference.isoformat(),
            "metrics": usce_metrics(profile, reference).to_dict(),
            "gaps": [g.to_dict() for g in gaps]}


def extracted(text: str, time_limit: float | None = None) -> dict[str, Any]:
    """The requirements read from ``text``; past ``time_limit`` seconds, a 422 naming it."""
    return {"requirements": [r.to_dict() for r in extract_requirements(text, time_limit)]}


def program_detail(catalog: Catalog, program_id: str) -> dict[str, Any]:
    """Every field with its provenance, plus the NRMP quota history of its codes."""
    program = catalog.get(program_id)
    data = program.to_dict()
    codes = str(program.value("nrmp_codes") or "").split()
    data["quota_history"] = [{"program_code": code, "year": y, "quota": q, "matched": m}
                             for code in codes for y, q, m in catalog.quota_history(code)]
    return data
