"""Replicated national markets: generation + match, 200 replicates by default.

Run: .venv/bin/python bench/market_bench.py [--replicates 200]
Prints the total time, the split between generation and matching, and their ratio.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from smartpick.market import match
from smartpick.market.calibration import fitted_parameters
from smartpick.market.report import simulate
from smartpick.market.shape import load_shape
from smartpick.market.synthetic import draw_market, draw_programs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--applicants", type=int, default=47208)
    args = parser.parse_args()
    shape, params = load_shape(), fitted_parameters()
    root = np.random.default_rng(2025)
    programs = draw_programs(shape, root)
    match(draw_market(shape, programs, 1000, params, root).market)  # load the kernel
    generate = solve = 0.0
    start = time.perf_counter()
    for rng in root.spawn(args.replicates):
        t0 = time.perf_counter()
        synthetic = draw_market(shape, programs, args.applicants, params, rng)
        t1 = time.perf_counter()
        match(synthetic.market, check=False)
        generate, solve = generate + t1 - t0, solve + time.perf_counter() - t1
    loop = time.perf_counter() - start
    print(
        f"{args.replicates} national markets of {args.applicants:,} applicants: "
        f"{loop:.1f} s (generation {generate:.1f} s, match {solve:.2f} s, "
        f"generation/match {generate / solve:.0f}x)"
    )
    start = time.perf_counter()
    simulate(shape, args.applicants, 2025, args.replicates, params)
    print(f"full simulate() with summary and cutoffs: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
