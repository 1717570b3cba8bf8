"""The list search: optimal where theory says so, near-optimal elsewhere, honest curves."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from smartpick.plan.exact import brute_force, milp, scenario_instance
from smartpick.plan.fees import FeeSchedule, FeeTier
from smartpick.plan.optimize import (
    FlatFee,
    Group,
    Instance,
    Limits,
    evaluate,
    greedy,
    greedy_with_fork,
    list_cost,
    plain_greedy,
    resume,
)
from smartpick.plan.placement import search

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SMALL_TIERS = FeeSchedule(
    "test", 2026, 2026, (FeeTier(1, 3, 11, False), FeeTier(4, None, 30, False)), "test", ""
)


def independent_instance(p: np.ndarray, u: np.ndarray) -> Instance:
    """Every joint outcome of independent programs as one weighted scenario (exact)."""
    outcomes = np.array(list(itertools.product([0, 1], repeat=len(p))), dtype=float)
    weights = np.prod(np.where(outcomes == 1, p, 1 - p), axis=1)
    return Instance(outcomes, np.zeros(len(p), dtype=np.int64), (Group("IM"),), weights,
                    utility=u)


@SETTINGS
@given(
    p=st.lists(st.floats(0.02, 0.95), min_size=3, max_size=7),
    seed=st.integers(0, 10_000),
    equal_utility=st.booleans(),
)
def test_greedy_is_optimal_for_independent_programs_at_equal_cost(p, seed, equal_utility):
    """Chade & Smith (2006): marginal improvement is optimal at every list length."""
    rng = np.random.default_rng(seed)
    probs = np.array(p)
    utility = np.ones(len(p)) if equal_utility else rng.uniform(0.2, 1.0, size=len(p))
    instance = independent_instance(probs, utility)
    result = greedy(instance, Limits(max_programs=len(p)))
    for k in range(1, len(p) + 1):
        exact = brute_force(instance, max_programs=k)
        assert result.objective[k - 1] >= exact.objective - 1e-9


@SETTINGS
@given(
    seed=st.integers(0, 10_000),
    n_groups=st.integers(1, 2),
    signals=st.booleans(),
    size=st.integers(1, 5),
)
def test_list_within_one_percent_of_milp_optimum_at_fixed_length(seed, n_groups, signals, size):
    instance = scenario_instance(seed, 9, n_groups, signals, FlatFee(11))
    found = search(instance, Limits(max_programs=size))
    best = milp(instance, max_programs=size)
    assert found.chosen <= size
    assert found.chosen_objective >= 0.99 * best.objective - 1e-9


@SETTINGS
@given(seed=st.integers(0, 10_000), budget=st.integers(11, 150), signals=st.booleans())
@example(seed=84, budget=63, signals=False)  # fewer, dearer programs beat cheap ones
@example(seed=947, budget=74, signals=True)  # ... and a program dropped earlier comes back
@example(seed=122, budget=63, signals=True)  # a three-way signal rotation
@example(seed=646, budget=96, signals=True)  # a program worth adding only with a signal
@example(seed=9840, budget=22, signals=True)  # two listed programs exchanged at once
@example(seed=9677, budget=59, signals=True)  # a gold signal moves, its program keeps silver
def test_list_within_one_percent_of_milp_optimum_under_a_tiered_budget(seed, budget, signals):
    instance = scenario_instance(seed, 8, 2, signals, SMALL_TIERS)
    found = search(instance, Limits(budget_usd=budget))
    best = milp(instance, budget_usd=budget)
    assert found.chosen_cost <= budget
    assert found.chosen_objective >= 0.99 * best.objective - 1e-9


@SETTINGS
@given(seed=st.integers(0, 10_000), signals=st.booleans(), budget=st.integers(30, 400))
def test_curve_is_monotone_and_costs_follow_the_fee_tiers(seed, signals, budget):
    instance = scenario_instance(seed, 40, 2, signals, SMALL_TIERS, n_scenarios=200)
    result = search(instance, Limits(budget_usd=budget, extend=10))
    assert np.all(np.diff(result.p_match) >= -1e-12)
    assert np.all(np.diff(result.objective) >= -1e-12)
    for n in range(1, len(result.order) + 1):
        assert result.cost_usd[n - 1] == list_cost(instance, result.order[:n].tolist())
    assert result.chosen_cost <= budget
    assert len(set(result.order.tolist())) == len(result.order)


@SETTINGS
@given(seed=st.integers(0, 10_000), n_groups=st.integers(1, 3))
def test_signals_never_exceed_each_specialty_count(seed, n_groups):
    instance = scenario_instance(seed, 30, n_groups, True, FlatFee(11), n_scenarios=200)
    result = search(instance, Limits(max_programs=20, extend=5))
    group = instance.group[result.order]
    for g, rule in enumerate(instance.groups):
        assert np.sum((group == g) & (result.level == 2)) <= rule.gold
        assert np.sum((group == g) & (result.level == 1)) <= rule.silver
    value, _ = evaluate(instance, result.chosen_programs(), result.level[: result.chosen].tolist())
    assert abs(value - result.chosen_objective) < 1e-9


@SETTINGS
@given(seed=st.integers(0, 10_000), target=st.floats(0.2, 0.95))
def test_target_stops_at_the_first_list_reaching_it(seed, target):
    instance = scenario_instance(seed, 40, 1, False, FlatFee(11), n_scenarios=200)
    result = search(instance, Limits(target_p_match=target, extend=5))
    if result.stop_reason == "target":
        assert result.chosen_p_match >= target - 1e-9
        assert result.chosen == 1 or result.p_match[result.chosen - 2] < target


@SETTINGS
@given(seed=st.integers(0, 10_000), signals=st.booleans())
def test_lazy_search_matches_the_plain_reference(seed, signals):
    instance = scenario_instance(seed, 60, 2, signals, SMALL_TIERS, n_scenarios=150)
    limits = Limits(budget_usd=500)
    lazy, plain = greedy(instance, limits), plain_greedy(instance, limits)
    assert np.allclose(lazy.objective, plain.objective)
    assert lazy.chosen_cost == plain.chosen_cost


@SETTINGS
@given(seed=st.integers(0, 10_000), n_programs=st.integers(4, 24), signals=st.booleans(),
       budget=st.floats(20.0, 400.0))
def test_best_gain_resumed_where_the_fees_first_differ_equals_a_run_from_the_start(
        seed, n_programs, signals, budget):
    """Until two specialties' next fees differ, best gain per dollar and best gain pick the
    same programs, so the best-gain list may start from the per-dollar search paused there."""
    instance = scenario_instance(seed, n_programs, 2, signals, SMALL_TIERS)
    limits = Limits(budget_usd=budget, extend=3)
    first, fork = greedy_with_fork(instance, limits)
    assert first.order.tolist() == greedy(instance, limits).order.tolist()
    by_gain = replace(limits, per_dollar=False, extend=0)
    fresh = greedy(instance, by_gain)
    if fork is None:
        assert first.chosen_programs() == fresh.chosen_programs()
        return
    resumed = resume(fork, by_gain)
    assert resumed.order.tolist() == fresh.order.tolist()
    assert resumed.level.tolist() == fresh.level.tolist()
    assert resumed.objective.tolist() == fresh.objective.tolist()
    assert resumed.cost_usd.tolist() == fresh.cost_usd.tolist()
