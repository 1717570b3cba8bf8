"""Our advice on a list: how much of it to apply to.

The list is in greedy order, so its first ``k`` programs are the list of length ``k`` and the
curve gives P(match) and ERAS fees at every length. We advise the first ``k`` programs, where
``k`` is the point of diminishing returns (:func:`~smartpick.plan.curve.diminishing_point`:
the first length after which the next $100 of ERAS fees buys less than half a point of
P(match)), with two guards:

- never longer than the list itself (a budget, a target or ``--max-programs`` may stop the
  list before the point);
- when a target P(match) was set and the list reaches it, at least the first length that
  reaches it (the advice never stops short of the applicant's own aim);
- when the list's P(match) is very low (under :data:`LOW_CHANCE`), every $100 adds less
  than half a point from the first program on, so the rule alone would advise one program:
  the advice is then the shortest part of the list that holds :data:`LOW_CHANCE_SHARE` of
  its P(match) (what the list can reach, for the fees that reach most of it).

The rest of the list (programs, fees and the points they add) is reported beside it, so
"spending the remaining $N would add X points" is read off the plan, not guessed.
A list whose P(match) is under :data:`LOW_CHANCE` is flagged: more programs barely help, and
changes to the profile are tried instead (:mod:`smartpick.plan.suggest`).
"""

from __future__ import annotations

from smartpick.plan.curve import DIMINISHING_PER_100_USD, diminishing_point
from smartpick.plan.result import CurvePoint, Recommendation, rounded

LOW_CHANCE = 0.2  # under this P(match), the plan says plainly that the chance is very low
LOW_CHANCE_SHARE = 0.8  # a very low list's advice: the part holding this share of its chance


def is_low(p_match: float) -> bool:
    """Under :data:`LOW_CHANCE` as the faces show it (19.6% is shown as 20%: not low)."""
    return round(100 * p_match) < round(100 * LOW_CHANCE)


def rule_words(per_100_usd: float = DIMINISHING_PER_100_USD) -> str:
    amount = "half a" if per_100_usd == 0.005 else f"{per_100_usd * 100:g} of a"
    return (f"beyond this point, each further $100 of program fees adds less than {amount} "
            "percentage point to the chance of matching")


def recommend(points: list[CurvePoint], listed: int, p_match: float,
              target: float | None) -> Recommendation | None:
    """The advised prefix of a list of ``listed`` programs with P(match) ``p_match``."""
    chosen = [c for c in points if c.chosen][:listed]
    if not chosen:
        return None
    point = diminishing_point(points)
    n = len(chosen) if point is None else min(point.n, len(chosen))
    rule = rule_words() if point is not None and point.n < len(chosen) else \
        "up to the end of the list, every $100 of program fees still adds half a point or more"
    if is_low(p_match) and p_match > 0:
        held = next(c.n for c in chosen
                    if c.p_match >= LOW_CHANCE_SHARE * chosen[-1].p_match - 1e-12)
        if held > n:
            n, rule = held, (f"at this chance every $100 of program fees adds less than half "
                             f"a point, so the advice is the shortest part of the list that "
                             f"holds {LOW_CHANCE_SHARE:.0%} of its chance of matching")
    if target is not None:
        reached = next((c.n for c in chosen if c.p_match >= target), None)
        if reached is not None and reached > n:
            n, rule = reached, f"the shortest part of the list that reaches your target of " \
                f"{target:.0%}"
    at, last = chosen[n - 1], chosen[-1]
    return Recommendation(n=n, cost_usd=at.cost_usd, p_match=at.p_match,
                          rest_programs=len(chosen) - n,
                          rest_cost_usd=last.cost_usd - at.cost_usd,
                          rest_adds=rounded(max(0.0, p_match - at.p_match)), rule=rule)
