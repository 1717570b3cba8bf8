"""Match engine speed: pure Python vs compiled kernel vs the `matching` package.

Run: .venv/bin/python bench/match_bench.py [--package-sizes 5000 10000]
Prints wall times and ratios measured in the same run (best of a few repeats).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable

import numpy as np

from smartpick.market import Market, from_scores, match
from smartpick.market.arrays import order_within


def random_market(n_app: int, n_prog: int, seed: int) -> Market:
    """``n_app`` applicants ranking 10-15 distinct programs each; positions ~ 0.86 n_app."""
    rng = np.random.default_rng(seed)
    length = rng.integers(10, 16, n_app)
    ptr = np.concatenate([[0], np.cumsum(length)])
    applicant = np.repeat(np.arange(n_app), length)
    program = (applicant * 7919 + rng.integers(0, n_prog, len(applicant))) % n_prog
    first = np.ones(len(program), dtype=bool)
    key = applicant.astype(np.int64) * n_prog + program
    _, unique_at = np.unique(key, return_index=True)
    first[:] = False
    first[unique_at] = True
    program = program[first]
    applicant = applicant[first]
    ptr = np.concatenate([[0], np.cumsum(np.bincount(applicant, minlength=n_app))])
    utility = rng.normal(size=n_prog)[program] + rng.normal(size=len(program))
    program = program[order_within(applicant, utility)]
    quality = rng.normal(size=n_app)
    score = quality[applicant] + 0.5 * rng.normal(size=len(program))
    capacity = rng.multinomial(int(0.86 * n_app), np.full(n_prog, 1 / n_prog))
    return from_scores(capacity.astype(np.int64), ptr.astype(np.int64), program, score)


def best_time(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def package_solve(market: Market) -> dict:
    from matching.games import HospitalResident

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 200_000))  # the package deep-copies

    applicant = market.applicant_of_entry()
    residents: dict[int, list[int]] = {}
    for a, p in zip(applicant.tolist(), market.program.tolist(), strict=True):
        residents.setdefault(a, []).append(p)
    order = np.lexsort((market.rank, market.program))
    hospitals: dict[int, list[int]] = {}
    for k in order.tolist():
        hospitals.setdefault(int(market.program[k]), []).append(int(applicant[k]))
    capacities = {p: int(market.capacity[p]) for p in hospitals if market.capacity[p] > 0}
    hospitals = {p: ranked for p, ranked in hospitals.items() if p in capacities}
    residents = {a: [p for p in ps if p in capacities] for a, ps in residents.items()}
    residents = {a: ps for a, ps in residents.items() if ps}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
        return game.solve(optimal="resident")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--package-sizes", type=int, nargs="*", default=[5000, 10000])
    args = parser.parse_args()
    national = random_market(50_000, 6_500, seed=1)
    match(national)  # compile or load the cached kernel
    kernel = best_time(lambda: match(national, "kernel", check=False), 5)
    python = best_time(lambda: match(national, "python", check=False), 3)
    print(f"national market: 50,000 applicants, 6,500 programs, {len(national.program):,} ranks")
    print(
        f"  pure Python {python:.3f} s   kernel {kernel * 1000:.1f} ms   "
        f"python/kernel {python / kernel:.0f}x"
    )
    for n in args.package_sizes:
        market = random_market(n, max(n // 8, 50), seed=n)
        ours = best_time(lambda m=market: match(m, "kernel", check=False), 3)
        ours_py = best_time(lambda m=market: match(m, "python", check=False), 3)
        package = best_time(lambda m=market: package_solve(m), 1)
        print(
            f"{n:,} applicants: matching package {package:.2f} s   ours python "
            f"{ours_py * 1000:.0f} ms ({package / ours_py:.0f}x faster)   ours kernel "
            f"{ours * 1000:.2f} ms ({package / ours:.0f}x faster)"
        )


if __name__ == "__main__":
    main()
