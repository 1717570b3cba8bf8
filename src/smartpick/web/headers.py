"""Security headers on every answer: no third-party anything, no referrer, no caching of pages.

The pages a form posts to (the plan, the USCE report, the profile filled from a file or from a
plan) are kept in this browser's private cache instead (``private, no-cache``), so that Back
to them shows them again without asking to resend the form. Saved-profile pages and the rest
are never stored.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
BACK_SAFE_POSTS = ("/plan", "/usce", "/profile/edit", "/profile/import")
COMMON = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")
        back_safe = scope.get("method") == "POST" and scope["path"] in BACK_SAFE_POSTS

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += COMMON
                if back_safe:
                    headers.append((b"cache-control", b"private, no-cache"))
                elif not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, add_headers)
