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

import itertools
from dataclasses import dataclass

from smartpick.plan.optimize import GreedyResult

REACH_BELOW = 0.15
LIKELY_FROM = 0.40


def tier(p_interview: float) -> str:
    if p_interview < REACH_BELOW:
        return "reach"
    return "target" if p_interview < LIKELY_FROM else "likely"


@dataclass(frozen=True)
class CurvePoint:
    n: int
    p_match: float
    cost_usd: int
    expected_utility: float
    chosen: bool  # within the chosen list

    def to_dict(self) -> dict[str, object]:
        return {"n": self.n, "p_match": round(self.p_match, 4), "cost_usd": self.cost_usd,
                "expected_utility": round(self.expected_utility, 4), "chosen": self.chosen}


def curve(result: GreedyResult) -> list[CurvePoint]:
    """One point per list length, the chosen list and the picks beyond it."""
    return [
        CurvePoint(n + 1, float(result.p_match[n]), int(result.cost_usd[n]),
                   float(result.objective[n]), n < result.chosen)
        for n in range(len(result.order))
    ]


def diminishing_point(points: list[CurvePoint], per_100_usd: float = 0.005) -> int | None:
    """The first length after which the next $100 buys less than ``per_100_usd`` of P(match)."""
    for a, b in itertools.pairwise(points):
        spent = b.cost_usd - a.cost_usd
        if spent > 0 and (b.p_match - a.p_match) / spent * 100 < per_100_usd:
            return a.n
    return None
