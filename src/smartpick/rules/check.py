"""``check(applicant, program)``: is the program open to the applicant, and why.

One :class:`~smartpick.rules.verdict.Reason` per rule: visa, years since graduation, Step 1,
Step 2 CK and Step 3, exam attempts, the USCE rules, ECFMG certification and letters. A strict
rule the applicant fails makes the program ``ineligible``; a preferred rule missed is recorded
(it lowers chances) but does not exclude; a rule the program's sources do not give, which the
applicant might fail, makes it ``unverified``. docs/eligibility.md states each rule.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import date

from smartpick.applicant.profile import Profile
from smartpick.applicant.seasons import Season
from smartpick.catalog.program import Program
from smartpick.rules.context import ApplicantContext, applicant_context
from smartpick.rules.deadlines import ecfmg_deadline
from smartpick.rules.requirements import (
    FOR_H1B,
    NO,
    Requirement,
    Requirements,
    requirements_of,
)
from smartpick.rules.usce_rules import usce_reasons
from smartpick.rules.verdict import (
    Reason,
    Verdict,
    applicant_unknown,
    decide,
    known_reason,
    not_applicable,
    unknown_reason,
)

Rule = Callable[[ApplicantContext, Requirements], Reason]
EXAMS_WITH_ATTEMPTS = 3  # Step 1, Step 2 CK, Step 3


def check(applicant: Profile | ApplicantContext, program: Program,
          season: Season | None = None, reference_date: date | None = None) -> Verdict:
    """The verdict for one program, with one reason per rule checked."""
    ctx = applicant if isinstance(applicant, ApplicantContext) else applicant_context(
        applicant, season, reference_date)
    return check_requirements(ctx, requirements_of(program))


def check_all(applicant: Profile, programs: Iterable[Program], season: Season | None = None,
              reference_date: date | None = None) -> list[Verdict]:
    ctx = applicant_context(applicant, season, reference_date)
    return [check_requirements(ctx, requirements_of(p)) for p in programs]


def check_requirements(ctx: ApplicantContext, reqs: Requirements) -> Verdict:
    reasons = _closed(ctx, reqs) + [rule(ctx, reqs) for rule in PROFILE_RULES]
    reasons += usce_reasons(ctx, reqs)
    reasons += [rule(ctx, reqs) for rule in CERTIFICATION_RULES]
    return decide(reqs.program_id, reasons)


# --- open to applications ---------------------------------------------------------------------

_CLOSED = {"not_accepting": "not accepting applications", "no_positions": "0 positions"}


def _closed(ctx: ApplicantContext, reqs: Requirements) -> list[Reason]:
    """A program not accepting applications, or with 0 positions, is closed to everyone: one
    strict reason whose rule is ``not_accepting`` or ``no_positions`` (none when open)."""
    req = reqs.get("open_status")
    if req is None or req.value not in _CLOSED:
        return []
    reason = known_reason(str(req.value), "Open to applications", req, False, "applying",
                          program=_CLOSED[str(req.value)])
    return [dataclasses.replace(reason, firm=True)]  # closed to everyone, whatever its status


# --- visa -----------------------------------------------------------------------------------

def visa_rule(ctx: ApplicantContext, reqs: Requirements) -> Reason:
    visa = ctx.profile.visa
    label = "Visa"
    if visa == "none":
        return not_applicable("visa", label, "needs no visa")
    routes = {"j1": ["j1"], "h1b": ["h1b"], "j1_or_h1b": ["j1", "h1b"]}[visa]
    answers = [_visa_answer(reqs, route) for route in routes]
    fact = {"j1": "needs J-1", "h1b": "needs H-1B", "j1_or_h1b": "needs J-1 or H-1B"}[visa]
    accepted = next((a for a in answers if a[0] is True), None)
    if accepted is not None:
        return _visa_reason(reqs, accepted[1], True, fact, accepted[2])
    if all(a[0] is False for a in answers):
        shown = "; ".join(dict.fromkeys(a[2] for a in answers))
        return _visa_reason(reqs, answers[0][1], False, fact, shown)
    return unknown_reason("visa", label, fact, might_fail=True, note=_visa_known_note(answers))


def _visa_reason(reqs: Requirements, field: str, met: bool, fact: str, shown: str) -> Reason:
    req = reqs.get(field)
    assert req is not None
    return known_reason("visa", "Visa", req, met, fact, program=shown)


def _visa_answer(reqs: Requirements, route: str) -> tuple[bool | None, str, str]:
    """(accepts the route?, deciding field, what the program says)."""
    name = "J-1" if route == "j1" else "H-1B"
    field = f"visa_{route}"
    if reqs.value("visa_none_sponsored") is True:
        return False, "visa_none_sponsored", "sponsors no visa"
    if reqs.value(field) is None:
        return None, field, f"{name} unknown"
    accepted = bool(reqs.value(field))
    return accepted, field, f"{name} {'accepted' if accepted else 'not accepted'}"


def _visa_known_note(answers: list[tuple[bool | None, str, str]]) -> str:
    known = [shown for accepted, _, shown in answers if accepted is not None]
    return "; ".join(known)


# --- graduation, exams ----------------------------------------------------------------------

def yog_rule(ctx: ApplicantContext, reqs: Requirements) -> Reason:
    years, year = ctx.years_since_graduation, ctx.profile.graduation_year
    fact = f"graduated {year} ({years} years before {ctx.season.application_year})"
    label = "Years since graduation"
    max_req, min_req = reqs.get("yog_max_years"), reqs.get("yog_min_year")
    if max_req is None and min_req is None:
        return unknown_reason("yog", label, fact,
                              might_fail=years > ctx.risk.years_since_graduation)
    if min_req is not None and (max_req is None or year < int(min_req.value)):
        return known_reason("yog", label, min_req, year >= int(min_req.value), fact,
                            program=f"graduated {int(min_req.value)} or later")
    assert max_req is not None
    return known_reason("yog", label, max_req, years <= float(max_req.value), fact,
                        program=f"at most {_num(max_req.value)} years")


def step1_rule(ctx: ApplicantContext, reqs: Requirements) -> Reason:
    return _score_rule(ctx, reqs, "step1_min", "Step 1 minimum", ctx.profile.exams.step1)


def step2ck_rule(ctx: ApplicantContext, reqs: Requirements) -> Reason:
    return _score_rule(ctx, reqs, "step2ck_min", "Step 2 CK minimum", ctx.profile.exams.step2ck)


def _score_rule(ctx: ApplicantContext, reqs: Requirements, field: str, label: str,
                result: int | str | None) -> Reason:
    req = reqs.get(field)
    fact = "no result yet" if result is None else str(result)
    if req is None:
        risky = result is None or (isinstance(result, int) and result < ctx.risk.score)
        return unknown_reason(field, label, fact, might_fail=risky)
    if result == "pass":
        return known_reason(field, label, req, True, fact,
                            note="reported pass/fail; a score minimum does not apply")
    met = isinstance(result, int) and result >= int(req.value)
    return known_reason(field, label, req, met, fact, program=f"at least {req.value}")


def step3_rule(ctx: ApplicantContext, reqs: Requirements) -> Reason:
    step3, visa = ctx.profile.exams.step3, ctx.profile.visa
    fact = "not passed" if step3 is None else f"passed ({step3})"
    req, label = reqs.get("step3_required"), "Step 3"
    if req is None:
        return unknown_reason("step3_required", label, fact,
                              might_fail=step3 is None and visa == "h1b",
                              note="H-1B for residency needs Step 3" if visa == "h1b" else "")
    if not ctx.profile.is_img and req.value != NO:
        return not_applicable("step3_required", label, fact,
                              note="US graduates take Step 3 in residency")
    if req.value == FOR_H1B:
        if visa in {"none", "j1"}:
            return not_applicable("step3_required", label, fact,
                                  note="required only for H-1B")
        if visa == "j1_or_h1b" and step3 is None:
            return known_reason("step3_required", label, req, True, fact,
                                note="H-1B closed without Step 3; J-1 route open",
                                program="yes, for H-1B")
    return known_reason("step3_required", label, req, req.value == NO or step3 is not None,
                        fact, program="yes, for H-1B" if req.value == FOR_H1B else None)


def attempts_rule(ctx: ApplicantContext, reqs: Requirements) -> Reason:
    exams, req, label = ctx.profile.exams, reqs.get("max_attempts"), "Exam attempts"
    fact = f"{exams.failed_attempts} failed attempt{'s' if exams.failed_attempts != 1 else ''}"
    if req is None:
        return unknown_reason("max_attempts", label, fact, might_fail=exams.failed_attempts > 0)
    limit = int(req.value)
    program = "first attempt only" if limit == 1 else f"at most {limit} attempts per exam"
    worst = exams.max_failed_on_one_exam()
    if worst is None and exams.failed_attempts + 1 <= limit:
        worst = exams.failed_attempts  # even all on one exam stays within the limit
    if worst is None and exams.failed_attempts <= (limit - 1) * EXAMS_WITH_ATTEMPTS:
        return applicant_unknown("max_attempts", label, req, fact,
                                 note="give exams.failed_attempts_by_exam to decide")
    met = worst is not None and worst + 1 <= limit
    return known_reason("max_attempts", label, req, met, fact, program=program)


# --- ECFMG, letters -------------------------------------------------------------------------

def ecfmg_rule(ctx: ApplicantContext, reqs: Requirements) -> Reason:
    profile, req, label = ctx.profile, reqs.get("ecfmg_required_by"), "ECFMG certification"
    if not profile.is_img:
        return not_applicable("ecfmg_required_by", label, "US graduate")
    expected = profile.ecfmg_expected
    fact = "certified" if profile.ecfmg_certified else (
        f"expected {expected}" if expected else "not certified")
    if profile.ecfmg_certified:
        return _ecfmg_known_or_unknown(req, label, fact, met=True)
    if req is None:
        return unknown_reason("ecfmg_required_by", label, fact, might_fail=True)
    deadline = ecfmg_deadline(str(req.value), ctx.season)
    if expected is None:
        return applicant_unknown("ecfmg_required_by", label, req, fact,
                                 note="give ecfmg_expected to decide")
    if deadline is None:
        if expected <= ctx.season.application_date:
            return known_reason("ecfmg_required_by", label, req, True, fact)
        return applicant_unknown("ecfmg_required_by", label, req, fact,
                                 note="the program does not say by when")
    return known_reason("ecfmg_required_by", label, req, expected <= deadline, fact,
                        note=f"needed by {deadline}")


def _ecfmg_known_or_unknown(req: Requirement | None, label: str, fact: str,
                            met: bool) -> Reason:
    if req is None:
        return unknown_reason("ecfmg_required_by", label, fact, might_fail=False)
    return known_reason("ecfmg_required_by", label, req, met, fact)


def letters_rule(ctx: ApplicantContext, reqs: Requirements) -> Reason:
    req, letters, label = reqs.get("lor_min"), ctx.letters, "Letters of recommendation"
    fact = "not stated" if letters is None else f"{letters} letters"
    if req is None:
        return unknown_reason("lor_min", label, fact,
                              might_fail=letters is not None and letters < ctx.risk.letters)
    if letters is None or (ctx.profile.letters_total is None and letters < int(req.value)):
        return applicant_unknown("lor_min", label, req, fact, note="give letters_total")
    return known_reason("lor_min", label, req, letters >= int(req.value), fact,
                        program=f"at least {req.value}")


def us_letter_rule(ctx: ApplicantContext, reqs: Requirements) -> Reason:
    req, label = reqs.get("lor_us_required"), "US letter"
    if not ctx.profile.is_img:
        return not_applicable("lor_us_required", label, "US graduate (US letters)")
    count = ctx.us_letters
    fact = f"{count} US letter{'s' if count != 1 else ''} by {ctx.reference_date}"
    if req is None:
        return unknown_reason("lor_us_required", label, fact, might_fail=count == 0)
    return known_reason("lor_us_required", label, req, not req.value or count > 0, fact,
                        program="required" if req.value else "not required")


def _num(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


PROFILE_RULES: tuple[Rule, ...] = (
    visa_rule, yog_rule, step1_rule, step2ck_rule, step3_rule, attempts_rule,
)
CERTIFICATION_RULES: tuple[Rule, ...] = (ecfmg_rule, letters_rule, us_letter_rule)
