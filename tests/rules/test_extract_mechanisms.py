"""The general mechanisms of extraction, on sentences written for these tests.

Each test names one mechanism: clause scoping, field ownership of numbers, abstention when
findings compete, question/answer pairing, exhaustive and conditional visa statements,
letter totals, ECFMG timing and the scope of preference words.
"""

from __future__ import annotations

from smartpick.rules.extract import extract_requirements


def found(text: str) -> dict[str, tuple[object, str]]:
    return {r.field: (r.value, r.qualifier.value) for r in extract_requirements(text)}


# abstention and question/answer pairing

def test_two_different_limits_for_one_field_give_nothing() -> None:
    text = ("Applicants must have graduated within the last 3 years.\n"
            "Graduation within 7 years is required.")
    assert "yog_max_years" not in found(text)


def test_a_yes_to_a_compound_question_is_not_read_as_a_visa_answer() -> None:
    text = ("Do I need a green card to apply? Can I come on a J-1 or an H-1B?\n"
            "Yes, you need to be a permanent resident or citizen to be considered.")
    facts = found(text)
    assert facts.get("visa_j1", ("", ""))[0] != "yes"
    assert facts.get("visa_h1b", ("", ""))[0] != "yes"


def test_a_visa_in_a_condition_takes_the_main_clause_polarity() -> None:
    facts = found("If your application depends on an H-1B visa, we cannot review it.")
    assert facts["visa_h1b"] == ("no", "strict")


# numbers belong to the nearest field cue

def test_graduation_years_are_not_read_as_usce_months() -> None:
    facts = found("Candidates should be out of school under 6 years and have some hands-on "
                  "experience in the United States.")
    assert "usce_min_months" not in facts


def test_one_sentence_with_two_fields_gives_each_its_number() -> None:
    facts = found("Applicants must have graduated within the past 4 years and must complete "
                  "two months of U.S. clinical experience.")
    assert facts["yog_max_years"][0] == 4
    assert facts["usce_min_months"][0] == 2


def test_graduation_limit_needs_a_graduation_cue_near_the_number() -> None:
    assert "yog_max_years" not in found(
        "Graduates must finish the board examinations within 6 years of the first attempt.")


# scores

def test_a_hedged_score_after_a_concession_is_preferred() -> None:
    facts = found("Although we set no score cut-off, Step 2 CK results above 240 strengthen an "
                  "application.")
    assert facts["step2ck_min"] == (240, "preferred")


def test_an_average_across_steps_is_not_a_minimum() -> None:
    facts = found("USMLE results: an average of 228 or more across Step 1 and Step 2 CK.")
    assert "step1_min" not in facts and "step2ck_min" not in facts


def test_part_one_is_step_one() -> None:
    facts = found("A USMLE Part I score over 210 is expected.")
    assert facts["step1_min"][0] == 210
    assert "step2ck_min" not in facts


# attempts

def test_failures_allowed_become_attempts() -> None:
    assert found("At most one failure on any USMLE exam.")["max_attempts"][0] == 2
    assert found("Passing score with 1 failure on Step 2 CK is acceptable.")["max_attempts"][
        0] == 2
    assert found("No failures on the USMLE are accepted.")["max_attempts"][0] == 1


def test_failures_outside_exams_are_not_attempt_limits() -> None:
    assert "max_attempts" not in found("No more than one failed course during medical school.")


# graduation phrasings

def test_graduation_limit_phrasings() -> None:
    assert found("A 4-year cut-off from medical school graduation applies.")[
        "yog_max_years"][0] == 4
    assert found("Applicants must be no greater than three years past graduation.")[
        "yog_max_years"][0] == 3
    assert found("Graduates from 2020-2024 may apply.")["yog_min_year"][0] == 2020
    assert found("The cut-off date for graduation is July 1, 2021.")["yog_min_year"][0] == 2021


# preference scope

def test_a_list_item_that_states_a_preference_does_not_soften_the_next_line() -> None:
    facts = found("Step 1 pass on first try preferred\nGraduation within 6 years")
    assert facts["max_attempts"] == (1, "preferred")
    assert facts["yog_max_years"] == (6, "strict")


def test_a_heading_gives_way_to_the_sentence_below_it() -> None:
    facts = found("Clinical Experience in the US\n"
                  "Experience in the United States is desirable but not required.")
    assert facts["usce_required"] == ("preferred", "preferred")


# letters

def test_a_letter_that_narrows_the_total_is_not_added() -> None:
    assert found("Send three letters of recommendation; at least one letter must be from a "
                 "surgeon.")["lor_min"][0] == 3
    assert found("Four letters are needed. Two letters must come from U.S. physicians.")[
        "lor_min"][0] == 4


def test_additional_letters_add_to_the_letters_before_them() -> None:
    facts = found("Include a letter from your chair and 2 additional letters of reference.")
    assert facts["lor_min"][0] == 3


def test_a_list_of_single_letters_is_added_up() -> None:
    text = "One letter from the program chair\nOne letter from a clinical mentor"
    assert found(text)["lor_min"][0] == 2


def test_a_preferred_count_gives_way_to_a_strict_one() -> None:
    text = "We prefer four letters. Three letters of reference are required."
    assert found(text)["lor_min"] == (3, "strict")


def test_us_based_physician_letter() -> None:
    facts = found("Three letters; one must be written by a US-based internist.")
    assert facts["lor_us_required"][0] == "yes"


def test_us_experience_named_as_a_letter_source_is_a_letter_rule() -> None:
    facts = found("We encourage letters from supervisors of your US clinical rotations.")
    assert facts["lor_us_required"] == ("yes", "preferred")
    assert "usce_required" not in facts and "usce_hands_on_only" not in facts


def test_letters_from_the_experiences_of_the_previous_sentence() -> None:
    text = ("Hands-on experience in the US is valued. Letters from those rotations are "
            "helpful.")
    assert found(text)["lor_us_required"] == ("yes", "preferred")


# ECFMG timing

def test_ecfmg_timing_before_the_certificate_word() -> None:
    facts = found("Applicants may not begin training without an ECFMG certificate.")
    assert facts["ecfmg_required_by"][0] == "start of training"


def test_ecfmg_timing_in_the_sentence_that_continues_the_topic() -> None:
    text = ("ECFMG certificate, if available. Otherwise you must hold the certificate before "
            "orientation.")
    assert found(text)["ecfmg_required_by"][0] == "start of training"


def test_timing_of_another_rule_is_not_the_ecfmg_timing() -> None:
    text = ("Applicants should have graduated within two years before the start of residency "
            "and must be ECFMG certified.")
    assert found(text)["ecfmg_required_by"][0] == "required (timing not stated)"


# Step 3

def test_step3_due_during_training_is_not_needed_to_apply() -> None:
    assert found("Residents must pass Step 3 by the end of the intern year.")[
        "step3_required"][0] == "no"


def test_evidence_offsets_are_exact_for_every_mechanism() -> None:
    text = ("If you need an H-1B, we cannot consider you.\nOne letter from the chair\n"
            "One letter from a mentor\nECFMG certificate, if available. Otherwise the "
            "certificate is needed before orientation.")
    for requirement in extract_requirements(text):
        assert text[requirement.start : requirement.end] == requirement.quote
