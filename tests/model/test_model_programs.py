"""Unknown program facts are integrated over learned priors, never filled with one guess."""

from __future__ import annotations

import numpy as np
import pytest

from smartpick.catalog.fields import Status
from smartpick.catalog.program import Fact, Program
from smartpick.errors import InputError, NotFoundError
from smartpick.model import ApplicantFeatures, InterviewModel, build_program_arrays

IMG = ApplicantFeatures(step2ck=252, years_since_graduation=2, visa="j1",
                        usce_hands_on_months=6, usce_in_specialty_months=4, usce_recent_months=4,
                        us_letters=2, publications=3, abstracts=2, presentations=1)


def _program(pid: str, **facts: object) -> Program:
    facts = {"specialty": "Internal Medicine", **facts}
    return Program(pid, "acgme_program", {k: Fact(k, v, Status.REPORTED)
                                          for k, v in facts.items()})


def test_unknown_img_share_spreads_over_prior_nodes(params) -> None:  # type: ignore[no-untyped-def]
    arrays = build_program_arrays([_program("known", pct_img=40.0), _program("unknown")], params)
    assert np.ptp(arrays.img[0]) == 0.0
    assert np.ptp(arrays.img[1]) > 1.0  # from IMG-light to IMG-heavy programs
    assert arrays.unknown["pct_img"].tolist() == [False, True]


def test_unknown_fact_gives_an_average_chance_and_a_wider_interval(params) -> None:  # type: ignore[no-untyped-def]
    programs = [_program("low", pct_img=5.0, visa_j1=True, visa_h1b=False),
                _program("high", pct_img=90.0, visa_j1=True, visa_h1b=False),
                _program("unknown", visa_j1=True, visa_h1b=False)]
    p, lo, hi = InterviewModel(params).predict_proba(IMG, build_program_arrays(programs, params))
    assert p[0] < p[2] < p[1]
    assert (hi - lo)[2] > max((hi - lo)[0], 0.5 * (hi - lo)[1])


def test_community_programs_get_the_community_prior(params) -> None:  # type: ignore[no-untyped-def]
    arrays = build_program_arrays([_program("c", program_type="community"),
                                   _program("u", program_type="university")], params)
    assert arrays.img[0].mean() > arrays.img[1].mean()


def test_intervals_contain_the_probability(im_arrays) -> None:  # type: ignore[no-untyped-def]
    p, lo, hi = InterviewModel().predict_proba(IMG, im_arrays)
    assert ((lo <= p) & (p <= hi)).all()
    assert ((p > 0) & (p < 1)).all()


def test_program_without_specialty_is_an_input_error(params) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError):
        build_program_arrays([Program("x", "acgme_program")], params)


def test_unknown_specialty_is_not_found(params) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError):
        params.specialty("Underwater Medicine")


def test_signals_and_preferred_misses_move_the_chance(im_arrays) -> None:  # type: ignore[no-untyped-def]
    model = InterviewModel()
    n = im_arrays.n_programs
    base = model.predict_proba(IMG, im_arrays)[0]
    gold = model.predict_proba(IMG, im_arrays, signals=["gold"] * n)[0]
    silver = model.predict_proba(IMG, im_arrays, signals=["silver"] * n)[0]
    missed = model.predict_proba(IMG, im_arrays, preferred_misses=np.ones(n, int))[0]
    assert (gold > silver).all() and (silver > base).all() and (missed < base).all()
    with pytest.raises(InputError):
        model.predict_proba(IMG, im_arrays, signals=["platinum"] * n)


def test_list_arrays_equal_one_at_a_time(params, im_programs) -> None:  # type: ignore[no-untyped-def]
    """Priors computed once per list never leak one program's facts into another's."""
    from smartpick.model.program_arrays import take

    some = im_programs[:40]
    together = build_program_arrays(some, params)
    for i, program in enumerate(some):
        alone = build_program_arrays([program], params)
        one = take(together, np.array([i]))
        for name in ("img", "ipp", "pos", "fill", "j1", "h1b", "alpha", "gamma"):
            assert np.array_equal(getattr(one, name), getattr(alone, name)), name
        assert all(np.array_equal(one.unknown[k], alone.unknown[k]) for k in alone.unknown)


def test_empty_visa_list_is_its_own_category(params) -> None:  # type: ignore[no-untyped-def]
    page = "https://freida.ama-assn.org/program/1400000000"
    programs = [_program("listed", source_page=page, visa_j1=True, visa_h1b=False),
                _program("empty", source_page=page), _program("unknown")]
    arrays = build_program_arrays(programs, params)
    assert arrays.visa_empty is not None and arrays.visa_empty.tolist() == [False, True, False]
    takes_j1 = arrays.visa_ok("j1").mean(axis=1)
    assert takes_j1[0] == 1.0
    assert takes_j1[1] < takes_j1[2]  # an empty list is a signal: less often a J-1 sponsor


def test_program_share_separates_programs_for_every_applicant(params) -> None:  # type: ignore[no-untyped-def]
    programs = [_program("img-light", pct_img=1.0, positions=40),
                _program("img-heavy", pct_img=90.0, positions=40)]
    arrays = build_program_arrays(programs, params)
    us_md = ApplicantFeatures(step2ck=250, applicant_type="us_md", years_since_graduation=0)
    for applicant in (IMG, us_md):
        p = InterviewModel(params).predict_proba(applicant, arrays)[0]
        assert p[0] < p[1]
