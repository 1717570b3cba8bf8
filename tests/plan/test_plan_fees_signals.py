"""ERAS fees and signal counts as the applicant would see them on the official pages."""

from __future__ import annotations

import pytest

from smartpick.errors import NotFoundError
from smartpick.plan.fees import fee_table
from smartpick.plan.signals import signal_rule


def test_2026_worked_example_of_43_im_and_7_dr_programs_costs_797_dollars():
    schedule = fee_table(2026).schedule
    assert schedule.list_cost({"Internal Medicine": 43, "Diagnostic Radiology": 7}) == 797


def test_2026_tiers_reset_per_specialty():
    schedule = fee_table(2026).schedule
    assert [schedule.marginal(n) for n in (1, 30, 31, 90)] == [11, 11, 30, 30]
    assert schedule.total(30) == 330
    assert schedule.list_cost({"A": 30, "B": 30}) == 660


def test_earlier_season_flat_first_ten_then_per_program():
    table = fee_table(2025)
    assert "2024/2025" in table.schedule.season_label
    assert table.schedule.total(10) == 99
    assert table.schedule.total(12) == 99 + 2 * 19
    assert table.schedule.confidence.startswith("secondary")


def test_fixed_fees_shown_apart_with_their_confidence():
    table = fee_table(2026)
    fees = {f.item: f for f in table.fixed}
    assert fees["USMLE transcript"].fee_usd == 80
    assert fees["ECFMG ERAS token"].fee_usd == 165 and fees["ECFMG ERAS token"].img_only
    assert fees["NRMP registration"].confidence == "secondary"
    assert table.fixed_total(img=True) - table.fixed_total(img=False) == 165


def test_season_before_any_table_is_refused_with_the_seasons_held():
    with pytest.raises(NotFoundError) as err:
        fee_table(2001)
    assert "2026" in str(err.value.problems[0])


def test_2026_signals_use_the_2025_rules_and_say_so():
    rule = signal_rule("Internal Medicine", 2026)
    assert (rule.gold, rule.silver, rule.rule_season) == (3, 12, 2025)
    assert "ERAS 2025 rules (latest held) used for 2026" in rule.label


def test_signal_rule_of_an_earlier_season_and_of_an_unlisted_specialty():
    assert (signal_rule("IM", 2024).gold, signal_rule("IM", 2024).silver) == (7, 0)
    assert signal_rule("Orthopedic Surgery", 2025).gold == 30
    unlisted = signal_rule("Medicine-Preliminary", 2026)
    assert (unlisted.gold, unlisted.silver) == (0, 0) and "no signals" in unlisted.note
