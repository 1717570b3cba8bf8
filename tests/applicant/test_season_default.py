"""The default season is decided in one place, from an injectable today."""

from __future__ import annotations

from datetime import date

import pytest

from smartpick.applicant import default_season, load_season, season_warning
from smartpick.applicant.seasons import available_seasons
from smartpick.errors import InputError
from smartpick.plan.fees import fee_table
from smartpick.plan.signals import signal_rule
from smartpick.settings import today


@pytest.mark.parametrize(("on", "season"), [
    ("2026-11-30", 2028),  # ERAS 2027 opened in June 2026: Match 2028 is the next full window
    ("2026-06-03", 2027),  # the day ERAS 2027 opens, its whole window is still ahead
    ("2026-06-04", 2028),
    ("2025-01-15", 2026),
])
def test_default_season_is_the_next_full_application_window(on: str, season: int) -> None:
    assert default_season(date.fromisoformat(on)) == season


def test_today_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTPICK_TODAY", "2026-11-30")
    assert today() == date(2026, 11, 30)
    assert default_season() == 2028
    assert load_season().year == 2028


def test_a_bad_today_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTPICK_TODAY", "2026-11-31")
    with pytest.raises(InputError) as err:
        today()
    assert err.value.problems[0].field == "SMARTPICK_TODAY"


def test_a_passed_season_says_so_and_a_coming_one_does_not() -> None:
    on = date(2026, 11, 30)
    warning = season_warning(load_season(2027), on)
    assert warning is not None and "2026-09-23" in warning and "passed" in warning
    assert season_warning(load_season(2028), on) is None


def test_2027_and_2028_are_held_with_their_figures_labelled() -> None:
    assert {2027, 2028} <= set(available_seasons())
    season = load_season(2028)
    assert season.application_date == date(2027, 9, 22)
    assert season.date("eras_opens") == date(2027, 6, 2)
    assert all("not yet published" in m.method for m in season.milestones
               if m.status == "estimated")
    fees = fee_table(2028)
    assert fees.schedule.marginal(1) == 11 and fees.schedule.marginal(31) == 30
    assert "carried forward from 2026, not yet published" in fees.rule_season_note
    rule = signal_rule("Internal Medicine", 2028)
    assert (rule.gold, rule.silver) == (3, 12)
    assert "carried forward from 2025, not yet published" in rule.label


def test_usce_timeline_dates_come_from_the_chosen_season() -> None:
    from pathlib import Path

    from click.testing import CliRunner

    from smartpick.cli import cli

    example = str(Path(__file__).resolve().parents[2] / "examples" / "strong_non_us_img_im.yaml")
    env = {"SMARTPICK_TODAY": "2026-11-30"}
    coming = CliRunner().invoke(cli, ["usce", example, "--timeline"], env=env)
    assert coming.exit_code == 0, coming.output
    assert "must end by 2027-09-22" in coming.output and "WARNING" not in coming.output
    passed = CliRunner().invoke(cli, ["usce", example, "--timeline", "--season", "2027"], env=env)
    assert passed.output.startswith("WARNING: Match 2027") and "2026-09-23" in passed.output
