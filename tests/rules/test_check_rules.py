"""check(applicant, program): each rule, strict vs preferred, unknown -> unverified."""

from __future__ import annotations

from typing import Any

import pytest

from smartpick.applicant import Profile, load_season, parse_profile
from smartpick.catalog.fields import Qualifier, Status
from smartpick.catalog.program import Fact, Program
from smartpick.rules.check import check
from smartpick.rules.deadlines import ecfmg_deadline
from smartpick.rules.requirements import Strictness, requirements_of
from smartpick.rules.verdict import Outcome, VerdictStatus

SOURCE = "https://example.org/residency/eligibility"
ELIGIBLE, INELIGIBLE, UNVERIFIED = (VerdictStatus.ELIGIBLE, VerdictStatus.INELIGIBLE,
                                    VerdictStatus.UNVERIFIED)


def program(**values: Any) -> Program:
    """A program stating ``values``; a (value, Qualifier) pair sets the qualifier."""
    facts = {}
    for name, raw in values.items():
        value, qualifier = raw if isinstance(raw, tuple) else (raw, None)
        facts[name] = Fact(name, value, Status.REPORTED, SOURCE, "2025-05-01",
                           qualifier=qualifier)
    return Program("1400000001", "acgme_program", facts)


# A program stating every rule, each met by the applicant below.
OPEN_RULES: dict[str, Any] = {
    "visa_j1": True, "visa_h1b": False, "yog_max_years": 5, "step1_min": 200,
    "step2ck_min": 230, "step3_required": "no", "max_attempts": 1, "usce_required": "yes",
    "usce_min_months": 3, "usce_hands_on_only": True, "usce_recency_months": 12,
    "ecfmg_required_by": "application", "lor_min": 3, "lor_us_required": True,
}


def applicant(**changes: Any) -> Profile:
    data: dict[str, Any] = {
        "applicant_type": "non_us_img", "graduation_year": 2021, "visa": "j1",
        "exams": {"step1": "pass", "step2ck": 246, "failed_attempts": 0},
        "ecfmg_certified": True, "letters_total": 4,
        "usce": [{"kind": "hands_on", "specialty": "IM", "start": "2025-01-06",
                  "end": "2025-03-28", "us_letter": True},
                 {"kind": "observership", "specialty": "IM", "start": "2025-04-07",
                  "end": "2025-05-02"}],
    }
    data.update(changes)
    return parse_profile(data)


def verdict_for(profile: Profile, **changes: Any) -> Any:
    return check(profile, program(**{**OPEN_RULES, **changes}))


def test_applicant_meeting_every_stated_rule_is_eligible_with_a_reason_per_rule() -> None:
    v = verdict_for(applicant())
    assert v.status is ELIGIBLE
    rules = [r.rule for r in v.reasons]
    assert rules == ["visa", "yog", "step1_min", "step2ck_min", "step3_required",
                     "max_attempts", "usce_required", "usce_min_months", "usce_hands_on_only",
                     "usce_recency_months", "ecfmg_required_by", "lor_min", "lor_us_required"]
    assert all(r.source == SOURCE and r.strictness is Strictness.STRICT for r in v.reasons)


def test_program_with_no_known_rule_is_unverified_for_an_img() -> None:
    v = check(applicant(), program())
    assert v.status is UNVERIFIED
    assert {r.rule for r in v.open_questions} >= {"visa", "yog"}
    assert all(r.outcome is Outcome.UNKNOWN for r in v.reasons)


def test_unknown_rules_the_applicant_cannot_plausibly_fail_leave_it_eligible() -> None:
    us_md = parse_profile({"applicant_type": "us_md", "graduation_year": 2026,
                           "exams": {"step1": "pass", "step2ck": 250}, "letters_total": 4})
    v = check(us_md, program())
    assert v.status is ELIGIBLE
    assert v.reason("usce_required").outcome is Outcome.NOT_APPLICABLE
    assert v.reason("ecfmg_required_by").outcome is Outcome.NOT_APPLICABLE


