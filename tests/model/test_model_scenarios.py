"""Joint scenarios: seeded, correlated through the shared applicant shock, and consistent."""

from __future__ import annotations

import numpy as np
import pytest

from smartpick.errors import InputError
from smartpick.model import ApplicantFeatures, draw_scenarios, load_model
from smartpick.model.program_arrays import take

IMG = ApplicantFeatures(step2ck=252, years_since_graduation=2, visa="j1",
                        usce_hands_on_months=6, usce_in_specialty_months=4, usce_recent_months=4,
                        us_letters=2, publications=3, abstracts=2, presentations=1)


def test_same_seed_same_scenarios(im_arrays) -> None:  # type: ignore[no-untyped-def]
    a = draw_scenarios(IMG, im_arrays, 200, seed=3)
    b = draw_scenarios(IMG, im_arrays, 200, seed=3)
    assert a.shape == (200, im_arrays.n_programs) and a.dtype == bool
    assert (a == b).all()
    assert not (a == draw_scenarios(IMG, im_arrays, 200, seed=4)).all()


def test_outcomes_of_one_applicant_move_together(im_arrays) -> None:  # type: ignore[no-untyped-def]
    probs = draw_scenarios(IMG, im_arrays, 2000, seed=1, outcome="prob")
    good, bad = probs.mean(axis=1) > np.median(probs.mean(axis=1)), None
    bad = ~good
    # in scenarios where the applicant shock is favourable, every program tends to say yes
    assert (probs[good].mean(axis=0) > probs[bad].mean(axis=0)).mean() > 0.99
    corr = np.corrcoef(probs[:, 0], probs[:, 1])[0, 1]
    assert corr > 0.2


def test_scenario_means_agree_with_the_marginal_model(im_arrays) -> None:  # type: ignore[no-untyped-def]
    arrays = take(im_arrays, np.arange(40))
    model = load_model()
    q = model.interview.predict_proba(IMG, arrays)[0]
    r = model.match.predict_proba(IMG, arrays)[0]
    mean = model.scenarios(IMG, arrays, 20000, seed=5, outcome="prob").mean(axis=0)
    assert np.allclose(mean, q * r, rtol=0.35, atol=0.003)


def test_at_least_one_scenario_is_required(im_arrays) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError):
        draw_scenarios(IMG, im_arrays, 0, seed=1)


def test_a_signal_only_turns_failures_into_successes(im_arrays) -> None:  # type: ignore[no-untyped-def]
    from smartpick.model.scenarios import draw_signal_scenarios

    arrays = take(im_arrays, np.arange(60))
    variants = draw_signal_scenarios(IMG, arrays, 3000, seed=9)
    none, silver, gold = variants["none"], variants["silver"], variants["gold"]
    assert (none <= silver).all() and (silver <= gold).all()
    assert gold.mean() > none.mean()
    # the same scenarios as a plain call with the same seed
    assert (draw_scenarios(IMG, arrays, 3000, seed=9) == none).all()
    gold_list = draw_scenarios(IMG, arrays, 3000, seed=9, signals=["gold"] * 60)
    assert (gold_list == gold).all()


def test_list_chance_by_draw_matches_scenarios(im_arrays) -> None:  # type: ignore[no-untyped-def]
    """The per-draw P(match) of a list averages to the scenarios' estimate, and varies."""
    from smartpick.model.match import shock_nodes

    model = load_model()
    sub = take(im_arrays, np.arange(0, 300, 10))
    log_miss = model.match.log_miss_by_draw(IMG, sub)
    assert log_miss.shape == (model.params.n_draws, shock_nodes()[0].size)
    per_draw = 1.0 - np.exp(log_miss) @ shock_nodes()[1]
    probs = draw_scenarios(IMG, sub, 4000, seed=2, outcome="prob")
    scenario = float(np.mean(1.0 - np.prod(1.0 - probs, axis=1)))
    assert per_draw.mean() == pytest.approx(scenario, abs=0.02)
    assert per_draw.max() - per_draw.min() > 0.2 * per_draw.mean()
    longer = model.match.log_miss_by_draw(IMG, take(im_arrays, np.arange(0, 400, 10)))
    assert (longer <= log_miss + 1e-12).all()
