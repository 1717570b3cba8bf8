"""Every what-if value is bounded: the API answers 422 naming the what-if, never 500."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(("change", "says"), [
    ("usce:+99999999m-hands-on", "at most 24 months"),
    ("usce:+100m-hands-on", "at most 24 months"),
    ("budget:-5000", "must be between $0"),
    ("budget:1e400", "out of range"),
    ("budget:100", "does not cover the once-a-season fees"),
    ("step3:fail", "record a failed attempt"),
    ("step2ck:+1e300", "out of range"),
    ("target:7", "between 0 and 1"),
])
def test_a_bad_what_if_value_is_a_clear_422(plan_client: TestClient, profile: dict[str, Any],
                                            change: str, says: str) -> None:
    response = plan_client.post("/api/plan", json={"profile": profile, "what_if": [change]})
    assert response.status_code == 422, response.text
    assert says in response.text and "what_if" in response.text


def test_the_plan_says_its_season_and_how_old_its_facts_are(plan_client: TestClient,
                                                            profile: dict[str, Any]) -> None:
    response = plan_client.post("/api/plan", json={"profile": profile, "budget_usd": 515})
    assert response.status_code == 200, response.text
    plan = response.json()
    assert plan["season"] == 2026  # tests run on 2025-01-15
    assert plan["facts_as_of"].startswith("Facts as of: ")
    assert all(p["data_as_of"] for p in plan["programs"])


def test_the_plan_page_follows_today_and_shows_the_facts_line(
        plan_client: TestClient, profile: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    monkeypatch.setenv("SMARTPICK_TODAY", "2025-11-30")  # Match 2027 is the next full window
    page = plan_client.post("/plan", data={"_profile_json": json.dumps(profile)})
    assert page.status_code == 200, page.text
    assert "Facts as of: " in page.text
    assert "(season 2027)" in page.text
