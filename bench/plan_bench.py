"""Planner benchmarks: speed of the list search and value of the list against simple strategies.

Speed: a full Internal Medicine plan (every open IM program of the catalog x 2,000 model
scenarios, with signal variants) searched by the lazy greedy with signal placement, next to
the plain greedy that re-evaluates every gain at every step (the naive baseline), measured in
the same run; then the whole plan of the profile (all its specialties) and its what-ifs.

Value: at equal ERAS cost, P(match) under the model of SmartPick's list and of three simple
strategies (the programs with the highest IMG share; all open programs in the preferred
states; random open programs, mean of 20 draws). "Open" means not excluded: eligible, or
unverified where a rule is unknown. Every list gets its signals placed the same way, so only
the choice of programs differs.

Only public functions are used: ``plan_problem`` (candidates, verdicts, chances and limits),
the search (``search``, ``greedy``, ``plain_greedy``), ``place_signals`` and ``evaluate``.

Against the baseline (``--baseline COMMIT``, default the last commit before the what-ifs
started from the plan and the list search was made lazier): the baseline's source is exported
with ``git archive`` under ``var/bench-baseline/COMMIT`` (its catalog built there by its own
``db build``), and the same figures are measured in the same run, each in fresh processes,
baseline and this tree taking turns: warm plan p50, three what-ifs, peak memory of one plan
(bench/plan_probe.py), a cold ``smartpick plan`` and ``smartpick --help`` (median of 3). Every
process runs NumPy's BLAS on one thread (as the command line does), and the load average of
the machine is printed with the figures (it is shared: read ratios, not absolute times).

Run: .venv/bin/python bench/plan_bench.py [PROFILE] [--baseline COMMIT] [--only-compare]
(needs `smartpick db build`)
"""

from __future__ import annotations

import os

SINGLE_THREADED_BLAS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
for _name in SINGLE_THREADED_BLAS:  # as the command line: before NumPy loads
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from smartpick.applicant.load import load_profile  # noqa: E402
from smartpick.applicant.profile import Profile  # noqa: E402
from smartpick.plan.chances import SpecialtyChances  # noqa: E402
from smartpick.plan.optimize import Instance, Limits, evaluate, greedy, plain_greedy  # noqa: E402
from smartpick.plan.placement import place_signals, search  # noqa: E402
from smartpick.plan.planner import PlanContext, PlanOptions, build_plan, plan_problem  # noqa: E402
from smartpick.plan.whatif import solve, what_ifs  # noqa: E402
from smartpick.services import Planner  # noqa: E402
from smartpick.settings import load_settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PROFILE = "examples/strong_non_us_img_im.yaml"
BASELINE = "f978b7e"  # the service layer; what-ifs planned afresh, eager signal placement
WHAT_IFS = ["usce:+3m-hands-on", "step2ck:+10", "budget:+1000"]


def best_time(run: Callable[[], Any], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def im_only(profile: Profile) -> Profile:
    im = [t for t in profile.targets if t.specialty == "Internal Medicine"]
    return profile.model_copy(update={"targets": im or profile.targets[:1]})


def fresh(instance: Instance) -> Instance:
    """The same problem without the cached program-major columns."""
    return Instance(instance.prob, instance.group, instance.groups, instance.weights,
                    silver_prob=instance.silver_prob, gold_prob=instance.gold_prob,
                    utility=instance.utility)


def speed(instance: Instance) -> None:
    limits = Limits(max_programs=100, extend=25)
    full = best_time(lambda: search(fresh(instance), limits))
    core = best_time(lambda: greedy(fresh(instance), limits))
    plain = best_time(lambda: plain_greedy(fresh(instance), limits), repeat=2)
    print(f"IM plan: {instance.n_programs} programs x {instance.n_scenarios} scenarios, "
          f"100-program list + 25 beyond")
    print(f"  lazy greedy + signal placement : {full:.3f} s  (target < 0.5 s)")
    print(f"  lazy greedy alone              : {core:.3f} s")
    print(f"  plain greedy (naive baseline)  : {plain:.3f} s  -> lazy core {plain / core:.1f}x")


def whole_plan(path: str, context: PlanContext) -> None:
    profile = load_profile(path)
    start = time.perf_counter()
    plan = build_plan(profile, PlanOptions(), context)
    first = time.perf_counter() - start
    again = best_time(lambda: build_plan(profile, PlanOptions(), context), repeat=2)
    solved = solve(profile, PlanOptions(), context)
    start = time.perf_counter()
    what_ifs(profile, WHAT_IFS, PlanOptions(), plan, context, solved)
    changes = time.perf_counter() - start
    print(f"\nWhole plan of {path}: {len(plan.programs)} programs, P(match) {plan.p_match:.3f}")
    print(f"  first plan (reads the catalog)  : {first:.3f} s")
    print(f"  next plan (catalog read)        : {again:.3f} s")
    print(f"  {len(WHAT_IFS)} what-ifs (start from the plan): {changes:.3f} s")


def p_match(instance: Instance, programs: list[int]) -> float:
    levels = place_signals(instance, programs).tolist()
    return evaluate(instance, programs, levels)[1]


def value(instance: Instance, part: SpecialtyChances, n: int) -> None:
    plan = search(instance, Limits(max_programs=n))
    img = np.array([p.value("pct_img") if p.value("pct_img") is not None else -1.0
                    for p in part.programs])
    rng = np.random.default_rng(7)
    rows = [("SmartPick", plan.chosen_p_match),
            ("top by IMG share", p_match(instance, np.argsort(-img)[:n].tolist()))]
    random = [p_match(instance, rng.choice(instance.n_programs, n, replace=False).tolist())
              for _ in range(20)]
    rows.append(("random open programs (mean of 20)", float(np.mean(random))))
    print(f"\nValue at equal cost: {n} IM programs, ERAS fees ${plan.chosen_cost}")
    for name, p in rows:
        print(f"  {name:36s} P(match) {p:.3f}")


def preferred_states(instance: Instance, part: SpecialtyChances, liked: set[str]) -> None:
    in_states = [j for j, p in enumerate(part.programs) if p.value("state") in liked]
    if not in_states:
        return
    k = len(in_states)
    same = search(instance, Limits(max_programs=k))
    print(f"\nValue at equal cost: all {k} open IM programs in the preferred states, "
          f"ERAS fees ${same.chosen_cost}")
    print(f"  {'SmartPick':36s} P(match) {same.chosen_p_match:.3f}")
    print(f"  {'all open in preferred states':36s} P(match) {p_match(instance, in_states):.3f}")


def baseline_tree(commit: str) -> tuple[Path, dict[str, str]]:
    """The baseline's source exported under var/, and an environment for its own catalog."""
    where = ROOT / "var" / "bench-baseline" / commit
    if not (where / "src" / "smartpick").is_dir():
        where.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "src", "data",
                                  "examples"], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(where)], input=archive, check=True)
    env = {**os.environ, "PYTHONPATH": str(where / "src"),
           "SMARTPICK_HOME": str(where / "home")}
    env.pop("DATABASE_URL", None)
    env.pop("SMARTPICK_DATA_DIR", None)
    if not (where / "home" / "smartpick.sqlite").exists():
        _smartpick(env, where, "db", "build")
    return where, env


