"""Tables a reader can tell apart: names shortened so different programs never look the same,
and `check` filtered by verdict with a summary by rule."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from smartpick.cli import cli
from smartpick.cli.output import short_names
from smartpick.settings import Settings
from tests.conftest import cli_env

WEAK = str(Path(__file__).resolve().parents[1] / "examples" / "weak_non_us_img_im.yaml")


def test_different_long_names_stay_different() -> None:
    names = ["Montefiore Medical Center/Albert Einstein College of Medicine Program",
             "Montefiore Medical Center/Albert Einstein College of Medicine (Wakefield Campus) "
             "Program", "Short Program"]
    short = short_names(names)
    assert len(set(short)) == 3 and all(len(s) <= 44 for s in short)
    assert short[2] == "Short" and short[1].endswith("(Wakefield Campus)")


def test_check_filters_by_verdict_and_sums_up_by_rule(built_catalog: Settings) -> None:
    runner = CliRunner()
    full = json.loads(runner.invoke(cli, ["check", WEAK, "--specialty", "Internal Medicine",
                                          "--format", "json"], env=cli_env(built_catalog)).output)
    only = runner.invoke(cli, ["check", WEAK, "--specialty", "Internal Medicine", "--verdict",
                               "ineligible"], env=cli_env(built_catalog))
    assert only.exit_code == 0, only.output
    expected = sum(1 for v in full if v["verdict"] == "ineligible")
    assert f"{expected} programs: 0 eligible, {expected} ineligible, 0 unverified" in only.output
    assert "By rule (programs it excludes / leaves unverified):" in only.output
    assert "city" in only.output.splitlines()[0]
