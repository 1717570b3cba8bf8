"""The USCE rules: required, minimum months, hands-on only, recency.

USCE rules apply to graduates of international schools; a US MD or DO graduate's clerkships
are US clinical experience, so the rules are recorded as not applicable for them. A program's
strict hands-on and recency rules also decide which months count towards its minimum.
"""

from __future__ import annotations

from smartpick.rules.context import ApplicantContext
from smartpick.rules.requirements import NO, Requirement, Requirements
from smartpick.rules.verdict import (
    Reason,
    known_reason,
    not_applicable,
    unknown_reason,
)

LABELS = {
    "usce_required": "US clinical experience",
    "usce_min_months": "USCE minimum months",
    "usce_hands_on_only": "Hands-on USCE only",
    "usce_recency_months": "Recent USCE",
}


def usce_reasons(ctx: ApplicantContext, reqs: Requirements) -> list[Reason]:
    rules = (_required, _min_months, _hands_on_only, _recency)
    if not ctx.profile.is_img:
        return [not_applicable(name, LABELS[name], "US graduate (US clerkships)")
                for name in LABELS]
    if reqs.value("usce_required") == NO:
        return [_required(ctx, reqs)] + [
            not_applicable(name, LABELS[name], "-", note="the program requires no USCE")
            for name in ("usce_min_months", "usce_hands_on_only", "usce_recency_months")]
    return [rule(ctx, reqs) for rule in rules]


def months_counted(ctx: ApplicantContext, reqs: Requirements) -> float:
    """Months that count under the program's strict hands-on and recency rules."""
    hands = _strict(reqs.get("usce_hands_on_only"))
    recency = _strict(reqs.get("usce_recency_months"))
    return ctx.usce_months(hands_on_only=bool(hands and hands.value),
                           within_months=float(recency.value) if recency else None)


def _strict(req: Requirement | None) -> Requirement | None:
    return req if req is not None and req.strict else None


def _required(ctx: ApplicantContext, reqs: Requirements) -> Reason:
    req = reqs.get("usce_required")
    months = months_counted(ctx, reqs)
    fact = f"{_months(months)} counted by {ctx.reference_date}"
    if req is None:
        hands_on = ctx.usce_months(hands_on_only=True)
        return unknown_reason("usce_required", LABELS["usce_required"],
                              f"{_months(hands_on)} hands-on", might_fail=hands_on == 0)
    met = req.value == NO or months > 0
    return known_reason("usce_required", LABELS["usce_required"], req, met, fact)


def _min_months(ctx: ApplicantContext, reqs: Requirements) -> Reason:
    req = reqs.get("usce_min_months")
    label = LABELS["usce_min_months"]
    if req is None:
        hands_on = ctx.usce_months(hands_on_only=True)
        return unknown_reason("usce_min_months", label, f"{_months(hands_on)} hands-on",
                              might_fail=hands_on < ctx.risk.usce_months)
    months = months_counted(ctx, reqs)
    return known_reason("usce_min_months", label, req, months >= float(req.value),
                        _months(months) + _counting(reqs))


def _hands_on_only(ctx: ApplicantContext, reqs: Requirements) -> Reason:
    req = reqs.get("usce_hands_on_only")
    label = LABELS["usce_hands_on_only"]
    hands_on = ctx.usce_months(hands_on_only=True)
    other = ctx.usce_months() - hands_on
    fact = f"{_months(hands_on)} hands-on, {_months(other)} observership or other"
    if req is None:
        return unknown_reason("usce_hands_on_only", label, fact,
                              might_fail=hands_on == 0 and other > 0)
    met = not req.value or hands_on > 0
    return known_reason("usce_hands_on_only", label, req, met, fact,
                        program="hands-on only" if req.value else "observerships count")


def _recency(ctx: ApplicantContext, reqs: Requirements) -> Reason:
    req = reqs.get("usce_recency_months")
    label = LABELS["usce_recency_months"]
    window = float(req.value) if req is not None else ctx.risk.recency_months
    hands = _strict(reqs.get("usce_hands_on_only"))
    recent = ctx.usce_months(within_months=window, hands_on_only=bool(hands and hands.value))
    fact = f"{_months(recent)} in the {_months(window)} up to {ctx.reference_date}"
    if req is None:
        has_any = bool(ctx.profile.usce)
        return unknown_reason("usce_recency_months", label, fact,
                              might_fail=has_any and recent == 0)
    return known_reason("usce_recency_months", label, req, recent > 0, fact,
                        program=f"within {_months(window)}")


def _counting(reqs: Requirements) -> str:
    parts = []
    hands = _strict(reqs.get("usce_hands_on_only"))
    if hands and hands.value:
        parts.append("hands-on only")
    recency = _strict(reqs.get("usce_recency_months"))
    if recency:
        parts.append(f"within {_months(float(recency.value))}")
    return f" ({', '.join(parts)})" if parts else ""


def _months(value: float) -> str:
    shown = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{shown} month{'' if value == 1 else 's'}"
