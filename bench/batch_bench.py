"""Cohorts and market studies: the local engine (one process) against Dask on this machine.

Run: .venv/bin/python bench/batch_bench.py [--profiles 200] [--workers 2] [--replicates 200]
     [--what-ifs] [--skip-simulate]

1. A cohort of ``--profiles`` synthetic applicants, varied from the example profiles (scores,
   graduation year, USCE, budget, liked states; seeded, so every run plans the same cohort),
   planned by ``run_cohort`` on the local engine and on a Dask LocalCluster of ``--workers``
   processes. Prints both times, their ratio, the per-plan cost, the per-task overhead on Dask
   and a projection of throughput per added worker from these measured numbers; checks that
   every plan is identical on both engines.
2. ``simulate`` with ``--replicates`` national markets, local against Dask; checks that the
   summaries are identical.

All times come from this run (a shared machine is noisy: compare the ratios, not the seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy as np

from smartpick.applicant.load import load_profile
from smartpick.applicant.profile import Profile
from smartpick.applicant.seasons import load_season
from smartpick.batch.cohort import CohortOptions, CohortRun, PlannerSetup, plan_json, run_cohort
from smartpick.batch.engine import Engine, LocalEngine
from smartpick.batch.inputs import Entry
from smartpick.settings import load_settings

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
STATES = ["NY", "NJ", "PA", "FL", "TX", "CA", "IL", "MI", "OH", "GA", "MA", "MD"]
BUDGETS = [None, 800.0, 1500.0, 2500.0, 4000.0]
PROJECTED_WORKERS = (1, 2, 4, 8, 16, 32, 64)


def synthetic_cohort(n: int, seed: int = 7) -> list[Entry]:
    """``n`` valid profiles varied from the examples (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    bases = [load_profile(p).model_dump(mode="json") for p in sorted(EXAMPLES.glob("*.yaml"))]
    end = load_season(2026).application_date - timedelta(days=1)
    entries = []
    for i in range(n):
        data = json.loads(json.dumps(bases[i % len(bases)]))
        exams = data["exams"]
        if isinstance(exams.get("step2ck"), int):
            exams["step2ck"] = int(np.clip(exams["step2ck"] + rng.integers(-15, 16), 200, 280))
        data["graduation_year"] = int(data["graduation_year"] - rng.integers(0, 4))
        if rng.random() < 0.5:
            months = int(rng.integers(1, 5))
            data["usce"].append({
                "kind": "hands_on", "specialty": data["targets"][0]["specialty"],
                "start": (end - timedelta(days=30 * months)).isoformat(),
                "end": end.isoformat(), "us_letter": bool(rng.random() < 0.5)})
        data["budget_usd"] = BUDGETS[int(rng.integers(len(BUDGETS)))]
        liked = rng.choice(STATES, size=int(rng.integers(0, 4)), replace=False)
        data["preferences"]["states"] = [str(s) for s in liked]
        data["preferences"]["avoid_states"] = []
        profile = Profile.model_validate(data).model_dump(mode="json")
        entries.append(Entry(f"applicant-{i:04d}", f"synthetic:{i}", profile))
    return entries


def _timed_cohort(entries: list[Entry], engine: Engine, options: CohortOptions,
                  out: Path) -> tuple[float, CohortRun]:
    start = time.perf_counter()
    run = run_cohort(entries, out, options, engine, PlannerSetup.of(load_settings()))
    seconds = time.perf_counter() - start
    print(f"  ({len(entries)} plans on the {engine.name} engine: {seconds:.1f} s)", flush=True)
    return seconds, run


def _driver_cost(run: CohortRun, folder: Path) -> float:
    """Seconds the driver spends per finished plan: serialise and write its JSON file."""
    plans = [o.plan for o in run.planned]
    start = time.perf_counter()
    for i, plan in enumerate(plans):
        (folder / f"{i}.json").write_text(plan_json(plan) + "\n", encoding="utf-8")
    return (time.perf_counter() - start) / max(len(plans), 1)


def bench_cohort(args: argparse.Namespace) -> None:
    from smartpick.batch.dask_engine import DaskEngine

    entries = synthetic_cohort(args.profiles)
    options = CohortOptions(what_ifs=CohortOptions().what_ifs if args.what_ifs else ())
    setup = PlannerSetup.of(load_settings())
    start = time.perf_counter()
    setup()
    warm = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        local_s, local = _timed_cohort(entries, LocalEngine(), options, root / "local")
        start = time.perf_counter()
        engine = DaskEngine(workers=args.workers)
        cluster_s = time.perf_counter() - start
        with engine:
            dask_s, dask = _timed_cohort(entries, engine, options, root / "dask")
            fresh = synthetic_cohort(args.workers * 4, seed=8)  # new profiles, warm workers
            again_s, _ = _timed_cohort(fresh, engine, options, root / "again")
            trip = _round_trip(engine)
        (root / "driver").mkdir()
        driver = _driver_cost(local, root / "driver")
    _check_same(local, dask)
    _report_cohort(args, local_s, warm, cluster_s, dask_s, driver, again_s)
    _project(args.profiles, local_s, warm, driver, trip, args.workers)


def _nothing() -> None:
    return None


def _echo(_: None, item: int) -> int:
    return item


def _round_trip(engine: Engine, n: int = 400) -> float:
    """Dask's own cost per task: seconds per round trip of a task that does nothing."""
    start = time.perf_counter()
    for _ in engine.run(_nothing, _echo, list(range(n))):
        pass
    return (time.perf_counter() - start) / n


def _check_same(local: CohortRun, dask: CohortRun) -> None:
    different = [a.name for a, b in zip(local.outcomes, dask.outcomes, strict=True)
                 if a.plan != b.plan]
    planned = len(local.planned)
    print(f"plans identical on both engines: {planned - len(different)} of {planned}"
          + (f" (different: {', '.join(different[:5])})" if different else ""))


def _report_cohort(args: argparse.Namespace, local_s: float, warm: float, cluster_s: float,
                   dask_s: float, driver: float, again_s: float) -> None:
    n, w = args.profiles, args.workers
    per_plan = (local_s - warm) / n  # the local run builds its planner once, then plans
    busy = w * dask_s / n  # worker-seconds per plan on Dask (worker setup included)
    warm_busy = w * again_s / (w * 4)  # a second batch of new profiles on warm workers
    overhead = max(warm_busy - per_plan, 0.0)
    print(f"cohort of {n} synthetic profiles, what-ifs {'on' if args.what_ifs else 'off'} "
          f"({os.cpu_count()} cores on this machine, shared)")
    print(f"  local engine, 1 process:   {local_s:7.1f} s   ({n / local_s:.2f} plans/s; "
          f"planner setup {warm:.1f} s, then {per_plan:.2f} s per plan)")
    print(f"  dask, {w} worker processes: {dask_s:7.1f} s   ({n / dask_s:.2f} plans/s; "
          f"plus {cluster_s:.1f} s to start the LocalCluster)")
    print(f"  ratio local / dask:        {local_s / dask_s:7.2f}x   "
          f"(ideal on {w} free cores: {w}x)")
    print(f"  per plan: {per_plan:.2f} s of one core locally; on Dask {busy:.2f} "
          f"worker-seconds in the first batch (worker setup included), {warm_busy:.2f} on warm "
          f"workers (a second batch of {w * 4} new profiles): overhead {overhead:.2f} s per "
          f"task; the driver writes a plan in {1000 * driver:.1f} ms")
    _table("projection at the cost measured per Dask task here (this machine's contention "
           "included)", per_plan + overhead, warm, driver, n)


def _project(n: int, local_s: float, warm: float, driver: float, trip: float,
             workers: int) -> None:
    per_plan = (local_s - warm) / n
    print(f"  a task that does nothing makes the round trip in {1000 * trip:.1f} ms on the "
          f"{workers}-worker cluster (Dask's own cost per task)")
    _table("projection with one free core per worker (local per-plan cost + the round trip)",
           per_plan + trip, warm, driver, n)


def _table(title: str, per_task: float, warm: float, driver: float, n: int) -> None:
    ceiling = 1.0 / max(driver, 1e-9)
    print(f"  {title}: {per_task:.2f} s per task, {warm:.1f} s setup per worker, at most "
          f"{ceiling:.0f} plans/s through the driver:")
    for k in PROJECTED_WORKERS:
        rate = min(k / per_task, ceiling)
        print(f"    {k:3d} workers: {rate:7.2f} plans/s ({3600 * rate:7.0f} plans/hour); "
              f"{n} profiles in {warm + n / rate:6.1f} s, 10,000 in "
              f"{(warm + 10_000 / rate) / 60:6.1f} min")


def bench_simulate(args: argparse.Namespace) -> None:
    from smartpick.batch.dask_engine import DaskEngine
    from smartpick.market.calibration import fitted_parameters
    from smartpick.market.report import simulate
    from smartpick.market.shape import load_shape

    shape, params = load_shape(), fitted_parameters()
    simulate(shape, 1000, 1, 1, params)  # load the compiled kernel
    start = time.perf_counter()
    local = simulate(shape, args.applicants, 2025, args.replicates, params)
    local_s = time.perf_counter() - start
    start = time.perf_counter()
    with DaskEngine(workers=args.workers) as engine:
        cluster_s = time.perf_counter() - start
        start = time.perf_counter()
        dask = simulate(shape, args.applicants, 2025, args.replicates, params, engine)
        dask_s = time.perf_counter() - start
    same = local.model_dump() == dask.model_dump()
    print(f"simulate: {args.replicates} national markets of {args.applicants:,} applicants")
    print(f"  local engine, 1 process:   {local_s:7.1f} s ({local_s / args.replicates:.2f} s "
          f"per replicate)")
    print(f"  dask, {args.workers} worker processes: {dask_s:7.1f} s "
          f"(plus {cluster_s:.1f} s to start the LocalCluster)")
    print(f"  ratio local / dask:        {local_s / dask_s:7.2f}x; summaries identical: {same}")


def main() -> None:
    from smartpick.errors import SmartPickError

    try:
        run(_arguments())
    except SmartPickError as err:
        raise SystemExit("\n".join(err.lines())) from None


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profiles", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--applicants", type=int, default=47208)
    parser.add_argument("--what-ifs", action="store_true",
                        help="plan the standard what-ifs too (about 4x the work per profile)")
    parser.add_argument("--skip-simulate", action="store_true")
    parser.add_argument("--skip-cohort", action="store_true")
    return parser.parse_args()


def run(args: argparse.Namespace) -> None:
    if not args.skip_cohort:
        bench_cohort(args)
    if not args.skip_simulate:
        bench_simulate(args)


if __name__ == "__main__":
    main()
