"""The fit / predict_proba style API: refitting changes what predictions use."""

from __future__ import annotations

from smartpick.model import ApplicantFeatures, InterviewModel, MatchModel
from smartpick.model.calibration.cohort import load_published
from smartpick.model.calibration.records import load_records
from smartpick.model.program_arrays import take
from smartpick.settings import load_settings

STATS = load_settings().data_dir / "stats"
IMG = ApplicantFeatures(step2ck=245, visa="j1", usce_hands_on_months=4)


def test_match_fit_reproduces_fitted_rates_and_predicts_held_out(params) -> None:  # type: ignore[no-untyped-def]
    pubs = load_published(STATS)
    model = MatchModel(params).fit(pubs, held_out=frozenset({"Internal Medicine"}))
    assert "Internal Medicine" not in model.gamma_
    assert model.params.specialty("Pediatrics").gamma == model.gamma_["Pediatrics"]
    assert params.specialty("Pediatrics").gamma != model.params.specialty("Psychiatry").gamma


def test_interview_fit_learns_monotone_slopes(params, im_arrays) -> None:  # type: ignore[no-untyped-def]
    records = load_records(STATS)[:60]
    arrays = take(im_arrays, list(range(0, im_arrays.n_programs, 4)))
    model = InterviewModel(params).fit(records, arrays)
    assert model.coef_["i_step2"] >= 0 and model.coef_["i_usce"] >= 0
    assert model.coef_["i_yog"] <= 0
    assert model.params.coef["i_step2"] == model.coef_["i_step2"]
    p, lo, hi = model.predict_proba(IMG, arrays)
    assert ((lo <= p) & (p <= hi)).all()