# --- visa ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("visa", "facts", "expected"), [
    ("j1", {"visa_j1": True}, ELIGIBLE),
    ("j1", {"visa_j1": False}, INELIGIBLE),
    ("j1", {"visa_none_sponsored": True}, INELIGIBLE),
    ("j1", {"visa_h1b": True, "visa_j1": None}, UNVERIFIED),
    ("h1b", {"visa_h1b": True, "visa_j1": False}, ELIGIBLE),
    ("h1b", {"visa_h1b": False}, INELIGIBLE),
    ("j1_or_h1b", {"visa_j1": False, "visa_h1b": True}, ELIGIBLE),
    ("j1_or_h1b", {"visa_j1": False, "visa_h1b": False}, INELIGIBLE),
    ("j1_or_h1b", {"visa_j1": False, "visa_h1b": None}, UNVERIFIED),
    ("none", {"visa_none_sponsored": True}, ELIGIBLE),
])
def test_visa_rule(visa: str, facts: dict[str, Any], expected: VerdictStatus) -> None:
    rules = {**OPEN_RULES, "visa_j1": None, "visa_h1b": None, **facts}
    rules = {k: v for k, v in rules.items() if v is not None}
    exams = {"step1": "pass", "step2ck": 246, "step3": "pass"}
    v = check(applicant(visa=visa, exams=exams), program(**rules))
    assert v.status is expected
    if expected is INELIGIBLE:
        assert v.exclusions[0].rule == "visa" and v.exclusions[0].applicant.startswith("needs")


# --- years since graduation -----------------------------------------------------------------

@pytest.mark.parametrize(("year", "expected"), [(2020, ELIGIBLE), (2019, INELIGIBLE)])
def test_yog_max_years_boundary(year: int, expected: VerdictStatus) -> None:
    # season 2026: programs receive applications in 2025; 2020 is five years before
    assert verdict_for(applicant(graduation_year=year)).status is expected


@pytest.mark.parametrize(("year", "expected"), [(2018, ELIGIBLE), (2017, INELIGIBLE)])
def test_yog_min_year_boundary(year: int, expected: VerdictStatus) -> None:
    rules = {k: v for k, v in OPEN_RULES.items() if k != "yog_max_years"}
    v = check(applicant(graduation_year=year), program(**rules, yog_min_year=2018))
    assert v.status is expected


def test_fractional_yog_limit() -> None:
    assert verdict_for(applicant(graduation_year=2024), yog_max_years=1.5).status is ELIGIBLE
    assert verdict_for(applicant(graduation_year=2023), yog_max_years=1.5).status is INELIGIBLE


# --- scores, Step 3, attempts -----------------------------------------------------------------

@pytest.mark.parametrize(("score", "expected"), [(230, ELIGIBLE), (229, INELIGIBLE)])
def test_step2ck_minimum_boundary(score: int, expected: VerdictStatus) -> None:
    exams = {"step1": "pass", "step2ck": score}
    assert verdict_for(applicant(exams=exams)).status is expected


def test_missing_step2ck_fails_a_stated_minimum() -> None:
    v = verdict_for(applicant(exams={"step1": "pass"}))
    assert v.exclusions[0].rule == "step2ck_min" and v.exclusions[0].applicant == "no result yet"


def test_step1_score_minimum_and_pass_fail_result() -> None:
    scored = applicant(exams={"step1": 199, "step2ck": 246})
    assert verdict_for(scored).exclusions[0].rule == "step1_min"
    passed = verdict_for(applicant(), step1_min=230).reason("step1_min")
    assert passed.outcome is Outcome.MET and "pass/fail" in passed.note


@pytest.mark.parametrize(("required", "visa", "step3", "expected"), [
    ("yes", "j1", None, INELIGIBLE),
    ("yes", "j1", "pass", ELIGIBLE),
    ("no", "j1", None, ELIGIBLE),
    ("yes (for H-1B)", "j1", None, ELIGIBLE),
    ("yes (for H-1B)", "h1b", None, INELIGIBLE),
    ("yes (for H-1B)", "h1b", 225, ELIGIBLE),
    ("yes (for H-1B)", "j1_or_h1b", None, ELIGIBLE),
    ("preferred", "j1", None, ELIGIBLE),
])
def test_step3_rule(required: str, visa: str, step3: Any, expected: VerdictStatus) -> None:
    exams = {"step1": "pass", "step2ck": 246, "step3": step3}
    v = verdict_for(applicant(visa=visa, exams=exams), step3_required=required, visa_h1b=True)
    assert v.status is expected
    if required == "preferred":
        assert [r.rule for r in v.preferred_misses] == ["step3_required"]


