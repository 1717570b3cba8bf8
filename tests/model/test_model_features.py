from __future__ import annotations

from datetime import date

import pytest

from smartpick.applicant import load_profile
from smartpick.errors import InputError
from smartpick.model import ApplicantFeatures, InterviewModel, MatchModel, features_from_profile
from smartpick.settings import SOURCE_ROOT

SEASON = date(2026, 9, 24)


def test_out_of_range_facts_name_each_field() -> None:
    with pytest.raises(InputError) as err:
        ApplicantFeatures(step2ck=400, usce_hands_on_months=-1, visa="f1")  # type: ignore[arg-type]
    fields = {p.field for p in err.value.problems}
    assert fields == {"step2ck", "usce_hands_on_months", "visa"}


def test_profile_maps_ledger_and_preferences() -> None:
    profile = load_profile(SOURCE_ROOT / "examples" / "strong_non_us_img_im.yaml")
    f = features_from_profile(profile, "IM", SEASON)
    assert f.applicant_type == "non_us_img"
    assert f.step2ck == profile.exams.step2ck
    assert f.usce_hands_on_months > 0
    assert set(profile.preferences.states) <= f.tie_states


def test_strong_profile_scores_above_weak_profile(im_arrays) -> None:  # type: ignore[no-untyped-def]
    strong = features_from_profile(
        load_profile(SOURCE_ROOT / "examples" / "strong_non_us_img_im.yaml"), "IM", SEASON)
    weak = features_from_profile(
        load_profile(SOURCE_ROOT / "examples" / "weak_non_us_img_im.yaml"), "IM", SEASON)
    assert MatchModel().p_any(strong, im_arrays)[0] > MatchModel().p_any(weak, im_arrays)[0]
    assert (InterviewModel().predict_proba(strong, im_arrays)[0]
            > InterviewModel().predict_proba(weak, im_arrays)[0]).mean() > 0.95


def test_profile_without_step2_score_is_a_clear_error() -> None:
    profile = load_profile(SOURCE_ROOT / "examples" / "us_md_im.yaml")
    profile = profile.model_copy(update={"exams": profile.exams.model_copy(
        update={"step2ck": None})})
    with pytest.raises(InputError) as err:
        features_from_profile(profile, "Internal Medicine", SEASON)
    assert err.value.problems[0].field == "exams.step2ck"
