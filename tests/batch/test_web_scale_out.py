"""Two real `smartpick serve` processes against one PostgreSQL database act as one service."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from tests.conftest import POSTGRES_ENV, reset_postgres
from tests.web.conftest import EXAMPLE_PROFILE, free_port

from smartpick.catalog.build import build
from smartpick.catalog.database import engine_for
from smartpick.catalog.ingest.pipeline import ingest, write_outputs
from smartpick.settings import Settings
from smartpick.web.saved import saved_profiles

pytestmark = pytest.mark.postgres

RAW = Path(__file__).resolve().parents[1] / "fixtures" / "raw"
SERVE = "from smartpick.cli import main; main()"


@pytest.fixture(scope="module")
def shared_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The PostgreSQL test database holding a small catalog (built from the test sources)."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"needs a PostgreSQL server: set {POSTGRES_ENV}")
    reset_postgres(url)
    tmp = tmp_path_factory.mktemp("scale-out")
    write_outputs(ingest(RAW), tmp / "data" / "catalog")
    build(Settings(database_url=url, data_dir=tmp / "data", home=tmp))
    return url


def _call(url: str, method: str = "GET", body: Any = None,
          headers: dict[str, str] | None = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={
        "content-type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            text = answer.read()
            return answer.status, json.loads(text) if text else None
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.stderr.read().decode()[-2000:]}"
                                 if process.stderr else "server exited")
        try:
            if _call(f"{base}/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{base} did not answer /healthz in time")


@pytest.fixture(scope="module")
def two_servers(shared_database: str, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[list[str]]:
    """Two `smartpick serve` processes on loopback, both on the shared database."""
    env = {**os.environ, "DATABASE_URL": shared_database,
           "SMARTPICK_HOME": str(tmp_path_factory.mktemp("serve-home"))}
    started = []
    for _ in range(2):
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-c", SERVE, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started.append((f"http://127.0.0.1:{port}", process))
    try:
        for base, process in started:
            _wait_until_up(base, process)
        yield [base for base, _ in started]
    finally:
        for _, process in started:
            process.terminate()
            process.wait(timeout=20)


def test_a_profile_saved_through_one_server_is_read_and_deleted_through_the_other(
        shared_database: str, two_servers: list[str]) -> None:
    first, second = two_servers
    status, saved = _call(f"{first}/api/profiles", "POST", {"profile": EXAMPLE_PROFILE})
    assert status == 201
    token, owner = saved["token"], saved["owner_key"]
    status, loaded = _call(f"{second}/api/profiles/{token}")
    assert status == 200 and loaded["profile"]["exams"]["step2ck"] == 242
    with engine_for(shared_database).connect() as conn:  # kept in the database, not a process
        assert conn.execute(select(func.count()).select_from(saved_profiles)).scalar() == 1
    assert _call(f"{second}/api/profiles/{token}", "DELETE",
                 headers={"x-owner-key": owner})[0] == 204
    assert _call(f"{first}/api/profiles/{token}")[0] == 404


def test_rate_limits_are_counted_per_server_process(two_servers: list[str]) -> None:
    first, second = two_servers
    client = {"x-forwarded-for": "203.0.113.7"}  # one client, as a load balancer reports it
    codes = [_call(f"{first}/api/profiles/{'A' * 32}", headers=client)[0] for _ in range(70)]
    assert codes.count(429) > 0 and set(codes) <= {404, 429}  # the burst of 60 is spent
    assert _call(f"{second}/api/profiles/{'A' * 32}", headers=client)[0] == 404