@pytest.mark.parametrize(("limit", "failed", "by_exam", "expected"), [
    (1, 0, None, ELIGIBLE),
    (1, 1, None, INELIGIBLE),  # first attempt only
    (2, 1, None, ELIGIBLE),  # even on one exam, two attempts
    (2, 2, {"step1": 1, "step2ck": 1}, ELIGIBLE),
    (2, 2, {"step1": 2}, INELIGIBLE),
    (2, 2, None, UNVERIFIED),  # one exam or two? the split decides
    (2, 4, None, INELIGIBLE),  # more than one failure per exam on three exams
])
def test_attempt_limits(limit: int, failed: int, by_exam: dict[str, int] | None,
                        expected: VerdictStatus) -> None:
    exams: dict[str, Any] = {"step1": "pass", "step2ck": 246, "failed_attempts": failed}
    if by_exam:
        exams["failed_attempts_by_exam"] = by_exam
    assert verdict_for(applicant(exams=exams), max_attempts=limit).status is expected


# --- USCE -----------------------------------------------------------------------------------

def test_observerships_do_not_count_where_only_hands_on_counts() -> None:
    observer_only = [{"kind": "observership", "specialty": "IM", "start": "2025-01-06",
                      "end": "2025-04-25", "us_letter": True}]
    v = verdict_for(applicant(usce=observer_only))
    assert {r.rule for r in v.exclusions} == {"usce_required", "usce_min_months",
                                              "usce_hands_on_only", "usce_recency_months"}
    counted = verdict_for(applicant(usce=observer_only), usce_hands_on_only=False)
    assert counted.status is ELIGIBLE


@pytest.mark.parametrize(("end", "expected"), [("2025-03-28", ELIGIBLE),
                                               ("2025-03-21", INELIGIBLE)])
def test_minimum_months_boundary(end: str, expected: VerdictStatus) -> None:
    # twelve weeks (three months) meets a three-month minimum; eleven weeks does not
    usce = [{"kind": "hands_on", "specialty": "IM", "start": "2025-01-06", "end": end,
             "us_letter": True}]
    assert verdict_for(applicant(usce=usce)).status is expected


def test_recency_window_counts_only_recent_months() -> None:
    # application date 2025-09-24; a 12-month window starts 2024-09-25
    old = [{"kind": "hands_on", "specialty": "IM", "start": "2024-06-03", "end": "2024-09-24",
            "us_letter": True}]
    v = verdict_for(applicant(usce=old))
    assert v.reason("usce_recency_months").outcome is Outcome.MISSED
    assert v.reason("usce_min_months").outcome is Outcome.MISSED
    no_window = {k: v for k, v in OPEN_RULES.items() if k != "usce_recency_months"}
    assert check(applicant(usce=old), program(**no_window)).status is UNVERIFIED


def test_reference_date_moves_the_window() -> None:
    old = [{"kind": "hands_on", "specialty": "IM", "start": "2024-06-03", "end": "2024-09-24",
            "us_letter": True}]
    v = check(applicant(usce=old), program(**OPEN_RULES),
              reference_date=load_season(2025).application_date)
    assert v.status is ELIGIBLE


def test_program_requiring_no_usce_skips_the_usce_details() -> None:
    v = verdict_for(applicant(usce=[]), usce_required="no", lor_us_required=False)
    assert v.status is ELIGIBLE
    assert v.reason("usce_min_months").outcome is Outcome.NOT_APPLICABLE


def test_preferred_usce_missed_is_recorded_but_does_not_exclude() -> None:
    v = verdict_for(applicant(usce=[]), usce_required="preferred",
                    usce_min_months=(3, Qualifier.PREFERRED),
                    usce_hands_on_only=(True, Qualifier.PREFERRED),
                    usce_recency_months=(12, Qualifier.PREFERRED),
                    lor_us_required=(True, Qualifier.PREFERRED))
    assert v.status is ELIGIBLE
    assert {r.rule for r in v.preferred_misses} == {
        "usce_required", "usce_min_months", "usce_hands_on_only", "usce_recency_months",
        "lor_us_required"}


def test_strict_qualifier_versus_preferred_for_the_same_value() -> None:
    exams = {"step1": "pass", "step2ck": 220}
    assert verdict_for(applicant(exams=exams)).status is INELIGIBLE
    soft = verdict_for(applicant(exams=exams), step2ck_min=(230, Qualifier.PREFERRED))
    assert soft.status is ELIGIBLE and soft.preferred_misses[0].rule == "step2ck_min"