def _smartpick(env: dict[str, str], cwd: Path, *args: str) -> float:
    code = "import sys; from smartpick.cli import main; sys.argv[0] = 'smartpick'; main()"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL)
    return 1000 * (time.perf_counter() - start)


def _probe(env: dict[str, str], cwd: Path, profile: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "plan_probe.py"), profile],
                         env=env, cwd=cwd, check=True, capture_output=True, text=True).stdout
    found: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return found


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def compare(path: str, commit: str, rounds: int = 2) -> None:
    """The plan figures of this tree and of the baseline, measured alike in this run."""
    where, old_env = baseline_tree(commit)
    new_env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for env in (old_env, new_env):
        env.update({name: "1" for name in SINGLE_THREADED_BLAS})
    profile = str((ROOT / path).resolve())
    rows: dict[str, dict[str, list[float]]] = {"baseline": {}, "current": {}}
    loads = [load_average()]
    for _ in range(rounds):  # taking turns, so both see the same machine
        for name, env, cwd in (("baseline", old_env, where), ("current", new_env, ROOT)):
            found = rows[name]
            for key, value in _probe(env, cwd, profile).items():
                if isinstance(value, int | float):
                    found.setdefault(key, []).append(float(value))
            found.setdefault("cli_plan_ms", []).append(statistics.median(
                _smartpick(env, cwd, "plan", profile, "--format", "json") for _ in range(3)))
            found.setdefault("cli_help_ms", []).append(statistics.median(
                _smartpick(env, cwd, "--help") for _ in range(3)))
        loads.append(load_average())
    print(f"Plan figures of {path}, this tree against {commit} (same run, fresh processes, "
          f"median of {rounds} turns each; load average {' -> '.join(loads)})")
    for key, label, target in (
            ("warm_p50_ms", "warm plan p50 (ms)", "<= 150"),
            ("what_ifs_ms", "3 what-ifs after the plan (ms)", "<= 300"),
            ("plan_peak_mb", "memory of one plan (MB, peak)", "<= 60"),
            ("first_ms", "first plan in a process (ms)", ""),
            ("cli_plan_ms", "cold `smartpick plan` (ms)", "<= 1500"),
            ("cli_help_ms", "`smartpick --help` (ms)", "")):
        old = statistics.median(rows["baseline"][key])
        new = statistics.median(rows["current"][key])
        print(f"  {label:34s} baseline {old:9.1f}   now {new:9.1f}   "
              f"ratio {new / old if old else float('nan'):5.2f}   target {target}")
    print(f"  P(match): baseline {rows['baseline']['p_match'][0]:.4f} "
          f"({rows['baseline']['programs'][0]:.0f} programs), now "
          f"{rows['current']['p_match'][0]:.4f} ({rows['current']['programs'][0]:.0f} programs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", nargs="?", default=PROFILE)
    parser.add_argument("--baseline", default=BASELINE, help="commit to compare with")
    parser.add_argument("--only-compare", action="store_true")
    parser.add_argument("--rounds", type=int, default=2, help="turns of baseline and this tree")
    args = parser.parse_args()
    compare(args.profile, args.baseline, args.rounds)
    if args.only_compare:
        return
    path = args.profile
    profile = load_profile(path)
    context = Planner(load_settings()).context
    problem = plan_problem(im_only(profile), PlanOptions(), context)
    speed(problem.instance)
    whole_plan(path, context)
    for n in (15, 40):
        value(problem.instance, problem.parts[0], n)
    preferred_states(problem.instance, problem.parts[0], set(profile.preferences.states))


if __name__ == "__main__":
    main()
