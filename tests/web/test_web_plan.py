"""The plan page, /api/plan and the exports (CSV, XLSX, PDF) over the plan contract."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from tests.web.conftest import GENEROUS

from smartpick.report.rows import PROGRAM_COLUMNS
from smartpick.services.pool import PlanPool
from smartpick.settings import Settings
from smartpick.web import create_app


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


def test_a_full_plan_pool_answers_503_with_retry_after(built_catalog: Settings,
                                                       profile: dict[str, Any]) -> None:
    pool = PlanPool(workers=1, queue=0, retry_after=3)
    client = TestClient(create_app(built_catalog, GENEROUS, pool=pool))
    release = threading.Event()
    busy = threading.Thread(target=pool.run_sync, args=(release.wait,))
    busy.start()
    try:
        while pool.in_flight == 0:
            time.sleep(0.01)
        answer = client.post("/api/plan", json={"profile": profile})
        page = client.post("/plan", data={"_profile_json": json.dumps(profile)})
    finally:
        release.set()
        busy.join()
    assert answer.status_code == 503 and answer.headers["retry-after"] == "3"
    assert "busy" in answer.json()["detail"]
    assert page.status_code == 503 and page.headers["retry-after"] == "3"
    assert client.post("/api/plan", json={"profile": profile,
                                          "max_programs": 5}).status_code == 200


def test_plan_requests_past_the_work_bounds_are_refused(plan_client: TestClient,
                                                        profile: dict[str, Any]) -> None:
    answer = plan_client.post("/api/plan", json={
        "profile": profile, "max_programs": 1000, "budget_usd": 100000,
        "what_if": [f"budget:+{n}" for n in range(10)]})
    assert answer.status_code == 422
    fields = {p["field"] for p in answer.json()["problems"]}
    assert fields == {"max_programs", "budget_usd", "what_if"}


def test_a_lone_surrogate_in_the_profile_is_a_422_naming_the_field(
        plan_client: TestClient, profile: dict[str, Any]) -> None:
    profile["usce"][0]["goals"] = "\ud800"
    body = json.dumps({"profile": profile}).encode()
    assert b"\\ud800" in body
    answer = plan_client.post("/api/plan", content=body,
                              headers={"content-type": "application/json"})
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == "profile.usce[0].goals"


def test_plan_page_shows_list_curve_map_and_exclusions(plan_client: TestClient,
                                                       profile: dict[str, Any]) -> None:
    page = plan_client.post("/plan", data={"_profile_json": json.dumps(profile)})
    assert page.status_code == 200
    text = page.text
    assert 'id="plan-table"' in text and text.count('class="main-row"') >= 1
    assert '<polyline class="line"' in text and 'class="chosen"' in text
    assert text.count('class="dot"') >= 1 and text.count('<path class="state') == 51
    assert "Programs left out" in text
    assert 'id="recommendation"' in text and "Our advice: apply to the first" in text


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


def test_a_process_pool_plans_and_its_workers_end_with_the_app(built_catalog: Settings,
                                                              profile: dict[str, Any]) -> None:
    pool = PlanPool(workers=1, queue=1, processes=built_catalog)
    with TestClient(create_app(built_catalog, GENEROUS, pool=pool)) as client:
        answer = client.post("/api/plan", json={"profile": profile, "max_programs": 5})
        assert answer.status_code == 200 and len(answer.json()["programs"]) == 5
        workers = list(pool._executor._processes.values())  # type: ignore[attr-defined]
        assert workers and all(w.is_alive() for w in workers)
    for worker in workers:
        worker.join(timeout=30)
    assert not any(w.is_alive() for w in workers)


def _total_fees(text: str) -> int:
    import re

    found = re.search(r'id="total-fees">\$([\d,]+)<', text)
    assert found, "no total on the page"
    return int(found.group(1).replace(",", ""))


def test_the_budget_is_the_total_on_the_page_and_in_the_api(plan_client: TestClient,
                                                           profile: dict[str, Any]) -> None:
    profile["budget_usd"] = 1000
    page = plan_client.post("/plan", data={"_profile_json": json.dumps(profile)})
    assert page.status_code == 200
    assert "Of your $1,000 budget, $315 goes to once-a-season fees" in page.text
    assert 'id="over-budget"' not in page.text
    assert _total_fees(page.text) <= 1000
    plan = plan_client.post("/api/plan", json={"profile": profile}).json()
    assert plan["cost_usd"] + plan["fixed_fees_usd"] == _total_fees(page.text)
    assert plan["program_budget_usd"] == 685


def test_a_budget_below_the_once_a_season_fees_shows_the_form_with_the_reason(
        plan_client: TestClient, profile: dict[str, Any]) -> None:
    profile["budget_usd"] = 200
    page = plan_client.post("/plan", data={"_profile_json": json.dumps(profile)})
    assert page.status_code == 422 and 'id="profile-form"' in page.text
    assert "does not cover the once-a-season fees ($315)" in page.text
    assert "$315 of it goes to fees paid once" in page.text  # by the budget field
    assert 'value="200"' in page.text  # what was typed stays
    answer = plan_client.post("/api/plan", json={"profile": profile})
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == "budget_usd"


def _example(name: str) -> dict[str, Any]:
    from pathlib import Path

    import yaml

    path = Path(__file__).resolve().parents[2] / "examples" / f"{name}.yaml"
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_the_page_advises_the_list_and_says_what_the_rest_of_the_budget_adds(
        plan_client: TestClient) -> None:
    profile = _example("strong_non_us_img_im")
    plan = plan_client.post("/api/plan", json={"profile": profile}).json()
    rec = plan["recommendation"]
    page = plan_client.post("/plan", data={"_profile_json": json.dumps(profile)}).text
    assert f"Our advice: apply to the first {rec['n']} programs" in page
    left = plan["program_budget_usd"] - rec["cost_usd"]
    assert f"Spending the remaining ${left:,.0f} of your budget on the other " \
           f"{rec['rest_programs']} programs of the list would add" in page
    assert page.count('class="main-row beyond"') == rec["rest_programs"]
    assert 'id="low-chance"' not in page


def test_a_very_low_chance_lists_the_changes_that_help_most_on_the_page(
        plan_client: TestClient) -> None:
    import re

    page = plan_client.post("/plan", data={"_profile_json": json.dumps(
        _example("weak_non_us_img_im"))}).text
    assert 'id="low-chance"' in page and "Your chance of matching is very low" in page
    box = page[page.index('id="suggestions"'):]
    box = box[:box.index("</ul>")]
    gains = [float(g.replace("−", "-")) for g in re.findall(r"\(([+−]\d+(?:\.\d)?) points?\)",
                                                            box)]
    assert len(gains) >= 3 and gains == sorted(gains, reverse=True)
    assert "had 3 more months of hands-on US clinical experience" in box
    headline = re.search(r'id="p-match">([^<]+)<', page)
    assert headline and headline.group(1) != "0%"  # a small chance keeps a decimal