# --- ECFMG and letters ------------------------------------------------------------------------

@pytest.mark.parametrize(("expected_on", "by", "expected"), [
    ("2025-09-24", "application", ELIGIBLE),
    ("2025-09-25", "application", INELIGIBLE),
    ("2026-02-25", "before the rank order list deadline", ELIGIBLE),  # NRMP 2026 calendar
    ("2026-02-26", "ranking", INELIGIBLE),
    ("2026-06-30", "start of training", ELIGIBLE),
    ("2026-01-30", "January 30 (before ranking)", ELIGIBLE),
    ("2026-01-31", "January 30 (before ranking)", INELIGIBLE),
    ("2025-09-01", "required (timing not stated)", ELIGIBLE),
    ("2025-12-01", "required (timing not stated)", UNVERIFIED),
])
def test_ecfmg_deadline(expected_on: str, by: str, expected: VerdictStatus) -> None:
    p = applicant(ecfmg_certified=False, ecfmg_expected=expected_on)
    assert verdict_for(p, ecfmg_required_by=by).status is expected


def test_uncertified_without_expected_date_is_unverified() -> None:
    v = verdict_for(applicant(ecfmg_certified=False))
    assert v.status is UNVERIFIED
    assert "ecfmg_expected" in v.reason("ecfmg_required_by").note


def test_deadline_words_map_to_season_dates() -> None:
    season = load_season(2026)
    assert str(ecfmg_deadline("at the time of interview", season)) == "2025-09-24"
    assert str(ecfmg_deadline("start of residency (proof at application)", season)) == \
        "2026-07-01"
    assert str(ecfmg_deadline("by 2026-02-01", season)) == "2026-02-01"
    assert ecfmg_deadline("visa processing", season) is None


@pytest.mark.parametrize(("letters", "expected"), [(3, ELIGIBLE), (2, INELIGIBLE)])
def test_letter_count_boundary(letters: int, expected: VerdictStatus) -> None:
    assert verdict_for(applicant(letters_total=letters)).status is expected


def test_us_letter_required() -> None:
    usce = [{"kind": "hands_on", "specialty": "IM", "start": "2025-01-06", "end": "2025-03-28",
             "us_letter": False}]
    v = verdict_for(applicant(usce=usce))
    assert [r.rule for r in v.exclusions] == ["lor_us_required"]


def test_letters_not_stated_are_asked_for() -> None:
    v = verdict_for(applicant(letters_total=None))
    assert v.status is UNVERIFIED and "letters_total" in v.reason("lor_min").note


# --- model and output -------------------------------------------------------------------------

def test_requirement_model_keeps_source_and_strictness() -> None:
    reqs = requirements_of(program(usce_required="preferred", step3_required="yes (for H-1B)",
                                   step2ck_min=(225, Qualifier.PREFERRED), lor_min="three"))
    assert reqs.get("usce_required").strictness is Strictness.PREFERRED  # type: ignore[union-attr]
    assert reqs.value("step3_required") == "for_h1b"
    assert reqs.get("step2ck_min").source == SOURCE  # type: ignore[union-attr]
    assert reqs.unreadable == {"lor_min": "three"} and reqs.get("lor_min") is None


def test_verdict_json_and_text_name_the_rule_fact_and_source() -> None:
    v = verdict_for(applicant(graduation_year=2015))
    data = v.to_dict()
    assert data["verdict"] == "ineligible"
    yog = next(r for r in data["reasons"] if r["rule"] == "yog")
    assert yog["outcome"] == "missed" and yog["strictness"] == "strict"
    assert yog["source"] == SOURCE and "2015" in yog["applicant"]
    assert "Years since graduation missed" in v.exclusions[0].text()
    assert v.summary() == "fails: Years since graduation"


def test_step3_rule_does_not_apply_to_us_graduates() -> None:
    us_do = parse_profile({"applicant_type": "us_do", "graduation_year": 2026,
                           "exams": {"step2ck": 240}, "letters_total": 3})
    reason = check(us_do, program(step3_required="yes")).reason("step3_required")
    assert reason.outcome is Outcome.NOT_APPLICABLE
