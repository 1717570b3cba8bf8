"""The profile contract: what validates, and the per-field messages for what does not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from smartpick.applicant import load_profile, parse_profile
from smartpick.cli import cli
from smartpick.errors import InputError, NotFoundError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def base(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "applicant_type": "non_us_img",
        "graduation_year": 2021,
        "visa": "j1",
        "exams": {"step1": "pass", "step2ck": 246, "step3": None, "failed_attempts": 0},
        "ecfmg_certified": True,
        "usce": [{"kind": "hands_on", "specialty": "Internal Medicine", "setting": "community",
                  "state": "NY", "start": "2025-01-06", "end": "2025-03-28", "us_letter": True}],
        "targets": [{"specialty": "Internal Medicine"},
                    {"specialty": "Family Medicine", "role": "backup"}],
    }
    data.update(changes)
    return data


def problems(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InputError) as err:
        parse_profile(data)
    return {p.field: p.message for p in err.value.problems}


@pytest.mark.parametrize("name", ["strong_non_us_img_im.yaml", "weak_non_us_img_im.yaml",
                                  "us_img_fm.yaml", "us_md_im.yaml"])
def test_every_example_profile_loads(name: str) -> None:
    profile = load_profile(EXAMPLES / name)
    assert profile.targets, "each example names at least one target specialty"


def test_issue_example_validates_with_canonical_names() -> None:
    profile = parse_profile(base(targets=[{"specialty": "IM"}]))
    assert profile.target_specialties() == ["Internal Medicine"]
    assert profile.usce[0].hands_on and profile.usce[0].state == "NY"


def test_unknown_field_names_its_path_and_suggests_the_right_one() -> None:
    entry = dict(base()["usce"][0], us_leter=True)
    found = problems(base(usce=[base()["usce"][0], entry], graduaton_year=2020))
    assert "did you mean 'us_letter'" in found["usce[1].us_leter"]
    assert "did you mean 'graduation_year'" in found["graduaton_year"]


def test_date_range_ending_before_it_starts_is_reported_on_end() -> None:
    entry = dict(base()["usce"][0], start="2025-03-01", end="2025-02-28")
    assert "before it starts" in problems(base(usce=[entry]))["usce[0].end"]


def test_one_day_rotation_is_a_valid_range() -> None:
    entry = dict(base()["usce"][0], start="2025-03-01", end="2025-03-01")
    assert parse_profile(base(usce=[entry])).usce[0].end.isoformat() == "2025-03-01"


@pytest.mark.parametrize(("score", "ok"), [(99, False), (100, True), (300, True), (301, False)])
def test_score_range_boundaries(score: int, ok: bool) -> None:
    exams = {"step1": "pass", "step2ck": score}
    if ok:
        assert parse_profile(base(exams=exams)).exams.step2ck == score
    else:
        assert "between 100 and 300" in problems(base(exams=exams))["exams.step2ck"]


def test_step1_accepts_pass_in_any_case_but_step2ck_needs_a_score() -> None:
    assert parse_profile(base(exams={"step1": "PASS", "step2ck": 240})).exams.step1 == "pass"
    assert "three-digit score" in problems(base(exams={"step2ck": "pass"}))["exams.step2ck"]


def test_unknown_specialty_and_states_are_named() -> None:
    entry = dict(base()["usce"][0], specialty="Intrnal Medicine", state="XX")
    found = problems(base(usce=[entry], preferences={"states": ["NY", "ZZ"]}))
    assert "did you mean Internal Medicine" in found["usce[0].specialty"]
    assert "XX" in found["usce[0].state"]
    assert "ZZ" in found["preferences.states"]


def test_state_codes_are_normalised_and_conflicting_preferences_rejected() -> None:
    profile = parse_profile(base(preferences={"states": ["ny", "nj"]}))
    assert profile.preferences.states == ["NY", "NJ"]
    found = problems(base(preferences={"states": ["NY"], "avoid_states": ["NY"]}))
    assert "NY also listed" in found["preferences.avoid_states"]


def test_visa_inconsistent_with_applicant_type() -> None:
    assert "needs no visa" in problems(base(applicant_type="us_img", visa="j1"))["visa"]
    found = problems(base(applicant_type="us_md", visa="none", ecfmg_certified=True))
    assert "international schools" in found["ecfmg_certified"]


def test_failed_attempts_split_must_add_up() -> None:
    exams = {"step2ck": 230, "failed_attempts": 2, "failed_attempts_by_exam": {"step1": 1}}
    assert "adds up to 1" in problems(base(exams=exams))["exams.failed_attempts_by_exam"]


def test_every_problem_is_reported_at_once() -> None:
    found = problems(base(visa="f1", graduation_year=1900, target_p_match=1.5,
                          targets=[{"specialty": "IM"}, {"specialty": "Internal Medicine"}]))
    assert set(found) == {"visa", "graduation_year", "target_p_match", "targets"}


def test_missing_required_fields() -> None:
    found = problems({"visa": "j1"})
    assert found == {"applicant_type": "required field is missing",
                     "graduation_year": "required field is missing"}


def test_json_file_loads_like_yaml(tmp_path: Path) -> None:
    file = tmp_path / "me.json"
    file.write_text(json.dumps(base()), encoding="utf-8")
    yaml_file = tmp_path / "me.yaml"
    yaml_file.write_text(yaml.safe_dump(base()), encoding="utf-8")
    assert load_profile(file) == load_profile(yaml_file)


def test_file_problems_carry_the_location(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("applicant_type: us_md\ngraduation_year: [2020\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_profile(bad)
    assert err.value.problems[0].location.startswith(f"{bad}:")
    with pytest.raises(NotFoundError):
        load_profile(tmp_path / "missing.yaml")
    listed = tmp_path / "list.yaml"
    listed.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_profile(listed)


def test_cli_reports_each_problem_and_exits_2(tmp_path: Path) -> None:
    entry = dict(base()["usce"][0], start="2025-03-01", end="2025-02-01")
    file = tmp_path / "me.json"
    file.write_text(json.dumps(base(usce=[entry], budget_usd=-5)), encoding="utf-8")
    result = CliRunner().invoke(cli, ["usce", str(file)])
    assert result.exit_code == 2
    assert "usce[0].end" in result.output and "budget_usd" in result.output
    assert "Traceback" not in result.output
