"""Hardening: body size limit, per-client rate limit, headers, no secrets in logs."""

from __future__ import annotations

import logging

from fastapi.testclient import TestClient

from smartpick.cli.serve import HideSavedLinks
from smartpick.settings import Settings
from smartpick.web import WebLimits, create_app
from smartpick.web.limits import RateLimit


def test_oversized_body_is_refused_with_413(built_catalog: Settings) -> None:
    client = TestClient(create_app(built_catalog, WebLimits(max_body_bytes=1000)))
    answer = client.post("/api/extract", json={"text": "x" * 5000})
    assert answer.status_code == 413
    assert client.post("/api/extract", json={"text": "J-1 only."}).status_code == 200


def test_a_client_over_its_rate_gets_429_with_retry_after(built_catalog: Settings) -> None:
    client = TestClient(create_app(built_catalog, WebLimits(rate_per_minute=60, burst=3)))
    codes = [client.get("/api/programs", params={"limit": 1}).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    limited = client.get("/api/programs")
    assert int(limited.headers["retry-after"]) >= 1
    assert client.get("/healthz").status_code == 200  # health checks are never limited


def test_buckets_refill_over_time_and_are_per_client() -> None:
    limiter = RateLimit(app=None, per_minute=60, burst=1)  # type: ignore[arg-type]
    assert limiter.take("a", now=0.0) == 0
    assert limiter.take("a", now=0.1) > 0
    assert limiter.take("b", now=0.1) == 0  # another client has its own bucket
    assert limiter.take("a", now=1.2) == 0  # one token a second


def test_pages_send_privacy_headers(client: TestClient) -> None:
    headers = client.get("/profile").headers
    assert headers["referrer-policy"] == "no-referrer"
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["cache-control"] == "no-store"


def test_access_log_hides_saved_links() -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s"',
                               ("127.0.0.1", "GET", "/p/SECRETtoken123456789"), None)
    HideSavedLinks().filter(record)
    assert "SECRET" not in record.getMessage()
