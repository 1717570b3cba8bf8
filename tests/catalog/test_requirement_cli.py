"""The shipped requirement facts as a user sees them: db status counts, programs show."""

from __future__ import annotations

import json
from pathlib import Path

from tests.catalog.test_catalog_cli import run

from smartpick.settings import Settings

ROCHESTER, KANSAS_CITY, EL_PASO = "1403511313", "1402831214", "1404811424"


def test_every_labelled_page_gives_facts_to_its_program(built_catalog: Settings) -> None:
    code, out, _ = run(built_catalog, "db", "status", "--specialty", "Internal Medicine",
                       "--format", "json")
    fields = json.loads(out)["fields"]
    assert code == 0
    assert fields["requirements_url"]["reported"] == 171
    assert fields["lor_min"]["reported"] >= 100 and fields["yog_max_years"]["reported"] >= 50
    assert all(fields[name]["extracted"] == 0 for name in fields)


def test_program_show_gives_status_page_and_date_of_each_fact(built_catalog: Settings) -> None:
    code, out, _ = run(built_catalog, "programs", "show", ROCHESTER, "--format", "json")
    yog = json.loads(out)["fields"]["yog_max_years"]
    assert code == 0
    assert (yog["value"], yog["status"], yog["qualifier"]) == (2, "reported", "preferred")
    assert yog["source"].startswith("https://www.urmc.rochester.edu/")
    assert yog["method"] == "read from the program's page" and yog["as_of"]
    code, out, _ = run(built_catalog, "programs", "show", EL_PASO)
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("visa_j1 "))
    assert "reported" in line and "(estimated)" in line and "elpaso.ttuhsc.edu" in line
    assert "visa_j1: CONFLICT: AMA FREIDA" in out


def test_preferences_stated_by_a_page_do_not_exclude(built_catalog: Settings,
                                                     tmp_path: Path) -> None:
    """A recent-graduate preference and preferred attempts/USCE rules leave programs open."""
    profile = tmp_path / "older.yaml"
    profile.write_text(
        "applicant_type: non_us_img\ngraduation_year: 2018\nvisa: j1\n"
        "exams: {step1: pass, step2ck: 250, failed_attempts: 1,"
        " failed_attempts_by_exam: {step1: 1}}\n"
        "ecfmg_certified: true\nletters_total: 4\n", encoding="utf-8")
    for program in (ROCHESTER, KANSAS_CITY):
        code, out, _ = run(built_catalog, "check", str(profile), "--program", program,
                           "--format", "json")
        verdict = json.loads(out)[0]
        assert code == 0 and verdict["verdict"] != "ineligible", program
        missed = {r["rule"] for r in verdict["reasons"]
                  if r["outcome"] == "missed" and r["strictness"] == "preferred"}
        assert "yog" in missed
