"""Exact solvers for small instances, used to check the greedy search.

- :func:`brute_force` tries every subset (no signals) on the closed-form objective, so it
  holds for chances as well as for 0/1 outcomes: tiny instances only.
- :func:`scenario_instance` makes the instances they are checked on: 0/1 outcomes shaped like
  the model's (one applicant shock shared by every program of a scenario).
- :func:`milp` solves the scenario problem of 0/1 outcomes (a program matches in a scenario
  or not; a probability instance can be expanded into one, see :func:`expand_outcomes`) as a
  mixed-integer program with scipy's HiGHS: ``x[j, l]`` = program ``j`` on the list with
  signal level ``l``; ``y[s, j, l]`` = the applicant ends at ``j`` in scenario ``s``; at most
  one ``y`` per scenario, ``y <= x``, one level per program, the signal counts of each
  group, and each group's fee counted exactly through a one-hot choice of its list length
  (so any tier schedule, flat tiers included, is represented without approximation).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint
from scipy.optimize import milp as scipy_milp

from smartpick.errors import DataError
from smartpick.plan.optimize import GOLD, SILVER, FeeRule, Group, Instance, evaluate, list_cost


def scenario_instance(seed: int, n_programs: int, n_groups: int, signals: bool, fees: FeeRule,
                      n_scenarios: int = 300) -> Instance:
    """A random check instance: scenario outcomes shaped like the model's, a shared applicant
    shock per scenario; one gold and two silver signals per specialty when ``signals``."""
    rng = np.random.default_rng(seed)
    latent = 0.6 * rng.normal(size=(n_scenarios, 1)) + 0.8 * rng.normal(
        size=(n_scenarios, n_programs))
    threshold = rng.uniform(0.3, 2.3, size=n_programs)
    utility = rng.uniform(0.5, 1.0, size=n_programs)
    groups = tuple(Group(f"S{g}", fees, 1 if signals else 0, 2 if signals else 0)
                   for g in range(n_groups))
    return Instance(
        (latent > threshold).astype(float),
        rng.integers(0, n_groups, size=n_programs),
        groups,
        silver_prob=(latent > threshold - 0.25).astype(float) if signals else None,
        gold_prob=(latent > threshold - 0.5).astype(float) if signals else None,
        utility=utility,
    )


@dataclass(frozen=True)
class ExactResult:
    programs: tuple[int, ...]
    levels: tuple[int, ...]
    objective: float
    cost_usd: int


def brute_force(
    instance: Instance, max_programs: int | None = None, budget_usd: float | None = None
) -> ExactResult:
    """The best list without signals, by trying every subset."""
    n = instance.n_programs
    if n > 16:
        raise ValueError("brute force is for instances of at most 16 programs")
    top = n if max_programs is None else min(max_programs, n)
    best = ExactResult((), (), 0.0, 0)
    for size in range(1, top + 1):
        for subset in itertools.combinations(range(n), size):
            cost = list_cost(instance, list(subset))
            if budget_usd is not None and cost > budget_usd:
                continue
            value, _ = evaluate(instance, list(subset))
            if value > best.objective + 1e-12:
                best = ExactResult(subset, (0,) * size, value, cost)
    return best


class _Layout:
    """Column positions of the MILP's variables."""

    def __init__(self, instance: Instance, levels: int):
        self.S, self.J, self.L = instance.n_scenarios, instance.n_programs, levels
        self.sizes = [int(np.sum(instance.group == g)) for g in range(len(instance.groups))]
        self.n_x = self.J * self.L
        self.n_y = self.S * self.J * self.L
        self.count_start = self.n_x + self.n_y
        self.count_offsets = np.cumsum([0, *[s + 1 for s in self.sizes]])
        self.n = self.count_start + int(self.count_offsets[-1])

    def x(self, j: int, lv: int) -> int:
        return j * self.L + lv

    def y(self, s: int, j: int, lv: int) -> int:
        return self.n_x + (s * self.J + j) * self.L + lv

    def count(self, g: int, k: int) -> int:
        return self.count_start + int(self.count_offsets[g]) + k


def milp(
    instance: Instance,
    max_programs: int | None = None,
    budget_usd: float | None = None,
    time_limit: float = 60.0,
) -> ExactResult:
    """The optimal list (with signals if the instance has them) by HiGHS branch and bound.

    The scenario objective is linear only for 0/1 outcomes; other chances raise ValueError.
    """
    for cols in instance.columns():
        if not np.isin(cols, (0.0, 1.0)).all():
            raise ValueError("the MILP needs 0/1 outcomes; expand chances first")
    levels = 3 if instance.has_signals else 1
    lay = _Layout(instance, levels)
    rows = _Rows(lay.n)
    _link_rows(instance, lay, rows)
    _group_rows(instance, lay, rows, budget_usd)
    if max_programs is not None:
        rows.add({lay.x(j, lv): 1.0 for j in range(lay.J) for lv in range(levels)}, 0, max_programs)
    res = scipy_milp(
        c=-_objective(instance, lay),
        integrality=_integrality(lay),
        bounds=Bounds(0, 1),
        constraints=rows.constraint(),
        options={"time_limit": time_limit},
    )
    if res.x is None:
        raise DataError(f"the MILP found no solution: {res.message}")
    return _solution(instance, lay, res.x)


