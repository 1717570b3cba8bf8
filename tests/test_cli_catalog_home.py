"""Every command works from any folder: the catalog lives in SMARTPICK_HOME (a per-user
folder by default) and a command that finds none builds it, leaving no empty file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from smartpick.cli import cli
from smartpick.settings import default_home, load_settings


def test_the_default_home_is_a_per_user_folder() -> None:
    assert default_home({"XDG_DATA_HOME": "/x/data"}) == Path("/x/data/smartpick")
    assert default_home({}).parts[-3:] == (".local", "share", "smartpick")
    home = load_settings({"HOME": "/h", "XDG_DATA_HOME": "/x/data"}).home
    assert home == Path("/x/data/smartpick")


def test_a_missing_catalog_is_built_from_any_folder(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    home = tmp_path / "home"
    env = {"SMARTPICK_HOME": str(home), "DATABASE_URL": ""}
    result = CliRunner().invoke(cli, ["programs", "--specialty", "Internal Medicine",
                                      "--limit", "3"], env=env)
    assert result.exit_code == 0, result.output
    assert "building it from the shipped data" in result.output
    assert (home / "smartpick.sqlite").stat().st_size > 0
    assert not (elsewhere / "var").exists()
    again = CliRunner().invoke(cli, ["programs", "--limit", "1"], env=env)
    assert again.exit_code == 0 and "building" not in again.output


def test_an_unusable_catalog_names_the_file_and_the_command(tmp_path: Path) -> None:
    path = tmp_path / "smartpick.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE unrelated (x INTEGER)")
    result = CliRunner().invoke(cli, ["programs"], env={"SMARTPICK_HOME": str(tmp_path),
                                                        "DATABASE_URL": ""})
    assert result.exit_code == 2
    assert str(path) in result.output and "smartpick db build" in result.output
