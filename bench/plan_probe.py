"""One process's plan figures, printed as JSON: run by bench/plan_bench.py on this tree and on a
checkout of the baseline commit (``PYTHONPATH=<checkout>/src``), so both are measured alike.

Both are called through the service layer (``Planner.plan``) with no finished plan kept, so
every call computes its plan. Figures: the first plan (catalog read), the median of warm plans
of the profile, three what-ifs (the median, over three rounds, of a plan with three what-ifs
never asked before minus the warm plan), and the peak memory allocated while one warm plan
runs (tracemalloc: Python objects and NumPy arrays).

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


def what_ifs(round_: int) -> list[str]:
    """Three what-ifs like ``usce:+3m-hands-on``, ``step2ck:+10``, ``budget:+1000``, with
    values of their own in every round (so no round reuses another's chances)."""
    return [f"usce:+{3 + round_}m-hands-on", f"step2ck:+{10 + round_}",
            f"budget:+{1000 + round_}"]


def _ms(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = run()
    return 1000 * (time.perf_counter() - start), out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("profile")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    from smartpick.applicant.load import load_profile
    from smartpick.services import Planner, PlanRequest
    from smartpick.settings import load_settings

    profile = load_profile(args.profile)
    planner = Planner(load_settings(), kept_plans=0)

    def plan(changes: list[str] | None = None) -> Any:
        return planner.plan(PlanRequest(profile=profile, what_if=changes or []))

    first, base = _ms(plan)
    warm = [_ms(plan)[0] for _ in range(args.repeat)]
    warm_p50 = statistics.median(warm)
    with_changes = [_ms(lambda r=r: plan(what_ifs(r)))[0] for r in range(3)]
    tracemalloc.start()
    plan()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({"first_ms": first, "warm_p50_ms": warm_p50, "warm_ms": warm,
                      "what_ifs_ms": statistics.median(with_changes) - warm_p50,
                      "with_what_ifs_ms": with_changes,
                      "plan_peak_mb": peak / 2**20, "p_match": float(base.p_match),
                      "programs": len(base.programs)}))


if __name__ == "__main__":
    main()
