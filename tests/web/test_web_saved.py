"""Saved profiles: secret link, owner-only delete, nothing stored otherwise."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from smartpick.web.saved import saved_profiles


def _count(client: TestClient) -> int:
    engine = client.app.state.smartpick.catalog.engine  # type: ignore[attr-defined]
    client.app.state.smartpick.saved._ensure_table()  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(saved_profiles)).scalar())


def test_saved_profile_is_reachable_by_link_and_deleted_by_owner(
        client: TestClient, profile: dict[str, Any]) -> None:
    saved = client.post("/api/profiles", json={"profile": profile})
    assert saved.status_code == 201
    token, owner = saved.json()["token"], saved.json()["owner_key"]
    assert len(token) >= 32 and token != owner
    loaded = client.get(f"/api/profiles/{token}").json()["profile"]
    assert loaded["exams"]["step2ck"] == 242
    page = client.get(f"/p/{token}")
    assert page.status_code == 200 and 'value="242"' in page.text
    wrong = client.request("DELETE", f"/api/profiles/{token}", headers={"x-owner-key": "nope"})
    assert wrong.status_code == 404
    gone = client.request("DELETE", f"/api/profiles/{token}", headers={"x-owner-key": owner})
    assert gone.status_code == 204
    assert client.get(f"/api/profiles/{token}").status_code == 404


def test_a_guessed_link_finds_nothing(client: TestClient) -> None:
    assert client.get("/p/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").status_code == 404


def test_database_keeps_no_link_in_clear(client: TestClient, profile: dict[str, Any]) -> None:
    token = client.post("/api/profiles", json={"profile": profile}).json()["token"]
    engine = client.app.state.smartpick.catalog.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        digests = [r[0] for r in conn.execute(select(saved_profiles.c.link_digest))]
    assert token not in digests and len(digests[0]) == 64


def test_using_the_pages_stores_nothing(client: TestClient, profile: dict[str, Any]) -> None:
    before = _count(client)
    client.post("/profile/validate", data={"applicant_type": "non_us_img"})
    client.post("/usce", data={"applicant_type": "non_us_img", "graduation_year": "2020",
                               "targets[0].specialty": "Internal Medicine"})
    assert _count(client) == before


def test_saving_from_the_page_gives_link_and_sets_owner_cookie(client: TestClient) -> None:
    answer = client.post("/profile/save", data={"applicant_type": "us_md",
                                                "graduation_year": "2026"})
    assert answer.status_code == 200 and "/p/" in answer.text
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("samesite", "SameSite")
