"""Steps a person takes in the browser, shared by the browser tests."""

from __future__ import annotations

from typing import Any


def fill_profile(page: Any) -> None:
    """A non-US IMG needing a J-1, typed into an empty profile form: exams, one hands-on
    rotation and Internal Medicine as the target."""
    page.goto("/profile")
    page.select_option("[id='f-applicant_type']", "non_us_img")
    page.fill("[id='f-graduation_year']", "2021")
    page.select_option("[id='f-visa']", "j1")
    page.fill("[id='f-exams.step1']", "pass")
    page.fill("[id='f-exams.step2ck']", "242")
    page.check("[id='f-ecfmg_certified']")
    page.click("#add-usce")
    page.select_option("[id='f-usce[0].kind']", "hands_on")
    page.fill("[id='f-usce[0].specialty']", "Internal Medicine")
    page.fill("[id='f-usce[0].start']", "2025-03-03")
    page.fill("[id='f-usce[0].end']", "2025-05-25")
    page.fill("[id='f-targets[0].specialty']", "Internal Medicine")
