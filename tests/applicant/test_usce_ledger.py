"""USCE ledger metrics: durations, hands-on months, recency windows and boundary dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.applicant import Profile, parse_profile, usce_metrics
from smartpick.applicant.usce import counted_months, months_before, whole_weeks, window_start

REF = date(2025, 9, 24)


def entry(kind: str, start: str, end: str, specialty: str = "Internal Medicine",
          letter: bool = False) -> dict[str, Any]:
    return {"kind": kind, "specialty": specialty, "start": start, "end": end,
            "us_letter": letter}


def profile(*entries: dict[str, Any]) -> Profile:
    return parse_profile({"applicant_type": "non_us_img", "graduation_year": 2021,
                          "visa": "j1", "usce": list(entries)})


def test_week_rounding_boundaries() -> None:
    monday = date(2025, 1, 6)
    assert whole_weeks(monday, monday + timedelta(days=2)) == 0  # 3 days
    assert whole_weeks(monday, monday + timedelta(days=3)) == 1  # 4 days
    assert whole_weeks(monday, monday + timedelta(days=4)) == 1  # Monday to Friday
    assert whole_weeks(monday, date(2025, 3, 28)) == 12  # twelve Monday-Friday weeks
    assert whole_weeks(monday, monday - timedelta(days=1)) == 0


def test_four_week_block_is_one_month_and_observerships_are_not_hands_on() -> None:
    m = usce_metrics(profile(entry("hands_on", "2025-01-06", "2025-03-28"),
                             entry("externship", "2025-04-07", "2025-05-02"),
                             entry("observership", "2025-05-05", "2025-05-30")), REF)
    assert m.total_months == 5
    assert m.hands_on_months == 4  # hands-on rotation and externship, not the observership
    assert [e.hands_on for e in m.entries] == [True, True, False]


def test_months_by_specialty() -> None:
    family = entry("observership", "2025-02-03", "2025-02-28", "Family Medicine")
    m = usce_metrics(profile(entry("hands_on", "2025-01-06", "2025-01-31"), family), REF)
    assert m.months_by_specialty == {"Family Medicine": 1, "Internal Medicine": 1}
    assert m.hands_on_months_by_specialty == {"Internal Medicine": 1}


def test_part_after_the_reference_date_is_planned_not_counted() -> None:
    m = usce_metrics(profile(entry("hands_on", "2025-09-01", "2025-10-24", letter=True)), REF)
    assert m.total_months == 0.75  # three of the eight weeks fall by the reference date
    assert m.planned_months == 1.25
    assert m.us_letters == 0  # its letter comes after programs receive applications


def test_rotation_ending_on_the_reference_date_counts_with_its_letter() -> None:
    m = usce_metrics(profile(entry("hands_on", "2025-08-28", "2025-09-24", letter=True)), REF)
    assert m.total_months == 1 and m.us_letters == 1 and m.entries[0].in_time


def test_recency_window_boundaries() -> None:
    assert window_start(REF, 12) == date(2024, 9, 25)
    before = entry("hands_on", "2024-09-18", "2024-09-24")  # ends the day before the window
    inside = entry("hands_on", "2024-09-25", "2024-10-01")  # starts on the window's first day
    m = usce_metrics(profile(before, inside), REF)
    assert m.recent_months[12] == 0.25
    assert m.recent_months[24] == 0.5


def test_entry_straddling_the_window_counts_only_inside_days() -> None:
    p = profile(entry("hands_on", "2024-08-28", "2024-10-22"))  # eight weeks
    assert counted_months(p.usce, REF, within_months=12) == 1.0  # the four weeks inside
    assert counted_months(p.usce, REF) == 2.0


def test_months_before_clamps_to_month_end() -> None:
    assert months_before(date(2025, 3, 31), 1) == date(2025, 2, 28)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert months_before(date(2025, 1, 15), 13) == date(2023, 12, 15)


def test_empty_ledger() -> None:
    m = usce_metrics(profile(), REF)
    assert m.total_months == 0 and m.recent_months == {12: 0, 24: 0, 36: 0}


KINDS = ["hands_on", "externship", "observership", "research", "volunteer", "telehealth"]


@st.composite
def ledgers(draw: st.DrawFn) -> Profile:
    items = []
    for _ in range(draw(st.integers(0, 5))):
        start = date(2021, 1, 1) + timedelta(days=draw(st.integers(0, 1900)))
        end = start + timedelta(days=draw(st.integers(0, 200)))
        items.append(entry(draw(st.sampled_from(KINDS)), start.isoformat(), end.isoformat()))
    return profile(*items)


@settings(max_examples=60, deadline=None)
@given(ledgers())
def test_metrics_are_consistent(p: Profile) -> None:
    m = usce_metrics(p, REF)
    assert 0 <= m.hands_on_months <= m.total_months
    assert m.recent_months[12] <= m.recent_months[24] <= m.recent_months[36] <= m.total_months
    assert all(m.recent_hands_on_months[n] <= m.recent_months[n] for n in (12, 24, 36))
    assert abs(sum(m.months_by_specialty.values()) - m.total_months) < 1e-9
