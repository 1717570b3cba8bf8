"""Property tests: the model is monotone where it must be."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.catalog.fields import Status
from smartpick.catalog.program import Fact, Program
from smartpick.model import ApplicantFeatures, InterviewModel, MatchModel, build_program_arrays
from smartpick.model.program_arrays import ProgramArrays, take

applicants = st.builds(
    ApplicantFeatures,
    step2ck=st.floats(200, 280),
    failed_attempts=st.integers(0, 3),
    years_since_graduation=st.floats(0, 20),
    visa=st.sampled_from(["none", "j1", "h1b", "j1_or_h1b"]),
    applicant_type=st.sampled_from(["non_us_img", "us_img", "us_md", "us_do"]),
    usce_hands_on_months=st.floats(0, 24),
    usce_in_specialty_months=st.floats(0, 24),
    usce_recent_months=st.floats(0, 12),
    us_letters=st.integers(0, 5),
    publications=st.integers(0, 20),
)
PROPS = settings(max_examples=25, deadline=None)


def _sample(arrays: ProgramArrays) -> ProgramArrays:
    return take(arrays, np.arange(0, arrays.n_programs, 9))


def _both(f: ApplicantFeatures, arrays: ProgramArrays) -> tuple[np.ndarray, np.ndarray]:
    return InterviewModel().predict_proba(f, arrays)[0], MatchModel().predict_proba(f, arrays)[0]


def _never_lower(before: ApplicantFeatures, after: ApplicantFeatures, arrays: ProgramArrays
                 ) -> None:
    (q0, r0), (q1, r1) = _both(before, arrays), _both(after, arrays)
    assert (q1 >= q0 - 1e-12).all()
    assert (r1 >= r0 - 1e-12).all()
    assert MatchModel().p_any(after, arrays)[0] >= MatchModel().p_any(before, arrays)[0] - 1e-12


@PROPS
@given(f=applicants, gain=st.floats(1, 40))
def test_more_step2ck_never_lowers_a_chance(im_arrays, f, gain) -> None:  # type: ignore[no-untyped-def]
    _never_lower(f, f.with_(step2ck=min(f.step2ck + gain, 300.0)), _sample(im_arrays))


@PROPS
@given(f=applicants, months=st.floats(0.5, 12))
def test_more_hands_on_usce_never_lowers_a_chance(im_arrays, f, months) -> None:  # type: ignore[no-untyped-def]
    more = f.with_(usce_hands_on_months=f.usce_hands_on_months + months,
                   usce_in_specialty_months=f.usce_in_specialty_months + months,
                   usce_recent_months=f.usce_recent_months + months)
    _never_lower(f, more, _sample(im_arrays))


@PROPS
@given(f=applicants, years=st.floats(0.5, 10))
def test_fewer_years_since_graduation_never_lowers_a_chance(im_arrays, f, years) -> None:  # type: ignore[no-untyped-def]
    _never_lower(f.with_(years_since_graduation=f.years_since_graduation + years), f,
                 _sample(im_arrays))


@PROPS
@given(f=applicants)
def test_a_failed_attempt_never_raises_a_chance(im_arrays, f) -> None:  # type: ignore[no-untyped-def]
    _never_lower(f.with_(failed_attempts=f.failed_attempts + 1), f, _sample(im_arrays))


def _program(pid: str, j1: bool | None, h1b: bool | None, pct_img: float | None) -> Program:
    facts = {"specialty": "Internal Medicine", "visa_j1": j1, "visa_h1b": h1b,
             "pct_img": pct_img, "positions": 10, "interviews_per_position": 12.0,
             "state": "NY"}
    return Program(pid, "acgme_program", {
        k: Fact(k, v, Status.REPORTED) for k, v in facts.items() if v is not None})


@PROPS
@given(f=applicants.filter(lambda a: a.visa != "none"),
       pct=st.one_of(st.none(), st.floats(0, 100)))
def test_visa_fit_never_lowers_a_chance(params, f, pct) -> None:  # type: ignore[no-untyped-def]
    programs = [_program("fits", True, True, pct), _program("does-not", False, False, pct),
                _program("unknown", None, None, pct)]
    arrays = build_program_arrays(programs, params)
    q, _, _ = InterviewModel(params).predict_proba(f, arrays)
    assert q[0] >= q[2] >= q[1]
    assert q[0] > q[1]
