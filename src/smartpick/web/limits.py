"""Request size and per-client rate limits, as plain ASGI middleware.

Bodies larger than :attr:`WebLimits.max_body_bytes` get 413 before the application reads
them; a client (by its address) that exceeds its token bucket gets 429 with ``Retry-After``.
Static files and ``/healthz`` are not rate limited. Nothing here reads or logs a body.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

UNLIMITED_PREFIXES = ("/static/", "/healthz")
MAX_TRACKED_CLIENTS = 10_000


@dataclass(frozen=True)
class WebLimits:
    """``rate_per_minute`` requests per client, with bursts up to ``burst``."""

    max_body_bytes: int = 512 * 1024
    rate_per_minute: float = 240.0
    burst: int = 60


class _TooLarge(Exception):
    pass


async def _send_json(send: Send, status: int, payload: dict[str, Any],
                     headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps(payload).encode()
    head = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            *(headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """413 for a declared or streamed body above ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        started = False
        total = 0

        async def counting_receive() -> Message:
            nonlocal total
            message = await receive()
            total += len(message.get("body", b""))
            if total > self.max_bytes:
                raise _TooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        await _send_json(send, 413, {"detail": "request body too large",
                                     "limit_bytes": self.max_bytes})


class RateLimit:
    """A token bucket per client address."""

    def __init__(self, app: ASGIApp, per_minute: float, burst: int):
        self.app, self.rate, self.burst = app, per_minute / 60.0, burst
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNLIMITED_PREFIXES):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.take(client[0] if client else "unknown")
        if wait > 0:
            await _send_json(send, 429, {"detail": "too many requests; slow down",
                                         "retry_after_seconds": round(wait, 1)},
                             [(b"retry-after", str(max(1, round(wait))).encode())])
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
