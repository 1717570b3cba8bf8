"""Server-rendered pages: browser, program page, profile form, USCE, extraction."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient
from markupsafe import escape

from smartpick.web.forms import flatten, profile_from_form


def test_program_browser_filters(client: TestClient) -> None:
    page = client.get("/programs", params={"specialty": "Internal Medicine", "state": "NJ"})
    assert page.status_code == 200
    rows = re.findall(r'href="/programs/(\w+)"', page.text)
    assert rows
    partial = client.get("/programs", params={"state": "NJ"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.text and "program" in partial.text


def test_program_browser_filters_by_size(client: TestClient) -> None:
    params = {"specialty": "Internal Medicine", "state": "NY", "min_positions": "30",
              "max_positions": "40"}
    api = client.get("/api/programs", params=params).json()
    assert 0 < api["total"] < 50
    assert all(30 <= p["fields"]["positions"]["value"] <= 40 for p in api["programs"])
    page = client.get("/programs", params=params)
    shown = set(re.findall(r'href="/programs/(\w+)"', page.text))
    assert shown == {p["program_id"] for p in api["programs"]}


def test_program_browser_shows_filter_problems_inline(client: TestClient) -> None:
    page = client.get("/programs", params={"state": "ZZ", "min_img_share": "lots"})
    assert page.status_code == 200
    assert "unknown state code" in page.text and "enter a number from 0 to 100" in page.text


def test_program_page_shows_every_fact_with_source_date_status(client: TestClient) -> None:
    some = client.get("/api/programs", params={"specialty": "Internal Medicine",
                                               "limit": 1}).json()["programs"][0]
    page = client.get(f"/programs/{some['program_id']}").text
    fields = some["fields"]
    assert page.count("<tr data-field=") == len(fields)
    assert 'class="status status-unknown"' in page
    source_name, url = fields["name"]["source"].rstrip(">").split(" <")
    assert f'<a href="{url}" rel="noopener noreferrer">{escape(source_name)}</a>' in page
    assert fields["name"]["as_of"] in page


def test_missing_program_page_is_a_404_page(client: TestClient) -> None:
    page = client.get("/programs/NOPE123")
    assert page.status_code == 404 and "<html" in page.text


def test_form_round_trip(profile: dict[str, Any]) -> None:
    flat = flatten(profile)
    pairs = []
    for key, value in flat.items():
        values = value if isinstance(value, list) else [value]
        pairs += [(key, str(v).lower() if isinstance(v, bool) else str(v)) for v in values]
    back = profile_from_form(pairs)
    assert back["usce"][0]["specialty"] == "Internal Medicine"
    assert back["preferences"]["states"] == ["NY", "NJ"]
    assert back["exams"]["step2ck"] == "242"


def test_inline_validation_puts_each_message_by_its_field(client: TestClient) -> None:
    answer = client.post("/profile/validate", data={
        "applicant_type": "non_us_img", "graduation_year": "1800",
        "usce[0].kind": "hands_on", "usce[0].specialty": "Internal Medicine",
        "usce[0].start": "2025-05-01", "usce[0].end": "2025-01-01"})
    slot = 'id="err-graduation-year" role="status" hx-swap-oob="true">must be 1950 or more'
    assert slot in answer.text
    assert re.search(r'id="err-usce-0-end"[^>]*>[^<]*before it starts', answer.text)
    assert re.search(r'id="err-applicant-type"[^>]*></span>', answer.text)  # no problem there


def test_profile_export_then_import(client: TestClient, profile: dict[str, Any]) -> None:
    exported = client.post("/profile/export", data={"_profile_json": json.dumps(profile)})
    assert exported.headers["content-disposition"].startswith("attachment")
    imported = client.post("/profile/import", files={
        "file": ("me.json", exported.content, "application/json")})
    assert imported.status_code == 200
    assert 'value="242"' in imported.text and 'value="2025-03-03"' in imported.text


def test_import_of_a_bad_file_lists_problems(client: TestClient) -> None:
    answer = client.post("/profile/import", files={"file": ("x.yaml", b"graduation_year: soon",
                                                            "text/yaml")})
    assert answer.status_code == 422
    assert "applicant_type" in answer.text and "graduation_year" in answer.text


def test_usce_page_shows_ledger_and_gaps(client: TestClient, profile: dict[str, Any]) -> None:
    page = client.post("/usce", data={"_profile_json": json.dumps(profile)})
    assert page.status_code == 200
    assert "3.0</span> hands-on months" in page.text
    assert "Gaps: what more USCE would open" in page.text


def test_extract_page_marks_evidence(client: TestClient) -> None:
    page = client.post("/extract", data={"text": "We do not sponsor H-1B visas."})
    assert "<mark" in page.text and "visa_h1b" in page.text


def test_hostile_form_and_file_input_answer_422_not_500(client: TestClient) -> None:
    clash = client.post("/profile/validate", data={"research": "x", "research.abstracts": "1"})
    assert clash.status_code == 422 and "conflicts with another field" in clash.text
    bomb = b"a: &a [x, x, x]\nb: [*a, *a, *a]\n"
    imported = client.post("/profile/import", files={"file": ("b.yaml", bomb, "text/yaml")})
    assert imported.status_code == 422 and "not a SmartPick profile file" in imported.text
    assert "aliases (*name) are not allowed" in imported.text and "b.yaml:2" in imported.text
    twice = b"applicant_type: non_us_img\nvisa: j1\nvisa: none\n"
    imported = client.post("/profile/import", files={"file": ("p.yaml", twice, "text/yaml")})
    assert imported.status_code == 422
    assert "&#39;visa&#39; is written twice in one mapping (first on line 2)" in imported.text
    carried = client.post("/plan", data={"_profile_json": "{not json"})
    assert carried.status_code == 422
