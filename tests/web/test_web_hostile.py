"""Hostile input on the HTML routes: every case answers 4xx with a page, never 500."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from smartpick.cli.serve import server_options
from smartpick.settings import Settings
from smartpick.web import WebLimits, create_app
from smartpick.web.forms import flatten, profile_from_form
from smartpick.web.saved import MAX_PROFILE_BYTES, SavedProfiles, SaveQuotaExceeded

DEEP = 10_000


@pytest.fixture(scope="module")
def lenient(built_catalog: Settings) -> TestClient:
    """A client that shows a server error as its 500 answer instead of raising it."""
    app = create_app(built_catalog, WebLimits(rate_per_minute=1_000_000, burst=1_000_000))
    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize("query", ["page=inf", "page=nan", "page=1e400", "page=-3",
                                   "min_positions=inf", "max_positions=1e999",
                                   "min_img_share=nan", "min_positions=12abc"])
def test_program_browser_refuses_numbers_it_cannot_use(lenient: TestClient, query: str) -> None:
    answer = lenient.get(f"/programs?{query}")
    assert answer.status_code == 200  # the page with the problem next to the filters
    assert "enter a number from" in answer.text and "Traceback" not in answer.text


@pytest.mark.parametrize("route", ["/plan", "/usce", "/profile/export", "/profile/save",
                                   "/profile/edit", "/plan/what-if"])
@pytest.mark.parametrize("nested", ["[" * DEEP + "]" * DEEP,
                                    '{"a":' * DEEP + "1" + "}" * DEEP,
                                    json.dumps({"applicant_type": "non_us_img",
                                                "usce": [[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]})])
def test_a_deeply_nested_carried_profile_is_refused(lenient: TestClient, route: str,
                                                    nested: str) -> None:
    answer = lenient.post(route, data={"_profile_json": nested})
    assert answer.status_code == 422, answer.text[:300]
    assert "text/html" in answer.headers["content-type"]


def test_a_deeply_nested_yaml_file_is_refused(lenient: TestClient) -> None:
    nested_keys = "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 400))
    for text in ("[" * DEEP + "]" * DEEP, nested_keys):
        answer = lenient.post("/profile/import", files={"file": ("p.yaml", text)})
        assert answer.status_code == 422
        assert "not a SmartPick profile file" in answer.text


def test_a_form_field_with_a_very_long_path_is_refused(lenient: TestClient) -> None:
    name = ".".join(["a"] * 20_000)
    for route in ("/plan", "/profile/validate", "/usce", "/profile/export"):
        answer = lenient.post(route, data={name: "1", "applicant_type": "non_us_img"})
        assert answer.status_code == 422, (route, answer.status_code)
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(DEEP):
        node["a"] = {}
        node = node["a"]
    assert len(flatten(deep)) <= 1  # walks without recursion, keeps the first levels only
    with pytest.raises(Exception, match="invalid form"):
        profile_from_form([(".".join(["a"] * 50), "1")])


def _chunks(total: int) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b"a=" + b"x" * 16_000 + b"&"
        sent += 16_003


@pytest.mark.parametrize(("route", "kind"), [
    ("/api/extract", "application/json"), ("/api/plan", "application/json"),
    ("/plan", "application/x-www-form-urlencoded"),
    ("/profile/validate", "application/x-www-form-urlencoded")])
def test_a_chunked_body_over_the_limit_gets_413(lenient: TestClient, route: str,
                                                kind: str) -> None:
    answer = lenient.post(route, content=_chunks(600 * 1024), headers={"content-type": kind})
    assert answer.status_code == 413
    if route.startswith("/api/"):
        assert answer.json()["limit_bytes"] == 512 * 1024
    else:
        assert "text/html" in answer.headers["content-type"]
        assert "too large" in answer.text


def test_saved_profiles_have_a_size_limit_a_quota_and_an_expiry(built_catalog: Settings,
                                                                 tmp_path: Any) -> None:
    from datetime import datetime

    from sqlalchemy import create_engine, update

    from smartpick.web.saved import saved_profiles

    engine = create_engine(f"sqlite:///{tmp_path / 'saved.sqlite'}")
    saved = SavedProfiles(engine, per_hour=3)
    with pytest.raises(Exception, match="too large"):
        saved.save({"notes": "x" * (MAX_PROFILE_BYTES + 1)}, client="a")
    links = [saved.save({"n": i}, client="a") for i in range(3)]
    with pytest.raises(SaveQuotaExceeded):
        saved.save({"n": 4}, client="a")
    saved.save({"n": 5}, client="b")  # another client has its own quota
    assert saved.load(links[0].token) == {"n": 0}
    with engine.begin() as conn:  # pretend the first was saved a year ago
        conn.execute(update(saved_profiles).where(
            saved_profiles.c.profile_json == '{"n": 0}').values(created_at=datetime(2020, 1, 1)))
    with pytest.raises(Exception, match="expired"):
        saved.load(links[0].token)


def test_the_save_route_answers_429_over_the_quota(built_catalog: Settings,
                                                   profile: dict[str, Any]) -> None:
    app = create_app(built_catalog, WebLimits(rate_per_minute=1_000_000, burst=1_000_000,
                                              saves_per_hour=2))
    client = TestClient(app)
    codes = [client.post("/api/profiles", json={"profile": profile}).status_code
             for _ in range(3)]
    assert codes == [201, 201, 429]
    page = client.post("/profile/save", data={"_profile_json": json.dumps(profile)})
    assert page.status_code == 429 and "text/html" in page.headers["content-type"]
    assert "too many profiles saved" in page.text.lower() and int(page.headers["retry-after"]) > 0


def test_the_owner_key_is_not_written_into_the_saved_page(client: TestClient,
                                                           profile: dict[str, Any]) -> None:
    saved = client.post("/profile/save", data={"_profile_json": json.dumps(profile)})
    token = saved.text.split('id="saved-link" href="/p/')[1].split('"')[0]
    owner_key = saved.text.split('id="owner-key">')[1].split("<")[0]
    page = client.get(f"/p/{token}")
    assert page.status_code == 200 and owner_key not in page.text
    assert "This browser holds the owner key" in page.text
    deleted = client.post(f"/p/{token}/delete", data={})  # the cookie is the owner's proof
    assert deleted.status_code == 200
    assert client.get(f"/p/{token}").status_code == 404


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(app: Any, trusted_proxy: str | None) -> tuple[uvicorn.Server, str]:
    port = _free_port()
    config = uvicorn.Config(app, log_level="warning",
                            **server_options("127.0.0.1", port, trusted_proxy))
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


@pytest.mark.parametrize(("trusted", "limited"), [(None, True), ("10.9.9.9", True),
                                                  ("127.0.0.1", False)])
def test_forwarded_for_is_honoured_only_from_a_trusted_proxy(built_catalog: Settings,
                                                             trusted: str | None,
                                                             limited: bool) -> None:
    app = create_app(built_catalog, WebLimits(rate_per_minute=1, burst=3))
    server, base = _serve(app, trusted)
    try:
        codes = [httpx.get(f"{base}/api/programs?limit=1",
                           headers={"x-forwarded-for": f"203.0.113.{i}"}).status_code
                 for i in range(6)]
    finally:
        server.should_exit = True
    if limited:  # the header is ignored: all six share the loopback bucket
        assert codes[:3] == [200] * 3 and codes[3:] == [429] * 3
    else:  # behind the trusted proxy each forwarded client has its own bucket
        assert codes == [200] * 6
