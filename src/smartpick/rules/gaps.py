"""The USCE gap report: programs closed to the applicant only by USCE rules, and the smallest
addition of USCE that opens them.

For every program whose only failed strict rules are USCE rules, the report tries a new
hands-on rotation in the program's specialty, ending on the reference date (the day programs
receive applications), one month (four weeks) longer at each step up to ``max_months``. The
first length that removes every USCE exclusion is the program's need; the same
:func:`~smartpick.rules.check.check_requirements` decides, so the report and the verdicts
always agree. Options are cumulative: "2 more months" opens every program that needs 1 or 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from smartpick.applicant.profile import Profile, UsceEntry
from smartpick.applicant.seasons import Season
from smartpick.applicant.usce import DAYS_PER_WEEK, WEEKS_PER_MONTH, window_start
from smartpick.catalog.program import Program
from smartpick.rules.check import check_requirements
from smartpick.rules.context import ApplicantContext, applicant_context
from smartpick.rules.requirements import Requirements, requirements_of
from smartpick.rules.verdict import VerdictStatus

USCE_RULES = frozenset({"usce_required", "usce_min_months", "usce_hands_on_only",
                        "usce_recency_months"})
MAX_MONTHS = 12


@dataclass(frozen=True)
class GapOption:
    """Adding ``months`` of hands-on USCE in ``specialty`` opens ``program_ids``."""

    specialty: str
    months: int
    end_by: date
    start_after: date | None  # the strictest recency window among the programs opened
    program_ids: tuple[str, ...]

    def sentence(self) -> str:
        n = len(self.program_ids)
        window = f", started on or after {self.start_after}" if self.start_after else ""
        return (f"{self.months} more month{'s' if self.months != 1 else ''} of hands-on "
                f"{self.specialty} USCE ending by {self.end_by}{window} opens {n} "
                f"program{'s' if n != 1 else ''}")

    def to_dict(self) -> dict[str, Any]:
        return {"specialty": self.specialty, "months": self.months,
                "end_by": self.end_by.isoformat(),
                "start_after": self.start_after.isoformat() if self.start_after else None,
                "programs_opened": len(self.program_ids), "program_ids": list(self.program_ids),
                "text": self.sentence()}


@dataclass(frozen=True)
class GapReport:
    specialty: str
    reference_date: date
    programs_checked: int
    closed_by_usce_only: tuple[str, ...]
    options: tuple[GapOption, ...] = field(default_factory=tuple)
    beyond_reach: tuple[str, ...] = ()  # need more than the longest addition tried

    def to_dict(self) -> dict[str, Any]:
        return {"specialty": self.specialty, "reference_date": self.reference_date.isoformat(),
                "programs_checked": self.programs_checked,
                "closed_by_usce_only": list(self.closed_by_usce_only),
                "options": [o.to_dict() for o in self.options],
                "beyond_reach": list(self.beyond_reach)}


def usce_gaps(profile: Profile, programs: Iterable[Program], season: Season | None = None,
              reference_date: date | None = None, max_months: int = MAX_MONTHS) -> list[GapReport]:
    """One report per specialty among ``programs`` (in the order first seen)."""
    ctx = applicant_context(profile, season, reference_date)
    by_specialty: dict[str, list[Requirements]] = {}
    for program in programs:
        specialty = str(program.value("specialty") or "unspecified")
        by_specialty.setdefault(specialty, []).append(requirements_of(program))
    return [_report(ctx, specialty, reqs, max_months) for specialty, reqs in by_specialty.items()]


def closed_by_usce_only(ctx: ApplicantContext, reqs: Requirements) -> bool:
    verdict = check_requirements(ctx, reqs)
    rules = {r.rule for r in verdict.exclusions}
    return verdict.status is VerdictStatus.INELIGIBLE and rules <= USCE_RULES


def _report(ctx: ApplicantContext, specialty: str, reqs: list[Requirements],
            max_months: int) -> GapReport:
    closed = [r for r in reqs if closed_by_usce_only(ctx, r)]
    needs: dict[str, int] = {}
    pending = closed
    for months in range(1, max_months + 1):
        trial = _with_rotation(ctx, specialty, months)
        still = []
        for r in pending:
            opened = not any(x.rule in USCE_RULES for x in check_requirements(trial, r).exclusions)
            if opened:
                needs[r.program_id] = months
            else:
                still.append(r)
        pending = still
        if not pending:
            break
    options = _options(ctx, specialty, closed, needs)
    return GapReport(specialty, ctx.reference_date, len(reqs),
                     tuple(r.program_id for r in closed), options,
                     tuple(r.program_id for r in pending))


def _options(ctx: ApplicantContext, specialty: str, closed: list[Requirements],
             needs: dict[str, int]) -> tuple[GapOption, ...]:
    options = []
    for months in sorted(set(needs.values())):
        opened = [r for r in closed if needs.get(r.program_id, months + 1) <= months]
        windows = [float(r.value("usce_recency_months")) for r in opened
                   if r.value("usce_recency_months") is not None]
        start_after = window_start(ctx.reference_date, min(windows)) if windows else None
        options.append(GapOption(specialty, months, ctx.reference_date, start_after,
                                 tuple(r.program_id for r in opened)))
    return tuple(options)


def _with_rotation(ctx: ApplicantContext, specialty: str, months: int) -> ApplicantContext:
    """The applicant with a hands-on rotation of ``months`` ending on the reference date."""
    days = months * WEEKS_PER_MONTH * DAYS_PER_WEEK
    entry = UsceEntry.model_construct(
        kind="hands_on", specialty=specialty, setting=None, state=None,
        start=ctx.reference_date - timedelta(days=days - 1), end=ctx.reference_date,
        us_letter=False, goals=None, cases=[], feedback=None)
    profile = ctx.profile.model_copy(update={"usce": [*ctx.profile.usce, entry]})
    return replace(ctx, profile=profile)
