"""Bare FAQ answers read with their question, and common wordings of the weaker fields.

All sentences are written for these tests.
"""

from __future__ import annotations

import pytest

from smartpick.rules.extract import extract_requirements


def found(text: str) -> dict[str, tuple[object, str]]:
    return {r.field: (r.value, r.qualifier.value) for r in extract_requirements(text)}


@pytest.mark.parametrize(("text", "field", "value"), [
    ("Do you require US clinical experience?\nYes, at least 3 months.", "usce_required", "yes"),
    ("Do you require US clinical experience?\nYes, at least 3 months.", "usce_min_months", 3),
    ("Is US clinical experience required?\nNo.", "usce_required", "no"),
    ("Do observerships count as US clinical experience?\nNo.", "usce_hands_on_only", "yes"),
    ("Do observerships count as US clinical experience?\nYes.", "usce_hands_on_only", "no"),
    ("When do I need to be ECFMG certified?\nBy the time of the rank list deadline.",
     "ecfmg_required_by", "ranking"),
    ("Do I need ECFMG certification to apply?\nYes.", "ecfmg_required_by", "application"),
    ("Do you accept applicants with USMLE failures?\nNo.", "max_attempts", 1),
    ("Is there a cut-off for year of graduation?\nYes, 5 years.", "yog_max_years", 5),
])
def test_a_bare_answer_takes_its_topic_from_the_question(text: str, field: str,
                                                         value: object) -> None:
    assert found(text)[field][0] == value


def test_a_no_to_an_ecfmg_question_states_nothing() -> None:
    assert "ecfmg_required_by" not in found(
        "Do I need ECFMG certification before the interview?\nNo.")


def test_an_answer_after_an_unrelated_question_is_not_read_for_usce() -> None:
    assert "usce_required" not in found("Do you sponsor J-1 visas?\nYes.")


@pytest.mark.parametrize(("text", "field", "value"), [
    ("Applicants need 3+ months of US clinical experience.", "usce_min_months", 3),
    ("We require a 3-month minimum of US clinical experience.", "usce_min_months", 3),
    ("Candidates must have completed clinical rotations in the US.", "usce_required", "yes"),
    ("Applicants without US clinical experience will not be considered.", "usce_required",
     "yes"),
    ("Observerships qualify as US clinical experience.", "usce_hands_on_only", "no"),
    ("US clinical experience may include observerships.", "usce_hands_on_only", "no"),
    ("Applicants must hold a current ECFMG certificate.", "ecfmg_required_by", "application"),
    ("5 years or less since graduation.", "yog_max_years", 5),
    ("Applicants who graduated more than 5 years ago will not be considered.",
     "yog_max_years", 5),
    ("Graduation year of 2019 or later.", "yog_min_year", 2019),
    ("No USMLE failures.", "max_attempts", 1),
    ("One failed attempt on USMLE will be considered.", "max_attempts", 2),
    ("We do not consider applicants with failed attempts on USMLE.", "max_attempts", 1),
    ("One letter should be written by a physician in the United States.", "lor_us_required",
     "yes"),
])
def test_common_wordings(text: str, field: str, value: object) -> None:
    assert found(text)[field][0] == value


@pytest.mark.parametrize("text", [
    "Applicants who graduated more than 5 years ago should have recent clinical work.",
    "Observerships do not count as US clinical experience.",
    "A failed attempt will not be considered favorably.",
])
def test_near_misses_are_not_read_as_the_wording_above(text: str) -> None:
    answer = found(text)
    assert answer.get("yog_max_years") is None
    assert answer.get("usce_hands_on_only", ("yes",))[0] == "yes"
    assert answer.get("max_attempts", (1,))[0] == 1


@pytest.mark.parametrize("text", [
    "Preferred qualifications\nGraduation within 3 years\nUSCE of 3 months",
    "We prefer applicants who meet the following:\nGraduated within 3 years",
    "Competitive applicants typically have:\nGraduated within 3 years",
    "We look for applicants with:\nGraduation within 3 years",
    "Graduates within 3 years will be given priority.",
    "Graduation within 3 years is a plus.",
])
def test_list_items_under_a_preference_stay_preferences(text: str) -> None:
    assert found(text)["yog_max_years"] == (3, "preferred")


def test_a_new_section_or_a_strict_heading_ends_the_preferences() -> None:
    text = ("Preferred qualifications\nGraduation within 3 years\n"
            "Requirements\nStep 2 CK of 220 minimum")
    answer = found(text)
    assert answer["yog_max_years"] == (3, "preferred")
    assert answer["step2ck_min"] == (220, "strict")
    titled = found("Preferred:\nUSCE of 3 months\nVisa Sponsorship\nGraduation within 3 years")
    assert titled["usce_min_months"] == (3, "preferred")
    assert titled["yog_max_years"] == (3, "strict")


def test_a_plain_list_line_is_not_a_preference() -> None:
    assert found("Eligibility:\nGraduation within 3 years")["yog_max_years"] == (3, "strict")


@pytest.mark.parametrize("text", [
    "The average Step 2 CK score of our residents is 245.",
    "Last year our interns averaged 245 on Step 2 CK.",
    "Median Step 2 CK score of matched applicants: 245",
])
def test_scores_of_matched_residents_are_typical_values(text: str) -> None:
    assert found(text)["step2ck_min"] == (245, "preferred")


def test_steps_written_without_a_space_and_scores_with_the_step_after_them() -> None:
    assert found("We require a minimum score of 220 on USMLE Step 1 and 2CK.")[
        "step2ck_min"] == (220, "strict")
    both = found("Minimum score requirement: 215 (Step 1), 225 (Step 2 CK)")
    assert both["step1_min"][0] == 215 and both["step2ck_min"][0] == 225
