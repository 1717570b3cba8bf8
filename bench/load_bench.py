"""Load test of ``POST /api/plan`` on loopback, against the baseline in the same run.

For each server (the baseline commit's code, then this tree) the bench starts
``smartpick serve`` on a free 127.0.0.1 port, sends CLIENTS concurrent clients posting plans
for DURATION seconds (each client stops at the deadline or after MAX_REQUESTS in all), and
meanwhile one more client asks ``GET /healthz`` every 50 ms. It prints plans per second,
p50/p95 latency, errors (any status but 200), the server's peak RSS (VmHWM, children
included) and the p95 of ``/healthz`` during the load.

Two loads: ``same`` posts the example profile every time (as a user reloading the plan page
or downloading its exports would); ``varied`` gives every request its own budget, so no
finished plan can be reused and every request runs the list search. The baseline is exported
from git as for bench/plan_bench.py and runs both loads too. The rate limit is raised for the
run (every client shares one loopback address). Each line starts with the machine's load
average (1 minute) before and after the run: the machine is shared.

    python bench/load_bench.py [--clients 8] [--duration 30] [--max-requests 3000]
                               [--baseline COMMIT] [--skip-baseline]
                               [--pool threads|processes|both] [--kinds same varied]

This tree runs with its plan pool of threads (``serve --plan-threads``) and of processes
(``serve --plan-processes``, the default).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
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
sys.path.insert(0, str(ROOT / "bench"))
from plan_bench import BASELINE, baseline_tree  # noqa: E402

PROFILE = json.loads((ROOT / "src/smartpick/web/static/example-profile.json").read_text())
HEALTH_EVERY = 0.05


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, env: dict[str, str], cwd: Path,
                 extra: list[str]) -> subprocess.Popen[bytes]:
    code = "import sys; from smartpick.cli import main; sys.argv[0] = 'smartpick'; main()"
    server = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--host", "127.0.0.1", "--port", str(port),
         "--rate-limit", "100000000", *extra], env=env, cwd=cwd, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not start: " + (server.stderr.read().decode()[-500:]
                                                     if server.stderr else ""))


def peak_rss_mb(pid: int) -> float:
    """VmHWM of the server and its children (MB)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def client_loop(base: str, bodies: Any, tally: Tally, stop_at: float,
                max_requests: int) -> None:
    with httpx.Client(base_url=base, timeout=180) as client:
        while time.monotonic() < stop_at:
            with tally.lock:
                if tally.sent >= max_requests:
                    return
                tally.sent += 1
                body = next(bodies)
            start = time.perf_counter()
            try:
                status = client.post("/api/plan", json=body).status_code
            except httpx.TransportError:
                status = 0
            elapsed = time.perf_counter() - start
            with tally.lock:
                tally.latencies.append(elapsed)
                tally.errors += status != 200
                tally.statuses[status] = tally.statuses.get(status, 0) + 1


def health_loop(base: str, tally: Tally, stop: threading.Event) -> None:
    with httpx.Client(base_url=base, timeout=60) as client:
        while not stop.is_set():
            start = time.perf_counter()
            status = client.get("/healthz").status_code
            tally.latencies.append(time.perf_counter() - start)
            tally.errors += status != 200
            stop.wait(HEALTH_EVERY)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values) or [0.0]
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bodies(kind: str) -> Any:
    if kind == "same":
        return itertools.repeat({"profile": PROFILE})
    return ({"profile": PROFILE, "budget_usd": 1500 + n} for n in itertools.count())


def load(env: dict[str, str], cwd: Path, kind: str, extra: list[str], clients: int,
         duration: float, max_requests: int) -> dict[str, float]:
    port = free_port()
    server = start_server(port, env, cwd, extra)
    base = f"http://127.0.0.1:{port}"
    try:
        plans, health = Tally(), Tally()
        stop = threading.Event()
        prober = threading.Thread(target=health_loop, args=(base, health, stop))
        source = bodies(kind)
        stop_at = time.monotonic() + duration
        threads = [threading.Thread(target=client_loop,
                                    args=(base, source, plans, stop_at, max_requests))
                   for _ in range(clients)]
        started = time.perf_counter()
        prober.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        stop.set()
        prober.join()
        rss = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return {"requests": len(plans.latencies), "errors": plans.errors,
            "plans_per_s": (len(plans.latencies) - plans.errors) / wall,
            "p50_ms": 1000 * statistics.median(plans.latencies or [0.0]),
            "p95_ms": _p(plans.latencies, 0.95), "peak_rss_mb": rss,
            "health_p95_ms": _p(health.latencies, 0.95), "health_errors": health.errors,
            "statuses": json.dumps(plans.statuses)}  # type: ignore[dict-item]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--max-requests", type=int, default=3000)
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--pool", choices=("threads", "processes", "both"), default="both")
    parser.add_argument("--kinds", nargs="+", choices=("same", "varied"),
                        default=["same", "varied"])
    args = parser.parse_args()
    runs: list[tuple[str, dict[str, str], Path, str, list[str]]] = []
    if not args.skip_baseline:
        where, old_env = baseline_tree(args.baseline)
        runs += [(f"baseline {args.baseline}", old_env, where, kind, []) for kind in args.kinds]
    new_env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    pools = {"threads": ["--plan-threads"], "processes": ["--plan-processes"]}
    for name, extra in pools.items():
        if args.pool in (name, "both"):
            runs += [(f"now, {name}", new_env, ROOT, kind, extra) for kind in args.kinds]
    print(f"{args.clients} clients posting /api/plan for {args.duration:.0f} s "
          f"(at most {args.max_requests} requests), /healthz every {HEALTH_EVERY * 1000:.0f} ms")
    failed = False
    for label, env, cwd, kind, extra in runs:
        before = os.getloadavg()[0]
        r = load(env, cwd, kind, extra, args.clients, args.duration, args.max_requests)
        print(f"  {label:18s} {kind:6s}: load {before:4.1f}->{os.getloadavg()[0]:4.1f}, "
              f"{r['requests']:5.0f} requests, "
              f"{r['plans_per_s']:6.2f} plans/s, p50 {r['p50_ms']:8.1f} ms, "
              f"p95 {r['p95_ms']:8.1f} ms, errors {r['errors']:.0f} {r['statuses']}, "
              f"peak RSS {r['peak_rss_mb']:6.0f} MB, /healthz p95 {r['health_p95_ms']:7.1f} ms")
        failed |= label.startswith("now") and bool(r["errors"])
    print("targets: >= 10 plans/s, p95 <= 1500 ms, 0 errors, /healthz p95 < 50 ms")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
