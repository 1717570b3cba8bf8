"""Needing a visa: lower chances, by an amount NRMP's published rates can carry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import yaml
from scipy import special

from smartpick.applicant.profile import Profile
from smartpick.model import MatchModel, features_from_profile
from smartpick.model.calibration.applying import chosen_list
from smartpick.model.calibration.fit_types import (
    VISA_BOUND,
    published_visa_gap,
    typical_visa_rates,
)
from smartpick.model.calibration.records import load_records
from smartpick.model.program_arrays import take
from smartpick.settings import load_settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# Most NRMP's 2025 rates allow between a typical J-1 and no-visa non-US IMG (P(match | an
# interview), logits): the whole US vs non-US IMG gap put on the visa, with only half of the
# non-US IMGs needing one.
MOST_PUBLISHED_GAP = published_visa_gap(0.5)[2]


def _strong(visa: str):  # type: ignore[no-untyped-def]
    data = yaml.safe_load((EXAMPLES / "strong_non_us_img_im.yaml").read_text(encoding="utf-8"))
    profile = Profile.model_validate({**data, "visa": visa})
    return features_from_profile(profile, "Internal Medicine", dt.date(2026, 9, 24))


def test_published_gap_is_the_stated_one() -> None:
    none, visa, gap = published_visa_gap(0.65)
    assert round(none, 3) == 0.678 and round(visa, 3) == 0.527
    assert 0.6 < gap < 0.65 and 0.8 < MOST_PUBLISHED_GAP < 0.85


def test_visa_term_is_fitted_shrunk_and_bounded(params) -> None:  # type: ignore[no-untyped-def]
    v = params.coef["i_visa"]
    assert VISA_BOUND <= v < 0.0
    assert min(params.draws["i_visa"]) >= VISA_BOUND and max(params.draws["i_visa"]) <= 0.0
    assert params.meta["visa_fit"]["i_visa"] == round(v, 5)


def test_typical_j1_applicant_matches_less_but_within_what_nrmp_allows(params, im_arrays) -> None:  # type: ignore[no-untyped-def]
    records = load_records(load_settings().data_dir / "stats")
    rates = typical_visa_rates(params, im_arrays, records)
    gap = special.logit(rates["none"]) - special.logit(rates["j1"])
    assert 0.05 < gap <= MOST_PUBLISHED_GAP
    assert rates["h1b"] < rates["j1"] < rates["none"]


def test_strong_profile_needing_a_j1_is_lower_but_not_absurdly_lower(params, im_arrays) -> None:  # type: ignore[no-untyped-def]
    """On one list of 120 programs known to take a J-1, only the visa need differs.

    The odds ratio of P(match) stays between exp(-MOST_PUBLISHED_GAP * 1.5) (the published
    maximum, with room for an unconditional chance falling faster than NRMP's rate among
    applicants who ranked) and exp(-0.05) (a visa need must cost something).
    """
    chosen = chosen_list(im_arrays, dict(params.coef), "non_us_img", "j1", 200, 7)
    own = take(im_arrays, chosen[im_arrays.visa_ok("j1").all(axis=1)[chosen]][:120])
    model = MatchModel(params)
    p = {visa: model.p_any(_strong(visa), own)[0] for visa in ("none", "j1")}
    odds = {k: v / (1.0 - v) for k, v in p.items()}
    assert p["j1"] < p["none"]
    assert np.exp(-1.5 * MOST_PUBLISHED_GAP) <= odds["j1"] / odds["none"] <= np.exp(-0.05)
    assert p["j1"] / p["none"] >= 0.6
