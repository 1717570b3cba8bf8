"""One process's plan figures, printed as JSON: run by bench/plan_bench.py on this tree and on a
checkout of the baseline commit (``PYTHONPATH=<checkout>/src``), so both are measured alike.

Figures: the first plan (catalog read), the median of warm plans of the profile (computed, not
served from a kept plan), three what-ifs after the plan (the first time they are asked), and
the peak memory allocated while one warm plan runs (tracemalloc: Python objects and NumPy
arrays).

    python bench/plan_probe.py PROFILE [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

WHAT_IFS = ["usce:+3m-hands-on", "step2ck:+10", "budget:+1000"]


def _ms(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = run()
    return 1000 * (time.perf_counter() - start), out


def current(path: str) -> tuple[Callable[[], Any], Callable[[Any], Any]]:
    """Plan and what-if calls of this tree's service layer."""
    from smartpick.applicant.load import load_profile
    from smartpick.plan.planner import PlanOptions, build_plan
    from smartpick.plan.whatif import what_ifs
    from smartpick.services import Planner
    from smartpick.settings import load_settings

    profile = load_profile(path)
    planner = Planner(load_settings(), kept_plans=0)
    options = PlanOptions(data_dir=planner.settings.data_dir)

    def plan() -> Any:
        return build_plan(profile, options, planner.context)

    def changes(base: Any) -> Any:
        return what_ifs(profile, WHAT_IFS, options, base, planner.context)

    return plan, changes


def baseline(path: str) -> tuple[Callable[[], Any], Callable[[Any], Any]]:
    """The same calls in the baseline's library API (a plan per call, on one catalog)."""
    from smartpick.applicant.load import load_profile
    from smartpick.catalog.store import open_catalog
    from smartpick.plan.planner import PlanOptions, build_plan  # type: ignore[attr-defined]
    from smartpick.plan.whatif import what_ifs

    profile = load_profile(path)
    catalog = open_catalog()

    def plan() -> Any:
        return build_plan(profile, PlanOptions(), catalog)

    def changes(base: Any) -> Any:
        return what_ifs(profile, WHAT_IFS, PlanOptions(), base)  # type: ignore[call-arg]

    return plan, changes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("profile")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    try:
        import smartpick.services  # noqa: F401

        plan, changes = current(args.profile)
        kind = "current"
    except ImportError:
        plan, changes = baseline(args.profile)
        kind = "baseline"
    first, base = _ms(plan)
    warm = [_ms(plan)[0] for _ in range(args.repeat)]
    what_if_ms = _ms(lambda: changes(base))[0]  # the first time: nothing of theirs kept
    tracemalloc.start()
    plan()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({"kind": kind, "first_ms": first, "warm_p50_ms": statistics.median(warm),
                      "warm_ms": warm, "what_ifs_ms": what_if_ms,
                      "plan_peak_mb": peak / 2**20, "p_match": float(base.p_match),
                      "programs": len(base.programs)}))


if __name__ == "__main__":
    main()
