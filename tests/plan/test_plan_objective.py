"""The closed-form objective on chances: exact against enumeration, optimal where theory says."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.special import expit

from smartpick.plan.exact import brute_force, expand_outcomes, milp
from smartpick.plan.fees import FeeSchedule, FeeTier
from smartpick.plan.optimize import FlatFee, Group, Instance, Limits, evaluate, greedy
from smartpick.plan.placement import (
    _Board,
    _moved,
    _RaiseBounds,
    _screen_each,
    place_signals,
    search,
    swap_screen,
)

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def chance_instance(seed: int, n_programs: int, n_scenarios: int, signals: bool = False,
                    utility_levels: int = 2, scale: float = 0.0) -> Instance:
    """Chances shaped like the model's: one shared applicant shock per scenario."""
    rng = np.random.default_rng(seed)
    shock = rng.normal(size=(n_scenarios, 1))
    base = rng.uniform(-3.0, 0.5, size=n_programs) - scale
    utility = rng.choice(np.linspace(1.0, 0.6, utility_levels), size=n_programs)
    return Instance(
        expit(base + shock),
        np.zeros(n_programs, dtype=np.int64),
        (Group("IM", FlatFee(11), 1 if signals else 0, 2 if signals else 0),),
        silver_prob=expit(base + 0.6 + shock) if signals else None,
        gold_prob=expit(base + 1.1 + shock) if signals else None,
        utility=utility,
    )


@SETTINGS
@given(seed=st.integers(0, 10_000), n=st.integers(1, 6), scenarios=st.integers(1, 3),
       levels=st.integers(1, 4))
def test_closed_form_equals_enumerating_every_joint_outcome(seed, n, scenarios, levels):
    instance = chance_instance(seed, n, scenarios, utility_levels=levels)
    expanded = expand_outcomes(instance)
    rng = np.random.default_rng(seed)
    programs = rng.permutation(n)[: rng.integers(1, n + 1)].tolist()
    value, p_match = evaluate(instance, programs)
    value_x, p_match_x = evaluate(expanded, programs)
    assert abs(value - value_x) < 1e-9 and abs(p_match - p_match_x) < 1e-9


@SETTINGS
@given(seed=st.integers(0, 10_000), n=st.integers(2, 6), scenarios=st.integers(1, 3))
def test_greedy_totals_and_gains_equal_the_enumerated_objective(seed, n, scenarios):
    instance = chance_instance(seed, n, scenarios, utility_levels=3)
    expanded = expand_outcomes(instance)
    result = greedy(instance, Limits(max_programs=n))
    previous = 0.0
    for k in range(1, result.chosen + 1):
        value, p_match = evaluate(expanded, result.order[:k].tolist())
        assert abs(result.objective[k - 1] - value) < 1e-9
        assert abs(result.p_match[k - 1] - p_match) < 1e-9
        assert abs(result.gain[k - 1] - (value - previous)) < 1e-9
        previous = value


@SETTINGS
@given(
    p=st.lists(st.floats(0.01, 0.95), min_size=2, max_size=8),
    seed=st.integers(0, 10_000),
    equal_utility=st.booleans(),
)
def test_greedy_is_optimal_on_one_scenario_of_independent_chances(p, seed, equal_utility):
    """Chade & Smith (2006): independent chances, equal costs, optimal at every length."""
    rng = np.random.default_rng(seed)
    utility = np.ones(len(p)) if equal_utility else rng.uniform(0.2, 1.0, size=len(p))
    instance = Instance(np.array([p]), np.zeros(len(p), dtype=np.int64), (Group("IM"),),
                        utility=utility)
    result = greedy(instance, Limits(max_programs=len(p)))
    assert result.chosen == len(p)
    for k in range(1, len(p) + 1):
        assert result.objective[k - 1] >= brute_force(instance, max_programs=k).objective - 1e-12


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), size=st.integers(1, 4))
def test_list_on_chances_within_one_percent_of_the_milp_on_expanded_outcomes(seed, size):
    instance = chance_instance(seed, 6, 3)
    found = search(instance, Limits(max_programs=size))
    best = milp(expand_outcomes(instance), max_programs=size)
    assert found.chosen_objective >= 0.99 * best.objective - 1e-9
    assert best.objective == pytest.approx(brute_force(instance, max_programs=size).objective,
                                           abs=1e-6)


