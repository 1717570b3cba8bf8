"""How the interview layer does on applicant records: fitted ones and held-out ones.

For each record the model gives the distribution of the number of interviews (binomial in the
number of applications, mixed over the shared shock), hence an expected count and an 80%
predictive interval. Held-out records were not used to fit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from smartpick.model.calibration.figures import Figure
from smartpick.model.calibration.fit_interview import qbar, record_inputs
from smartpick.model.calibration.records import ApplicationRecord
from smartpick.model.match import shock_nodes
from smartpick.model.params import ModelParams
from smartpick.model.program_arrays import ProgramArrays

RECORDS_SOURCE = "self-reported IM applicants 2023-24 (data/stats/im_applicants_self_reported.csv)"
LEVEL = 0.8
GROUPS = {"non-US IMG": ("non_us_img",), "US IMG": ("us_img",), "US MD/DO": ("us_md", "us_do")}


@dataclass(frozen=True)
class RecordPrediction:
    record: int
    applicant_type: str
    applications: int
    interviews: int
    expected: float
    lo: int
    hi: int

    @property
    def covered(self) -> bool:
        return self.lo <= self.interviews <= self.hi


def theta_of(params: ModelParams) -> np.ndarray:
    """The records' parameters: shipped slopes, with the records' own intercept and US offsets.

    Self-reporting applicants are not the nation: the records keep the intercept, the US
    graduate offsets and the IMG visa contrast fitted on the fit records (a selection effect),
    so held-out records test the slopes and the spread, not the national level.
    """
    c, own = params.coef, params.meta.get("interview_fit", {})
    return np.array([own.get("alpha", params.specialty("Internal Medicine").alpha),
                     c["i_step2"], c["i_usce"], c["i_yog"], own.get("t_us_md", c["t_us_md"]),
                     own.get("t_us_do", c["t_us_do"]), own.get("r_visa", c["i_visa"]),
                     np.log(c["sigma_i"]),
                     np.log(c.get("s_us", 1.0))])


def predict_records(params: ModelParams, records: list[ApplicationRecord],
                    arrays: ProgramArrays) -> list[RecordPrediction]:
    out: list[RecordPrediction] = []
    _, w = shock_nodes()
    theta = theta_of(params)
    for rec in records:
        own = params.meta.get("interview_fit", {})
        coef = {**params.coef, "t_us_img": own.get("t_us_img", params.coef["t_us_img"])}
        data = record_inputs([rec], arrays, coef, params.reference)
        q = qbar(theta, data.x, data.terms)[0]
        n = rec.applications
        ys = np.arange(n + 1)
        cdf = (stats.binom.cdf(ys[:, None], n, q[None, :]) @ w)
        tail = (1.0 - LEVEL) / 2.0
        lo, hi = int(np.searchsorted(cdf, tail)), int(np.searchsorted(cdf, 1.0 - tail))
        out.append(RecordPrediction(rec.record, rec.features.applicant_type, n, rec.interviews,
                                    float(n * (q @ w)), lo, min(hi, n)))
    return out


def record_figures(fit: list[RecordPrediction], held: list[RecordPrediction]) -> list[Figure]:
    out: list[Figure] = []
    for label, preds, held_out in (("fit", fit, False), ("held-out", held, True)):
        for group, kinds in GROUPS.items():
            rows = [p for p in preds if p.applicant_type in kinds]
            if not rows:
                continue
            apps = sum(p.applications for p in rows)
            out.append(Figure(
                f"interview_rate/{group} records ({label})",
                sum(p.interviews for p in rows) / apps, sum(p.expected for p in rows) / apps,
                held_out, None, False, "share", RECORDS_SOURCE, f"n={len(rows)} records"))
        out.append(Figure(
            f"interview_80pct_interval_coverage/records ({label})", LEVEL,
            float(np.mean([p.covered for p in preds])), held_out, None, False, "share",
            RECORDS_SOURCE, f"n={len(preds)}; published = nominal level"))
    return out
