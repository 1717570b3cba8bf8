"""How far the list search is from the optimum: a sweep of small budgeted instances.

Each instance has 8 programs in 2 specialties, 300 correlated 0/1 scenarios (a shared applicant
shock per scenario: ``smartpick.plan.exact.scenario_instance``), the ERAS-like tiered fee schedule
of the tests ($11 for the first 3 programs of a specialty, $30 after), signals on or off, and a
budget drawn from $11-150. The optimum is HiGHS's MILP over every list and signal assignment
(``smartpick.plan.exact.milp``). Printed: how many lists are at the optimum, within 1% of it,
the worst gap and its instance, and the time of the search against the MILP's.

Run: .venv/bin/python bench/milp_sweep.py [--seeds 1000] [--budgets 2]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from smartpick.plan.exact import milp, scenario_instance
from smartpick.plan.fees import FeeSchedule, FeeTier
from smartpick.plan.optimize import Instance, Limits
from smartpick.plan.placement import search

TIERS = FeeSchedule(
    "sweep", 2026, 2026, (FeeTier(1, 3, 11, False), FeeTier(4, None, 30, False)), "sweep", ""
)


def instance_of(seed: int, signals: bool) -> Instance:
    return scenario_instance(seed, 8, 2, signals, TIERS)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=1000)
    parser.add_argument("--budgets", type=int, default=2, help="random budgets per instance")
    args = parser.parse_args()
    total = at_optimum = within = 0
    worst = (0.0, "")
    search_s = milp_s = 0.0
    for seed in range(args.seeds):
        budgets = np.random.default_rng(10_000 + seed).integers(11, 151, size=args.budgets)
        for signals in (False, True):
            for budget in budgets.tolist():
                instance = instance_of(seed, signals)
                start = time.perf_counter()
                found = search(instance, Limits(budget_usd=budget))
                search_s += time.perf_counter() - start
                start = time.perf_counter()
                best = milp(instance, budget_usd=budget)
                milp_s += time.perf_counter() - start
                total += 1
                gap = 0.0 if best.objective <= 0 else 1.0 - found.chosen_objective / best.objective
                at_optimum += gap <= 1e-9
                within += gap <= 0.01
                if gap > worst[0]:
                    worst = (gap, f"seed {seed}, budget ${budget}, signals {signals}")
    print(f"{total} instances: at the optimum {at_optimum}, within 1% {within}, "
          f"worst gap {100 * worst[0]:.2f}% ({worst[1] or 'none'})")
    print(f"search {search_s:.1f} s in all, MILP {milp_s:.1f} s in all")


if __name__ == "__main__":
    main()
