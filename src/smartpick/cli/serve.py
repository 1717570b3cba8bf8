"""``smartpick serve``: the web app and JSON API on a local address."""

from __future__ import annotations

import logging
import re

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


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--rate-limit", default=WebLimits.rate_per_minute, show_default=True,
              type=click.FloatRange(min=1), help="Requests per minute per client.")
def serve(host: str, port: int, rate_limit: float) -> None:
    """Serve the web app and the JSON API (OpenAPI at /openapi.json)."""
    import uvicorn

    from smartpick.catalog.store import open_catalog
    from smartpick.web import create_app

    open_catalog().ensure_built()
    logging.getLogger("uvicorn.access").addFilter(HideSavedLinks())
    app = create_app(limits=WebLimits(rate_per_minute=rate_limit))
    uvicorn.run(app, host=host, port=port, server_header=False)
