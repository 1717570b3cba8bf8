"""A cohort read from a folder, a CSV or a JSONL file; bad rows named by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartpick.applicant.profile import Profile
from smartpick.applicant.seasons import load_season
from smartpick.applicant.usce import usce_metrics
from smartpick.batch.inputs import CSV_COLUMNS, read_cohort
from smartpick.errors import InputError, NotFoundError

HEADER = ("id,applicant_type,graduation_year,visa,step1,step2ck,ecfmg_certified,"
          "usce_hands_on_months,usce_observership_months,usce_us_letter,usce_state,"
          "specialty,backup_specialties,states,budget_usd\n")


def test_csv_rows_become_profiles_and_a_bad_row_is_named_by_line(tmp_path: Path) -> None:
    file = tmp_path / "class.csv"
    file.write_text(HEADER
                    + "amira,non_us_img,2021,j1,pass,245,yes,3,1,yes,NY,Internal Medicine,"
                      "Family Medicine; Pediatrics,NY;NJ,2500\n"
                    + "bo,non_us_img,2020,,pass,abc,yes,,,,,Internal Medicine,,,\n"
                    + "chen,us_img,2022,j1,pass,230,yes,0,0,no,,Family Medicine,,,\n",
                    encoding="utf-8")
    amira, bo, chen = read_cohort(file, season=2026)
    assert amira.name == "amira" and amira.location == f"{file}:2" and not amira.problems
    profile = Profile.model_validate(amira.profile)
    assert [t.role for t in profile.targets] == ["primary", "backup", "backup"]
    metrics = usce_metrics(profile, load_season(2026).application_date)
    assert round(metrics.hands_on_months) == 3 and round(metrics.total_months) == 4
    assert metrics.us_letters == 1 and profile.budget_usd == 2500
    assert bo.profile is None and bo.problems == [
        f"{file}:3: step2ck: expected a whole number, got 'abc'"]
    assert chen.profile is None and chen.problems[0].startswith(f"{file}:4: visa:")


def test_every_csv_column_is_read_and_an_unknown_one_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "class.csv"
    file.write_text(",".join(CSV_COLUMNS) + ",score\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_cohort(file)
    assert [p.field for p in err.value.problems] == ["score"]


def test_jsonl_lines_are_named_by_id_or_line_and_bad_lines_reported(tmp_path: Path) -> None:
    file = tmp_path / "class.jsonl"
    good = ('{"id": "dara", "applicant_type": "us_md", "graduation_year": 2026, '
            '"targets": [{"specialty": "IM"}]}')
    file.write_text(f"{good}\n\n{{not json\n"
                    '{"applicant_type": "us_md", "graduation_year": 2026, "target": []}\n'
                    + good.replace("dara", "dara") + "\n", encoding="utf-8")
    dara, broken, typo, again = read_cohort(file)
    assert dara.name == "dara" and dara.profile is not None
    assert broken.name == "line-3" and broken.problems[0].startswith(f"{file}:3: ")
    assert any("did you mean 'targets'" in p for p in typo.problems)
    assert again.profile is None and "already used" in again.problems[-1]


def test_a_folder_reads_every_profile_file_and_keeps_a_broken_one_apart(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("applicant_type: us_md\ngraduation_year: 2026\n"
                                     "targets: [{specialty: IM}]\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("applicant_type: [unclosed\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a profile", encoding="utf-8")
    a, b = read_cohort(tmp_path)
    assert a.profile is not None and b.profile is None
    assert b.problems[0].startswith(f"{tmp_path / 'b.yaml'}:")


def test_missing_or_unreadable_cohorts_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        read_cohort(tmp_path / "nowhere.csv")
    (tmp_path / "class.xlsx").write_bytes(b"")
    with pytest.raises(InputError):
        read_cohort(tmp_path / "class.xlsx")
