"""The point of diminishing returns: where the next $100 of fees buys less than half a point."""

from __future__ import annotations

from smartpick.plan.curve import CurvePoint, diminishing_point


def _curve(points: list[tuple[float, int]]) -> list[CurvePoint]:
    return [CurvePoint(n=n, p_match=p, cost_usd=cost, expected_utility=p, chosen=True)
            for n, (p, cost) in enumerate(points, start=1)]


def test_point_is_where_the_next_hundred_dollars_buys_under_half_a_point() -> None:
    # $11 a program: 10 programs cost $110; gains shrink from 5 points to 0.04 point each
    gains = [0.05, 0.04, 0.03, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005, 0.0004, 0.0004,
             0.0004, 0.0004, 0.0004, 0.0004, 0.0004, 0.0004, 0.0004, 0.0004, 0.0004]
    total, points = 0.0, []
    for n, gain in enumerate(gains, start=1):
        total += gain
        points.append((total, 11 * n))
    point = diminishing_point(_curve(points))
    assert point is not None
    # from program 7 on, the next ten programs ($110) add 0.001 + ... < 0.005
    assert point.n == 7
    later = next(c for c in _curve(points) if c.cost_usd >= point.cost_usd + 100)
    assert later.p_match - point.p_match < 0.005


def test_no_point_while_every_hundred_dollars_still_buys_enough() -> None:
    points = [(0.02 * n, 11 * n) for n in range(1, 30)]
    assert diminishing_point(_curve(points)) is None


def test_no_point_when_the_curve_ends_within_a_hundred_dollars() -> None:
    assert diminishing_point(_curve([(0.5, 11), (0.5, 22), (0.5, 33)])) is None
