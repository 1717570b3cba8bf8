"""Our advice on a list: the prefix up to the point of diminishing returns, never longer than
the list, never short of a target the list reaches, with what the rest of the list adds."""

from __future__ import annotations

from smartpick.plan.recommend import is_low, recommend
from smartpick.plan.result import CurvePoint


def _curve(gains: list[float], fee: int = 11, chosen: int | None = None) -> list[CurvePoint]:
    total, out = 0.0, []
    for n, gain in enumerate(gains, start=1):
        total += gain
        out.append(CurvePoint(n=n, p_match=round(total, 6), cost_usd=fee * n,
                              expected_utility=total, chosen=n <= (chosen or len(gains))))
    return out


FLATTENING = [0.2, 0.1, 0.05, 0.03, 0.01] + [0.0002] * 30  # flat after program 5


def test_advice_stops_where_the_next_hundred_dollars_buys_under_half_a_point() -> None:
    points = _curve(FLATTENING)
    rec = recommend(points, len(points), points[-1].p_match, None)
    assert rec is not None and rec.n == 5 and rec.cost_usd == 55
    assert rec.rest_programs == 30 and rec.rest_cost_usd == 330
    assert abs(rec.rest_adds - 30 * 0.0002) < 1e-6
    assert "half a percentage point" in rec.rule


def test_advice_is_never_longer_than_the_list() -> None:
    points = _curve([0.05] * 20, chosen=8)  # a budget stopped the list at 8; the curve goes on
    rec = recommend(points, 8, points[7].p_match, None)
    assert rec is not None and rec.n == 8 and rec.rest_programs == 0


def test_advice_reaches_the_target_the_list_reaches() -> None:
    points = _curve(FLATTENING)
    target = points[9].p_match  # reached at program 10, past the point at 5
    rec = recommend(points, 10, target, target)
    assert rec is not None and rec.n == 10 and "target" in rec.rule


def test_no_advice_for_an_empty_list() -> None:
    assert recommend([], 0, 0.0, None) is None


def test_a_chance_shown_as_20_percent_is_not_called_very_low() -> None:
    assert is_low(0.194) and not is_low(0.196) and not is_low(0.5)


def test_a_very_low_list_is_advised_up_to_four_fifths_of_its_chance() -> None:
    """At a 0.4% chance no $100 buys half a point, yet one program is not the advice: the
    shortest part holding 80% of what the list can reach is."""
    points = _curve([4e-4, 3e-4, 3e-4, 2e-4, 2e-4, 2e-4] + [1e-4] * 24)
    total = points[-1].p_match
    rec = recommend(points, len(points), total, None)
    assert rec is not None and rec.n == 22  # 0.0032 of 0.0040
    assert points[rec.n - 1].p_match >= 0.8 * total > points[rec.n - 2].p_match
    assert "80%" in rec.rule and rec.rest_programs == 8
    assert abs(rec.rest_adds - 0.0008) < 1e-9
