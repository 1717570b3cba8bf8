"""Validation figures, the visa effect and extrapolation labels, as a user would see them."""

from __future__ import annotations

import numpy as np

from smartpick.model import ApplicantFeatures, load_model
from smartpick.model.calibration.applying import chosen_list
from smartpick.model.calibration.catalog_rows import CATALOG_FILE, load_catalog_programs
from smartpick.model.calibration.cohort import load_published
from smartpick.model.calibration.figures import specialty_contexts
from smartpick.model.calibration.validation import _hidden, leave_one_out, share_holdout
from smartpick.model.program_arrays import build_program_arrays, take
from smartpick.model.strength import extrapolation_notes
from smartpick.settings import load_settings

DATA = load_settings().data_dir
APPLICANT = ApplicantFeatures(step2ck=248, years_since_graduation=3, visa="j1",
                              usce_hands_on_months=5, usce_in_specialty_months=4,
                              usce_recent_months=4, us_letters=2, publications=2)


def test_needing_a_j1_lowers_the_chance_of_the_same_profile(im_arrays) -> None:  # type: ignore[no-untyped-def]
    model = load_model()
    chances = {}
    for visa in ("none", "j1", "j1_or_h1b"):
        f = APPLICANT.with_(visa=visa)
        own = take(im_arrays, chosen_list(im_arrays, dict(model.params.coef), f.applicant_type,
                                          visa, 120, 7))
        chances[visa] = model.match.p_any(f, own)[0]
    assert chances["j1"] < chances["none"] - 0.05
    assert chances["j1"] <= chances["j1_or_h1b"] < chances["none"]


def test_leave_one_out_predicts_every_usable_specialty_without_its_own_fit(params) -> None:  # type: ignore[no-untyped-def]
    pubs = load_published(DATA / "stats")
    keep = {k: v for k, v in pubs.items()
            if k in {"Internal Medicine", "Pediatrics", "Family Medicine", "Psychiatry",
                     "Pathology", "General Surgery"}}
    programs = load_catalog_programs(DATA / CATALOG_FILE)
    rows = leave_one_out(params, keep, specialty_contexts(params, programs, keep))
    assert {r.specialty for r in rows} == set(keep)
    assert next(r for r in rows if r.specialty == "Psychiatry").held_out
    assert all(0.0 < r.predicted < 1.0 for r in rows)


def test_held_out_programs_are_scored_with_their_shares_hidden(params, im_programs) -> None:  # type: ignore[no-untyped-def]
    held = set(params.meta["program_fit"]["held_out_programs"])
    some = [p for p in im_programs if p.program_id in held][:5]
    arrays = build_program_arrays([_hidden(p) for p in some], params)
    assert arrays.unknown["pct_img"].all()
    check = share_holdout(params, im_programs)
    assert check is not None and check.n_programs == len(held)
    assert -1.0 <= check.rank_model <= 1.0 and len(check.deciles) == 10


def test_usce_outside_the_records_is_labelled_an_extrapolation() -> None:
    none = APPLICANT.with_(usce_hands_on_months=0, usce_in_specialty_months=0,
                           usce_recent_months=0)
    assert any("extrapolation" in n and "USCE" in n for n in extrapolation_notes(none))
    assert not extrapolation_notes(APPLICANT)
    us_md = ApplicantFeatures(step2ck=250, applicant_type="us_md", years_since_graduation=0)
    assert not extrapolation_notes(us_md)


def test_planning_never_loads_the_offline_calibration() -> None:
    import subprocess
    import sys

    code = ("import sys, smartpick.model, smartpick.plan.planner; "
            "print(any(m.startswith('smartpick.model.calibration') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_a_held_out_specialty_is_predicted_without_its_own_rate(params) -> None:  # type: ignore[no-untyped-def]
    """Psychiatry's intercepts come from the other specialties: its published rate (58.4%) can
    change without changing them, and its deployed rate is what its applicants per position
    predict."""
    from dataclasses import replace

    from smartpick.model.calibration.fit_match import (
        MatchFit,
        deployed,
        predicted_fit,
        rate_regression,
    )

    pubs = load_published(DATA / "stats")
    psych = pubs["Psychiatry"]
    ctx = specialty_contexts(params, load_catalog_programs(DATA / CATALOG_FILE),
                             {"Psychiatry": psych})["Psychiatry"]
    fitted = [p for n, p in pubs.items()
              if p.usable and params.specialty(n).source == "fitted"]
    train = MatchFit({}, params.coef["sigma_m"], 0.0, 0.0, 0.26, (-1.0, -1.8, 0.0),
                     (-6.4, -0.1, -0.8), rate_regression(fitted))
    guesses = [predicted_fit(p, train, params.coef["sigma_m"], ctx, (-5.0, -1.3))
               for p in (psych, replace(psych, match_rate=0.9))]
    assert guesses[0] == guesses[1]
    a, b = rate_regression(fitted)
    expected = 1.0 / (1.0 + np.exp(-(a + b * np.log(psych.applicants_per_position))))
    pooled = replace(psych, match_rate=float(expected))  # applicants pooled by that rate
    rate = deployed(pooled, guesses[0], params.coef["sigma_m"], ctx).rate
    assert abs(rate - expected) < 1e-4
