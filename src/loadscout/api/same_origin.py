"""Cross-site writes are refused: a page on another site must not start, cancel or delete runs
in a browser that can reach this server (a cross-origin ``text/plain`` POST needs no CORS
preflight). Reads stay open; API clients without an ``Origin`` (curl, CI) are unaffected."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SameOriginWrites:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in _WRITES and _cross_site(scope):
            body = json.dumps({"detail": "cross-site request refused"}).encode()
            headers = [
                (b"content-type", b"application/json"),
                (b"content-length", b"%d" % len(body)),
            ]
            await send({"type": "http.response.start", "status": 403, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


def _cross_site(scope: Scope) -> bool:
    headers = dict(scope["headers"])
    if headers.get(b"sec-fetch-site") == b"cross-site":
        return True
    origin = headers.get(b"origin")
    if origin is None:  # not a browser's cross-origin request (curl, a CI script)
        return False
    if origin == b"null":  # a sandboxed frame or a file: page
        return True
    host: str = headers.get(b"host", b"").decode("latin-1").lower()
    netloc: str = urlsplit(origin.decode("latin-1")).netloc.lower()
    return bool(netloc != host)
