"""In a real Chromium against the real server: the whole job, as a person does it."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
from browser_steps import fill_profile

pytestmark = pytest.mark.browser


def test_fill_the_form_get_a_plan_expand_download_and_open(page: Any, tmp_path: Path) -> None:
    fill_profile(page)
    page.click("button:has-text('Get my plan')")
    page.wait_for_selector("#plan-table")
    assert "%" in page.inner_text("#p-match")
    first_why = page.locator("button.expand").first
    reasons = page.locator("#why-1")
    assert reasons.is_hidden()
    first_why.click()
    assert reasons.is_visible() and first_why.get_attribute("aria-expanded") == "true"
    shown_ids = [href.rsplit("/", 1)[1] for href in page.locator(
        "#plan-table tr.main-row td:nth-child(2) a").evaluate_all("els => els.map(e => e.href)")]
    with page.expect_download() as download:
        page.click("#download-csv")
    saved = tmp_path / "plan.csv"
    download.value.save_as(saved)
    rows = list(csv.DictReader(saved.open(encoding="utf-8")))
    assert [r["program_id"] for r in rows] == shown_ids and all(r["reasons"] for r in rows)
    page.locator("#plan-table tr.main-row td:nth-child(2) a").first.click()
    page.wait_for_selector(".facts-key")
    assert page.locator("tr[data-field='visa_j1'] .status").count() == 1


def test_inline_validation_and_ledger_editing(page: Any) -> None:
    page.goto("/profile")
    page.fill("[id='f-graduation_year']", "1800")
    page.locator("[id='f-graduation_year']").blur()
    message = page.locator("#err-graduation-year")
    message.wait_for(state="visible")
    assert "1950" in message.inner_text()
    page.click("#add-usce")
    page.click("#add-usce")
    assert page.locator(".usce-row").count() == 2
    page.locator(".remove-row").first.click()
    assert page.locator(".usce-row").count() == 1
    assert page.locator("[name='usce[0].kind']").count() == 1  # renumbered from 1 to 0


def test_program_browser_filters_without_reload(page: Any) -> None:
    page.goto("/programs")
    page.select_option("select[name='specialty']", "Internal Medicine")
    page.wait_for_url(re.compile(r"specialty=Internal(%20|\+)Medicine"))
    assert page.locator("#results tbody tr").count() > 1