@SETTINGS
@given(seed=st.integers(0, 10_000))
def test_signalled_list_totals_match_its_evaluation(seed):
    instance = chance_instance(seed, 25, 40, signals=True)
    result = search(instance, Limits(max_programs=10, extend=5))
    levels = result.level[: result.chosen].tolist()
    value, p_match = evaluate(instance, result.chosen_programs(), levels)
    assert abs(value - result.chosen_objective) < 1e-9
    assert abs(p_match - result.chosen_p_match) < 1e-9
    assert levels.count(2) <= 1 and levels.count(1) <= 2


@SETTINGS
@given(seed=st.integers(0, 10_000), budget=st.integers(100, 600))
def test_unlikely_programs_still_add_so_the_budget_is_spent(seed, budget):
    """A weak applicant: every chance small, yet each program adds and the curve rises."""
    instance = chance_instance(seed, 80, 200, scale=3.0)
    result = search(instance, Limits(budget_usd=budget, extend=10))
    assert result.stop_reason == "budget"
    assert result.chosen == budget // 11
    assert np.all(np.diff(result.p_match) > 0)


def test_a_copied_coverage_keeps_its_value_when_the_original_grows():
    instance = chance_instance(3, 4, 50, utility_levels=1)
    cols = instance.columns()
    cover = instance.coverage()
    cover.add(cols[0][0], 0)
    before = cover.value()  # the original's product is read (and remembered) here
    twin = cover.copy()
    cover.add(cols[0][1], 0)
    assert twin.value() == before
    assert cover.value() > before


@SETTINGS
@given(seed=st.integers(0, 10_000), n=st.integers(6, 30), levels=st.integers(1, 4),
       signals=st.booleans(), slack=st.sampled_from([0.0, 19.0, 1e6]))
def test_exchange_screen_in_closed_form_equals_one_program_at_a_time(seed, n, levels, signals,
                                                                     slack):
    """The bounds that decide which exchanges are tried: all at once (closed form) and one
    listed program at a time agree, on chances below 1 in two specialties."""
    rng = np.random.default_rng(seed)
    shock = rng.normal(size=(40, 1))
    base = rng.uniform(-3.0, 0.5, size=n)
    tiers = FeeSchedule("test", 2026, 2026, (FeeTier(1, 3, 11, False),
                                             FeeTier(4, None, 30, False)), "test", "")
    groups = tuple(Group(name, tiers, 1 if signals else 0, 2 if signals else 0)
                   for name in ("IM", "FM"))
    instance = Instance(expit(base + shock), rng.integers(0, 2, size=n), groups,
                        silver_prob=expit(base + 0.6 + shock) if signals else None,
                        gold_prob=expit(base + 1.1 + shock) if signals else None,
                        utility=rng.choice(np.linspace(1.0, 0.6, levels), size=n))
    listed = rng.permutation(n)[: n // 2]
    board = _Board(instance, listed.tolist())
    board.levels[:] = place_signals(instance, listed.tolist())
    outside = np.setdiff1d(np.arange(n), listed)
    value = board.objective()
    closed = swap_screen(board, outside, slack, value - 0.05)  # a low bar: most pass
    each = sorted(_screen_each(board, outside, slack, value - 0.05,
                               board.coverage(optimistic=True)), reverse=True)
    assert [found[1:] for found in closed] == [found[1:] for found in each]
    assert [found[0] for found in closed] == pytest.approx([found[0] for found in each],
                                                           abs=1e-12)


@SETTINGS
@given(seed=st.integers(0, 10_000), n=st.integers(4, 20), levels=st.integers(1, 4))
def test_signal_moves_in_closed_form_equal_recounting_the_list(seed, n, levels):
    """The objective with signalled programs moved to weaker signals, as the exchange and
    rotation screens count it in closed form, equals the list recounted."""
    instance = chance_instance(seed, n, 30, signals=True, utility_levels=levels)
    programs = list(range(n))
    board = _Board(instance, programs)
    board.levels[:] = place_signals(instance, programs)
    cover = board.coverage()
    value = cover.value()
    bounds = _RaiseBounds(board, cover)
    lowered = bounds.lowered(value)
    signalled = np.flatnonzero(board.levels > 0).tolist()
    for (i, new), quick in lowered.items():
        exact = _moved(cover, board, i, new).value()
        assert quick == pytest.approx(exact, abs=1e-12)
    assert len(lowered) == sum(int(board.levels[i]) for i in signalled)
    for a in signalled:
        for b in signalled:
            if a == b:
                continue
            moves = ((a, int(board.levels[a]), 0), (b, int(board.levels[b]), 0))
            exact = _moved(_moved(cover, board, a, 0), board, b, 0).value()
            assert bounds.moved_value(value, moves) == pytest.approx(exact, abs=1e-12)
