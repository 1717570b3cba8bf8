"""Only a trusted fact excludes: reported facts exclude, read-by-machine or disputed ones warn."""

from __future__ import annotations

from typing import Any

import pytest
from tests.rules.test_check_rules import OPEN_RULES, applicant

from smartpick.catalog.fields import Qualifier, Status
from smartpick.catalog.program import Fact, Program
from smartpick.rules.check import check
from smartpick.rules.verdict import HOLDS_BY_STATUS, HOLDS_DISPUTED, VerdictStatus

PAGE = "https://example.org/im/who-can-apply"


def program_with(status: Status, conflict: str = "", qualifier: Qualifier | None = None,
                 **changes: Any) -> Program:
    """A program meeting the applicant on every rule except ``changes``, stated with ``status``."""
    facts = {name: Fact(name, value, Status.REPORTED, PAGE, "2025-05-01")
             for name, value in OPEN_RULES.items()}
    for name, value in changes.items():
        facts[name] = Fact(name, value, status, PAGE, "2026", "reader v1", qualifier,
                           as_of_status="estimated", conflict=conflict)
    return Program("1400000002", "acgme_program", facts)


def test_a_reported_strict_miss_excludes() -> None:
    v = check(applicant(graduation_year=2012), program_with(Status.REPORTED, yog_max_years=5))
    assert v.status is VerdictStatus.INELIGIBLE
    assert [r.rule for r in v.exclusions] == ["yog"]
    assert v.chance_factor == 1.0


@pytest.mark.parametrize("status", [Status.EXTRACTED, Status.DERIVED, Status.ESTIMATED])
def test_a_strict_miss_on_an_untrusted_fact_leaves_the_program_unverified(status: Status) -> None:
    v = check(applicant(graduation_year=2012), program_with(status, yog_max_years=5))
    assert v.status is VerdictStatus.UNVERIFIED
    assert not v.exclusions
    assert [r.rule for r in v.unconfirmed] == ["yog"]
    assert v.chance_factor == pytest.approx(1 - HOLDS_BY_STATUS[status.value])
    summary = v.summary()
    assert f"[{status.value}, not confirmed]" in summary and PAGE in summary
    assert v.to_dict()["reasons"][1]["can_exclude"] is False


def test_a_disputed_fact_never_excludes_and_names_both_values() -> None:
    survey = "FREIDA survey (2025-03-28) gives yes (reported)"
    missed = check(applicant(), program_with(Status.REPORTED, conflict=survey, visa_j1=False))
    assert missed.status is VerdictStatus.UNVERIFIED
    assert "disputed (FREIDA survey (2025-03-28) gives yes" in missed.summary()
    assert missed.chance_factor == pytest.approx(1 - HOLDS_DISPUTED)
    met = check(applicant(), program_with(Status.REPORTED, conflict="a survey gives no",
                                          visa_j1=True))
    assert met.status is VerdictStatus.UNVERIFIED
    assert "J-1 accepted" in met.summary()


def test_a_preference_never_excludes_whatever_its_status() -> None:
    """A page that only prefers recent graduates (like a 'typically within 2 years' line)."""
    for status in (Status.REPORTED, Status.EXTRACTED):
        v = check(applicant(graduation_year=2019),
                  program_with(status, qualifier=Qualifier.PREFERRED, yog_max_years=2))
        assert v.status is VerdictStatus.ELIGIBLE
        assert [r.rule for r in v.preferred_misses] == ["yog"]


def test_preferred_attempts_and_usce_do_not_exclude() -> None:
    profile = applicant(exams={"step1": "pass", "step2ck": 246, "failed_attempts": 1,
                               "failed_attempts_by_exam": {"step1": 1}})
    v = check(profile, program_with(Status.REPORTED, qualifier=Qualifier.PREFERRED,
                                    max_attempts=1, usce_min_months=6))
    assert v.status is VerdictStatus.ELIGIBLE
    assert {r.rule for r in v.preferred_misses} == {"max_attempts", "usce_min_months"}


def test_a_closed_program_stays_excluded_whatever_the_status_of_that_fact() -> None:
    """Whether a program is open is the catalog's own rule, not a page fact held to trust."""
    v = check(applicant(), program_with(Status.DERIVED, open_status="no_positions"))
    assert v.status is VerdictStatus.INELIGIBLE
    assert [r.rule for r in v.exclusions] == ["no_positions"]
