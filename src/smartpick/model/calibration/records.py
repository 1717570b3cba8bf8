"""Self-reported Internal Medicine applicants (2023-24 cycle) as model inputs and outcomes.

The shipped table ``data/stats/im_applicants_self_reported.csv`` holds facts only (scores, year
of graduation, months of USCE, visa need, publications, applications and interviews). A record
becomes :class:`ApplicationRecord` when it gives a Step 2 CK score and counts of applications
and interviews. Mapping (stated in the calibration report):

- US graduate with "US MD" / "US DO" -> ``us_md`` / ``us_do``; IMG needing a visa -> ``non_us_img``
  with a J-1 need; IMG needing none -> ``us_img`` (citizens and residents);
- USCE months count as hands-on and in-specialty months; recent months and US letters, which
  the table lacks, take the reference applicant's values;
- years since graduation are counted at the application season (2023); US graduates apply in
  their final year (0);
- records reporting a "red flag" are left out (its nature is unknown).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from smartpick.model.coefficients import REFERENCE
from smartpick.model.features import ApplicantFeatures

RECORDS_FILE = "im_applicants_self_reported.csv"
SEASON_YEAR = 2023


@dataclass(frozen=True)
class ApplicationRecord:
    record: int
    features: ApplicantFeatures
    applications: int
    interviews: int


def load_records(stats_dir: Path) -> list[ApplicationRecord]:
    with (stats_dir / RECORDS_FILE).open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [rec for rec in (_record(r) for r in rows) if rec is not None]


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _record(row: dict[str, str]) -> ApplicationRecord | None:
    step2, apps, ivs = (_number(row[k]) for k in ("step2_score", "num_applications",
                                                   "num_interviews"))
    kind = _applicant_type(row)
    if step2 is None or apps is None or ivs is None or kind is None or apps < 1:
        return None
    if row["red_flags"] == "yes" or ivs > apps or not 180 <= step2 <= 300:
        return None
    return ApplicationRecord(int(row["record"]), _features(row, kind, step2), int(apps), int(ivs))


def _applicant_type(row: dict[str, str]) -> str | None:
    if row["graduate_type"] == "US":
        return {"US MD": "us_md", "US DO": "us_do"}.get(row["medical_degree"])
    if row["graduate_type"] == "IMG":
        return {"yes": "non_us_img", "no": "us_img"}.get(row["visa_required"])
    return None


def _features(row: dict[str, str], kind: str, step2: float) -> ApplicantFeatures:
    us_grad = kind in ("us_md", "us_do")
    yog_year = _number(row["year_of_graduation"])
    yog = 0.0 if us_grad or yog_year is None else max(SEASON_YEAR - yog_year, 0.0)
    if not us_grad and yog_year is None:
        yog = REFERENCE["years_since_graduation"]
    usce = _number(row["months_of_usce"])
    months = REFERENCE["usce_hands_on_months"] if us_grad or usce is None else min(usce, 60.0)
    step1 = _number(row["step1_score"])
    return ApplicantFeatures(
        step2ck=step2, step1=step1 if step1 and 140 <= step1 <= 300 else None,
        years_since_graduation=yog, visa="j1" if kind == "non_us_img" else "none",
        applicant_type=kind,  # type: ignore[arg-type]
        usce_hands_on_months=months, usce_in_specialty_months=months,
        usce_recent_months=REFERENCE["usce_recent_months"],
        us_letters=int(REFERENCE["us_letters"]),
        publications=int(_number(row["num_publications"]) or 0),
    )


def split(records: list[ApplicationRecord], share_held: float, seed: int
          ) -> tuple[list[ApplicationRecord], list[ApplicationRecord]]:
    """(fit, held_out): a seeded split, stratified by applicant type."""
    rng = np.random.default_rng(seed)
    fit: list[ApplicationRecord] = []
    held: list[ApplicationRecord] = []
    for kind in ("non_us_img", "us_img", "us_md", "us_do"):
        group = [r for r in records if r.features.applicant_type == kind]
        order = rng.permutation(len(group))
        n_held = round(share_held * len(group))
        held += [group[i] for i in order[:n_held]]
        fit += [group[i] for i in order[n_held:]]
    return fit, held
