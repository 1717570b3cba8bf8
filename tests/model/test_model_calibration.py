"""The shipped calibration: the check command, published cohorts and the report's figures."""

from __future__ import annotations

import functools
import json
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from smartpick.cli import cli
from smartpick.model.calibration.cohort import build_cohort, load_published, weighted_median
from smartpick.model.calibration.evaluation import evaluate
from smartpick.model.params import SpecialtyParams
from smartpick.settings import load_settings

STATS = load_settings().data_dir / "stats"


@functools.cache
def _check() -> tuple[int, list[dict]]:  # type: ignore[type-arg]
    result = CliRunner().invoke(cli, ["calibrate", "--check", "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def test_calibrate_check_gates_held_out_rows_and_exits_on_any_miss() -> None:
    code, figures = _check()
    assert {"figure", "published", "predicted", "held_out", "gated", "ok"} <= set(figures[0])
    names = {f["figure"] for f in figures}
    assert "match_rate/Internal Medicine" in names
    held_rates = [f for f in figures if f["figure"].startswith("match_rate/Psychiatry")]
    assert held_rates and held_rates[0]["held_out"] and held_rates[0]["gated"]
    missed = [f for f in figures if f["gated"] and not f["ok"]]
    assert code == (1 if missed else 0)


def test_fitted_match_rates_are_the_deployed_models_and_within_three_points() -> None:
    _, figures = _check()
    rates = [f for f in figures
             if f["figure"].startswith("match_rate/") and f["gated"] and not f["held_out"]]
    assert len(rates) >= 10
    assert all(abs(f["predicted"] - f["published"]) <= 0.03 for f in rates)


def test_check_reports_validation_figures() -> None:
    _, figures = _check()
    names = [f["figure"].split("/")[0] for f in figures]
    for kind in ("loso_rmse", "records_log_loss", "coverage", "img_share_rank_correlation"):
        assert kind in names


def test_us_seniors_and_us_imgs_land_near_nrmp() -> None:
    _, figures = _check()
    rows = {f["figure"].split()[0]: f for f in figures if f["figure"].startswith("p_match_any/")}
    for kind in ("p_match_any/us_do", "p_match_any/us_img", "p_match_any/us_md"):
        assert abs(rows[kind]["predicted"] - rows[kind]["published"]) <= 0.03


def test_check_fails_when_a_fitted_figure_is_off(params) -> None:  # type: ignore[no-untyped-def]
    im = params.specialty("Internal Medicine")
    broken = replace(params, specialties={**params.specialties, "Internal Medicine":
                                          SpecialtyParams(im.alpha, im.gamma + 1.0,
                                                          im.step2_slope, "fitted")})
    failures = evaluate(broken, load_settings().data_dir, validate=False).failures
    assert any(f.figure == "match_rate/Internal Medicine" for f in failures)


def test_rebuilt_cohort_reproduces_published_medians() -> None:
    pub = load_published(STATS)["Internal Medicine"]
    cohort = build_cohort(pub)
    matched = cohort.matched == 1
    assert weighted_median(cohort.ranks[matched], cohort.weight[matched]) == 5
    assert abs(weighted_median(cohort.step2[~matched], cohort.weight[~matched]) - 243) < 1
    mean = (cohort.ranks[matched] * cohort.weight[matched]).sum() / cohort.weight[matched].sum()
    assert abs(mean - pub.ranks["matched"].mean) < 0.1


def test_every_canonical_specialty_has_parameters(params) -> None:  # type: ignore[no-untyped-def]
    from smartpick.catalog.specialties import CANONICAL

    assert set(CANONICAL) <= set(params.specialties)
    assert Path(params.meta["catalog"]).name == "programs.csv"
