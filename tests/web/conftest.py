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

from smartpick.applicant.profile import Profile
from smartpick.catalog.search import ProgramQuery
from smartpick.catalog.store import Catalog
from smartpick.rules.check import check_all
from smartpick.settings import Settings
from smartpick.web import WebLimits, create_app
from smartpick.web.planning import PlanOptions, default_planner

GENEROUS = WebLimits(rate_per_minute=1_000_000, burst=1_000_000)
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


def contract_stand_in(catalog: Catalog, profile: Profile, options: PlanOptions) -> dict[str, Any]:
    """A plan in the planner's JSON contract for pages and exports to show while a build has
    no planner: real programs and real verdicts, but made-up chances (never shown as results)."""
    specialty = profile.target_specialties()[0]
    programs = catalog.search(ProgramQuery(specialty=specialty, states=("NY", "NJ"), limit=40))
    verdicts = check_all(profile, programs)
    chosen = [(p, v) for p, v in zip(programs, verdicts, strict=True)
              if v.status.value != "ineligible"][:12]
    rows = [{"program_id": p.program_id, "name": p.value("name"), "specialty": specialty,
             "track": p.value("track"), "city": p.value("city"), "state": p.value("state"),
             "tier": ("reach", "target", "likely")[i % 3], "p_interview": 0.3,
             "p_interview_interval": [0.2, 0.4], "marginal_p_match": 0.05, "signal": "none",
             "verdict": v.status.value, "reasons": [r.text() for r in v.reasons[:4]]}
            for i, (p, v) in enumerate(chosen)]
    excluded = [{"program_id": v.program_id, "rule": v.exclusions[0].rule,
                 "reason": v.exclusions[0].text()} for v in verdicts if v.exclusions]
    curve = [{"n": n, "p_match": round(1 - 0.85 ** n, 3), "cost_usd": 11 * n}
             for n in range(1, len(rows) + 6)]
    return {"season": 2026, "p_match": curve[len(rows) - 1]["p_match"],
            "p_match_interval": [0.5, 0.9], "expected_interviews": 3.6,
            "cost_usd": 11 * len(rows), "programs": rows, "curve": curve, "excluded": excluded,
            "what_if": [{"change": w, "p_match": 0.9, "cost_usd": 11 * len(rows)}
                        for w in options.what_if]}


@pytest.fixture(scope="session")
def web_app(built_catalog: Settings) -> FastAPI:
    """The app as shipped (its planner, if the build has one)."""
    return create_app(built_catalog, GENEROUS)


@pytest.fixture(scope="session")
def plan_app(built_catalog: Settings) -> FastAPI:
    """The app with a planner: the library's, or the contract stand-in while there is none."""
    return create_app(built_catalog, GENEROUS, planner=default_planner() or contract_stand_in)


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


@pytest.fixture(scope="session")
def live_server(plan_app: FastAPI) -> Iterator[str]:
    """The real app under uvicorn on a free loopback port, in a thread."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(plan_app, host="127.0.0.1", port=port,
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
