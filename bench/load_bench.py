"""Load test of the web API on loopback: concurrent clients posting plans.

Starts ``smartpick serve`` on a free 127.0.0.1 port (catalog from the environment, as for
``make serve``), then runs CLIENTS threads that each post requests until DURATION seconds have
passed or MAX_REQUESTS have been sent in all. It prints throughput, p50/p95 latency and the
error count, next to a baseline of ``GET /healthz`` measured the same way in the same run.

The rate limit is raised for the run (every client shares one loopback address). While a
build has no planner, ``POST /api/plan`` answers 503 by design; the bench then loads
``POST /api/check`` (eligibility of 20 programs) instead and says so.

    python bench/load_bench.py [--clients 8] [--duration 15] [--max-requests 3000]
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PROFILE = json.loads((ROOT / "src/smartpick/web/static/example-profile.json").read_text())


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    code = "from smartpick.cli import main; main()"
    server = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--host", "127.0.0.1", "--port", str(port),
         "--rate-limit", "100000000"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start: " + server.stderr.read().decode()[-500:]
                     if server.stderr else "the server did not start")


def client_loop(base: str, request: dict[str, Any], tally: Tally, stop_at: float,
                max_requests: int) -> None:
    with httpx.Client(base_url=base, timeout=60) as client:
        while time.monotonic() < stop_at:
            with tally.lock:
                if tally.sent >= max_requests:
                    return
                tally.sent += 1
            start = time.perf_counter()
            response = client.request(**request)
            elapsed = time.perf_counter() - start
            with tally.lock:
                tally.latencies.append(elapsed)
                tally.errors += response.status_code >= 400


def run(base: str, request: dict[str, Any], clients: int, duration: float,
        max_requests: int) -> dict[str, float]:
    tally = Tally()
    stop_at = time.monotonic() + duration
    threads = [threading.Thread(target=client_loop,
                                args=(base, request, tally, stop_at, max_requests))
               for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    lat = sorted(tally.latencies) or [0.0]
    return {"requests": len(tally.latencies), "errors": tally.errors,
            "throughput": len(tally.latencies) / wall,
            "p50_ms": 1000 * statistics.median(lat),
            "p95_ms": 1000 * lat[min(len(lat) - 1, int(0.95 * len(lat)))]}


def plan_or_check(base: str) -> tuple[str, dict[str, Any]]:
    plan = {"method": "POST", "url": "/api/plan", "json": {"profile": PROFILE}}
    with httpx.Client(base_url=base, timeout=60) as client:
        planned = client.request(**plan).status_code == 200
    if planned:
        return "POST /api/plan", plan
    ids = [p["program_id"] for p in httpx.get(f"{base}/api/programs", params={
        "specialty": "Internal Medicine", "state": ["NY", "NJ"], "limit": 20}).json()["programs"]]
    return "POST /api/check (20 programs; no planner in this build)", {
        "method": "POST", "url": "/api/check", "json": {"profile": PROFILE, "program_ids": ids}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--max-requests", type=int, default=3000)
    args = parser.parse_args()
    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    try:
        label, request = plan_or_check(base)
        baseline = run(base, {"method": "GET", "url": "/healthz"}, args.clients,
                       min(5.0, args.duration), args.max_requests)
        loaded = run(base, request, args.clients, args.duration, args.max_requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"{args.clients} concurrent clients on loopback, up to {args.duration:.0f} s "
          f"or {args.max_requests} requests per phase")
    for name, r in (("GET /healthz (baseline)", baseline), (label, loaded)):
        print(f"{name}: {r['requests']:.0f} requests, {r['throughput']:.1f} req/s, "
              f"p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, errors {r['errors']:.0f}")
    print(f"ratio: {loaded['throughput'] / baseline['throughput']:.3f} of baseline throughput")
    if loaded["errors"] or baseline["errors"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
