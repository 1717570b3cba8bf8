"""The second-listing check: on small fixtures (SQLite and PostgreSQL) it finds the pairs a
reader would call one program, and on the shipped catalog it finds none left unreviewed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import cli_env

from smartpick.catalog.build import build
from smartpick.catalog.duplicates import REVIEWED, check_catalog, read_reviewed
from smartpick.catalog.store import open_catalog
from smartpick.cli import cli
from smartpick.errors import DataError
from smartpick.settings import Settings, default_data_dir

IM = "Internal Medicine"


@pytest.fixture
def settings(database_url: str, fixture_data: Path, tmp_path: Path) -> Settings:
    found = Settings(database_url=database_url, data_dir=fixture_data, home=tmp_path)
    build(found)
    return found


def test_tracks_and_programs_of_one_sponsor_left_apart_are_flagged(settings: Settings) -> None:
    report = check_catalog(open_catalog(settings), IM, settings.data_dir)
    pairs = {(p.first, p.second): p for p in report.found}
    # HCA Houston Healthcare: two tracks naming no site, two survey programs of its name
    assert pairs[("2211140C0", "2211140C1")].clue == "same_institution"
    assert pairs[("1404800013", "2211140C0")].clue == "same_name"
    assert "Webster" in pairs[("1404800013", "2211140C0")].detail
    # Campbell's Cape Fear and Southeastern tracks name other sites than its Harnett program
    assert not {k for k in pairs if "2128140C0" in k or "2128140C1" in k}
    # linked tracks are inside their program, so never a pair
    assert not any("1007140C0" in k for k in pairs)


def test_a_reviewed_pair_is_reported_apart_with_its_reason(settings: Settings,
                                                           tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    (data_dir / "reviews").mkdir(parents=True)
    (data_dir / "catalog").symlink_to(settings.data_dir / "catalog")
    (data_dir / REVIEWED).write_text(
        "first_id,second_id,verdict,reason\n"
        "2211140C1,2211140C0,unresolved,two tracks for two programs: which is which?\n",
        encoding="utf-8")
    report = check_catalog(open_catalog(settings), IM, data_dir)
    assert ("2211140C0", "2211140C1") not in {(p.first, p.second) for p in report.found}
    assert [(r.verdict, r.reason) for _, r in report.reviewed] == [
        ("unresolved", "two tracks for two programs: which is which?")]
    assert report.count("distinct") == 0 and report.count("unresolved") == 1


def test_a_bad_review_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "distinct.csv"
    path.write_text("first_id,second_id,verdict,reason\nA,B,maybe,why\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 2: verdict 'maybe'"):
        read_reviewed(path)


def test_the_shipped_internal_medicine_list_has_no_unreviewed_second_listing(
        built_catalog: Settings) -> None:
    report = check_catalog(open_catalog(built_catalog), IM, default_data_dir())
    assert report.found == [], "\n".join(p.detail for p in report.found)
    assert report.entries > 700
    # every reviewed pair is still flagged (a stale review would hide nothing)
    reviewed = read_reviewed(default_data_dir() / REVIEWED)
    assert {p.key for p, _ in report.reviewed} == set(reviewed)


def test_the_command_exits_non_zero_on_a_likely_second_listing(settings: Settings) -> None:
    result = CliRunner().invoke(cli, ["db", "check-duplicates", "--format", "json"],
                                env=cli_env(settings))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["specialty"] == IM and data["likely"]
