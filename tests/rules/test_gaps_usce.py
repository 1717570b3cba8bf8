"""The USCE gap report: which programs only USCE closes, and the smallest addition opening them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.applicant import Profile, parse_profile
from smartpick.catalog.fields import Qualifier, Status
from smartpick.catalog.program import Fact, Program
from smartpick.rules.check import check
from smartpick.rules.gaps import usce_gaps
from smartpick.rules.verdict import VerdictStatus

REF = date(2025, 9, 24)


def program(pid: str, specialty: str = "Internal Medicine", **values: Any) -> Program:
    facts = {"specialty": Fact("specialty", specialty, Status.REPORTED, "test")}
    for name, raw in values.items():
        value, qualifier = raw if isinstance(raw, tuple) else (raw, None)
        facts[name] = Fact(name, value, Status.REPORTED, "https://example.org", "2025",
                           qualifier=qualifier)
    return Program(pid, "acgme_program", facts)


def applicant(usce: list[dict[str, Any]] | None = None, visa: str = "j1") -> Profile:
    return parse_profile({
        "applicant_type": "non_us_img", "graduation_year": 2022, "visa": visa,
        "exams": {"step1": "pass", "step2ck": 245}, "ecfmg_certified": True,
        "letters_total": 4, "targets": [{"specialty": "Internal Medicine"}],
        "usce": usce if usce is not None else [
            {"kind": "hands_on", "specialty": "IM", "start": "2025-06-02", "end": "2025-06-27"},
            {"kind": "observership", "specialty": "IM", "start": "2025-07-07",
             "end": "2025-08-29"}],
    })


def hands_on(n: int, pid: str = "", **more: Any) -> Program:
    rules = {"visa_j1": True, "usce_min_months": n, "usce_hands_on_only": True, **more}
    return program(pid or f"H{n}", **rules)


def test_options_are_cumulative_and_name_months_specialty_and_end_date() -> None:
    programs = [hands_on(1), hands_on(2), hands_on(3, "H3a"), hands_on(3, "H3b"), hands_on(6)]
    (report,) = usce_gaps(applicant(), programs)
    assert set(report.closed_by_usce_only) == {"H2", "H3a", "H3b", "H6"}  # H1 is already open
    assert [(o.months, len(o.program_ids)) for o in report.options] == [(1, 1), (2, 3), (5, 4)]
    assert report.options[1].sentence() == (
        "2 more months of hands-on Internal Medicine USCE ending by 2025-09-24 opens 3 programs")


def test_programs_closed_by_another_rule_are_left_out() -> None:
    programs = [hands_on(3, "visa", visa_j1=False), hands_on(3, "yog", yog_max_years=2),
                hands_on(3, "usce")]
    (report,) = usce_gaps(applicant(), programs)
    assert report.closed_by_usce_only == ("usce",)


def test_preferred_usce_rules_never_close_a_program() -> None:
    soft = program("soft", visa_j1=True, usce_min_months=(6, Qualifier.PREFERRED))
    (report,) = usce_gaps(applicant(), [soft])
    assert report.closed_by_usce_only == () and report.options == ()


def test_recency_rule_sets_the_earliest_start_and_old_months_do_not_help() -> None:
    old = [{"kind": "hands_on", "specialty": "IM", "start": "2023-01-02",
            "end": "2023-06-30"}]
    recent_rule = hands_on(2, "recent", usce_recency_months=12)
    (report,) = usce_gaps(applicant(old), [recent_rule, hands_on(2, "any")])
    assert report.closed_by_usce_only == ("recent",)  # six old months satisfy "any"
    assert report.options[0].months == 2
    assert report.options[0].start_after == date(2024, 9, 25)
    assert "started on or after 2024-09-25" in report.options[0].sentence()


def test_needs_beyond_the_longest_addition_are_listed_apart() -> None:
    (report,) = usce_gaps(applicant(), [hands_on(24, "long")], max_months=12)
    assert report.beyond_reach == ("long",) and report.options == ()


def test_one_report_per_specialty() -> None:
    programs = [hands_on(3), program("FM4", "Family Medicine", visa_j1=True, usce_min_months=4)]
    reports = usce_gaps(applicant(), programs)
    assert [r.specialty for r in reports] == ["Internal Medicine", "Family Medicine"]
    assert reports[1].options[0].sentence().startswith("1 more month of hands-on Family")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 14), min_size=1, max_size=6))
def test_the_suggested_addition_really_opens_the_programs(minimums: list[int]) -> None:
    programs = [hands_on(n, f"P{i}") for i, n in enumerate(minimums)]
    profile = applicant()
    (report,) = usce_gaps(profile, programs)
    for option in report.options:
        start = REF - timedelta(days=option.months * 28 - 1)
        added = profile.model_copy(update={"usce": [*profile.usce, profile.usce[0].model_copy(
            update={"start": start, "end": REF})]})
        for p in programs:
            opened = check(added, p).status is not VerdictStatus.INELIGIBLE
            assert opened == (p.program_id in option.program_ids
                              or p.program_id not in report.closed_by_usce_only)
