"""Fitted constants of the synthetic market, and the procedure that refits them.

``QUALITY_OFFSET`` is the mean latent quality of each applicant type (TYPES order; US MD
seniors are the reference at 0). It was obtained with :func:`refit` (``python -m
smartpick.market.calibration``) at the default market size, seed 2025, 8 replicates per
step: each step moves every offset by the probit distance between the NRMP 2025 rate and
the simulated rate. ``BACKUP_SHARE`` (the share of applicants who also rank a second
specialty) is fitted in the same steps to the NRMP 2025 PGY-1 fill rate (94.1%), which
fixes how many applicants match in all; the offsets then share those matches out by type.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy.stats import norm

from smartpick.market.shape import TYPES, NationalShape, load_shape
from smartpick.market.synthetic import MarketParameters

# fitted by refit(load_shape(), seed=2025) — see the module docstring
QUALITY_OFFSET: tuple[float, ...] = (0.0, -0.084, -2.208, -2.427, -3.62)
BACKUP_SHARE = 0.854


def fitted_parameters() -> MarketParameters:
    return MarketParameters(quality_offset=QUALITY_OFFSET, backup_share=BACKUP_SHARE)


def refit(
    shape: NationalShape, seed: int = 2025, steps: int = 8, replicates: int = 4
) -> MarketParameters:
    """Refit the quality offsets so simulated rates by type meet the NRMP 2025 rates."""
    from smartpick.market.report import NRMP_2025_FILL, simulate

    params = fitted_parameters()
    for _ in range(steps):
        summary = simulate(shape, shape.n_applicants_2025, seed, replicates, params)
        rates = np.array([summary.by_type[t].rate for t in TYPES]) / 100
        gap = norm.ppf(shape.target_rate / 100) - norm.ppf(np.clip(rates, 0.01, 0.99))
        offset = np.array(params.quality_offset) + gap
        offset -= offset[0]  # US MD seniors stay the reference
        backup = params.backup_share + 0.15 * (NRMP_2025_FILL - summary.fill_rate)
        params = replace(
            params,
            quality_offset=tuple(round(float(x), 3) for x in offset),
            backup_share=round(float(np.clip(backup, 0.0, 1.0)), 3),
        )
    return params


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    fitted = refit(load_shape())
    print("QUALITY_OFFSET =", fitted.quality_offset)
    print("BACKUP_SHARE =", fitted.backup_share)
