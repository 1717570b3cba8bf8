"""Planner benchmarks: speed of the list search and value of the list against simple strategies.

Speed: a full Internal Medicine plan (every open IM program of the catalog x 2,000 model
scenarios, with signal variants) searched by the lazy greedy with signal placement, next to
the plain greedy that re-evaluates every gain at every step, measured in the same run.

Value: at equal ERAS cost, P(match) under the model of SmartPick's list and of three simple
strategies (the programs with the highest IMG share; all open programs in the preferred
states; random open programs, mean of 20 draws). Every list gets its signals placed the same
way, so only the choice of programs differs.

Run: .venv/bin/python bench/plan_bench.py [PROFILE]  (needs `smartpick db build`)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from smartpick.applicant.load import load_profile
from smartpick.applicant.seasons import load_season
from smartpick.catalog.store import open_catalog
from smartpick.plan.fees import fee_table
from smartpick.plan.optimize import Instance, Limits, evaluate, greedy, plain_greedy
from smartpick.plan.placement import place_signals, search
from smartpick.plan.planner import PlanOptions, _instance, _specialty

PROFILE = "examples/strong_non_us_img_im.yaml"


def best_time(run: Callable[[], Any], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def im_instance(path: str) -> tuple[Instance, Any]:
    profile = load_profile(path)
    opts = PlanOptions()
    part = _specialty(profile, "Internal Medicine", "primary", load_season(opts.season), opts,
                      open_catalog(), [])
    return _instance([part], fee_table(opts.season)), part


def speed(instance: Instance) -> None:
    limits = Limits(max_programs=100, extend=25)
    fresh = lambda: Instance(instance.prob, instance.group, instance.groups,  # noqa: E731
                             silver_prob=instance.silver_prob,
                             gold_prob=instance.gold_prob, utility=instance.utility)
    lazy = best_time(lambda: search(fresh(), limits))
    core = best_time(lambda: greedy(fresh(), limits))
    plain = best_time(lambda: plain_greedy(fresh(), limits), repeat=2)
    print(f"IM plan: {instance.n_programs} programs x {instance.n_scenarios} scenarios, "
          f"100-program list + 25 beyond")
    print(f"  lazy greedy + signal placement : {lazy:.3f} s  (target < 0.5 s)")
    print(f"  lazy greedy alone              : {core:.3f} s")
    print(f"  plain greedy (baseline)        : {plain:.3f} s  -> lazy core {plain / core:.1f}x")


def p_match(instance: Instance, programs: list[int]) -> float:
    levels = place_signals(instance, programs).tolist()
    return evaluate(instance, programs, levels)[1]


def value(instance: Instance, part: Any, n: int, liked: set[str]) -> None:
    plan = search(instance, Limits(max_programs=n))
    img = np.array([p.value("pct_img") if p.value("pct_img") is not None else -1.0
                    for p in part.programs])
    in_states = [j for j, p in enumerate(part.programs) if p.value("state") in liked]
    rng = np.random.default_rng(7)
    rows = [("SmartPick", plan.chosen_p_match),
            ("top by IMG share", p_match(instance, np.argsort(-img)[:n].tolist()))]
    random = [p_match(instance, rng.choice(instance.n_programs, n, replace=False).tolist())
              for _ in range(20)]
    rows.append(("random open programs (mean of 20)", float(np.mean(random))))
    cost = plan.chosen_cost
    print(f"\nValue at equal cost: {n} IM programs, ERAS fees ${cost}")
    for name, p in rows:
        print(f"  {name:36s} P(match) {p:.3f}")
    if in_states:
        k = len(in_states)
        same = search(instance, Limits(max_programs=k)).chosen_p_match
        print(f"  all {k} open programs in preferred states P(match) "
              f"{p_match(instance, in_states):.3f}  vs SmartPick at {k}: {same:.3f}")


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else PROFILE
    instance, part = im_instance(path)
    speed(instance)
    liked = set(load_profile(path).preferences.states)
    for n in (15, 40):
        value(instance, part, n, liked)


if __name__ == "__main__":
    main()
