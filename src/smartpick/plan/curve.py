"""The P(match)-versus-cost curve of a pick sequence, and the reach / target / likely tiers.

Tiers are set by the chance of an interview at the program (the applicant's own P(interview)
there, with the signal placed on it):

- ``reach``: below 15%;
- ``target``: 15% to below 40%;
- ``likely``: 40% or more.

An interview is the step an applicant can plan around (match given interview sits near one
in two for most specialties), so the bands are stated on it.
"""

from __future__ import annotations

from smartpick.plan.optimize import GreedyResult
from smartpick.plan.result import CurvePoint, rounded

__all__ = ["CurvePoint", "curve", "diminishing_point", "tier"]

REACH_BELOW = 0.15
LIKELY_FROM = 0.40


def tier(p_interview: float) -> str:
    if p_interview < REACH_BELOW:
        return "reach"
    return "target" if p_interview < LIKELY_FROM else "likely"


def curve(result: GreedyResult) -> list[CurvePoint]:
    """One point per list length, the chosen list and the picks beyond it."""
    return [
        CurvePoint(n=n + 1, p_match=rounded(result.p_match[n]),
                   cost_usd=int(result.cost_usd[n]),
                   expected_utility=rounded(result.objective[n]), chosen=n < result.chosen)
        for n in range(len(result.order))
    ]


DIMINISHING_PER_100_USD = 0.005  # half a point of P(match) per $100 of ERAS fees


def diminishing_point(points: list[CurvePoint],
                      per_100_usd: float = DIMINISHING_PER_100_USD) -> CurvePoint | None:
    """The applicant's point of diminishing returns: the first list length after which the
    next $100 of fees (the following programs up to $100 more) buys less than
    ``per_100_usd`` of P(match). ``None`` when every $100 along the curve buys more, or when
    the curve ends less than $100 after the point."""
    for i, a in enumerate(points):
        later = next((b for b in points[i + 1:] if b.cost_usd >= a.cost_usd + 100), None)
        if later is None:
            return None
        if later.p_match - a.p_match < per_100_usd:
            return a
    return None
