"""``smartpick serve``: the web app and JSON API on a local address."""

from __future__ import annotations

import logging
import re
from typing import Any

import click

from smartpick.web.limits import WebLimits

_SECRET_PATH = re.compile(r"/p/[A-Za-z0-9_-]+|/api/profiles/[A-Za-z0-9_-]+")


class HideSavedLinks(logging.Filter):
    """Access-log lines never show a saved profile's secret link."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_SECRET_PATH.sub(lambda m: m.group(0).rsplit("/", 1)[0] + "/…", a)
                                if isinstance(a, str) else a for a in record.args)
        return True


def server_options(host: str, port: int, trusted_proxy: str | None) -> dict[str, Any]:
    """uvicorn's settings. ``X-Forwarded-For`` is honoured only from ``trusted_proxy`` (a
    comma-separated list of addresses); without one it is ignored, so no client can pick the
    address its rate limit and log line are kept under."""
    return {"host": host, "port": port, "server_header": False,
            "proxy_headers": bool(trusted_proxy), "forwarded_allow_ips": trusted_proxy or ""}


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--rate-limit", default=WebLimits.rate_per_minute, show_default=True,
              type=click.FloatRange(min=1), help="Requests per minute per client.")
@click.option("--plan-workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Plans computed at once.")
@click.option("--plan-queue", default=8, show_default=True, type=click.IntRange(0, 1000),
              help="Plans waiting for a worker; beyond that requests get 503.")
@click.option("--plan-processes/--plan-threads", default=True, show_default=True,
              help="Compute plans in worker processes (they use every core) or in "
                   "threads of the server (less memory).")
@click.option("--trusted-proxy", default=None, metavar="ADDRESSES",
              help="Reverse proxy whose X-Forwarded-For header names the client (comma-separated "
                   "addresses). Without it the header is ignored.")
def serve(host: str, port: int, rate_limit: float, plan_workers: int, plan_queue: int,
          plan_processes: bool, trusted_proxy: str | None) -> None:
    """Serve the web app and the JSON API (OpenAPI at /openapi.json)."""
    import uvicorn

    from smartpick.catalog.store import open_catalog
    from smartpick.services.pool import PlanPool
    from smartpick.settings import load_settings
    from smartpick.web import create_app

    settings = load_settings()
    open_catalog(settings).ensure_built()
    logging.getLogger("uvicorn.access").addFilter(HideSavedLinks())
    pool = PlanPool(plan_workers, plan_queue, processes=settings if plan_processes else None)
    app = create_app(settings, limits=WebLimits(rate_per_minute=rate_limit), pool=pool)
    uvicorn.run(app, **server_options(host, port, trusted_proxy))
