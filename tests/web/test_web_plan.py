"""The plan page, /api/plan and the exports (CSV, XLSX, PDF) over the plan contract."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from smartpick.report.rows import PROGRAM_COLUMNS


def test_api_plan_holds_the_contract(plan_client: TestClient, profile: dict[str, Any]) -> None:
    plan = plan_client.post("/api/plan", json={"profile": profile,
                                               "what_if": ["step3:pass"]}).json()
    for key in ("season", "p_match", "p_match_interval", "expected_interviews", "cost_usd",
                "programs", "curve", "excluded", "what_if"):
        assert key in plan
    first = plan["programs"][0]
    for key in ("program_id", "name", "specialty", "state", "tier", "p_interview",
                "p_interview_interval", "marginal_p_match", "signal", "verdict", "reasons"):
        assert key in first
    assert [w["change"] for w in plan["what_if"]] == ["step3:pass"]


def test_without_a_planner_plan_requests_say_so(app_without_planner: FastAPI,
                                                 profile: dict[str, Any]) -> None:
    answer = TestClient(app_without_planner).post("/api/plan", json={"profile": profile})
    assert answer.status_code == 503 and "planner" in answer.json()["detail"]


def test_plan_page_shows_list_curve_map_and_exclusions(plan_client: TestClient,
                                                       profile: dict[str, Any]) -> None:
    page = plan_client.post("/plan", data={"_profile_json": json.dumps(profile)})
    assert page.status_code == 200
    text = page.text
    assert 'id="plan-table"' in text and text.count('class="main-row"') >= 1
    assert '<polyline class="line"' in text and 'class="chosen"' in text
    assert text.count('class="dot"') >= 1 and text.count('<path class="state') == 51
    assert "Programs left out" in text
    assert 'class="diminishing"' in text and "diminishing returns" in text


def test_invalid_form_goes_back_to_the_profile_with_messages(plan_client: TestClient) -> None:
    page = plan_client.post("/plan", data={"applicant_type": "alien", "graduation_year": "x"})
    assert page.status_code == 422
    assert "must be one of" in page.text and 'id="profile-form"' in page.text


def _csv_rows(plan_client: TestClient, profile: dict[str, Any]) -> list[dict[str, str]]:
    answer = plan_client.post("/plan/export.csv", data={"_profile_json": json.dumps(profile)})
    assert answer.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(answer.text)))


def test_csv_has_every_column_and_reason(plan_client: TestClient,
                                         profile: dict[str, Any]) -> None:
    plan = plan_client.post("/api/plan", json={"profile": profile}).json()
    rows = _csv_rows(plan_client, profile)
    assert [r["program_id"] for r in rows] == [p["program_id"] for p in plan["programs"]]
    assert set(PROGRAM_COLUMNS) - {"track", "city"} <= set(rows[0])
    assert rows[0]["reasons"].split(" | ") == plan["programs"][0]["reasons"]


def test_xlsx_opens_with_plan_curve_and_sources(plan_client: TestClient,
                                                profile: dict[str, Any]) -> None:
    answer = plan_client.post("/plan/export.xlsx", data={"_profile_json": json.dumps(profile)})
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["Summary", "Plan", "Curve", "Excluded", "What-if", "Sources"]
    header = [c.value for c in book["Plan"][1]]
    assert "reasons" in header and "p_interview_low" in header
    assert book["Sources"].max_row > 1


def test_pdf_report_is_a_pdf(plan_client: TestClient, profile: dict[str, Any]) -> None:
    answer = plan_client.post("/plan/export.pdf", data={"_profile_json": json.dumps(profile)})
    assert answer.content.startswith(b"%PDF") and len(answer.content) > 20_000
