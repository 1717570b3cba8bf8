"""Requirement extraction on sentences written for these tests (not corpus text)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.catalog.fields import Qualifier
from smartpick.rules.extract import extract_requirements


def found(text: str) -> dict[str, tuple[object, str]]:
    return {r.field: (r.value, r.qualifier.value) for r in extract_requirements(text)}


def test_visa_only_j1_means_no_h1b() -> None:
    facts = found("Our residency sponsors J-1 visas only.")
    assert facts["visa_j1"] == ("yes", "strict")
    assert facts["visa_h1b"] == ("no", "strict")


def test_explicit_h1b_refusal_and_j1_acceptance() -> None:
    facts = found("We are not able to sponsor H-1B visas. Candidates on an ECFMG J-1 are welcome.")
    assert facts["visa_h1b"][0] == "no"
    assert facts["visa_j1"][0] == "yes"


def test_faq_answer_takes_its_visa_from_the_question() -> None:
    facts = found("Will the program sponsor an H1B?\nNo, but J1 applicants are considered.")
    assert facts["visa_h1b"][0] == "no"
    assert facts["visa_j1"][0] == "yes"


def test_no_visa_sponsored_at_all() -> None:
    facts = found("Please note that we do not sponsor any type of visa.")
    assert facts["visa_none_sponsored"][0] == "yes"
    assert facts["visa_j1"][0] == "no" and facts["visa_h1b"][0] == "no"


def test_citizens_only_list_is_exhaustive() -> None:
    facts = found("Applicants must be a U.S. citizen or a permanent resident.")
    assert facts["visa_none_sponsored"][0] == "yes"


def test_unrelated_negation_does_not_flip_a_visa() -> None:
    facts = found("We take J1 visas only and research experience is not required.")
    assert facts["visa_j1"][0] == "yes"


def test_years_since_graduation_in_words_and_months() -> None:
    assert found("You need to have finished medical school within the past four years.")[
        "yog_max_years"] == (4, "strict")
    assert found("We give preference to graduates within the last 24 months.")[
        "yog_max_years"] == (2, "preferred")


def test_graduation_year_floor() -> None:
    assert found("Candidates must have graduated no earlier than 2020.")["yog_min_year"][0] == 2020


def test_no_graduation_cutoff_gives_nothing() -> None:
    assert "yog_max_years" not in found("There is no cut-off for year of graduation.")


def test_scores_attach_to_the_step_named() -> None:
    facts = found("We look for 225 or higher on Step 1 and at least 232 on Step 2 CK.")
    assert facts["step1_min"] == (225, "preferred")
    assert facts["step2ck_min"] == (232, "preferred")


def test_score_after_the_number() -> None:
    facts = found("Applicants need a score of 215 or above for Step 2 CK.")
    assert facts["step2ck_min"] == (215, "strict")
    assert "step1_min" not in facts


def test_comlex_and_two_digit_scores_are_ignored() -> None:
    facts = found("DO applicants need COMLEX Level 2 of 500. Old two-digit USMLE scores above 85.")
    assert "step1_min" not in facts and "step2ck_min" not in facts


def test_cohort_averages_are_not_minimums() -> None:
    assert "step1_min" not in found("Most of our residents scored 240 on Step 1.")


def test_step3_for_h1b_and_step3_optional() -> None:
    assert found("Step 3 must be passed before ranking for anyone who needs an H-1B visa.")[
        "step3_required"][0] == "yes (for H-1B)"
    assert found("Step 3 is optional.")["step3_required"][0] == "no"


def test_attempt_limits() -> None:
    assert found("All Steps must be passed on the first attempt.")["max_attempts"] == (1, "strict")
    assert found("Applicants with more than one failure are not considered.")["max_attempts"][
        0] == 2
    assert found("USMLE Steps must be passed within three attempts.")["max_attempts"][0] == 3
    assert "max_attempts" not in found("There is no limit on the number of attempts.")


def test_usce_required_with_months_and_hands_on() -> None:
    facts = found("IMGs must have at least 8 weeks of hands-on U.S. clinical experience.")
    assert facts["usce_required"] == ("yes", "strict")
    assert facts["usce_min_months"] == (2, "strict")
    assert facts["usce_hands_on_only"] == ("yes", "strict")


def test_usce_preferred_not_required() -> None:
    facts = found("US clinical experience is not mandatory, though it is highly desirable.")
    assert facts["usce_required"] == ("preferred", "preferred")


def test_usce_not_required() -> None:
    assert found("We do not require any US clinical experience.")["usce_required"][0] == "no"


def test_usce_recency_window() -> None:
    facts = found("Applicants must have US clinical experience within the last 12 months.")
    assert facts["usce_recency_months"][0] == 12
    assert "usce_min_months" not in facts


def test_observerships_do_not_count() -> None:
    facts = found("Observerships will not be counted toward the clinical experience we require.")
    assert facts["usce_hands_on_only"][0] == "yes"


def test_ecfmg_timing_categories() -> None:
    cases = {
        "You must hold ECFMG certification before the rank order list deadline.": "ranking",
        "ECFMG certification is needed by the start of residency.": "start of training",
        "An ECFMG certificate is needed to be offered an interview.": "interview",
        "Applicants should be ECFMG certified by March 15.": "March 15",
        "Candidates must be certified by the ECFMG.": "required (timing not stated)",
        "Copy of ECFMG certificate": "application",
    }
    for text, expected in cases.items():
        assert found(text)["ecfmg_required_by"][0] == expected, text


def test_ecfmg_negated_timing_is_skipped() -> None:
    text = ("ECFMG certification is not required at the time you apply, but you will need "
            "the ECFMG certificate before beginning residency.")
    assert found(text)["ecfmg_required_by"][0] == "start of training"


def test_letters_total_and_us_letter() -> None:
    facts = found("Please send four letters of recommendation, two of which must come from U.S. "
                  "physicians.")
    assert facts["lor_min"] == (4, "strict")
    assert facts["lor_us_required"] == ("yes", "strict")


def test_listed_letters_are_added_up_and_deans_letter_is_not_counted() -> None:
    text = ("Documents:\nDean's letter\nA letter from the program chair\n"
            "Two additional letters of recommendation\nOptional extra letter from anyone")
    assert found(text)["lor_min"][0] == 3


def test_evidence_points_at_the_sentence() -> None:
    text = "Welcome! We sponsor J-1 visas only. Apply through ERAS."
    visa = next(r for r in extract_requirements(text) if r.field == "visa_j1")
    assert text[visa.start : visa.end] == visa.quote == "We sponsor J-1 visas only."
    assert visa.qualifier is Qualifier.STRICT


def test_preferred_heading_softens_the_list_below_it() -> None:
    text = ("Preferred qualifications\nGraduation within 5 years.\nStep 2 CK score of 230.\n"
            "Requirements\nThree letters of recommendation.")
    facts = found(text)
    assert facts["yog_max_years"] == (5, "preferred")
    assert facts["step2ck_min"] == (230, "preferred")
    assert facts["lor_min"] == (3, "strict")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aJ1H-B .?\n0123456789stepUSCEmonth")),
               max_size=200))
def test_evidence_always_quotes_the_text(text: str) -> None:
    for requirement in extract_requirements(text):
        assert text[requirement.start : requirement.end] == requirement.quote
        assert requirement.qualifier in (Qualifier.STRICT, Qualifier.PREFERRED)