class _Rows:
    """Sparse constraint rows collected one by one."""

    def __init__(self, n: int):
        self.n = n
        self.entries: list[tuple[int, int, float]] = []
        self.lb: list[float] = []
        self.ub: list[float] = []

    def add(self, coef: dict[int, float], lb: float, ub: float) -> None:
        r = len(self.lb)
        self.entries.extend((r, c, v) for c, v in coef.items())
        self.lb.append(lb)
        self.ub.append(ub)

    def constraint(self) -> LinearConstraint:
        r, c, v = zip(*self.entries, strict=True)
        a = sparse.csr_array((v, (r, c)), shape=(len(self.lb), self.n))
        return LinearConstraint(a, np.array(self.lb), np.array(self.ub))


def _link_rows(instance: Instance, lay: _Layout, rows: _Rows) -> None:
    for s in range(lay.S):
        rows.add({lay.y(s, j, lv): 1.0 for j in range(lay.J) for lv in range(lay.L)}, 0, 1)
        for j in range(lay.J):
            for lv in range(lay.L):
                rows.add({lay.y(s, j, lv): 1.0, lay.x(j, lv): -1.0}, -np.inf, 0)
    for j in range(lay.J):
        rows.add({lay.x(j, lv): 1.0 for lv in range(lay.L)}, 0, 1)


def _group_rows(instance: Instance, lay: _Layout, rows: _Rows, budget: float | None) -> None:
    cost: dict[int, float] = {}
    for g, grp in enumerate(instance.groups):
        members = np.flatnonzero(instance.group == g)
        size = lay.sizes[g]
        rows.add({lay.count(g, k): 1.0 for k in range(size + 1)}, 1, 1)
        link = {lay.x(int(j), lv): 1.0 for j in members for lv in range(lay.L)}
        link.update({lay.count(g, k): -float(k) for k in range(size + 1)})
        rows.add(link, 0, 0)
        totals = np.cumsum([0, *[grp.fees.marginal(k) for k in range(1, size + 1)]])
        cost.update({lay.count(g, k): float(totals[k]) for k in range(size + 1)})
        if lay.L == 3:
            rows.add({lay.x(int(j), GOLD): 1.0 for j in members}, 0, grp.gold)
            rows.add({lay.x(int(j), SILVER): 1.0 for j in members}, 0, grp.silver)
    if budget is not None:
        rows.add(cost, -np.inf, budget)


def _objective(instance: Instance, lay: _Layout) -> NDArray[np.float64]:
    c = np.zeros(lay.n)
    w = instance.scenario_weights()
    cols = instance.columns()
    utility = instance.utilities()
    block = c[lay.n_x : lay.n_x + lay.n_y].reshape(lay.S, lay.J, lay.L)
    for lv in range(lay.L):
        block[:, :, lv] = (cols[lv] * utility[:, None]).T * w[:, None]
    return c


def _integrality(lay: _Layout) -> NDArray[np.int64]:
    kinds = np.zeros(lay.n, dtype=np.int64)
    kinds[: lay.n_x] = 1
    kinds[lay.count_start :] = 1
    return kinds


def _solution(instance: Instance, lay: _Layout, x: NDArray[np.float64]) -> ExactResult:
    picks = [(j, lv) for j in range(lay.J) for lv in range(lay.L) if x[lay.x(j, lv)] > 0.5]
    programs = [j for j, _ in picks]
    levels = [lv for _, lv in picks]
    value, _ = evaluate(instance, programs, levels)
    return ExactResult(tuple(programs), tuple(levels), value, list_cost(instance, programs))


def expand_outcomes(instance: Instance) -> Instance:
    """The same problem as 0/1 outcomes: every joint outcome of every scenario, weighted.

    Without signals only; ``2**J`` outcomes per scenario, so tiny instances only.
    """
    if instance.has_signals or instance.n_programs > 10:
        raise ValueError("expansion is for tiny instances without signals")
    outcomes = np.array(list(itertools.product([0.0, 1.0], repeat=instance.n_programs)))
    chances = instance.columns()[0].T  # (S, J)
    w = instance.scenario_weights()
    weights = [w[s] * np.prod(np.where(outcomes == 1.0, chances[s], 1.0 - chances[s]), axis=1)
               for s in range(instance.n_scenarios)]
    rows = np.tile(outcomes, (instance.n_scenarios, 1))
    return Instance(rows, instance.group, instance.groups, np.concatenate(weights),
                    utility=instance.utility)
