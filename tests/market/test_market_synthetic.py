"""Synthetic national markets and the `smartpick simulate` command."""

from __future__ import annotations

import json

import numpy as np
from click.testing import CliRunner

from smartpick.cli import cli
from smartpick.market import blocking_pairs, match, validate
from smartpick.market.calibration import fitted_parameters
from smartpick.market.shape import TYPES, load_shape
from smartpick.market.synthetic import draw_market, draw_programs


def test_shape_follows_the_shipped_nrmp_figures() -> None:
    shape = load_shape()
    assert shape.n_applicants_2025 == 47208
    assert int(shape.quota.sum()) == 38494  # 2024 PGY-1 positions offered
    assert round(float(shape.target_rate[TYPES.index("non-US IMG")]), 1) == 58.0
    assert np.allclose(shape.demand.sum(axis=1), 1.0)


def test_synthetic_market_is_well_formed_and_its_match_is_stable() -> None:
    shape = load_shape()
    rng = np.random.default_rng(7)
    programs = draw_programs(shape, rng)
    synthetic = draw_market(shape, programs, 3000, fitted_parameters(), rng)
    validate(synthetic.market)  # distinct programs per list, distinct ranks per program
    assignment = match(synthetic.market).assignment
    assert blocking_pairs(synthetic.market, assignment) == []
    assert np.bincount(synthetic.applicant_type, minlength=5).tolist()[0] > 1000


def test_same_seed_gives_the_same_market() -> None:
    shape = load_shape()
    markets = []
    for _ in range(2):
        rng = np.random.default_rng(11)
        programs = draw_programs(shape, rng)
        markets.append(draw_market(shape, programs, 500, fitted_parameters(), rng).market)
    assert np.array_equal(markets[0].program, markets[1].program)
    assert np.array_equal(markets[0].rank, markets[1].rank)


def test_simulate_at_national_scale_lands_near_nrmp_2025() -> None:
    result = CliRunner().invoke(cli, ["simulate", "--seed", "3", "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert set(summary["by_type"]) == set(TYPES)
    img = summary["by_type"]["non-US IMG"]
    assert img["nrmp_2025"] == 58.0
    assert abs(img["distance_pp"] - (img["rate"] - 58.0)) < 0.1
    for name in ("non-US IMG", "US IMG", "US MD senior"):
        assert abs(summary["by_type"][name]["distance_pp"]) <= 3.0
    assert summary["max_headline_distance_pp"] <= 3.0
    assert len(summary["program_cutoffs"]) == len(load_shape().program_code)


def test_fewer_applicants_for_the_same_positions_match_more_often() -> None:
    result = CliRunner().invoke(
        cli, ["simulate", "--applicants", "20000", "--seed", "3", "--format", "json"]
    )
    rates = json.loads(result.output)["by_type"]
    assert rates["non-US IMG"]["rate"] > 75.0


def test_simulate_table_names_the_distance() -> None:
    result = CliRunner().invoke(cli, ["simulate", "--applicants", "3000", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "Largest distance to NRMP 2025" in result.output
    assert "non-US IMG" in result.output


def test_simulate_refuses_a_bad_option_without_traceback() -> None:
    result = CliRunner().invoke(cli, ["simulate", "--applicants", "-5"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
