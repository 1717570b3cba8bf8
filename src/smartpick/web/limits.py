"""Request size and per-client rate limits, as plain ASGI middleware.

Bodies larger than :attr:`WebLimits.max_body_bytes` get 413 before the application reads
them; a client (by its address) that exceeds its token bucket gets 429 with ``Retry-After``.
Static files and ``/healthz`` are not rate limited. Nothing here reads or logs a body.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A page's answer to a refused request (413 or 429), or None for the JSON answer: pages show
# the refusal on the form, never raw JSON.
PageRefusal = Callable[[Scope, int, str], Response | None]

UNLIMITED_PREFIXES = ("/static/", "/healthz")
MAX_TRACKED_CLIENTS = 10_000


@dataclass(frozen=True)
class WebLimits:
    """``rate_per_minute`` requests per client, with bursts up to ``burst``; at most
    ``saves_per_hour`` saved profiles per client."""

    max_body_bytes: int = 512 * 1024
    rate_per_minute: float = 240.0
    burst: int = 60
    saves_per_hour: int = 20


class _TooLarge(Exception):
    pass


async def _refuse(scope: Scope, receive: Receive, send: Send, page: PageRefusal | None,
                  status: int, message: str, payload: dict[str, Any],
                  headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """The page's refusal (HTML, status kept) when it has one, else JSON."""
    answer = page(scope, status, message) if page is not None else None
    if answer is not None:
        for key, value in headers or []:
            answer.headers[key.decode()] = value.decode()
        await answer(scope, receive, send)
        return
    await _send_json(send, status, {"detail": message, **payload}, headers)


async def _send_json(send: Send, status: int, payload: dict[str, Any],
                     headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps(payload).encode()
    head = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            *(headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """413 for a declared or streamed (chunked) body above ``max_bytes``.

    A streamed body is counted as it arrives; once over the limit, whatever the application
    would answer (a parser's 400, say) is replaced by the 413.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, page: PageRefusal | None = None):
        self.app, self.max_bytes, self.page = app, max_bytes, page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, send)
            return
        started = exceeded = False
        total = 0

        async def counting_receive() -> Message:
            nonlocal total, exceeded
            message = await receive()
            total += len(message.get("body", b""))
            if total > self.max_bytes:
                exceeded = True
                raise _TooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # the application's answer to a cut body is replaced by the 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        with contextlib.suppress(_TooLarge):
            await self.app(scope, counting_receive, watching_send)
        if exceeded and not started:
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        limit_kib = self.max_bytes // 1024
        message = (f"what you sent is too large (more than {limit_kib} KB); "
                   "shorten the longest text and send it again")

        async def nothing() -> Message:
            return {"type": "http.disconnect"}

        await _refuse(scope, nothing, send, self.page, 413, message,
                      {"limit_bytes": self.max_bytes})


class RateLimit:
    """A token bucket per client address."""

    def __init__(self, app: ASGIApp, per_minute: float, burst: int,
                 page: PageRefusal | None = None):
        self.app, self.rate, self.burst, self.page = app, per_minute / 60.0, burst, page
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNLIMITED_PREFIXES):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.take(client[0] if client else "unknown")
        if wait > 0:
            seconds = max(1, round(wait))
            await _refuse(scope, receive, send, self.page, 429,
                          f"too many requests from your address; wait {seconds} seconds "
                          "and try again",
                          {"retry_after_seconds": round(wait, 1)},
                          [(b"retry-after", str(seconds).encode())])
            return
        await self.app(scope, receive, send)

    def take(self, client: str, now: float | None = None) -> float:
        """Take one token; 0 when allowed, else the seconds until the next token."""
        now = time.monotonic() if now is None else now
        tokens, last = self.buckets.pop(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        allowed = tokens >= 1
        self.buckets[client] = (tokens - 1 if allowed else tokens, now)
        while len(self.buckets) > MAX_TRACKED_CLIENTS:
            self.buckets.popitem(last=False)
        return 0.0 if allowed else (1 - tokens) / self.rate
