"""The JSON API: program search and detail, checks, USCE, extraction, 422s, health."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def test_programs_filters_like_the_cli_and_paginates(client: TestClient) -> None:
    params = {"specialty": "Internal Medicine", "state": "NY", "visa": "h1b", "limit": 5}
    first = client.get("/api/programs", params=params).json()
    second = client.get("/api/programs", params={**params, "offset": 5}).json()
    assert first["total"] > 5 and len(first["programs"]) == 5
    ids = {p["program_id"] for p in first["programs"]}
    assert ids.isdisjoint(p["program_id"] for p in second["programs"])
    for program in first["programs"] + second["programs"]:
        fields = program["fields"]
        assert fields["state"]["value"] == "NY"
        assert fields["visa_h1b"]["value"] is True
        assert fields["specialty"]["value"] == "Internal Medicine"


def test_program_detail_gives_every_field_with_provenance(client: TestClient) -> None:
    some = client.get("/api/programs", params={"specialty": "Internal Medicine",
                                               "limit": 1}).json()["programs"][0]
    detail = client.get(f"/api/programs/{some['program_id']}").json()
    name = detail["fields"]["name"]
    assert set(name) == {"value", "status", "source", "as_of", "method", "qualifier",
                         "as_of_status", "note", "conflict"}
    assert name["status"] in {"reported", "derived", "estimated"} and name["source"]
    assert any(f["status"] == "unknown" for f in detail["fields"].values())
    assert "quota_history" in detail


def test_unknown_program_is_404_with_a_message(client: TestClient) -> None:
    answer = client.get("/api/programs/ZZZ999")
    assert answer.status_code == 404
    assert "ZZZ999" in answer.json()["detail"]


def test_bad_filters_answer_422_one_message_per_field(client: TestClient) -> None:
    answer = client.get("/api/programs", params={"specialty": "Astrology", "state": "XX",
                                                  "limit": 0})
    assert answer.status_code == 422
    fields = [p["field"] for p in answer.json()["problems"]]
    assert fields == sorted(set(fields), key=fields.index)  # no field twice
    assert "limit" in fields


def test_invalid_profile_names_each_field(client: TestClient, profile: dict[str, Any]) -> None:
    profile["exams"]["step2ck"] = 999
    profile["usce"][0]["end"] = "2024-01-01"
    profile["colour"] = "blue"
    answer = client.post("/api/check", json={"profile": profile, "program_ids": ["x1"]})
    assert answer.status_code == 422
    problems = {p["field"]: p["message"] for p in answer.json()["problems"]}
    assert "between 100 and 300" in problems["profile.exams.step2ck"]
    assert "before it starts" in problems["profile.usce[0].end"]
    assert problems["profile.colour"] == "unknown field"


def test_check_gives_a_verdict_with_reasons(client: TestClient, profile: dict[str, Any]) -> None:
    ids = [p["program_id"] for p in client.get("/api/programs", params={
        "specialty": "Internal Medicine", "limit": 3}).json()["programs"]]
    answer = client.post("/api/check", json={"profile": profile, "program_ids": ids}).json()
    assert [v["program_id"] for v in answer["verdicts"]] == ids
    for verdict in answer["verdicts"]:
        assert verdict["verdict"] in {"eligible", "ineligible", "unverified"}
        assert {r["rule"] for r in verdict["reasons"]} >= {"visa"}


def test_check_of_unknown_ids_is_404(client: TestClient, profile: dict[str, Any]) -> None:
    answer = client.post("/api/check", json={"profile": profile, "program_ids": ["NOPE1"]})
    assert answer.status_code == 404
    assert answer.json()["problems"][0]["field"] == "program_ids"


def test_usce_reports_metrics_and_gaps(client: TestClient, profile: dict[str, Any]) -> None:
    answer = client.post("/api/usce", json={"profile": profile}).json()
    metrics = answer["metrics"]
    assert metrics["hands_on_months"] == 3.0  # 12 weeks, 4 weeks a month
    assert metrics["us_letters"] == 1
    assert [g["specialty"] for g in answer["gaps"]] == ["Internal Medicine"]


def test_unknown_season_is_422(client: TestClient, profile: dict[str, Any]) -> None:
    answer = client.post("/api/usce", json={"profile": profile, "season": 2001})
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == "season"


def test_extract_finds_requirements_with_evidence(client: TestClient) -> None:
    text = "We sponsor J-1 visas only. Applicants must have graduated within the last 5 years."
    found = client.post("/api/extract", json={"text": text}).json()["requirements"]
    by_field = {r["field"]: r for r in found}
    assert by_field["yog_max_years"]["value"] == 5
    quote = by_field["yog_max_years"]["evidence"]
    assert text[quote["start"]:quote["end"]] == quote["quote"]


def test_health_and_openapi(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/plan", "/api/check", "/api/usce", "/api/extract", "/api/programs",
                 "/api/programs/{program_id}", "/healthz"):
        assert path in paths
