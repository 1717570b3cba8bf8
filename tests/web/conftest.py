"""Web fixtures: the app over the built catalog, a test client, and a real server + Chromium."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from smartpick.settings import Settings
from smartpick.web import WebLimits, create_app

GENEROUS = WebLimits(rate_per_minute=1_000_000, burst=1_000_000, saves_per_hour=1_000_000)
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
EXAMPLE_PROFILE: dict[str, Any] = {
    "applicant_type": "non_us_img", "graduation_year": 2021, "visa": "j1",
    "exams": {"step1": "pass", "step2ck": 242},
    "ecfmg_certified": True,
    "usce": [{"kind": "hands_on", "specialty": "Internal Medicine", "state": "NY",
              "start": "2025-03-03", "end": "2025-05-25", "us_letter": True}],
    "letters_total": 4,
    "targets": [{"specialty": "Internal Medicine"}],
    "preferences": {"states": ["NY", "NJ"]},
}


@pytest.fixture(scope="session")
def web_app(built_catalog: Settings) -> FastAPI:
    """The app as shipped (its planner, if the build has one)."""
    return create_app(built_catalog, GENEROUS)


@pytest.fixture(scope="session")
def plan_app(web_app: FastAPI) -> FastAPI:
    """The app with the library's planner."""
    return web_app


@pytest.fixture(scope="session")
def plan_client(plan_app: FastAPI) -> TestClient:
    return TestClient(plan_app)


@pytest.fixture(scope="session")
def client(web_app: FastAPI) -> TestClient:
    return TestClient(web_app)


@pytest.fixture
def profile() -> dict[str, Any]:
    import copy
    return copy.deepcopy(EXAMPLE_PROFILE)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SERVER_HITS: list[tuple[str, str]] = []


@pytest.fixture
def server_hits() -> list[tuple[str, str]]:
    """(method, path) of every request the live server receives from now on (static files
    left out): what the server really got, whatever the browser took from its cache."""
    SERVER_HITS.clear()
    return SERVER_HITS


@pytest.fixture(scope="session")
def live_server(plan_app: FastAPI) -> Iterator[str]:
    """The real app under uvicorn on a free loopback port, in a thread."""

    async def counted(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/static/"):
            SERVER_HITS.append((scope["method"], scope["path"]))
        await plan_app(scope, receive, send)

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(counted, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def chromium_path() -> str | None:
    for path in CHROMIUM_PATHS:
        if Path(path).exists():
            return path
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        pytest.skip("browser tests need the system Chromium (apt-get install chromium); "
                    "none found at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server, accept_downloads=True)
    opened = context.new_page()
    yield opened
    context.close()
