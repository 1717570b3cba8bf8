"""The fit / predict_proba style API: refitting changes what predictions use."""

from __future__ import annotations

from smartpick.model import ApplicantFeatures, InterviewModel, MatchModel
from smartpick.model.calibration.catalog_rows import CATALOG_FILE, load_catalog_programs
from smartpick.model.calibration.cohort import load_published
from smartpick.model.calibration.figures import cohort_figures, specialty_contexts
from smartpick.model.calibration.records import load_records
from smartpick.model.program_arrays import take
from smartpick.settings import load_settings

STATS = load_settings().data_dir / "stats"
IMG = ApplicantFeatures(step2ck=245, visa="j1", usce_hands_on_months=4)


def test_match_fit_predicts_a_held_out_specialty_from_the_others(params) -> None:  # type: ignore[no-untyped-def]
    pubs = load_published(STATS)
    programs = load_catalog_programs(load_settings().data_dir / CATALOG_FILE)
    keep = {"Internal Medicine", "Pediatrics", "Family Medicine", "Pathology", "Psychiatry",
            "General Surgery"}
    small = {k: v for k, v in pubs.items() if k in keep}
    contexts = specialty_contexts(params, programs, small)
    model = MatchModel(params).fit(small, contexts, held_out=frozenset({"Internal Medicine"}),
                                   sigma_m=params.coef["sigma_m"])
    assert "Internal Medicine" not in model.gamma_
    assert model.params.specialty("Pediatrics").gamma == model.gamma_["Pediatrics"]
    im = model.params.specialty("Internal Medicine")
    assert im.source == "held_out"
    assert im.gamma != params.specialty("Internal Medicine").gamma  # no earlier fit survives
    fitted = [f for f in cohort_figures(model.params, small, contexts)
              if f.figure == "match_rate/Pediatrics"]
    assert abs(fitted[0].predicted - fitted[0].published) < 0.005


def test_interview_fit_learns_monotone_slopes(params, im_arrays) -> None:  # type: ignore[no-untyped-def]
    records = load_records(STATS)[:60]
    arrays = take(im_arrays, list(range(0, im_arrays.n_programs, 4)))
    model = InterviewModel(params).fit(records, arrays)
    assert model.coef_["i_step2"] >= 0 and model.coef_["i_usce"] >= 0
    assert model.coef_["i_yog"] <= 0
    assert model.params.coef["i_step2"] == model.coef_["i_step2"]
    p, lo, hi = model.predict_proba(IMG, arrays)
    assert ((lo <= p) & (p <= hi)).all()
