"""Scoring one applicant against every Internal Medicine program: vectorised vs a plain loop.

Prints the time of ``InterviewModel.predict_proba`` + ``MatchModel.predict_proba`` (values and
80% intervals) for about 700 programs, the time of a per-program pure-Python loop computing
the same numbers in the same run, their ratio, and the largest difference between the two.

    .venv/bin/python bench/model_bench.py [--programs 700] [--repeat 20]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

import numpy as np

from smartpick.model import ApplicantFeatures, load_model
from smartpick.model.calibration.catalog_rows import CATALOG_FILE, load_catalog_programs
from smartpick.model.coefficients import IMG_WEIGHT
from smartpick.model.match import DRAW_NODES, shock_nodes
from smartpick.model.params import ModelParams
from smartpick.model.program_arrays import ProgramArrays, take
from smartpick.model.strength import rest_terms, step2_z
from smartpick.settings import load_settings

APPLICANT = ApplicantFeatures(step2ck=247, years_since_graduation=4, visa="j1",
                              usce_hands_on_months=5, usce_in_specialty_months=4,
                              usce_recent_months=3, us_letters=2, publications=2,
                              tie_states=frozenset({"NY", "NJ"}))


def _sig(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _quantile(values: list[float], q: float) -> float:
    return float(np.quantile(values, q))


def naive(f: ApplicantFeatures, a: ProgramArrays, prm: ModelParams) -> list[tuple[float, ...]]:
    """Per program, per draw, per node, per shock node: plain Python arithmetic."""
    x, w = shock_nodes()
    xd, wd = shock_nodes(DRAW_NODES)
    draws = [{k: v[b] for k, v in prm.draws.items()} for b in range(prm.n_draws)]
    out = []
    for j in range(a.n_programs):
        rows = [_one_program(f, a, j, coef, prm.reference, x, w) for coef in [prm.coef, *draws]]
        point, rest = rows[0], rows[1:]
        cond_i = [c for r in rest for c in r[2]]
        cond_m = [_one_program(f, a, j, coef, prm.reference, xd, wd)[1] for coef in draws]
        out.append((point[0], _quantile(cond_i, 0.1), _quantile(cond_i, 0.9), point[1],
                    _quantile(cond_m, 0.1), _quantile(cond_m, 0.9)))
    return out


def _one_program(f: ApplicantFeatures, a: ProgramArrays, j: int, coef: dict[str, float],
                 ref: dict[str, float], x: np.ndarray, w: np.ndarray
                 ) -> tuple[float, float, list[float]]:
    rest = rest_terms(f, coef, ref)
    zs2 = step2_z(f.step2ck, ref)
    base = a.alpha[j] + coef["i_shift"] + coef["i_step2"] * zs2 + rest
    base += coef["p_tie"] * (a.states[j] in f.tie_states)
    se = 1.0 if a.gamma_se is None else float(a.gamma_se[j])  # m_shift is in units of it
    eta_m = a.gamma[j] + coef["m_shift"] * se + a.step2_slope[j] * zs2 + coef["m_rest"] * rest
    scale = math.sqrt(1.0 + math.pi * coef["sigma_i"] ** 2 / 8.0)
    per_node, q_by_shock = [], [0.0] * len(x)
    for m in range(a.n_nodes):
        eta = base + (IMG_WEIGHT[f.applicant_type] * coef["p_img"] + coef["p_open"]) * a.img[j, m]
        eta += coef["p_ipp"] * a.ipp[j, m] + coef["p_pos"] * a.pos[j, m]
        eta += coef["p_fill"] * a.fill[j, m]
        eta += coef["p_visa"] * (not bool(a.visa_ok(f.visa)[j, m]))
        per_node.append(_sig(eta / scale))
        for h, xh in enumerate(x):
            q_by_shock[h] += _sig(eta + coef["sigma_i"] * xh) / a.n_nodes
    num = sum(wh * qh * _sig(eta_m + coef["sigma_m"] * xh)
              for wh, qh, xh in zip(w, q_by_shock, x, strict=True))
    den = sum(wh * qh for wh, qh in zip(w, q_by_shock, strict=True))
    return sum(per_node) / len(per_node), num / den, per_node


def vectorised(f: ApplicantFeatures, arrays: ProgramArrays) -> tuple[np.ndarray, ...]:
    model = load_model()
    return (*model.interview.predict_proba(f, arrays), *model.match.predict_proba(f, arrays))


def _time(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=700)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    model = load_model()
    programs = [p for p in load_catalog_programs(load_settings().data_dir / CATALOG_FILE)
                if p.value("specialty") == "Internal Medicine"]
    arrays = take(model.arrays(programs), np.arange(min(args.programs, len(programs))))
    fast = vectorised(APPLICANT, arrays)
    slow = np.array(naive(APPLICANT, arrays, model.params)).T
    t_fast = _time(lambda: vectorised(APPLICANT, arrays), args.repeat)
    t_slow = _time(lambda: naive(APPLICANT, arrays, model.params), max(1, args.repeat // 10))
    diff = float(np.max(np.abs(np.array(fast) - slow)))
    print(f"programs={arrays.n_programs} nodes={arrays.n_nodes} draws={model.params.n_draws}")
    print(f"vectorised interview+match (p, lo, hi): {t_fast * 1000:.1f} ms")
    print(f"per-program Python loop, same numbers:  {t_slow * 1000:.1f} ms")
    print(f"max |difference| of p, lo, hi: {diff:.2e}")
    print(f"speed-up ratio={t_slow / t_fast:.1f}x")


if __name__ == "__main__":
    main()
